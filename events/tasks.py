"""Celery adapters of the events app; each area keeps its tasks in its own module."""

from events.tasks_accreditation import *  # noqa: F403
from events.tasks_invitations import *  # noqa: F403
from events.tasks_planning import *  # noqa: F403
