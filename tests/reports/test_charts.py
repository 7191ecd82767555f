"""The server-rendered SVG charts: valid, labelled, drawn to scale, CSP-safe."""

from xml.etree import ElementTree

import pytest
from django.utils import translation

from reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 (our own output)


def _all(root, tag):
    return list(root.iter(f"{SVG}{tag}"))


def _groups(root):
    return [g for g in _all(root, "g") if g.get("class") == "chart-bar-group"]


def _bar_chart(**overrides):
    options = {
        "title": "Mentions per day",
        "categories": ["1 Mar", "2 Mar", "3 Mar"],
        "series": [("positive", [1, 0, 4]), ("negative", [2, 3, 0])],
    }
    return charts.bar_chart(**{**options, **overrides})


def test_a_bar_chart_is_an_image_named_by_its_title_and_description():
    root = _parse(_bar_chart())
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    (title,) = [e for e in _all(root, "title") if e.get("id") == title_id]
    (desc,) = [e for e in _all(root, "desc") if e.get("id") == desc_id]
    assert title.text == "Mentions per day"
    # The description says what a sighted reader sees: the span and the totals.
    assert "3" in desc.text and "1 Mar" in desc.text and "3 Mar" in desc.text
    assert "positive: 5" in desc.text and "negative: 5" in desc.text
    assert root.get("viewBox") == "0 0 640 240"


def test_one_bar_group_per_category_one_bar_per_series():
    root = _parse(_bar_chart())
    groups = _groups(root)
    assert [g.get("data-category") for g in groups] == ["1 Mar", "2 Mar", "3 Mar"]
    for group in groups:
        bars = _all(group, "rect")
        assert len(bars) == 2
        # Each bar names its category, series and value for a pointer's tooltip.
        assert all(bar.find(f"{SVG}title").text for bar in bars)
    third = _all(groups[2], "rect")
    assert third[0].find(f"{SVG}title").text == "3 Mar — positive: 4"


def test_bars_are_drawn_to_scale():
    root = _parse(_bar_chart())
    heights = {
        (g.get("data-category"), float(bar.get("data-value"))): float(bar.get("height"))
        for g in _groups(root)
        for bar in _all(g, "rect")
    }
    unit = heights[("3 Mar", 4.0)] / 4
    assert unit > 0
    assert heights[("1 Mar", 1.0)] == pytest.approx(unit, abs=0.15)
    assert heights[("2 Mar", 3.0)] == pytest.approx(3 * unit, abs=0.15)
    assert heights[("2 Mar", 0.0)] == 0


@pytest.mark.usefixtures("english")
def test_stacked_bars_sit_on_each_other():
    root = _parse(_bar_chart(stacked=True))
    for group in _groups(root):
        lower, upper = _all(group, "rect")
        assert lower.get("x") == upper.get("x")
        lower_top = float(lower.get("y"))
        upper_bottom = float(upper.get("y")) + float(upper.get("height"))
        assert upper_bottom == pytest.approx(lower_top, abs=0.15)
    desc = _all(root, "desc")[0].text
    assert "Stacked" in desc


def test_the_legend_names_every_series_in_its_colour():
    root = _parse(_bar_chart(colors=["#009E73", "#D55E00"]))
    legend = next(g for g in _all(root, "g") if g.get("class") == "chart-legend")
    assert [t.text for t in _all(legend, "text")] == ["positive", "negative"]
    assert [r.get("fill") for r in _all(legend, "rect")] == ["#009E73", "#D55E00"]
    first_group = _groups(root)[0]
    assert [r.get("fill") for r in _all(first_group, "rect")] == [
        "#009E73",
        "#D55E00",
    ]


def test_labels_are_escaped_and_nothing_is_inline_for_the_csp():
    svg = charts.bar_chart(
        title='<script>alert("x")</script>',
        categories=['<img src=x onerror="y">', "ბრიფინგი & შეხვედრა"],
        series=[("<b>bold</b>", [1, 2])],
    )
    root = _parse(svg)  # well-formed: nothing broke out of its element
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    assert _all(root, "title")[0].text == '<script>alert("x")</script>'
    assert [g.get("data-category") for g in _groups(root)][1] == "ბრიფინგი & შეხვედრა"
    for element in root.iter():
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
    assert not _all(root, "script") and not _all(root, "style")


def test_long_labels_wrap_and_crowded_labels_thin_out():
    root = _parse(
        charts.bar_chart(
            title="Events by type",
            categories=["Citizen reception days", "Press conferences", "Briefings"],
            series=[("This period", [3, 5, 1])],
        )
    )
    labels = [t for t in _all(root, "text") if t.get("class") == "chart-category"]
    spans = [s.text for s in _all(labels[0], "tspan")]
    assert " ".join(spans) == "Citizen reception days"

    days = [f"{n} Mar" for n in range(1, 31)]
    root = _parse(
        charts.bar_chart(title="Days", categories=days, series=[("n", [1] * 30)])
    )
    assert len(_groups(root)) == 30
    shown = [t for t in _all(root, "text") if t.get("class") == "chart-category"]
    assert 1 < len(shown) < 30  # every bar stays; only some labels are written


def test_ticks_carry_the_unit_and_the_locale_and_coordinates_do_not():
    with translation.override("ka"):
        svg = charts.bar_chart(
            title="Archive",
            categories=["photo", "video"],
            series=[("GB", [1.5, 12345.25])],
            unit="GB",
        )
    root = _parse(svg)
    ticks = [t.text for t in _all(root, "text") if t.get("class") == "chart-tick"]
    assert ticks[0] == "0 GB" and all(t.endswith(" GB") for t in ticks)
    for bar in _all(root, "rect"):
        for name in ("x", "y", "width", "height"):
            float(bar.get(name))  # a dot, never a decimal comma


def test_two_charts_on_a_page_do_not_share_ids():
    first, second = _parse(_bar_chart()), _parse(_bar_chart())
    assert first.get("id") != second.get("id")
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


@pytest.mark.usefixtures("english")
def test_no_data_still_draws_a_valid_labelled_chart():
    root = _parse(charts.bar_chart(title="Nothing", categories=[], series=[]))
    assert _all(root, "desc")[0].text == "No data."
    root = _parse(
        charts.bar_chart(title="Zeros", categories=["a", "b"], series=[("n", [0, 0])])
    )
    bars = [r for r in _all(root, "rect") if "chart-bar" in r.get("class", "")]
    assert len(bars) == 2 and all(float(r.get("height")) == 0 for r in bars)


def test_a_series_must_have_a_value_for_each_category():
    with pytest.raises(ValueError):
        charts.bar_chart(title="x", categories=["a", "b"], series=[("n", [1])])


def test_a_line_chart_draws_one_line_and_a_marker_per_label_per_series():
    svg = charts.line_chart(
        title="Archive growth",
        labels=["Jan", "Feb", "Mar"],
        series=[("photos", [1, 2, 3]), ("videos", [0, 5, 1])],
        unit="GB",
    )
    root = _parse(svg)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert {e.get("id") for e in _all(root, "title")} >= {title_id}
    assert [e.get("id") for e in _all(root, "desc")] == [desc_id]
    lines = _all(root, "polyline")
    assert len(lines) == 2
    assert [len(line.get("points").split()) for line in lines] == [3, 3]
    # Series differ by more than colour: the second is dashed.
    assert lines[0].get("stroke-dasharray") is None
    assert lines[1].get("stroke-dasharray")
    points = _all(root, "circle")
    assert len(points) == 6
    assert points[4].find(f"{SVG}title").text == "Feb — videos: 5 GB"
    # Higher values sit higher on the page.
    ys = [float(p.get("cy")) for p in points[:3]]
    assert ys[0] > ys[1] > ys[2]


def _contrast_with_white(colour: str) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    return 1.05 / (luminance + 0.05)


def test_every_colour_stands_out_against_white():
    colours = [
        *charts.PALETTE,
        *charts.SENTIMENT_COLORS.values(),
        charts.UNRATED_COLOR,
    ]
    for colour in colours:
        assert _contrast_with_white(colour) >= 3, colour
    assert len(set(charts.PALETTE)) == len(charts.PALETTE)


@pytest.fixture
def english():
    """The chart descriptions in English, whatever language the tests run in."""
    with translation.override("en"):
        yield
