"""Write matplotlib's font list for the fonts matplotlib ships, valid wherever it is installed.

On its first import with an empty cache directory matplotlib scans every font it can find
(its own ``mpl-data/fonts`` and the system's), reads each one, and writes the result to
``<MPLCONFIGDIR>/fontlist-v<version>.json``: about half a second that every new cloud instance
would pay. This writes the same file ahead of time, holding only the fonts in ``mpl-data``
(the app draws no other: it offers no font option, and matplotlib prefers its own DejaVu Sans
to a system copy). Matplotlib stores those paths relative to its data directory and joins them
to its own data directory when it loads the list, so one file serves a virtual environment, the
deployment package and a cloud instance alike.

``shared.mplconfig`` copies the file into ``MPLCONFIGDIR`` before matplotlib is imported.
The deployment package gets one written by the target interpreter from the packaged
matplotlib (``tools.package``); ``shared/fontlist.json`` in the repository is the same for
the pinned matplotlib (``tests/test_package.py`` checks it).

Usage: ``python -m tools.fontlist [--output shared/fontlist.json]``, or, with only the standard
library and a folder of packages on the path, ``python -I -S tools/fontlist.py --site DIR
--output FILE`` (so the file comes from the matplotlib in ``DIR``).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["DEFAULT_OUTPUT", "main", "write_font_list"]

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "shared" / "fontlist.json"


def write_font_list(output: Path) -> int:
    """Write the list of matplotlib's own fonts to ``output``; return how many it holds.

    Must run in an interpreter that has not imported matplotlib yet: matplotlib is imported
    here with a new, empty ``MPLCONFIGDIR``, so it scans the fonts (the system's too); the list
    written keeps the fonts under its data directory, sorted by path, so the file is the same
    on every machine for one matplotlib version.
    """
    if "matplotlib" in sys.modules:
        raise RuntimeError("matplotlib is imported already: write the font list in a new process")
    with tempfile.TemporaryDirectory(prefix="fontlist-") as scratch:
        os.environ["MPLCONFIGDIR"] = scratch
        import matplotlib
        from matplotlib import font_manager

        data = Path(matplotlib.get_data_path())
        manager = copy.copy(font_manager.fontManager)  # what this import's scan found
        for name in ("ttflist", "afmlist"):
            own = [e for e in getattr(manager, name) if Path(e.fname).is_relative_to(data)]
            setattr(manager, name, sorted(own, key=lambda entry: (entry.fname, entry.index)))
        partial = Path(scratch) / "fontlist.json"
        font_manager.json_dump(manager, partial)  # stores paths under mpl-data relative to it
        text = partial.read_text(encoding="utf-8")
    entries = [e for name in ("ttflist", "afmlist") for e in json.loads(text)[name]]
    absolute = [e["fname"] for e in entries if os.path.isabs(e["fname"])]
    if absolute or not entries:
        raise RuntimeError(f"font list of {len(entries)} fonts has absolute paths: {absolute[:3]}")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return len(entries)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the list, print its path and size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--site", type=Path, help="import matplotlib from this folder first")
    args = parser.parse_args(argv)
    if args.site is not None:
        sys.path.insert(0, str(args.site))
    count = write_font_list(args.output)
    print(f"{args.output}: {count} fonts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
