"""The answer shapes: a registry of small functions from image bytes to a response body.

``azureml``  Azure ML Studio (classic) request-response table (the default)
``swagger``  Azure ML's swagger answer, a list of records
``pandas``   a pandas DataFrame with one column ``image``, as JSON ``orient="split"``
``record``   ``{"image": "data:..."}``
``image``    the raw image bytes
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import msgspec

from ..formats import FORMATS
from .encoding import to_data_uri

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ANSWERS", "Answer", "build_answer", "image_frame"]

JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Answer:
    """A response body and its media type."""

    body: bytes
    mimetype: str


def image_frame(uri: str) -> pd.DataFrame:
    """The original recipe's output dataset: a one-row DataFrame with the column ``image``."""
    import pandas as pd  # imported on demand: most answers never need pandas

    return pd.DataFrame([uri], columns=["image"])


def _azureml(uri: str, details: bool) -> bytes:
    value: dict[str, object] = {"Values": [[uri]]}
    if details:
        value = {"ColumnNames": ["image"], "ColumnTypes": ["String"], **value}
    return msgspec.json.encode({"Results": {"output1": {"type": "table", "value": value}}})


def _swagger(uri: str, details: bool) -> bytes:
    return msgspec.json.encode({"Results": {"output1": [{"image": uri}]}})


def _pandas(uri: str, details: bool) -> bytes:
    return image_frame(uri).to_json(orient="split").encode()


def _record(uri: str, details: bool) -> bytes:
    return msgspec.json.encode({"image": uri})


ANSWERS: Final[dict[str, Callable[[str, bool], bytes]]] = {
    "azureml": _azureml,
    "swagger": _swagger,
    "pandas": _pandas,
    "record": _record,
}


def build_answer(image: bytes, image_format: str, output: str, *, details: bool = True) -> Answer:
    """Wrap ``image`` in the answer shape named ``output``."""
    mimetype = FORMATS[image_format].mimetype
    if output == "image":
        return Answer(image, mimetype)
    return Answer(ANSWERS[output](to_data_uri(image, mimetype), details), JSON)
