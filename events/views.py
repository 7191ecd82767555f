from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import TemplateView


class IndexView(PermissionRequiredMixin, TemplateView):
    permission_required = "events.access_app"
    template_name = "events/index.html"
