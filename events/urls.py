from django.urls import path

from events import urls_accreditation, urls_invitations, views

app_name = "events"

urlpatterns = [
    # Calendar views; the landing page is the list.
    path("", views.IndexView.as_view(), name="index"),
    path("month/", views.MonthView.as_view(), name="calendar_month"),
    path("week/", views.WeekView.as_view(), name="calendar_week"),
    # One event
    path("new/", views.EventCreateView.as_view(), name="event_create"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("<int:pk>/edit/", views.EventEditView.as_view(), name="event_edit"),
    path("<int:pk>/status/", views.EventStatusView.as_view(), name="event_status"),
    path("<int:pk>/outcome/", views.OutcomeEditView.as_view(), name="outcome_edit"),
    path("<int:pk>/minutes/", views.MinutesEditView.as_view(), name="minutes_edit"),
    path("people/suggest/", views.PersonSuggestView.as_view(), name="person_suggest"),
    # Checklist
    path("<int:pk>/tasks/add/", views.TaskAddView.as_view(), name="task_add"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/state/", views.TaskStateView.as_view(), name="task_state"),
    # Agenda
    path("<int:pk>/agenda/add/", views.AgendaAddView.as_view(), name="agenda_add"),
    path("agenda/<int:pk>/edit/", views.AgendaEditView.as_view(), name="agenda_edit"),
    path("agenda/<int:pk>/move/", views.AgendaMoveView.as_view(), name="agenda_move"),
    # Attachments and follow-ups
    path(
        "<int:pk>/attachments/add/",
        views.AttachmentAddView.as_view(),
        name="attachment_add",
    ),
    path(
        "attachments/<int:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path(
        "<int:pk>/follow-ups/add/",
        views.FollowUpAddView.as_view(),
        name="follow_up_add",
    ),
    path(
        "follow-ups/<int:pk>/state/",
        views.FollowUpStateView.as_view(),
        name="follow_up_state",
    ),
]
# Invitations (RSVP, check-in, calendar feeds) and accreditation keep their own
# URL modules.
urlpatterns += urls_invitations.urlpatterns
urlpatterns += urls_accreditation.urlpatterns
