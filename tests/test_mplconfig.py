"""matplotlib's config directory and the shipped font list (shared/mplconfig.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager

from shared.mplconfig import FONT_LIST, ensure_config_dir, seed_font_list
from tests.hostprocess import REPO

VERSION = json.loads(Path(FONT_LIST).read_text(encoding="utf-8"))["_version"]
NAME = f"fontlist-v{VERSION}.json"


def test_shipped_list_fits_the_installed_matplotlib() -> None:
    shipped = json.loads(Path(FONT_LIST).read_text(encoding="utf-8"))
    assert shipped["_version"] == font_manager.FontManager.__version__
    fonts = [entry["fname"] for key in ("ttflist", "afmlist") for entry in shipped[key]]
    assert "fonts/ttf/DejaVuSans.ttf" in fonts
    data = Path(matplotlib.get_data_path())
    assert [name for name in fonts if os.path.isabs(name) or not (data / name).is_file()] == []


def test_seed_writes_the_list_under_matplotlibs_name(tmp_path: Path) -> None:
    target = seed_font_list(str(tmp_path))
    assert target == str(tmp_path / NAME)
    assert (tmp_path / NAME).read_bytes() == Path(FONT_LIST).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [NAME]


def test_seed_leaves_a_list_already_there(tmp_path: Path) -> None:
    (tmp_path / NAME).write_text('{"built": "by matplotlib"}')
    assert seed_font_list(str(tmp_path)) == str(tmp_path / NAME)
    assert (tmp_path / NAME).read_text() == '{"built": "by matplotlib"}'


def test_seed_without_a_list_or_a_writable_folder_leaves_it_to_matplotlib(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert seed_font_list(str(tmp_path), source=str(tmp_path / "missing.json")) is None
    assert list(tmp_path.iterdir()) == []
    gone = tmp_path / "not-a-folder"
    assert seed_font_list(str(gone)) is None
    assert not gone.exists()
    assert "could not write the font list" in caplog.text


def test_an_mplconfigdir_from_app_settings_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "configured"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    assert ensure_config_dir() == str(tmp_path / "configured")
    assert (tmp_path / "configured" / NAME).is_file()
    assert not (tmp_path / "temp").exists()


def test_without_a_setting_the_temp_dir_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    expected = tmp_path / "scatterplot-matplotlib"
    assert ensure_config_dir() == str(expected)
    assert os.environ["MPLCONFIGDIR"] == str(expected)
    assert (expected / NAME).is_file()


# The checkout in its virtual environment starts like an instance: an empty temp directory,
# no scan, and text drawn with matplotlib's DejaVu Sans from the venv's own mpl-data.
LOCAL_START = """
import logging, sys
messages = []
class Keep(logging.Handler):
    def emit(self, record):
        messages.append(record.getMessage())
logging.getLogger("matplotlib").setLevel(logging.DEBUG)
logging.getLogger("matplotlib").addHandler(Keep())
import shared
from matplotlib import font_manager
font = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
print(font)
print("\\n".join(messages))
"""


def test_the_checkout_starts_without_a_font_scan(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "MPLBACKEND")}
    env.update(TMPDIR=str(tmp_path), PYTHONPATH=str(REPO))
    done = subprocess.run(
        [sys.executable, "-c", LOCAL_START],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    font, *messages = done.stdout.splitlines()
    assert Path(font) == Path(matplotlib.get_data_path(), "fonts/ttf/DejaVuSans.ttf").resolve()
    list_path = tmp_path / "scatterplot-matplotlib" / NAME
    assert f"Using fontManager instance from {list_path}" in messages
    assert not [m for m in messages if "generated new fontManager" in m or "Rebuilding" in m]
