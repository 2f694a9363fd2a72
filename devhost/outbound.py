"""A function's ``$return`` value turned into the HTTP response, as the worker and host do.

The Python worker encodes ``$return`` with the library's ``HttpResponseConverter.encode``
(Azure/azure-functions-python-library, ``azure/functions/http.py``): an ``HttpResponse``
becomes status, headers (``content-type`` filled from ``mimetype``, with ``; charset=`` for
``text/*``) and body; a ``str`` travels as a plain string; anything else raises, and the
invocation fails (``bindings/meta.py``, ``to_outgoing_proto``: "unable to encode outgoing
TypedData"), which the host answers with a 500.

The host turns a string into a response in ``HttpBinding.CreateResult``
(Azure/azure-functions-host, ``Binding/Http/HttpBinding.cs``): it first reads the string as
JSON if it can; a JSON object with a ``body`` property is a response object (``body``,
``headers``, ``statusCode`` or ``status``); other JSON is written as .NET prints it (an object
indented, ``true`` as ``True``), and text that is not JSON as it is. ``RawScriptResult`` writes
through MVC's ``StringOutputFormatter``: status 200 unless the response object says otherwise,
``Content-Type: text/plain; charset=utf-8`` (a given type gains ``; charset=utf-8``), the
UTF-8 bytes of the text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import azure.functions as func

__all__ = ["InvalidReturn", "Reply", "to_reply"]


class InvalidReturn(TypeError):
    """The function returned something its http ``$return`` binding cannot carry."""


@dataclass(frozen=True, slots=True)
class Reply:
    """What goes back over HTTP."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes


def _reply(status: int, headers: list[tuple[str, str]], body: bytes) -> Reply:
    headers = [(name, value) for name, value in headers if name != "content-length"]
    headers.append(("content-length", str(len(body))))
    return Reply(status, headers, body)


def _from_response(response: func.HttpResponse) -> Reply:
    headers = [(name.lower(), str(value)) for name, value in response.headers.items()]
    if not any(name == "content-type" for name, _ in headers):
        mimetype = response.mimetype
        if mimetype.startswith("text/"):
            mimetype = f"{mimetype}; charset={response.charset}"
        headers.append(("content-type", mimetype))
    return _reply(int(response.status_code), headers, response.get_body() or b"")


def _status(document: dict[str, object]) -> int:
    """``TryParseStatusCode``: ``statusCode`` or ``status``, a number or a numeric string."""
    for key, value in document.items():
        if key.lower() in ("statuscode", "status"):
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
                return int(value)
    return 200


def _as_text(value: object, *, indented: bool) -> str:
    """What .NET's ``ToString()`` makes of a JSON value Newtonsoft.Json read: objects and
    arrays as JSON (``JToken.ToString()`` indents by two spaces), ``True``/``False``, numbers,
    strings as they are, ``null`` as nothing."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return repr(value)
    if indented:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _with_charset(content_type: str) -> str:
    """``TextOutputFormatter`` adds the charset it writes with when the type has none."""
    return content_type if "charset=" in content_type.lower() else f"{content_type}; charset=utf-8"


def _text_reply(status: int, headers: list[tuple[str, str]], text: str) -> Reply:
    content_type = next((v for n, v in headers if n == "content-type"), "text/plain")
    headers = [(n, v) for n, v in headers if n != "content-type"]
    headers.append(("content-type", _with_charset(content_type)))
    return _reply(status, headers, text.encode())


def _from_string(text: str) -> Reply:
    try:
        document = json.loads(text)
    except ValueError:
        return _text_reply(200, [], text)
    if isinstance(document, dict):
        body = next((v for k, v in document.items() if k.lower() == "body"), _NO_BODY)
        if body is not _NO_BODY:  # a response object: ParseResponseObject
            headers: list[tuple[str, str]] = []
            for key, value in document.items():
                if key.lower() == "headers" and isinstance(value, dict):
                    headers = [
                        (str(n).lower(), _as_text(v, indented=False)) for n, v in value.items()
                    ]
            return _text_reply(_status(document), headers, _as_text(body, indented=False))
    return _text_reply(200, [], _as_text(document, indented=True))


_NO_BODY = object()


def to_reply(result: object) -> Reply:
    """The response for what ``main`` returned; ``InvalidReturn`` if the worker would fail."""
    if isinstance(result, func.HttpResponse):
        return _from_response(result)
    if isinstance(result, str):
        return _from_string(result)
    raise InvalidReturn(
        f"the function returned {type(result).__name__}; an http $return binding takes "
        "an azure.functions.HttpResponse or a str"
    )
