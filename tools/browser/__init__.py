"""A real browser against the local host: ``python -m tools.browser``."""
