"""Shared fixtures: settings, a request factory, image decoding helpers, a running local host."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import azure.functions as func
import numpy as np
import pytest
from PIL import Image

from shared import Settings
from tests.hostprocess import REPO, LocalHost, running_host

RequestFactory = Callable[..., func.HttpRequest]


@pytest.fixture
def settings() -> Settings:
    """The default limits."""
    return Settings()


def make_request(
    url: str = "/api/ScatterPlot",
    *,
    method: str = "GET",
    body: bytes | str | dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> func.HttpRequest:
    """An ``HttpRequest`` as the Functions worker builds it; a dict body is sent as JSON."""
    headers = dict(headers or {})
    if isinstance(body, dict):
        body = json.dumps(body)
        headers.setdefault("Content-Type", "application/json")
    if isinstance(body, str):
        body = body.encode()
    parts = urlsplit(url)
    return func.HttpRequest(
        method=method,
        url="http://localhost:7071" + url,
        headers=headers,
        params=dict(parse_qsl(parts.query, keep_blank_values=True)),
        body=body or b"",
    )


@pytest.fixture
def request_factory() -> RequestFactory:
    """Build ``func.HttpRequest`` objects like the worker does."""
    return make_request


def decode_png(data: bytes) -> np.ndarray[Any, Any]:
    """The RGBA pixels of PNG bytes (fails if they are not a PNG)."""
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return np.asarray(image.convert("RGBA"))


@pytest.fixture(scope="session")
def local_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalHost]:
    """The real app served by ``python -m devhost`` on a free port (no keys configured)."""
    log = tmp_path_factory.mktemp("devhost") / "host.log"
    env = {"LOCAL_FUNCTION_KEY": "", "LOCAL_MASTER_KEY": ""}
    with running_host(REPO, log, env) as host:
        yield host
