"""Integration suite: the test settings on real PostgreSQL, Redis and a worker.

tests/integration/servers.py starts both servers and sets DATABASE_URL and
CELERY_BROKER_URL before Django reads this module.
"""

from django.core.exceptions import ImproperlyConfigured

from prapp.env import env_int, env_str

from .test import *

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "prapp.settings.integration needs DATABASE_URL to name a PostgreSQL "
        "database (postgres://…); run the suite with `make test-integration`."
    )
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
if not CELERY_BROKER_URL.startswith("redis://"):
    raise ImproperlyConfigured(
        "prapp.settings.integration needs CELERY_BROKER_URL to name a Redis server."
    )
# Tasks really travel through Redis to a separate worker process.
CELERY_TASK_ALWAYS_EAGER = False
# Redis hands an unacknowledged task to another worker only once it has been
# invisible for visibility_timeout seconds, and a worker looks for such tasks
# every unacked_restore_interval * unacked_restore_throttle seconds (kombu's
# defaults: 10 * 10). Production keeps an hour (longer than the hard time limit,
# see prapp/celery.py); the killed-worker test needs the redelivery within
# seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 5),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
