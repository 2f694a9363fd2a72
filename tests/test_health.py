"""The health function and the API description function."""

from __future__ import annotations

import json
import platform
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

import Health
import OpenAPI
import shared.health
from tests.conftest import RequestFactory

ROOT = Path(__file__).resolve().parent.parent


def test_health_reports_versions_and_render_time(request_factory: RequestFactory) -> None:
    response = Health.main(request_factory("/api/health"))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    report = json.loads(response.get_body())
    with open(ROOT / "pyproject.toml", "rb") as file:
        assert report["version"] == tomllib.load(file)["project"]["version"]
    assert report["python"] == platform.python_version()
    for name in ("matplotlib", "numpy", "azure-functions"):
        assert report[name] == version(name)
    assert report["status"] == "ok" and report["render_ms"] > 0


def test_health_is_503_with_the_error_shape_when_rendering_fails(
    request_factory: RequestFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(spec: object, **options: object) -> bytes:
        raise OSError("/secret/path/font.ttf not found")

    monkeypatch.setattr(shared.health, "render", broken)
    response = Health.main(request_factory("/api/health"))
    assert response.status_code == 503
    body = response.get_body().decode()
    assert json.loads(body)["error"]["code"] == "ServiceUnavailable"
    assert "/secret" not in body and "Traceback" not in body


def test_the_app_version_matches_pyproject() -> None:
    import tomllib

    from shared.version import app_version

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert app_version() == project["version"]


def test_the_description_is_served_as_json(request_factory: RequestFactory) -> None:
    response = OpenAPI.main(request_factory("/api/openapi.json"))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_body() == (ROOT / "shared" / "openapi.json").read_bytes()
