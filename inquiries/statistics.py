"""Figures the freedom-of-information laws ask public bodies to report.

A period's figures describe the requests *received* in it (by the local date of
``received_at``) and what has become of them since: answered on time or late,
refused (by ground), forwarded, still open. So every request is counted once,
in the period it arrived, and the outcomes add up to the requests received.

Every figure comes from aggregate queries: one for the counts, one for the
refusal grounds (and one for their names), one for the median answer time.
"""

import calendar
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from contacts.exporting import neutralise
from inquiries.models import Kind, RefusalGround, Request
from prapp.selectors import local_midnight

Status = Request.Status
ANSWERED = (Status.ANSWERED, Status.PARTLY_ANSWERED)

# The periods the statistics page offers.
MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
PERIOD_CHOICES = [
    (MONTH, pgettext_lazy("period", "Month")),
    (QUARTER, pgettext_lazy("period", "Quarter")),
    (YEAR, pgettext_lazy("period", "Year")),
    (CUSTOM, pgettext_lazy("period", "Other dates")),
]


class Median(Aggregate):
    """PostgreSQL's continuous median of an expression."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    allow_distinct = False


# --- Periods ---------------------------------------------------------------------


def month_period(year: int, month: int) -> tuple[date, date]:
    last = calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last)


def quarter_period(year: int, quarter: int) -> tuple[date, date]:
    first_month = 3 * (quarter - 1) + 1
    return date(year, first_month, 1), month_period(year, first_month + 2)[1]


def year_period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _whole_months(start: date, end: date) -> int:
    """How many calendar months start…end spans exactly; 0 if it is not whole."""
    if start.day != 1 or (end + timedelta(days=1)).day != 1 or end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just before start…end.

    Whole calendar months compare with as many months before them (March with
    February, a quarter with the quarter before, a year with the year before);
    any other span with the same number of days just before it.
    """
    months = _whole_months(start, end)
    if months:
        return _shift_months(start, -months), start - timedelta(days=1)
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)


def next_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length just after start…end (see previous_period)."""
    months = _whole_months(start, end)
    if months:
        after = _shift_months(start, months)
        return after, _shift_months(after, months) - timedelta(days=1)
    days = (end - start).days + 1
    return end + timedelta(days=1), end + timedelta(days=days)


def period_choice(start: date, end: date) -> dict:
    """start…end as the period chooser names it: a month, quarter, year or dates."""
    months = _whole_months(start, end)
    if months == 1:
        return {"period": MONTH, "year": start.year, "month": start.month}
    if months == 3 and start.month % 3 == 1:
        return {"period": QUARTER, "year": start.year, "quarter": start.month // 3 + 1}
    if months == 12 and start.month == 1:
        return {"period": YEAR, "year": start.year}
    return {"period": CUSTOM, "start": start.isoformat(), "end": end.isoformat()}


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The local days start…end as an aware half-open range of moments."""
    return local_midnight(start), local_midnight(end + timedelta(days=1))


def received_between(start: date, end: date) -> QuerySet:
    """The requests received on the local days start…end (both included)."""
    low, high = _bounds(start, end)
    return Request.objects.filter(received_at__gte=low, received_at__lt=high)


# --- Figures ---------------------------------------------------------------------


def _median_days(answered: QuerySet, count: int) -> float | None:
    """Median time from receipt to answer, in days (one decimal), or None."""
    if not count:
        return None
    elapsed = ExpressionWrapper(
        F("answered_at") - F("received_at"), output_field=DurationField()
    )
    if connection.vendor == "postgresql":
        value = answered.aggregate(
            median=Median(elapsed, output_field=DurationField())
        )["median"]
        values = [value]
    else:
        # Without percentile_cont: the one or two middle values, found by the
        # database's sort, not by reading every row.
        values = list(
            answered.annotate(elapsed=elapsed)
            .order_by("elapsed")
            .values_list("elapsed", flat=True)[(count - 1) // 2 : count // 2 + 1]
        )
    seconds = sum(value.total_seconds() for value in values) / len(values)
    return round(seconds / 86400, 1)


def statistics(*, start: date, end: date) -> dict:
    """The requests received on start…end (local days) and what became of them.

    Returns counts: ``received``, ``by_kind`` and ``by_channel`` ({value: n},
    every choice present), ``answered`` (answered or partly answered),
    ``partly_answered``, ``on_time`` and ``late`` (the local date of the answer
    against the (extended) deadline), ``refused`` and ``by_ground`` ({ground id
    or None: n}), ``grounds`` ({id: RefusalGround}), ``forwarded``, ``open`` and
    ``overdue`` (open past its deadline today), and ``median_days`` (answered
    requests, days from receipt to answer to one decimal; None when none was
    answered).
    """
    requests = received_between(start, end).alias(answered_on=TruncDate("answered_at"))
    answered = Q(status__in=ANSWERED, answered_at__isnull=False)
    is_open = Q(status__in=Request.OPEN_STATUSES)
    counts = requests.aggregate(
        received=Count("pk"),
        **{f"kind:{value}": Count("pk", filter=Q(kind=value)) for value in Kind.values},
        **{
            f"channel:{value}": Count("pk", filter=Q(channel=value))
            for value in Request.Channel.values
        },
        answered=Count("pk", filter=Q(status__in=ANSWERED)),
        partly_answered=Count("pk", filter=Q(status=Status.PARTLY_ANSWERED)),
        answered_dated=Count("pk", filter=answered),
        on_time=Count("pk", filter=answered & Q(answered_on__lte=F("due_on"))),
        late=Count("pk", filter=answered & Q(answered_on__gt=F("due_on"))),
        refused=Count("pk", filter=Q(status=Status.REFUSED)),
        forwarded=Count("pk", filter=Q(status=Status.FORWARDED)),
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=is_open & Q(due_on__lt=timezone.localdate())),
    )
    by_ground: dict[int | None, int] = {}
    grounds: dict[int, RefusalGround] = {}
    if counts["refused"]:
        by_ground = dict(
            requests.filter(status=Status.REFUSED)
            .values_list("refusal_ground")
            .annotate(n=Count("pk"))
            .order_by()
        )
        grounds = RefusalGround.objects.in_bulk([pk for pk in by_ground if pk])
    answered_dated = counts.pop("answered_dated")
    figures = {key: value for key, value in counts.items() if ":" not in key} | {
        "start": start,
        "end": end,
        "by_kind": {value: counts[f"kind:{value}"] for value in Kind.values},
        "by_channel": {
            value: counts[f"channel:{value}"] for value in Request.Channel.values
        },
        "by_ground": by_ground,
        "grounds": grounds,
        "median_days": _median_days(requests.filter(answered), answered_dated),
    }
    return figures


def dashboard_counts(*, user) -> dict:
    """The desk at a glance, in one query: open requests nobody is assigned to,
    due today, past their deadline, and those assigned to ``user`` (and
    ``today``, the local date they were counted on)."""
    today = timezone.localdate()
    counts = Request.objects.filter(status__in=Request.OPEN_STATUSES).aggregate(
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        due_today=Count("pk", filter=Q(due_on=today)),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        mine=Count("pk", filter=Q(assignee_id=user.pk)),
    )
    return counts | {"today": today}


# --- The table both periods share ------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of the statistics table: a figure in this and the previous period."""

    key: str
    label: str
    current: int | float | None
    previous: int | float | None
    level: int = 0  # 1: a part of the line above it

    @property
    def change(self) -> int | float | None:
        if self.current is None or self.previous is None:
            return None
        change = self.current - self.previous
        return round(change, 1) if isinstance(change, float) else change


def _ground_label(pk, grounds: dict) -> str:
    if pk is None:
        return _("ground not recorded")
    return str(grounds[pk])


def rows(current: dict, previous: dict) -> list[Row]:
    """The figures of two periods side by side, labelled in the active language."""

    def row(key, label, level=0):
        return Row(key, str(label), current[key], previous[key], level)

    table = [row("received", _("Requests received"))]
    for value, label in Kind.choices:
        table.append(
            Row(
                f"kind:{value}",
                str(label),
                current["by_kind"][value],
                previous["by_kind"][value],
                1,
            )
        )
    table.append(Row("channels", _("Received by channel"), None, None))
    for value, label in Request.Channel.choices:
        table.append(
            Row(
                f"channel:{value}",
                str(label),
                current["by_channel"][value],
                previous["by_channel"][value],
                1,
            )
        )
    table += [
        row("answered", _("Answered (fully or partly)")),
        row("on_time", _("answered on time"), 1),
        row("late", _("answered late"), 1),
        row("partly_answered", _("answered in part"), 1),
        row("refused", _("Refused")),
    ]
    grounds = previous["grounds"] | current["grounds"]
    keys = sorted(
        set(current["by_ground"]) | set(previous["by_ground"]),
        key=lambda pk: (pk is None, _ground_label(pk, grounds)),
    )
    for pk in keys:
        table.append(
            Row(
                f"ground:{pk or 0}",
                _ground_label(pk, grounds),
                current["by_ground"].get(pk, 0),
                previous["by_ground"].get(pk, 0),
                1,
            )
        )
    table += [
        row("forwarded", _("Forwarded to the competent body")),
        row("open", _("Still open")),
        row("overdue", _("past the deadline"), 1),
        row("median_days", _("Median time to answer (days)")),
    ]
    return table


def statistics_compare(*, start: date, end: date) -> dict:
    """The figures of start…end, of the period before it, and their table."""
    before = previous_period(start, end)
    current = statistics(start=start, end=end)
    previous = statistics(start=before[0], end=before[1])
    return {
        "current": current,
        "previous": previous,
        "rows": rows(current, previous),
    }


# --- Labels and exports ----------------------------------------------------------


def period_query(start: date, end: date) -> str:
    """The address query that chooses this period in the period chooser."""
    return urlencode(period_choice(start, end))


def period_label(start: date, end: date) -> str:
    """A month, quarter or year by its name; any other span by its dates."""
    choice = period_choice(start, end)
    if choice["period"] == MONTH:
        return date_format(start, "F Y")
    if choice["period"] == QUARTER:
        # Translators: a quarter of a year, e.g. "Q1 2026".
        return _("Q%(quarter)d %(year)d") % choice
    if choice["period"] == YEAR:
        return str(start.year)
    if start == end:
        return date_format(start, "SHORT_DATE_FORMAT")
    return _("%(start)s – %(end)s") % {
        "start": date_format(start, "SHORT_DATE_FORMAT"),
        "end": date_format(end, "SHORT_DATE_FORMAT"),
    }


def table_headers(figures: dict) -> list[str]:
    """The column headers of the table and its exports, in the active language."""
    current, previous = figures["current"], figures["previous"]
    return [
        _("Figure"),
        period_label(current["start"], current["end"]),
        _("previous: %(period)s")
        % {"period": period_label(previous["start"], previous["end"])},
        _("Change"),
    ]


def _export_values(row: Row) -> list:
    label = neutralise(row.label)
    return [
        ("  " + label) if row.level else label,
        row.current,
        row.previous,
        row.change,
    ]


class _Echo:
    def write(self, value):
        return value


def export_csv(figures: dict) -> str:
    """The table as CSV (UTF-8 with a byte-order mark, which Excel needs)."""
    writer = csv.writer(_Echo())
    lines = [writer.writerow(table_headers(figures))]
    lines += [writer.writerow(_export_values(row)) for row in figures["rows"]]
    return "\ufeff" + "".join(lines)


def export_xlsx(figures: dict, *, title: str) -> bytes:
    """The table as an XLSX workbook: numbers as numbers, parts indented."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(table_headers(figures))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in figures["rows"]:
        sheet.append([None, row.current, row.previous, row.change])
        # A label is text, never a formula, even when an editor typed one.
        label = sheet.cell(row=sheet.max_row, column=1)
        label.value = ILLEGAL_CHARACTERS_RE.sub("", row.label)
        label.data_type = "s"
        label.quotePrefix = neutralise(row.label) != row.label
        if row.level:
            label.alignment = Alignment(indent=1)
        else:
            label.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48
    for column in "BCD":
        sheet.column_dimensions[column].width = 22
    sheet.freeze_panes = "B2"
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
