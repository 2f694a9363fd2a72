"""The client's one expected failure type: printed as ``Error: <message>``, exit status 1."""

from __future__ import annotations

__all__ = ["ClientError"]


class ClientError(Exception):
    """Something the user should read: a server error, a bad answer, an unwritable file."""
