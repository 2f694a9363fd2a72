"""Function keys, as the cloud checks them, configured in local settings.

``LOCAL_FUNCTION_KEY`` opens functions with ``authLevel`` ``function``; ``LOCAL_MASTER_KEY``
opens ``function`` and ``admin`` ones. An empty or unset key means no check for that level,
which is how ``func start`` runs. ``anonymous`` functions are always open. A key travels as
the ``x-functions-key`` header or ``?code=<key>``, picked as the host picks it
(``presented_key``); keys are compared in constant time.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "FUNCTION_KEY_SETTING",
    "KEY_HEADER",
    "KEY_QUERY",
    "MASTER_KEY_SETTING",
    "Keys",
    "presented_key",
]

FUNCTION_KEY_SETTING = "LOCAL_FUNCTION_KEY"
MASTER_KEY_SETTING = "LOCAL_MASTER_KEY"
KEY_HEADER = "x-functions-key"
KEY_QUERY = "code"


def presented_key(
    headers: Iterable[tuple[str, str]], query: Iterable[tuple[str, str]]
) -> str | None:
    """The key a request presents, picked as the Functions host picks it.

    The host's ``AuthenticationLevelHandler.GetAuthorizationKeyInfoAsync`` (Azure/azure-functions-
    host) reads the first ``x-functions-key`` header if there is one at all, and only otherwise
    the first ``code`` query value (ASP.NET's query names ignore case). So a header, even a
    wrong or empty one, hides ``?code=``, and of ``?code=a&code=b`` only ``a`` counts.
    """
    header = next((value for name, value in headers if name.lower() == KEY_HEADER), None)
    if header is not None:
        return header
    return next((value for name, value in query if name.lower() == KEY_QUERY), None)


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


@dataclass(frozen=True, slots=True)
class Keys:
    """The configured keys; empty strings when not configured."""

    function: str = ""
    master: str = ""

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Keys:
        return cls(
            function=environ.get(FUNCTION_KEY_SETTING, "").strip(),
            master=environ.get(MASTER_KEY_SETTING, "").strip(),
        )

    def allows(self, auth_level: str, given: str | None) -> bool:
        """Whether a request carrying ``given`` (or no key) may call a function at that level."""
        if auth_level == "anonymous":
            return True
        wanted = [self.master] if auth_level == "admin" else [self.function, self.master]
        configured = [key for key in wanted if key]
        if not configured:
            return True
        if not given:
            return False
        # check every configured key so the time taken does not depend on which one matched
        results = [_same(given, key) for key in configured]
        return any(results)
