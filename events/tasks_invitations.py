"""Celery tasks of the events app (invitations)."""
