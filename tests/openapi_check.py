"""Validate real answers against the OpenAPI description in ``shared/openapi.json``."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import azure.functions as func
from openapi_schema_validator import OAS31Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from shared.openapi import openapi_document

_BASE = "urn:scatterplot:openapi"


@cache
def _registry() -> Registry[Any]:
    resource = Resource.from_contents(openapi_document(), default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(_BASE, resource)
    return registry


def response_spec(path: str, method: str, status: int) -> dict[str, Any]:
    """The described response; ``KeyError`` when the description has none for ``status``."""
    operation = openapi_document()["paths"][path][method.lower()]
    spec: dict[str, Any] = operation["responses"][str(status)]
    return spec


def check_response(path: str, method: str, response: func.HttpResponse) -> None:
    """Assert that ``response`` is one the description allows for ``method path``."""
    status = str(response.status_code)
    spec = response_spec(path, method, response.status_code)
    where = ("paths", path, method.lower(), "responses", status)
    content = spec.get("content")
    body = response.get_body() or b""
    if content is None:
        assert body == b"", f"{status} is described without a body"
    else:
        mimetype = (response.mimetype or "").split(";")[0]
        assert mimetype in content, f"{mimetype} is not described for {status}"
        if mimetype == "application/json":
            validate(json.loads(body), (*where, "content", mimetype, "schema"))
        else:
            assert body, "an image answer needs bytes"
    for name, header in spec.get("headers", {}).items():
        value = response.headers.get(name)
        if value is None:
            assert not header.get("required"), f"required header {name} is missing"
            continue
        validate(value, (*where, "headers", name, "schema"))


def validate(instance: object, pointer: tuple[str, ...]) -> None:
    """Validate ``instance`` against the schema at ``pointer`` (path parts) in the document."""
    escaped = "/".join(part.replace("~", "~0").replace("/", "~1") for part in pointer)
    validator = OAS31Validator({"$ref": f"{_BASE}#/{escaped}"}, registry=_registry())
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    where = "/".join(pointer)
    assert not errors, f"{where}: {errors[0].message[:300]} at {list(errors[0].path)}"
