from django.urls import path

from inquiries import views

app_name = "inquiries"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("new/", views.RequestCreateView.as_view(), name="request_create"),
    path(
        "contacts/suggest/",
        views.ContactSuggestView.as_view(),
        name="contact_suggest",
    ),
    # One request and the steps of its answer.
    path("<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("<int:pk>/assign/", views.RequestAssignView.as_view(), name="request_assign"),
    path("<int:pk>/extend/", views.RequestExtendView.as_view(), name="request_extend"),
    path(
        "<int:pk>/extension-notice/",
        views.ExtensionNotifyView.as_view(),
        name="extension_notify",
    ),
    path("<int:pk>/questions/", views.QuestionAskView.as_view(), name="question_ask"),
    path(
        "questions/<int:pk>/answer/",
        views.QuestionAnswerView.as_view(),
        name="question_answer",
    ),
    path("<int:pk>/draft/", views.AnswerDraftView.as_view(), name="answer_draft"),
    path("<int:pk>/approve/", views.AnswerApproveView.as_view(), name="answer_approve"),
    path("<int:pk>/return/", views.AnswerReturnView.as_view(), name="answer_return"),
    path("<int:pk>/answer/", views.RequestAnswerView.as_view(), name="request_answer"),
    path("<int:pk>/refuse/", views.RequestRefuseView.as_view(), name="request_refuse"),
    path(
        "<int:pk>/forward/", views.RequestForwardView.as_view(), name="request_forward"
    ),
    path("<int:pk>/links/", views.RequestLinkView.as_view(), name="request_link"),
    path(
        "<int:pk>/attachments/",
        views.AttachmentAddView.as_view(),
        name="attachment_add",
    ),
    path(
        "attachments/<int:pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path("<int:pk>/letter/", views.LetterView.as_view(), name="request_letter"),
    path("<int:pk>/line/", views.LineSaveView.as_view(), name="line_save"),
    # Lines to take.
    path("lines/", views.LineListView.as_view(), name="line_list"),
    path("lines/<int:pk>/", views.LineDetailView.as_view(), name="line_detail"),
    path("lines/<int:pk>/use/", views.LineUseView.as_view(), name="line_use"),
    path("lines/<int:pk>/edit/", views.LineUpdateView.as_view(), name="line_update"),
    path(
        "lines/<int:pk>/archive/",
        views.LineArchiveView.as_view(),
        name="line_archive",
    ),
]
