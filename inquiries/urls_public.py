"""The public pages of the inquiry desk (no login): the request form and status."""

from django.urls import path

from inquiries import views_public

app_name = "inquiries_public"

urlpatterns = [
    path("", views_public.request_form, name="form"),
    path("thanks/", views_public.request_thanks, name="thanks"),
    path("status/", views_public.request_status, name="status"),
]
