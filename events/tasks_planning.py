"""Celery tasks of the events app (planning)."""
