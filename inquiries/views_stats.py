"""The statistics page of the inquiry desk and its CSV and XLSX exports."""

from datetime import date

from django import forms
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Min
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from inquiries import statistics
from inquiries.models import Request
from prapp.forms import GridFormMixin

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
QUARTERS = [
    (1, gettext_lazy("January – March")),
    (2, gettext_lazy("April – June")),
    (3, gettext_lazy("July – September")),
    (4, gettext_lazy("October – December")),
]


class PeriodForm(GridFormMixin, forms.Form):
    """The period chooser (GET): a month, a quarter, a year or any two dates.

    The template lays it out itself: CSS shows only the fields the chosen kind
    of period uses (see static/inquiries/statistics.css).
    """

    period = forms.ChoiceField(
        label=gettext_lazy("Period"), choices=statistics.PERIOD_CHOICES
    )
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    month = forms.TypedChoiceField(
        label=gettext_lazy("Month"), coerce=int, choices=list(MONTHS.items())
    )
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Quarter"), coerce=int, choices=QUARTERS
    )
    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, data=None, *, today: date, first_year: int):
        initial = {
            "period": statistics.MONTH,
            "year": today.year,
            "month": today.month,
            "quarter": (today.month + 2) // 3,
        }
        # Fields left out of the address keep today's values.
        values = {key: str(value) for key, value in initial.items()}
        if data:
            values |= {key: value for key, value in data.items() if value}
        super().__init__(values)
        years = range(today.year, min(first_year, today.year) - 1, -1)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.style_widgets()

    def clean(self):
        data = super().clean()
        period = data.get("period")
        if period == statistics.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(
                    _("Give the first and the last day of the period.")
                )
            if start > end:
                raise forms.ValidationError(
                    _("The period must not end before it starts.")
                )
        return data

    def period_dates(self) -> tuple[date, date] | None:
        """The chosen first and last day, or None when the choice is invalid."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        period = data["period"]
        if period == statistics.MONTH:
            return statistics.month_period(data["year"], data["month"])
        if period == statistics.QUARTER:
            return statistics.quarter_period(data["year"], data["quarter"])
        if period == statistics.YEAR:
            return statistics.year_period(data["year"])
        return data["start"], data["end"]


def _query(period: tuple[date, date]) -> str:
    """The address query that chooses ``period`` in the period chooser."""
    return urlencode(statistics.period_choice(*period))


class StatisticsMixin(PermissionRequiredMixin):
    permission_required = "inquiries.access_app"

    def period_form(self) -> PeriodForm:
        first = Request.objects.aggregate(first=Min("received_at"))["first"]
        today = timezone.localdate()
        return PeriodForm(
            self.request.GET,
            today=today,
            first_year=timezone.localdate(first).year if first else today.year,
        )


class StatisticsView(StatisticsMixin, TemplateView):
    """Requests received, answered on time and late, refused, forwarded, open."""

    template_name = "inquiries/statistics.html"

    def get_context_data(self, **kwargs):
        form = self.period_form()
        context = {"form": form, **kwargs}
        period = form.period_dates()
        if period is None:
            return super().get_context_data(**context)
        start, end = period
        figures = statistics.statistics_compare(start=start, end=end)
        previous = figures["previous"]
        following = statistics.next_period(start, end)
        today = timezone.localdate()
        return super().get_context_data(
            figures=figures,
            headers=statistics.table_headers(figures),
            period_label=statistics.period_label(start, end),
            query=_query(period),
            previous_query=_query((previous["start"], previous["end"])),
            next_query=_query(following) if following[0] <= today else "",
            **context,
        )


class StatisticsExportView(StatisticsMixin, View):
    """The statistics table as CSV or XLSX, in the user's language."""

    def get(self, request, file_format: str):
        if file_format not in CONTENT_TYPES:
            raise Http404
        period = self.period_form().period_dates()
        if period is None:
            # The page says what is wrong with the period.
            page = reverse("inquiries_stats:statistics")
            return redirect(f"{page}?{request.GET.urlencode()}")
        start, end = period
        figures = statistics.statistics_compare(start=start, end=end)
        if file_format == "csv":
            body = statistics.export_csv(figures).encode()
        else:
            body = statistics.export_xlsx(figures, title=_("Statistics"))
        response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
        filename = f"inquiries-{start:%Y-%m-%d}-{end:%Y-%m-%d}.{file_format}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
