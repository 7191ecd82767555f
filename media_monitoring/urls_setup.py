"""Addresses of the monitoring set-up pages: sources, topics, subscriptions."""

urlpatterns: list = []
