from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import TemplateView


class IndexView(PermissionRequiredMixin, TemplateView):
    permission_required = "media_monitoring.access_app"
    template_name = "media_monitoring/index.html"
