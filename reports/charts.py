"""Server-rendered, accessible SVG charts: no JavaScript, nothing inline for the CSP.

Every chart is an ``<svg role="img">`` labelled by its ``<title>`` and ``<desc>``;
colours, sizes and fonts are presentation attributes (so the PDF renders them
without a stylesheet) that static/reports/reports.css may refine. Templates
always pair a chart with a data table: the SVG is a picture of that table.
"""

import math
import uuid
from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Distinguishable for the common colour-vision deficiencies (after Okabe & Ito)
# and each at least 3:1 against white, as WCAG asks of graphical objects.
PALETTE = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#6A1B9A",  # purple
    "#8D6E00",  # dark yellow
    "#5D4037",  # brown
    "#757575",  # grey
)
# Sentiment keeps the same colour on every chart: good, indifferent, bad.
SENTIMENT_COLORS = {
    "positive": "#009E73",
    "neutral": "#757575",
    "negative": "#D55E00",
}
UNRATED_COLOR = "#0072B2"
# A line keeps its dash pattern too, so series differ by more than colour.
DASHES = ("", "6 3", "2 3", "8 3 2 3")

FONT = "system-ui, -apple-system, 'Segoe UI', 'Noto Sans', 'Noto Sans Georgian', 'Noto Sans Armenian', sans-serif"  # noqa: E501
FONT_SIZE = 11
CHAR_WIDTH = 7  # a generous average for Latin, Mkhedruli and Armenian at 11px
LEGEND_HEIGHT = 22
LINE_HEIGHT = 13
MAX_LABEL_LINES = 3


def bar_chart(
    *,
    title: str,
    categories: list[str],
    series: list[tuple[str, list[float]]],
    stacked: bool = False,
    unit: str = "",
    width: int = 640,
    height: int = 240,
    colors: Sequence[str] | None = None,
) -> SafeString:
    """A vertical bar chart: one group of bars (or one stack) per category."""
    categories = [str(category) for category in categories]
    series = _checked(series, len(categories))
    colors = list(colors or PALETTE)
    if stacked:
        top = max(
            [sum(max(v, 0) for v in column) for column in _columns(series)],
            default=0,
        )
        bottom = min(
            [sum(min(v, 0) for v in column) for column in _columns(series)],
            default=0,
        )
    else:
        top = max([max(values, default=0) for _name, values in series], default=0)
        bottom = min([min(values, default=0) for _name, values in series], default=0)
    axis = _Axis(low=min(bottom, 0), high=max(top, 0))
    frame = _Frame(width, height, axis, categories, unit)
    chart_id = _new_id()
    parts = _opening(
        chart_id,
        kind="bar",
        title=title,
        desc=_bar_description(categories, series, unit, stacked),
        width=width,
        height=height,
    )
    parts += _legend(series, colors, width, shape="rect")
    parts += _grid(frame)
    band = frame.band
    bar_span = band * 0.7
    bar_width = bar_span if stacked or not series else bar_span / len(series)
    for index, category in enumerate(categories):
        left = frame.left + index * band + (band - bar_span) / 2
        parts.append(f'<g class="chart-bar-group" data-category="{escape(category)}">')
        above = below = 0.0
        for position, (name, values) in enumerate(series):
            value = values[index]
            if stacked:
                x = left
                if value >= 0:
                    start, above = above, above + value
                    end = above
                else:
                    start, below = below, below + value
                    end = below
            else:
                x = left + position * bar_width
                start, end = 0.0, value
            y_top = frame.y(max(start, end))
            y_bottom = frame.y(min(start, end))
            label = _("%(category)s — %(series)s: %(value)s") % {
                "category": category,
                "series": name,
                "value": _with_unit(value, unit),
            }
            parts.append(
                f'<rect class="chart-bar chart-series-{position}" '
                f'x="{_n(x)}" y="{_n(y_top)}" width="{_n(max(bar_width - 1, 1))}" '
                f'height="{_n(y_bottom - y_top)}" '
                f'fill="{colors[position % len(colors)]}" stroke="#ffffff" '
                f'stroke-width="0.5" data-value="{_n(value)}">'
                f"<title>{escape(label)}</title></rect>"
            )
        parts.append("</g>")
    parts += _category_labels(frame)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped above)


def line_chart(
    *,
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float]]],
    unit: str = "",
    width: int = 640,
    height: int = 240,
    colors: Sequence[str] | None = None,
) -> SafeString:
    """A line chart: one polyline per series, a marker at each label."""
    labels = [str(label) for label in labels]
    series = _checked(series, len(labels))
    colors = list(colors or PALETTE)
    top = max([max(values, default=0) for _name, values in series], default=0)
    bottom = min([min(values, default=0) for _name, values in series], default=0)
    axis = _Axis(low=min(bottom, 0), high=max(top, 0))
    frame = _Frame(width, height, axis, labels, unit)
    chart_id = _new_id()
    parts = _opening(
        chart_id,
        kind="line",
        title=title,
        desc=_line_description(labels, series, unit),
        width=width,
        height=height,
    )
    parts += _legend(series, colors, width, shape="line")
    parts += _grid(frame)
    for position, (name, values) in enumerate(series):
        color = colors[position % len(colors)]
        dash = DASHES[position % len(DASHES)]
        points = [
            (frame.left + (index + 0.5) * frame.band, frame.y(value))
            for index, value in enumerate(values)
        ]
        parts.append(
            f'<g class="chart-line chart-series-{position}" '
            f'data-series="{escape(name)}">'
        )
        if len(points) > 1:
            dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                '<polyline fill="none" stroke-width="2" '
                f'stroke="{color}"{dash_attribute} points="'
                + " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
                + '"/>'
            )
        for (x, y), label, value in zip(points, labels, values, strict=True):
            text = _("%(category)s — %(series)s: %(value)s") % {
                "category": label,
                "series": name,
                "value": _with_unit(value, unit),
            }
            parts.append(
                f'<circle class="chart-point" cx="{_n(x)}" cy="{_n(y)}" r="3" '
                f'fill="{color}" data-value="{_n(value)}">'
                f"<title>{escape(text)}</title></circle>"
            )
        parts.append("</g>")
    parts += _category_labels(frame)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped above)


# Layout ----------------------------------------------------------------------


class _Axis:
    """A value axis from ``low`` to ``high`` rounded out to readable ticks."""

    def __init__(self, *, low: float, high: float, ticks: int = 4):
        if high == low:
            high = low + 1
        step = _nice_step((high - low) / ticks)
        self.low = math.floor(low / step) * step
        self.high = math.ceil(high / step) * step
        self.step = step

    def ticks(self) -> list[float]:
        count = round((self.high - self.low) / self.step)
        return [self.low + index * self.step for index in range(count + 1)]


class _Frame:
    """Where the plot sits inside the picture, and how values map onto it."""

    def __init__(self, width, height, axis, categories, unit):
        self.axis = axis
        self.categories = categories
        tick_width = max(len(_with_unit(tick, unit)) for tick in axis.ticks())
        self.left = 8 + tick_width * CHAR_WIDTH * 0.8
        self.right = width - 8
        self.band = (self.right - self.left) / max(len(categories), 1)
        self.lines, self.step = _label_layout(categories, self.band)
        label_lines = max((len(lines) for lines in self.lines), default=1)
        self.top = LEGEND_HEIGHT + 6
        self.bottom = height - 8 - label_lines * LINE_HEIGHT
        self.unit = unit

    def y(self, value: float) -> float:
        span = self.axis.high - self.axis.low
        return self.bottom - (value - self.axis.low) / span * (self.bottom - self.top)


def _label_layout(categories, band):
    """Wrap labels at spaces to fit their band; if they still do not, show every
    n-th one (the data table and each bar's title carry them all)."""
    per_line = max(int(band // CHAR_WIDTH), 1)
    lines = [_wrap(category, per_line) for category in categories]
    widest = max((len(line) for wrapped in lines for line in wrapped), default=0)
    step = max(math.ceil(widest * CHAR_WIDTH / band), 1) if band else 1
    return lines, step


def _wrap(text, per_line):
    words, lines = text.split(), []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > MAX_LABEL_LINES:
        lines = [*lines[: MAX_LABEL_LINES - 1], " ".join(lines[MAX_LABEL_LINES - 1 :])]
    return lines or [""]


# Pieces of the picture ---------------------------------------------------------


def _opening(chart_id, *, kind, title, desc, width, height):
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
        f'id="{chart_id}" role="img" aria-labelledby="{chart_id}-title '
        f'{chart_id}-desc" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-family="{escape(FONT)}" font-size="{FONT_SIZE}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _legend(series, colors, width, *, shape):
    parts, x = ['<g class="chart-legend">'], 8.0
    for position, (name, _values) in enumerate(series):
        color = colors[position % len(colors)]
        if shape == "rect":
            parts.append(
                f'<rect x="{_n(x)}" y="5" width="12" height="12" fill="{color}"/>'
            )
        else:
            dash = DASHES[position % len(DASHES)]
            dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{_n(x)}" y1="11" x2="{_n(x + 16)}" y2="11" '
                f'stroke="{color}" stroke-width="2"{dash_attribute}/>'
            )
        x += 20
        parts.append(
            f'<text class="chart-legend-label" x="{_n(x)}" y="15" '
            f'fill="#212529">{escape(name)}</text>'
        )
        x += len(name) * CHAR_WIDTH + 16
    parts.append("</g>")
    return parts


def _grid(frame):
    parts = ['<g class="chart-axis" aria-hidden="true">']
    for tick in frame.axis.ticks():
        y = frame.y(tick)
        stroke = "#6c757d" if tick == 0 else "#dee2e6"
        parts.append(
            f'<line class="chart-grid" x1="{_n(frame.left)}" y1="{_n(y)}" '
            f'x2="{_n(frame.right)}" y2="{_n(y)}" stroke="{stroke}" '
            'stroke-width="1"/>'
        )
        parts.append(
            f'<text class="chart-tick" x="{_n(frame.left - 4)}" y="{_n(y + 4)}" '
            f'text-anchor="end" fill="#495057">'
            f"{escape(_with_unit(tick, frame.unit))}</text>"
        )
    parts.append("</g>")
    return parts


def _category_labels(frame):
    parts = ['<g class="chart-categories" aria-hidden="true">']
    for index, lines in enumerate(frame.lines):
        if index % frame.step:
            continue
        x = _n(frame.left + (index + 0.5) * frame.band)
        parts.append(
            f'<text class="chart-category" x="{x}" y="{_n(frame.bottom + 14)}" '
            'text-anchor="middle" fill="#495057">'
        )
        for number, line in enumerate(lines):
            dy = "0" if number == 0 else str(LINE_HEIGHT)
            parts.append(f'<tspan x="{x}" dy="{dy}">{escape(line)}</tspan>')
        parts.append("</text>")
    parts.append("</g>")
    return parts


# What a screen reader hears ----------------------------------------------------


def _bar_description(categories, series, unit, stacked):
    if not categories or not series:
        return _("No data.")
    return " ".join(
        [
            (
                _("Stacked bars for %(count)s categories, from %(first)s to %(last)s.")
                if stacked
                else _("Bars for %(count)s categories, from %(first)s to %(last)s.")
            )
            % {
                "count": len(categories),
                "first": categories[0],
                "last": categories[-1],
            },
            _totals(series, unit),
        ]
    )


def _line_description(labels, series, unit):
    if not labels or not series:
        return _("No data.")
    return " ".join(
        [
            _("Lines over %(count)s points, from %(first)s to %(last)s.")
            % {"count": len(labels), "first": labels[0], "last": labels[-1]},
            _totals(series, unit),
        ]
    )


def _totals(series, unit):
    totals = "; ".join(
        f"{name}: {_with_unit(sum(values), unit)}" for name, values in series
    )
    return _("Totals — %(totals)s.") % {"totals": totals}


# Small helpers ---------------------------------------------------------------


def _checked(series, length):
    checked = []
    for name, values in series:
        values = [float(value or 0) for value in values]
        if len(values) != length:
            raise ValueError(
                f"series {name!r} has {len(values)} values for {length} categories"
            )
        checked.append((str(name), values))
    return checked


def _columns(series):
    return zip(*(values for _name, values in series), strict=True)


def _nice_step(raw: float) -> float:
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            step = factor * magnitude
            break
    # Counts do not come in fractions: no tick at 0.5 messages.
    return max(step, 1) if raw >= 0.2 else step


def _with_unit(value: float, unit: str) -> str:
    text = _number(value)
    return f"{text} {unit}" if unit else text


def _number(value: float) -> str:
    rounded = round(value, 2)
    if rounded == int(rounded):
        return number_format(int(rounded), force_grouping=True)
    decimals = 1 if round(rounded, 1) == rounded else 2
    return number_format(rounded, decimal_pos=decimals, force_grouping=True)


def _n(value: float) -> str:
    """A coordinate, short and locale-free (SVG wants a dot, never a comma)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _new_id() -> str:
    # Two charts on one page must not share the ids their aria-labelledby names.
    return f"chart-{uuid.uuid4().hex[:8]}"
