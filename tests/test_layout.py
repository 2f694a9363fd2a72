"""The shape of ``shared/``: request -> chart -> answer, no import circles, one door to the fast
path. Read from the source (``ast``), so a lazy import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent / "shared"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SHARED.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """The ``shared`` modules ``path`` imports (relative imports resolved)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("shared"):
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("shared"))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in SHARED.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {target for target in _imports(path) if target in modules} - {name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, or ``None``. A package importing its own submodules is no circle."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if node.startswith(target + "."):  # a module importing its parent package
                continue
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_shared_has_no_import_circles() -> None:
    assert _cycle(_graph()) is None


def test_the_cycle_finder_finds_a_circle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_the_fast_path_has_one_door() -> None:
    """Only ``shared.chart`` itself reaches into ``shared.chart.fast``."""
    for name, targets in _graph().items():
        if name.startswith("shared.chart.fast") or name == "shared.chart":
            continue
        inside = sorted(t for t in targets if t.startswith("shared.chart.fast"))
        assert not inside, f"{name} imports {inside}"


def test_the_steps_only_look_back() -> None:
    """Reading a request never imports drawing or answering; drawing never imports answering."""
    for name, targets in _graph().items():
        if name.startswith("shared.request"):
            assert not any(t.startswith("shared.answer") for t in targets), name
            assert not any(t.startswith("shared.chart.fast") for t in targets), name
        if name.startswith("shared.chart"):
            assert not any(t.startswith(("shared.answer", "shared.request")) for t in targets), name
