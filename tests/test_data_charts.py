"""Charts drawn from the client's columns against the same chart drawn the obvious way.

Each test parses a request as a client would send it, draws it with ``render`` (fast path as
the app's setting says: ``./scripts/check`` runs this file with it on and again off), and
compares every pixel with a plain matplotlib ``Figure`` built in the test the way a
matplotlib user would write it. The tolerance is zero.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import matplotlib.dates as mdates
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from shared import ChartSpec, Settings, get_settings, parse_request, render
from tests.conftest import decode_png

Build = Callable[[Figure, Axes], None]

CITIES = ["Oslo", "Rome", "Lima"]


def draw(spec: ChartSpec) -> bytes:
    return render(spec, fast_path=get_settings().fast_path)


def parse(
    params: dict[str, str], body: str | dict[str, Any] = "", content_type: str = "text/csv"
) -> ChartSpec:
    if isinstance(body, dict):
        body, content_type = json.dumps(body), "application/json"
    headers = {"content-type": content_type} if body else {}
    request = parse_request(params=params, headers=headers, body=body.encode(), settings=Settings())
    return request.spec


def obvious(build: Build, *, width: int = 640, height: int = 480) -> np.ndarray[Any, Any]:
    """The pixels of a new ``Figure`` that ``build`` draws on, saved as PNG by matplotlib."""
    figure = Figure(figsize=(width / 100, height / 100), dpi=100)
    axes = figure.subplots()
    build(figure, axes)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return decode_png(buffer.getvalue())


def assert_same(spec: ChartSpec, expected: np.ndarray[Any, Any]) -> None:
    for _ in range(2):  # the second draw reuses whatever the first one prepared
        actual = decode_png(draw(spec))
        assert actual.shape == expected.shape
        differing = int((actual != expected).any(axis=2).sum())
        assert differing == 0, f"{differing} pixels differ (tolerance is zero)"


def table(rows: int = 60, seed: int = 1) -> dict[str, list[Any]]:
    """A weather table: dates, numbers, a city per row, error sizes."""
    rng = np.random.default_rng(seed)
    start = np.datetime64("2024-01-05T00:00")
    days = start + rng.integers(0, 90 * 24 * 60, rows).astype("timedelta64[m]")
    return {
        "day": [str(day) for day in days],
        "temp": np.round(rng.normal(10, 5, rows), 1).tolist(),
        "rain": np.round(rng.uniform(0, 10, rows), 2).tolist(),
        "wind": np.round(rng.uniform(0, 30, rows), 1).tolist(),
        "city": [CITIES[i] for i in rng.integers(0, 3, rows)],
        "err": np.round(rng.uniform(0, 1, rows), 2).tolist(),
    }


def csv_of(columns: dict[str, list[Any]]) -> str:
    names = list(columns)
    lines = [",".join(names)]
    lines += [",".join(str(value) for value in row) for row in zip(*columns.values(), strict=True)]
    return "\n".join(lines) + "\n"


def test_groups_are_one_scatter_each_with_a_legend_titled_by_the_column() -> None:
    data = table()
    spec = parse({"x_column": "temp", "y_column": "rain", "group": "city"}, csv_of(data))

    def build(figure: Figure, axes: Axes) -> None:
        for city in dict.fromkeys(data["city"]):  # in order of first appearance
            rows = [i for i, c in enumerate(data["city"]) if c == city]
            axes.scatter(
                [data["temp"][i] for i in rows], [data["rain"][i] for i in rows], label=city
            )
        axes.set_xlabel("temp")
        axes.set_ylabel("rain")
        axes.legend(title="city")

    assert [s.label for s in spec.series] == list(dict.fromkeys(data["city"]))
    assert_same(spec, obvious(build))


def test_several_y_columns_are_one_series_each() -> None:
    data = table(seed=2)
    body = {key: data[key] for key in ("temp", "rain", "wind")}
    spec = parse({"x_column": "temp", "y_column": "rain,wind"}, body)
    listed = parse({}, {**body, "x_column": "temp", "y_column": ["rain", "wind"]})
    assert np.array_equal(spec.y, listed.y) and spec.style_key() == listed.style_key()

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(data["temp"], data["rain"], label="rain")
        axes.scatter(data["temp"], data["wind"], label="wind")
        axes.set_xlabel("temp")
        axes.legend()

    assert_same(spec, obvious(build))


def test_a_numeric_colour_column_draws_through_a_colormap_with_a_colorbar() -> None:
    data = table(seed=3)
    spec = parse(
        {"x_column": "temp", "y_column": "rain", "color_column": "wind", "cmap": "plasma"},
        csv_of(data),
    )

    def build(figure: Figure, axes: Axes) -> None:
        points = axes.scatter(data["temp"], data["rain"], c=data["wind"], cmap="plasma")
        axes.set_xlabel("temp")
        axes.set_ylabel("rain")
        figure.colorbar(points, ax=axes, label="wind")

    assert_same(spec, obvious(build))


def test_colour_scale_limits() -> None:
    data = table(seed=4)
    query = {"x_column": "temp", "y_column": "rain", "color_column": "wind"}
    spec = parse({**query, "vmin": "5", "vmax": "20"}, csv_of(data))

    def build(figure: Figure, axes: Axes) -> None:
        points = axes.scatter(data["temp"], data["rain"], c=data["wind"], vmin=5, vmax=20)
        axes.set_xlabel("temp")
        axes.set_ylabel("rain")
        figure.colorbar(points, ax=axes, label="wind")

    assert_same(spec, obvious(build))


def test_a_text_colour_column_draws_groups() -> None:
    data = table(seed=5)
    by_colour = parse(
        {"x_column": "temp", "y_column": "rain", "color_column": "city"}, csv_of(data)
    )
    by_group = parse({"x_column": "temp", "y_column": "rain", "group": "city"}, csv_of(data))
    assert by_colour.style_key() == by_group.style_key()
    assert by_colour.digest() == by_group.digest()


def test_a_size_column_scales_marker_areas_and_draws_a_size_legend() -> None:
    data = table(seed=6)
    spec = parse(
        {"x_column": "temp", "y_column": "rain", "size_column": "wind", "size_range": "20,300"},
        csv_of(data),
    )
    wind = np.array(data["wind"])
    low, high = wind.min(), wind.max()
    areas = 20 + (wind - low) / (high - low) * 280

    def build(figure: Figure, axes: Axes) -> None:
        points = axes.scatter(data["temp"], data["rain"], s=areas)
        axes.set_xlabel("temp")
        axes.set_ylabel("rain")

        def value_of(area: Any) -> Any:
            return low + (area - 20) * (high - low) / 280

        handles, labels = points.legend_elements(prop="sizes", num=4, func=value_of)
        axes.legend(handles, labels, title="wind")

    assert_same(spec, obvious(build))


def test_groups_with_sizes_share_one_size_legend() -> None:
    data = table(seed=7)
    spec = parse(
        {"x_column": "temp", "y_column": "rain", "group": "city", "size_column": "wind"},
        csv_of(data),
    )
    assert spec.size_values is not None and len(spec.series) == 3
    areas = spec.marker_areas()
    assert areas is not None
    assert areas.min() == pytest.approx(16) and areas.max() == pytest.approx(400)
    image = decode_png(draw(spec))
    assert image.shape == (480, 640, 4)


def test_error_bars_are_drawn_under_the_markers() -> None:
    data = table(seed=8)
    spec = parse(
        {"x_column": "temp", "y_column": "rain", "yerr_column": "err", "xerr_column": "err"},
        csv_of(data),
    )

    def build(figure: Figure, axes: Axes) -> None:
        axes.errorbar(
            data["temp"], data["rain"], xerr=data["err"], yerr=data["err"], fmt="none",
            ecolor="C0", zorder=1,
        )  # fmt: skip
        axes.scatter(data["temp"], data["rain"])
        axes.set_xlabel("temp")
        axes.set_ylabel("rain")

    assert_same(spec, obvious(build))


@pytest.mark.parametrize("zone", ["", "Z", "+01:00"])
def test_dates_get_a_date_axis_with_concise_labels(zone: str) -> None:
    data = table(seed=9)
    days = [day + zone for day in data["day"]]
    spec = parse({"x_column": "day", "y_column": "rain"}, csv_of({**data, "day": days}))
    moments = np.array(data["day"], dtype="datetime64[s]")
    if zone == "+01:00":
        moments = moments - np.timedelta64(1, "h")

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(moments, data["rain"])
        locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
        axes.xaxis.set_major_locator(locator)
        axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        axes.set_xlabel("day")
        axes.set_ylabel("rain")

    assert spec.xtype.kind == "date"
    assert_same(spec, obvious(build))


def test_dates_on_y_and_date_limits() -> None:
    spec = parse(
        {"ymin": "2024-01-01", "ymax": "2024-03-01T12:00:00Z"},
        {"x": [1, 2, 3], "y": ["2024-01-10", "2024-02-01", "2024-02-20"]},
    )

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(
            [1, 2, 3], np.array(["2024-01-10", "2024-02-01", "2024-02-20"], "datetime64[D]")
        )
        locator = mdates.AutoDateLocator()  # type: ignore[no-untyped-call]
        axes.yaxis.set_major_locator(locator)
        axes.yaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
        axes.set_xlabel(" x ")
        axes.set_ylabel(" y ")
        limits: Any = (np.datetime64("2024-01-01"), np.datetime64("2024-03-01T12:00"))
        axes.set_ylim(*limits)

    assert_same(spec, obvious(build))


def test_text_gets_a_category_axis_in_order_of_first_appearance() -> None:
    data = table(seed=10)
    spec = parse({"x_column": "city", "y_column": "rain"}, csv_of(data))
    assert spec.xtype.categories == tuple(dict.fromkeys(data["city"]))

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(data["city"], data["rain"])
        axes.set_xlabel("city")
        axes.set_ylabel("rain")

    assert_same(spec, obvious(build))


def test_category_labels_are_drawn_as_written() -> None:
    spec = parse({}, {"x": ["$5", "$10 to $20", "a_b"], "y": [1, 2, 3]})

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(["\\$5", "\\$10 to \\$20", "a_b"], [1, 2, 3])
        axes.set_xlabel(" x ")
        axes.set_ylabel(" y ")

    assert_same(spec, obvious(build))


def test_x_type_category_draws_numbers_as_categories() -> None:
    spec = parse({"x_type": "category"}, {"x": [2019, 2021, 2020, 2019], "y": [1, 2, 3, 4]})
    assert spec.xtype.categories == ("2019", "2021", "2020")

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter(["2019", "2021", "2020", "2019"], [1, 2, 3, 4])
        axes.set_xlabel(" x ")
        axes.set_ylabel(" y ")

    assert_same(spec, obvious(build))


def test_default_labels_are_the_column_names() -> None:
    spec = parse({}, "day,rain\n1,2\n3,4\n")

    def build(figure: Figure, axes: Axes) -> None:
        axes.scatter([1, 3], [2, 4])
        axes.set_xlabel("day")
        axes.set_ylabel("rain")

    assert (spec.xlabel, spec.ylabel) == ("day", "rain")
    assert_same(spec, obvious(build))
    named_x_y = parse({}, "x,y\n1,2\n3,4\n")
    assert (named_x_y.xlabel, named_x_y.ylabel) == (" x ", " y ")
    given = parse({"xlabel": "Day", "ylabel": "mm"}, "day,rain\n1,2\n")
    assert (given.xlabel, given.ylabel) == ("Day", "mm")


def test_a_grouped_chart_with_fixed_limits_a_grid_and_a_title() -> None:
    data = table(seed=11)
    query = {"x_column": "temp", "y_column": "rain", "group": "city", "grid": "true"}
    limits = {"xmin": "-10", "xmax": "30", "ymin": "-1", "ymax": "11", "title": "Rain"}
    spec = parse({**query, **limits}, csv_of(data))

    def build(figure: Figure, axes: Axes) -> None:
        for city in dict.fromkeys(data["city"]):
            rows = [i for i, c in enumerate(data["city"]) if c == city]
            axes.scatter(
                [data["temp"][i] for i in rows], [data["rain"][i] for i in rows], label=city
            )
        axes.set_xlabel("temp")
        axes.set_ylabel("rain")
        axes.set_title("Rain")
        axes.set_xlim(-10, 30)
        axes.set_ylim(-1, 11)
        axes.grid(True)
        axes.legend(title="city")

    assert_same(spec, obvious(build))
