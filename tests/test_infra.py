"""The Bicep template and its parameter file agree with each other and with the app's settings."""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

import pytest

from shared import Settings
from shared.settings import ENV_PREFIX

INFRA = Path(__file__).resolve().parent.parent / "infra"
TEMPLATE = (INFRA / "main.bicep").read_text(encoding="utf-8")
SETTING_NAMES = re.findall(r"^\s*name: '([A-Za-z_]+)'\s*$", TEMPLATE, flags=re.MULTILINE)
PARAMS = dict(re.findall(r"^param (\w+) (\w+)", TEMPLATE, flags=re.MULTILINE))

# App settings the Flex Consumption plan rejects or ignores (Functions app settings reference,
# "Flex Consumption plan deprecations").
FLEX_DEPRECATED = [
    "FUNCTIONS_EXTENSION_VERSION",
    "FUNCTIONS_WORKER_RUNTIME",
    "FUNCTIONS_WORKER_RUNTIME_VERSION",
    "FUNCTIONS_MAX_HTTP_CONCURRENCY",
    "FUNCTIONS_WORKER_PROCESS_COUNT",
    "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED",
    "SCM_DO_BUILD_DURING_DEPLOYMENT",
    "ENABLE_ORYX_BUILD",
    "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
    "WEBSITE_CONTENTSHARE",
    "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT",
    "WEBSITE_RUN_FROM_PACKAGE",
]


def test_every_limit_the_app_reads_is_set() -> None:
    wanted = {ENV_PREFIX + item.name.upper() for item in fields(Settings)}
    assert wanted <= set(SETTING_NAMES)
    assert {"MPLCONFIGDIR", "PYTHON_THREADPOOL_THREAD_COUNT"} <= set(SETTING_NAMES)


def test_limit_defaults_match_the_app() -> None:
    defaults = Settings()
    for item in fields(Settings):
        param = re.sub(r"_(\w)", lambda m: m.group(1).upper(), item.name)
        match = re.search(rf"^param {param} (int|bool) = (\w+)$", TEMPLATE, flags=re.MULTILINE)
        assert match, f"no parameter {param} for {item.name}"
        kind, default = match.groups()
        value = int(default) if kind == "int" else default == "true"
        assert value == getattr(defaults, item.name)


@pytest.mark.parametrize("name", FLEX_DEPRECATED)
def test_no_setting_flex_consumption_deprecates(name: str) -> None:
    assert name not in SETTING_NAMES


def test_parameter_file_names_only_template_parameters() -> None:
    document = json.loads((INFRA / "main.parameters.json").read_text(encoding="utf-8"))
    given = document["parameters"]
    assert set(given) <= set(PARAMS)
    for name, entry in given.items():
        expected = {"int": int, "string": str, "bool": bool, "object": dict, "array": list}[
            PARAMS[name]
        ]
        assert isinstance(entry["value"], expected), name


def test_python_runtime_and_safety_settings() -> None:
    assert re.search(r"name: 'python'\s+version: '3.11'", TEMPLATE)
    for line in (
        "httpsOnly: true",
        "minTlsVersion: '1.2'",
        "minimumTlsVersion: 'TLS1_2'",
        "allowBlobPublicAccess: false",
        "allowSharedKeyAccess: false",
        "type: 'UserAssignedIdentity'",
    ):
        assert line in TEMPLATE
    assert TEMPLATE.count("allow: false") == 2  # FTP and SCM basic-auth publishing
