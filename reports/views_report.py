"""The activity report page, its CSV and XLSX exports and its PDF."""

from datetime import date

from django.conf import settings
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from archive.models import Asset
from inquiries import statistics as periods
from inquiries.forms import PeriodForm
from inquiries.views_stats import CONTENT_TYPES
from media_monitoring.models import Item
from reports import charts
from reports.activity import activity_compare, gigabytes, last_full_month

PERMISSION = "reports.view_report"
# The year list of the period chooser; older periods are still one custom
# period away.
YEARS_OFFERED = 10
# Topics shown in the sentiment chart (the table below it lists them all).
CHART_TOPICS = 10
PREVIOUS_COLOR, CURRENT_COLOR = charts.PALETTE[7], charts.PALETTE[0]
UNRATED_COLOR = charts.PALETTE[4]


# --- Charts ----------------------------------------------------------------------


def _chart(key, title, categories, series, **options) -> dict:
    """A chart and the table of its values (the chart is a picture of it)."""
    return {
        "key": key,
        "title": title,
        "svg": charts.bar_chart(
            title=title, categories=categories, series=series, **options
        ),
        "headers": [_("Category"), *(name for name, _values in series)],
        "rows": [
            [category, *(values[index] for _name, values in series)]
            for index, category in enumerate(categories)
        ],
        "number_format": "2g" if options.get("unit") else "0g",
    }


def report_charts(figures: dict) -> dict[str, dict]:
    """The report's charts in the active language, by the section they go with:
    events by type, mentions by topic and sentiment, archive growth by kind,
    inquiries answered on time and late."""
    current, previous = figures["current"], figures["previous"]
    now = periods.period_label(current["start"], current["end"])
    before = periods.period_label(previous["start"], previous["end"])
    two_periods = {"colors": [PREVIOUS_COLOR, CURRENT_COLOR]}

    counts_before = {row["code"]: row["count"] for row in previous["events"]["by_type"]}
    types = [
        (str(row["type"]), counts_before.get(row["code"], 0), row["count"])
        for row in current["events"]["by_type"]
        if row["count"] or counts_before.get(row["code"])
    ]
    events = _chart(
        "events",
        _("Events by type"),
        [name for name, _before, _now in types],
        [
            (before, [count for _name, count, _now in types]),
            (now, [count for _name, _before, count in types]),
        ],
        **two_periods,
    )

    monitoring = current["monitoring"]
    sentiments = [*Item.Sentiment.choices, ("", _("sentiment not set"))]
    topics = list(monitoring["by_topic"].values())[:CHART_TOPICS]
    columns = [
        (_("All mentions"), monitoring["by_sentiment"]),
        *((topic["name"], topic["by_sentiment"]) for topic in topics),
    ]
    mentions = _chart(
        "topics",
        _("Mentions by topic and sentiment, %(period)s") % {"period": now},
        [name for name, _counts in columns],
        [
            (str(label), [counts[value] for _name, counts in columns])
            for value, label in sentiments
        ],
        stacked=True,
        colors=[
            *(charts.SENTIMENT_COLORS[value] for value in Item.Sentiment.values),
            UNRATED_COLOR,
        ],
    )

    kinds = Asset.Kind.choices

    def added(archive) -> list[float]:
        return [gigabytes(archive["by_kind"][kind]["bytes"]) for kind, _l in kinds]

    archive = _chart(
        "archive",
        _("Archive growth by kind (GB)"),
        [str(label) for _kind, label in kinds],
        [(before, added(previous["archive"])), (now, added(current["archive"]))],
        unit=_("GB"),
        **two_periods,
    )

    inquiries = _chart(
        "inquiries",
        _("Requests answered on time and late"),
        [before, now],
        [
            (
                _("answered on time"),
                [previous["inquiries"]["on_time"], current["inquiries"]["on_time"]],
            ),
            (
                _("answered late"),
                [previous["inquiries"]["late"], current["inquiries"]["late"]],
            ),
        ],
        stacked=True,
        colors=[
            charts.SENTIMENT_COLORS["positive"],
            charts.SENTIMENT_COLORS["negative"],
        ],
    )
    return {
        "events": events,
        "topics": mentions,
        "archive": archive,
        "inquiries": inquiries,
    }


def report_context(figures: dict) -> dict:
    """What the page and the PDF show of ``figures`` (activity_compare)."""
    current, previous = figures["current"], figures["previous"]
    chart_by_section = report_charts(figures)
    return {
        "figures": figures,
        "blocks": [
            {"section": section, "chart": chart_by_section.get(section.key)}
            for section in figures["sections"]
        ],
        "headers": periods.table_headers(figures),
        "period_label": periods.period_label(current["start"], current["end"]),
        "previous_label": periods.period_label(previous["start"], previous["end"]),
    }


# --- Views -----------------------------------------------------------------------


class ReportMixin(PermissionRequiredMixin):
    """Every member of staff may read the report (reports.view_report)."""

    permission_required = PERMISSION

    def period_form(self) -> PeriodForm:
        today = timezone.localdate()
        data = self.request.GET
        if not data.get("period"):
            # Without a choice: the last month that is over.
            data = periods.period_choice(*last_full_month(today))
        return PeriodForm(data, today=today, first_year=today.year - YEARS_OFFERED)

    def invalid_period(self):
        """Back to the page, which says what is wrong with the period."""
        page = reverse("reports:activity")
        return redirect(f"{page}?{self.request.GET.urlencode()}")


class ActivityReportView(ReportMixin, TemplateView):
    """The department's work in a period, next to the period before it."""

    template_name = "reports/activity.html"

    def get_context_data(self, **kwargs):
        form = self.period_form()
        context = {"form": form, **kwargs}
        period = form.period_dates()
        if period is None:
            return super().get_context_data(**context)
        start, end = period
        figures = activity_compare(start=start, end=end)
        previous = figures["previous"]
        following = periods.next_period(start, end)
        return super().get_context_data(
            **report_context(figures),
            query=periods.period_query(*period),
            previous_query=periods.period_query(previous["start"], previous["end"]),
            next_query=(
                periods.period_query(*following)
                if following[0] <= timezone.localdate()
                else ""
            ),
            **context,
        )


def _filename(start: date, end: date, extension: str) -> str:
    return f"activity-{start:%Y-%m-%d}-{end:%Y-%m-%d}.{extension}"


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class ActivityExportView(ReportMixin, View):
    """The report's table as CSV or XLSX, in the user's language."""

    def get(self, request, file_format: str):
        if file_format not in CONTENT_TYPES:
            raise Http404
        period = self.period_form().period_dates()
        if period is None:
            return self.invalid_period()
        figures = activity_compare(start=period[0], end=period[1])
        if file_format == "csv":
            body = periods.export_csv(figures).encode()
        else:
            body = periods.export_xlsx(figures, title=_("Activity report"))
        return _download(
            body, CONTENT_TYPES[file_format], _filename(*period, file_format)
        )


def activity_pdf(figures: dict) -> bytes:
    """The report of ``figures`` as an A4 PDF in the active language."""
    from weasyprint import HTML  # imported late: it loads Pango and fonts

    from pressreleases.pdf import url_fetcher

    html = render_to_string(
        "reports/activity_pdf.html",
        {
            **report_context(figures),
            "language": translation.get_language(),
            "organisation": settings.PRAPP_ORGANISATION_NAME,
            "generated_at": timezone.now(),
        },
    )
    # Nothing in the report needs the network or the disk: the charts are
    # inline SVG and the stylesheet is in the template.
    return HTML(string=html, base_url=None, url_fetcher=url_fetcher).write_pdf()


class ActivityPdfView(ReportMixin, View):
    """The report as a PDF, to file or to send on."""

    def get(self, request):
        period = self.period_form().period_dates()
        if period is None:
            return self.invalid_period()
        figures = activity_compare(start=period[0], end=period[1])
        return _download(
            activity_pdf(figures), "application/pdf", _filename(*period, "pdf")
        )
