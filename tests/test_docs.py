"""The README and docs/ stay true: their commands run, their links lead somewhere, their
excerpts and pictures match the files, and the README's options table matches the API.

Every shell block (```sh) runs against the local host, in an empty folder holding a copy of
examples/, block after block in the order of its page, the way a reader would follow it. A block
that cannot run here carries ``<!-- not run by tests: <reason> -->`` on the line before it.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostprocess import REPO, LocalHost
from tools import figures

README = REPO / "README.md"
PAGES = (README, *sorted((REPO / "docs").glob("*.md")))
EXAMPLES = REPO / "examples"
DOCS_BASE = "http://127.0.0.1:7071"  # the local host's address as the docs write it
README_LIMIT = 12_000  # bytes: the README is for users; everything else goes to docs/
SHELL = frozenset({"sh", "bash", "shell"})
BLOCK_SECONDS = 300

FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
MARKER = re.compile(r"^\s*<!--\s*not run by tests:(?P<reason>.*?)-->\s*$")
WRITES = (
    re.compile(r"(?:^|\s)(?:-o|--output|--out)\s+['\"]?(?P<name>[\w./-]+)"),
    re.compile(r"(?<![\d&>-])>\s*(?P<name>[\w./-]+\.\w+)"),
    re.compile(r"#.*?\b(?:writes|wrote)\s+(?P<name>[\w./-]+\.\w+)"),
)
SIGNATURES = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".pdf": (b"%PDF-",),
}


@dataclass(frozen=True)
class Block:
    """A fenced block of a Markdown page."""

    page: Path
    line: int  # of the opening fence, 1-based
    language: str
    text: str
    reason: str | None  # why it is not run, from the marker before it

    def __str__(self) -> str:
        return f"{self.page.relative_to(REPO)}:{self.line}"


@dataclass(frozen=True)
class Page:
    """A page's blocks, and the problems found while reading it."""

    blocks: tuple[Block, ...]
    stray_markers: tuple[int, ...]  # lines of markers with no shell block right after them
    prose: str  # the text outside fenced blocks


def read_page(page: Path) -> Page:
    """Split a Markdown page into fenced blocks and prose."""
    blocks: list[Block] = []
    stray: list[int] = []
    prose: list[str] = []
    marker: tuple[int, str] | None = None
    fence: str | None = None
    start, language = 0, ""
    body: list[str] = []
    lines = page.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        match = FENCE.match(line)
        if fence is not None:
            if match and match["fence"][0] == fence[0] and len(match["fence"]) >= len(fence):
                if not match["info"].strip():
                    reason = marker[1] if marker else None
                    if marker and language not in SHELL:
                        stray.append(marker[0])
                        reason = None
                    blocks.append(Block(page, start, language, "\n".join(body) + "\n", reason))
                    fence, marker = None, None
                    continue
            body.append(line)
            continue
        if match:
            fence, start, body = match["fence"], number, []
            language = match["info"].strip().split(" ")[0] if match["info"].strip() else ""
            continue
        prose.append(line)
        if not line.strip():
            continue
        if marker is not None:
            stray.append(marker[0])
            marker = None
        found = MARKER.match(line)
        if found:
            marker = (number, found["reason"].strip())
    if marker is not None:
        stray.append(marker[0])
    return Page(tuple(blocks), tuple(stray), "\n".join(prose))


PAGE_CONTENTS = {page: read_page(page) for page in PAGES}
RUN_PAGES = [
    page
    for page, content in PAGE_CONTENTS.items()
    if any(b.language in SHELL and b.reason is None for b in content.blocks)
]


def _id(page: Path) -> str:
    return str(page.relative_to(REPO))


def files_written(script: str) -> list[str]:
    """The files a block says it writes: ``-o``/``--out``/``> FILE`` or ``# writes FILE``."""
    names: list[str] = []
    for line in script.splitlines():
        for pattern in WRITES:
            for found in pattern.finditer(line):
                name = found["name"]
                if not name.startswith("/dev/") and name not in names:
                    names.append(name)
    return names


def check_written(path: Path) -> str | None:
    """What is wrong with a file a block wrote, or None."""
    if not path.is_file() or path.stat().st_size == 0:
        return f"{path.name} was not written"
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in SIGNATURES and not data.startswith(SIGNATURES[suffix]):
        return f"{path.name} is not a {suffix[1:]}: {data[:120]!r}"
    if suffix == ".svg" and b"<svg" not in data[:2000]:
        return f"{path.name} is not an SVG: {data[:120]!r}"
    if suffix == ".json":
        try:
            document = json.loads(data)
        except ValueError:
            return f"{path.name} is not JSON: {data[:120]!r}"
        is_error = isinstance(document, dict) and "error" in document
        if is_error != ("error" in path.name):
            return f"{path.name}: an error answer only in a file named for one: {data[:200]!r}"
    return None


def _stand_in_venv(folder: Path) -> None:
    """``.venv/bin/python`` and ``.venv/bin/activate`` that reach the interpreter running us."""
    bin_dir = folder / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} "$@"\n')
    python.chmod(0o755)
    (bin_dir / "activate").write_text(f"PATH={shlex.quote(str(bin_dir))}:$PATH\nexport PATH\n")


def _environment(folder: Path, host: LocalHost) -> dict[str, str]:
    ignored = ("SCATTERPLOT_URL", "SCATTERPLOT_KEY", "LOCAL_FUNCTION_KEY", "LOCAL_MASTER_KEY")
    environ = {k: v for k, v in os.environ.items() if k not in ignored}
    path = [str(folder / ".venv" / "bin"), str(Path(sys.executable).parent)]
    environ["PATH"] = os.pathsep.join([*path, environ.get("PATH", "")])
    environ["PYTHONPATH"] = str(REPO)
    environ["SCATTERPLOT_URL"] = host.base_url + "/api/ScatterPlot"
    return environ


@pytest.mark.parametrize("page", RUN_PAGES, ids=_id)
def test_shell_blocks_run_against_the_local_host(
    page: Path, local_host: LocalHost, tmp_path: Path
) -> None:
    folder = tmp_path / "reader"
    folder.mkdir()
    shutil.copytree(EXAMPLES, folder / "examples")
    _stand_in_venv(folder)
    environ = _environment(folder, local_host)
    for block in PAGE_CONTENTS[page].blocks:
        if block.language not in SHELL or block.reason is not None:
            continue
        script = block.text.replace(DOCS_BASE, local_host.base_url)
        written = files_written(block.text)
        for name in written:
            (folder / name).unlink(missing_ok=True)
        result = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", script],
            cwd=folder,
            env=environ,
            capture_output=True,
            text=True,
            timeout=BLOCK_SECONDS,
        )
        assert result.returncode == 0, (
            f"{block} exited {result.returncode} (a block that cannot run here needs "
            f"'<!-- not run by tests: <why> -->' on the line before it)\n{script}\n"
            f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-3000:]}"
        )
        problems = [p for p in (check_written(folder / name) for name in written) if p]
        assert not problems, f"{block}: {problems}\nstdout:\n{result.stdout[-2000:]}"


def test_blocks_that_do_not_run_say_why() -> None:
    reasonless = [
        str(block)
        for content in PAGE_CONTENTS.values()
        for block in content.blocks
        if block.reason is not None and not block.reason
    ]
    assert not reasonless, f"a 'not run by tests' marker needs a reason: {reasonless}"
    stray = [
        f"{page.relative_to(REPO)}:{line}"
        for page, content in PAGE_CONTENTS.items()
        for line in content.stray_markers
    ]
    assert not stray, f"markers not right before a shell block: {stray}"
    assert RUN_PAGES, "no page has a shell block the tests run"
    assert README in RUN_PAGES


def test_every_block_names_its_language() -> None:
    unnamed = [
        str(block)
        for content in PAGE_CONTENTS.values()
        for block in content.blocks
        if not block.language
    ]
    assert not unnamed, f"fenced blocks without a language (sh, text, ...): {unnamed}"


def test_files_written_are_found() -> None:
    script = (
        "curl 'http://h/x?y=1' -o scatter.png\n"
        "python -m client --out rain.png --seed 1  # writes scatter.svg\n"
        "python -c 'print(1)' > out.txt 2>&1\n"
        "curl -s -o /dev/null http://h/\n"
        "python -m client      # wrote scatter.png: png 640x480\n"
    )
    assert files_written(script) == ["scatter.png", "rain.png", "scatter.svg", "out.txt"]


def test_written_files_are_checked_by_their_content(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b'{"error": {"code": "InvalidOption"}}')
    (tmp_path / "answer.json").write_text('{"error": {"code": "InvalidOption"}}')
    (tmp_path / "bad-error.json").write_text('{"error": {"code": "InvalidOption"}}')
    (tmp_path / "ok.json").write_text('{"Results": {}}')
    (tmp_path / "a.svg").write_text('<?xml version="1.0"?>\n<svg/>')
    assert check_written(tmp_path / "a.png")
    assert check_written(tmp_path / "answer.json")
    assert check_written(tmp_path / "missing.pdf")
    assert check_written(tmp_path / "bad-error.json") is None
    assert check_written(tmp_path / "ok.json") is None
    assert check_written(tmp_path / "a.svg") is None


def test_markers_and_fences_are_read(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# T\n\n<!-- not run by tests: needs Azure -->\n```sh\naz login\n```\n\n"
        "```sh\ncurl x\n```\n\n<!-- not run by tests: x -->\nprose\n\n"
        "````text\n```sh\n````\n\n```\nbare\n```\n"
    )
    content = read_page(page)
    assert [(b.language, b.reason) for b in content.blocks] == [
        ("sh", "needs Azure"),
        ("sh", None),
        ("text", None),
        ("", None),
    ]
    assert content.stray_markers == (12,)


def _slug(heading: str) -> str:
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    anchors = set()
    for line in PAGE_CONTENTS[page].prose.splitlines():
        if line.startswith("#"):
            slug = _slug(line.lstrip("#"))
            count = seen.get(slug, 0)
            anchors.add(slug if count == 0 else f"{slug}-{count}")
            seen[slug] = count + 1
    return anchors


LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
INLINE_CODE = re.compile(r"(`+).+?\1")


def test_relative_links_and_anchors_lead_somewhere() -> None:
    broken = []
    for page, content in PAGE_CONTENTS.items():
        prose = INLINE_CODE.sub("", content.prose)
        for found in LINK.finditer(prose):
            target = found["target"]
            if re.match(r"^[a-z]+:", target):
                continue
            path_part, _, anchor = target.partition("#")
            path = (page.parent / path_part).resolve() if path_part else page
            if not path.exists():
                broken.append(f"{page.relative_to(REPO)}: {target}")
            elif anchor and path.suffix == ".md" and anchor not in _anchors(path):
                broken.append(f"{page.relative_to(REPO)}: {target} (no such heading)")
    assert not broken, broken


def test_excerpts_of_the_sample_files_quote_them() -> None:
    samples = {
        path: path.read_text(encoding="utf-8").splitlines()
        for path in EXAMPLES.iterdir()
        if path.is_file()
    }
    quoted = 0
    for content in PAGE_CONTENTS.values():
        for block in content.blocks:
            lines = block.text.splitlines()
            for sample, sample_lines in samples.items():
                if block.language == "text" and lines and lines[0] == sample_lines[0]:
                    quoted += 1
                    invented = [x for x in lines if x.strip() != "..." and x not in sample_lines]
                    assert not invented, f"{block}: not in {sample.name}: {invented}"
    assert quoted >= 3


def test_readme_stays_short() -> None:
    size = len(README.read_bytes())
    assert size < README_LIMIT, f"README.md is {size} bytes; move details to docs/"


def _readme_table_options() -> list[str]:
    section = README.read_text(encoding="utf-8").split("\n## Options\n", 1)[1].split("\n## ")[0]
    names = []
    for row in section.splitlines():
        if row.startswith("| `"):
            names += re.findall(r"`([^`]+)`", row.split("|")[1])
    return names


def test_readme_options_table_is_exactly_the_api_options() -> None:
    document = json.loads((REPO / "shared" / "openapi.json").read_text())
    chart = next(path for name, path in document["paths"].items() if "ScatterPlot" in name)
    query = {p["name"] for p in chart["get"]["parameters"] if p["in"] == "query"}
    options = query - {"x", "y"}  # data, not options: the API page covers them
    listed = _readme_table_options()
    assert sorted(listed) == sorted(set(listed)), "an option is listed twice"
    assert set(listed) == options, (
        f"missing from the README's table: {sorted(options - set(listed))}; "
        f"not options: {sorted(set(listed) - options)}"
    )


def test_docs_pictures_are_what_the_service_draws() -> None:
    referenced = set(re.findall(r"images/([\w.-]+\.png)", "".join(p.read_text() for p in PAGES)))
    drawn = {figure.name for figure in figures.FIGURES}
    assert drawn <= referenced, f"pictures drawn but shown nowhere: {drawn - referenced}"
    assert figures.differing() == [], "stale pictures: run python -m tools.figures"
