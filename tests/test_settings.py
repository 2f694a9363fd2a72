"""Settings are read from app settings with documented defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared import Settings
from shared.settings import ENV_PREFIX

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_and_overrides() -> None:
    assert Settings.from_environ({}) == Settings()
    settings = Settings.from_environ({"SCATTERPLOT_MAX_POINTS": "5_000", "UNRELATED": "x"})
    assert settings.max_points == 5000 and settings.max_side == Settings().max_side


@pytest.mark.parametrize("value", ["many", "0", "-3", "1.5"])
def test_bad_values_fail_loudly(value: str) -> None:
    with pytest.raises(ValueError, match="SCATTERPLOT_MAX_POINTS"):
        Settings.from_environ({"SCATTERPLOT_MAX_POINTS": value})


@pytest.mark.parametrize(
    ("value", "expected"), [("false", False), ("False", False), ("0", False), ("true", True)]
)
def test_fast_path_switch(value: str, expected: bool) -> None:
    assert Settings().fast_path is True
    assert Settings.from_environ({"SCATTERPLOT_FAST_PATH": value}).fast_path is expected


def test_a_bad_fast_path_switch_fails_loudly() -> None:
    with pytest.raises(ValueError, match="SCATTERPLOT_FAST_PATH must be true or false"):
        Settings.from_environ({"SCATTERPLOT_FAST_PATH": "sometimes"})


def test_local_settings_hold_every_setting_with_its_default_and_no_secret() -> None:
    values = json.loads((ROOT / "local.settings.json").read_text())["Values"]
    assert values["FUNCTIONS_WORKER_RUNTIME"] == "python"
    ours = {key: value for key, value in values.items() if key.startswith(ENV_PREFIX)}
    assert Settings.from_environ(ours) == Settings()
    assert set(ours) == {ENV_PREFIX + name.upper() for name in Settings.__dataclass_fields__}


def test_docs_document_every_setting() -> None:
    page = (ROOT / "docs" / "settings.md").read_text()
    for name in Settings.__dataclass_fields__:
        assert f"| `{ENV_PREFIX + name.upper()}` |" in page, name


def test_readme_documents_every_option() -> None:
    from shared.request.options import option_names

    readme = (ROOT / "README.md").read_text()
    for name in option_names():
        assert f"`{name}`" in readme, name
