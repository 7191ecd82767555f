"""Celery tasks of the events app (accreditation)."""
