"""The HTTP request as the Functions host hands it to the Python worker: ``HttpRequest``.

The host builds the worker's ``RpcHttp`` in ``HttpRequestExtensions.ToRpcHttp``
(Azure/azure-functions-host, ``Workers/Rpc/MessageExtensions``): for each entry of ASP.NET's
``request.Query`` (names grouped without regard to case, repeated values joined with ``,`` by
``StringValues.ToString()``) it adds the query value only when it is not empty, because the
Python worker does not ask for nullable values; each header name is lower-cased and its values
joined with ``,``. So ``?width=&output=image`` reaches ``main`` as ``{"output": "image"}``.
"""

from __future__ import annotations

from collections.abc import Iterable

import azure.functions as func

__all__ = ["build_request", "header_values", "query_values"]


def _grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Values by name, names compared without regard to case; the first spelling is kept."""
    groups: dict[str, list[str]] = {}
    spelling: dict[str, str] = {}
    for name, value in pairs:
        key = spelling.setdefault(name.lower(), name)
        groups.setdefault(key, []).append(value)
    return groups


def query_values(query: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The worker's ``params``: repeated names joined with ``,``, empty values left out."""
    joined = {name: ",".join(values) for name, values in _grouped(query).items()}
    return {name: value for name, value in joined.items() if value}


def header_values(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The worker's ``headers``: lower-case names, repeated headers joined with ``,``."""
    lowered = ((name.lower(), value) for name, value in headers)
    return {name: ",".join(values) for name, values in _grouped(lowered).items()}


def build_request(
    *,
    method: str,
    url: str,
    headers: Iterable[tuple[str, str]],
    query: Iterable[tuple[str, str]],
    route_params: dict[str, str],
    body: bytes,
) -> func.HttpRequest:
    """The ``HttpRequest`` the worker would build from this request."""
    return func.HttpRequest(
        method=method.upper(),
        url=url,
        headers=header_values(headers),
        params=query_values(query),
        route_params=route_params,
        body=body,
    )
