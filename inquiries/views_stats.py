"""The statistics page of the inquiry desk and its CSV and XLSX exports."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Min
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from inquiries import statistics
from inquiries.forms import PeriodForm
from inquiries.models import Request

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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
            query=statistics.period_query(*period),
            previous_query=statistics.period_query(previous["start"], previous["end"]),
            next_query=statistics.period_query(*following)
            if following[0] <= today
            else "",
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
