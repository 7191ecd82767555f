from django.urls import path

from events import urls_accreditation, urls_invitations, views

app_name = "events"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
]
# Invitations (RSVP, check-in, calendar feeds) and accreditation keep their own
# URL modules.
urlpatterns += urls_invitations.urlpatterns
urlpatterns += urls_accreditation.urlpatterns
