"""``python -m client``: write a scatter chart from the service to a file."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
