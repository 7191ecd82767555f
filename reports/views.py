from django.views.generic import TemplateView

from reports import selectors


class DashboardView(TemplateView):
    """The home page: each panel appears to those allowed to see what it shows."""

    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            panels=selectors.dashboard_panels(self.request.user)
        )
