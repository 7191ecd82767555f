from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import TemplateView


class IndexView(PermissionRequiredMixin, TemplateView):
    permission_required = "contacts.access_app"
    template_name = "contacts/index.html"
