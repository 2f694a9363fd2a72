"""Refusing JSON objects that repeat a key.

A JSON decoder keeps the last of two equal keys and says nothing, so ``{"y": [1], "y": [2]}``
or a swagger row ``{"x": 1, "y": 2, "y": 3}`` would be drawn from whichever value came last
(another parser in front of the service may have read the first). Such a body is refused, as
a CSV header that repeats a column name is.

msgspec cannot report repeated keys, so the check compares counts: every key in a JSON text is
followed by a colon, so a body with no more colons than its decoded objects have keys repeats
none. Only when there are more colons (a string holding one, or objects in unusual places) is
the body decoded a second time with the standard library, which names the repeated key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..errors import InvalidData, shorten

__all__ = ["check_unique_keys"]


class _Repeated(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` that refuses a repeated key."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Repeated(key)
            seen.add(key)
    return result


def _known_keys(document: Mapping[str, Any] | list[Any]) -> int:
    """Keys of the objects where the request shapes put them (a lower bound on all keys)."""
    if isinstance(document, list):  # records: one object per row
        return sum(map(len, document)) if set(map(type, document)) == {dict} else 0
    keys = len(document)
    for value in document.values():
        if isinstance(value, Mapping):
            keys += len(value)
    inputs = document.get("Inputs")
    if isinstance(inputs, Mapping):
        for table in inputs.values():
            if isinstance(table, Mapping):
                keys += len(table)
            elif isinstance(table, list) and set(map(type, table)) == {dict}:
                keys += sum(map(len, table))  # swagger rows: one object per row
    return keys


def check_unique_keys(body: bytes, document: Mapping[str, Any] | list[Any]) -> None:
    """``InvalidData`` naming the key if any object of the JSON ``body`` repeats one.

    ``document`` is ``body`` as decoded (objects with their last value for each key).
    """
    if body.count(b":") <= _known_keys(document):
        return
    try:
        json.loads(body, object_pairs_hook=_pairs)
    except _Repeated as repeated:
        raise InvalidData(
            f"the JSON body repeats the key {shorten(repeated.key)} in one object; "
            "every key (column or option) must be given once"
        ) from None
    except (ValueError, RecursionError):  # what only msgspec accepts: leave it to msgspec
        return
