"""Settings shared by every deployment; environment-specific files extend these."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap as xstatic_bootstrap
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

from prapp.env import env_bool, env_int, env_list, env_path, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = env_path("PRAPP_VAR_DIR", BASE_DIR / "var")

SECRET_KEY = env_str("SECRET_KEY", "insecure-development-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before it.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    # The minutes editor's JS and CSS, served from the installed wheel.
    "django_prose_editor",
    "prapp",
    "contacts",
    "events",
    "pressreleases",
    "media_monitoring",
    "archive",
    "inquiries",
    "reports",
]

AUTH_USER_MODEL = "prapp.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Needs request.user: the user's own language beats cookie and browser.
    "prapp.middleware.UserLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that a lock-out sees the response of the login view.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "prapp.urls"
WSGI_APPLICATION = "prapp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "prapp.context_processors.navigation",
            ],
            # Replaces |upper, |capfirst and |title with versions that never
            # turn Georgian Mkhedruli into Mtavruli capitals.
            "builtins": ["prapp.templatetags.script_safe"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'prapp.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat write to one file: wait for locks instead of failing,
    # and take the write lock at BEGIN so that transactions never deadlock.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Brute-force protection: a username *from* an address is locked for a while.
# Whole ministries sit behind one address, so the address alone never locks.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list("AXES_IP_HEADERS", ["REMOTE_ADDR"])

# Languages are part of the schema (modeltranslation adds a column per language),
# so this list is fixed here and not read from the environment.
LANGUAGES = [
    ("ka", _("Georgian")),
    ("hy", _("Armenian")),
    ("en", _("English")),
]
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "ka")
TIME_ZONE = env_str("TIME_ZONE", "Asia/Tbilisi")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django ships no formats for Armenian and a 12-hour clock for Georgian.
FORMAT_MODULE_PATH = ["prapp.formats"]
LANGUAGE_COOKIE_NAME = "prapp_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("ka", "hy", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("en", "ka", "hy"),
    "ka": ("en", "hy"),
    "hy": ("en", "ka"),
}

STATIC_URL = "static/"
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "static")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap comes from the XStatic-Bootstrap package installed at set-up.
    ("bootstrap", xstatic_bootstrap.BASE_DIR),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
# Uploaded files (attachments, archive originals and renditions) go to MEDIA_ROOT
# unless STORAGE_BACKEND names another Django storage, e.g.
# "storages.backends.s3.S3Storage" for S3-compatible object storage with
# django-storages[s3] installed and its AWS_* settings below (README, Storage).
STORAGES = {
    "default": {
        "BACKEND": env_str(
            "STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL", "") or None
AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME", "") or None
AWS_ACCESS_KEY_ID = env_str("AWS_ACCESS_KEY_ID", "") or None
AWS_SECRET_ACCESS_KEY = env_str("AWS_SECRET_ACCESS_KEY", "") or None
# Object storage stays private: files leave only through the app's views.
AWS_DEFAULT_ACL = None
AWS_QUERYSTRING_AUTH = True

# The cache holds rate-limit counters of the public pages; with several web
# processes it must be shared: CACHE_URL names a Redis database for it.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
        }
    }

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Mail. Embedded default: captured in the database and readable by staff.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "prapp.mail.CapturedEmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PR Office <press@example.org>")
SERVER_EMAIL = env_str("SERVER_EMAIL", "prapp@example.org")

# Celery. Embedded default: kombu's filesystem transport, no server needed.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_BROKER_DIR = env_path("CELERY_BROKER_DIR", VAR_DIR / "broker")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILE = env_path(
    "CELERY_BEAT_SCHEDULE_FILE", VAR_DIR / "celerybeat-schedule"
)
# A heartbeat older than this makes /healthz report the worker as down.
WORKER_HEARTBEAT_MAX_AGE = env_int("WORKER_HEARTBEAT_MAX_AGE", 120)

# Content-Security-Policy: everything from our own origin, nothing inline. The
# one exception is a per-response nonce: the rich-text editor's import map is an
# inline <script type="importmap"> (django-prose-editor via django-js-asset),
# and the nonce is only sent on responses that read request.csp_nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 10)
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Product settings.
PRAPP_ORGANISATION_NAME = env_str("PRAPP_ORGANISATION_NAME", "")
CONTACTS_STALE_AFTER_MONTHS = env_int("CONTACTS_STALE_AFTER_MONTHS", 12)
# Public media-accreditation form: submissions per source address per hour, and
# whether the standing accreditation for the current quarter is open to requests.
EVENTS_ACCREDITATION_RATE_LIMIT = env_int("EVENTS_ACCREDITATION_RATE_LIMIT", 5)
EVENTS_ACCREDITATION_PERIOD_OPEN = env_bool("EVENTS_ACCREDITATION_PERIOD_OPEN", False)

# Events: invitations, RSVP and calendar feeds.
# The address the public pages are reached at, for links in emails.
PRAPP_SITE_URL = env_str("PRAPP_SITE_URL", "http://localhost:8000")
# Reminders go out this many hours before an event (one per offset and invitee).
EVENTS_REMINDER_HOURS = env_list("EVENTS_REMINDER_HOURS", ["72", "24"])
# An RSVP link works until this many days after its event ends.
EVENTS_RSVP_MAX_AGE_DAYS = env_int("EVENTS_RSVP_MAX_AGE_DAYS", 7)
# A calendar feed holds events that ended up to this many days ago.
EVENTS_FEED_PAST_DAYS = env_int("EVENTS_FEED_PAST_DAYS", 90)

# Press releases.
# The version a recipient gets when there is none in their language, in this order.
PRESSRELEASES_LANGUAGE_FALLBACKS = env_list(
    "PRESSRELEASES_LANGUAGE_FALLBACKS", ["en", "ka", "hy"]
)
# A one-person office may let the author approve their own release.
PRESSRELEASES_AUTHOR_MAY_APPROVE = env_bool("PRESSRELEASES_AUTHOR_MAY_APPROVE", False)
# Sending: the most messages per second (0: as fast as the server takes them),
# how many ledger rows a worker claims at a time, and retries of temporary errors.
PRESSRELEASES_MAX_PER_SECOND = env_int("PRESSRELEASES_MAX_PER_SECOND", 20)
PRESSRELEASES_BATCH_SIZE = env_int("PRESSRELEASES_BATCH_SIZE", 50)
PRESSRELEASES_MAX_ATTEMPTS = env_int("PRESSRELEASES_MAX_ATTEMPTS", 5)
PRESSRELEASES_RETRY_BACKOFF_SECONDS = env_int("PRESSRELEASES_RETRY_BACKOFF_SECONDS", 60)
# Largest attachment accepted, in megabytes.
PRESSRELEASES_MAX_ATTACHMENT_MB = env_int("PRESSRELEASES_MAX_ATTACHMENT_MB", 20)
# Reply-To of release mail (empty: replies go to DEFAULT_FROM_EMAIL).
PRESSRELEASES_REPLY_TO = env_str("PRESSRELEASES_REPLY_TO", "")

# Media monitoring.
# Fetching: timeouts (seconds), the largest response accepted (also after
# decompression), redirects followed, and whether sources may point at loopback,
# private, link-local or cloud-metadata addresses (never in production).
MONITORING_CONNECT_TIMEOUT = env_int("MONITORING_CONNECT_TIMEOUT", 10)
MONITORING_READ_TIMEOUT = env_int("MONITORING_READ_TIMEOUT", 20)
# The whole fetch, redirects included, ends after this many seconds
# (0: the connect and read timeouts added together).
MONITORING_TOTAL_TIMEOUT = env_int("MONITORING_TOTAL_TIMEOUT", 0)
MONITORING_MAX_BYTES = env_int("MONITORING_MAX_BYTES", 5 * 1024 * 1024)
MONITORING_MAX_REDIRECTS = env_int("MONITORING_MAX_REDIRECTS", 5)
MONITORING_ALLOW_PRIVATE_ADDRESSES = env_bool(
    "MONITORING_ALLOW_PRIVATE_ADDRESSES", False
)
MONITORING_USER_AGENT = env_str(
    "MONITORING_USER_AGENT", "prapp-monitoring/1.0 (+press office media monitoring)"
)
# A failing source waits this many minutes, doubled per failure up to the cap.
MONITORING_BACKOFF_MINUTES = env_int("MONITORING_BACKOFF_MINUTES", 5)
MONITORING_BACKOFF_MAX_MINUTES = env_int("MONITORING_BACKOFF_MAX_MINUTES", 24 * 60)
# The daily digest goes out at this local time (TIME_ZONE), HH:MM.
MONITORING_DIGEST_TIME = env_str("MONITORING_DIGEST_TIME", "08:00")
# A citizen's message logged by hand is due for an answer within this many hours.
MONITORING_RESPONSE_HOURS = env_int("MONITORING_RESPONSE_HOURS", 24)

# Archive.
# Largest file accepted per kind, in megabytes (uploads and import_archive).
ARCHIVE_MAX_MB_PHOTO = env_int("ARCHIVE_MAX_MB_PHOTO", 50)
ARCHIVE_MAX_MB_VIDEO = env_int("ARCHIVE_MAX_MB_VIDEO", 4096)
ARCHIVE_MAX_MB_AUDIO = env_int("ARCHIVE_MAX_MB_AUDIO", 500)
ARCHIVE_MAX_MB_DOCUMENT = env_int("ARCHIVE_MAX_MB_DOCUMENT", 100)
# Images with more pixels are refused as possible decompression bombs, in the
# web process and in the worker (also Pillow's limit for the whole project).
ARCHIVE_MAX_IMAGE_PIXELS = env_int("ARCHIVE_MAX_IMAGE_PIXELS", 90_000_000)
# ffmpeg and ffprobe (video posters, durations), a name looked up on PATH or a
# full path. Without them videos are archived without poster, duration or size.
ARCHIVE_FFMPEG = env_str("ARCHIVE_FFMPEG", "ffmpeg")
ARCHIVE_FFPROBE = env_str("ARCHIVE_FFPROBE", "ffprobe")

# Inquiry desk.
# The law whose deadlines count: a LawProfile code ("ge" Georgia, "am" Armenia).
INQUIRIES_LAW_PROFILE = env_str("INQUIRIES_LAW_PROFILE", "ge")
# Registration numbers; {year} and {sequence} (counted per year) are filled in.
INQUIRIES_NUMBER_FORMAT = env_str("INQUIRIES_NUMBER_FORMAT", "{year}/{sequence:04d}")
# The desk's address: answers and notices to requesters leave from it.
INQUIRIES_FROM_EMAIL = env_str("INQUIRIES_FROM_EMAIL", "") or DEFAULT_FROM_EMAIL
# A one-person desk may let the drafter approve their own answer.
INQUIRIES_AUTHOR_MAY_APPROVE = env_bool("INQUIRIES_AUTHOR_MAY_APPROVE", False)
# Assignees are reminded this many days before a deadline (managers once it passed).
INQUIRIES_REMIND_DAYS = env_int("INQUIRIES_REMIND_DAYS", 2)
# Largest attachment accepted with a request or an answer, in megabytes.
INQUIRIES_MAX_ATTACHMENT_MB = env_int("INQUIRIES_MAX_ATTACHMENT_MB", 20)
# Per address and hour: public requests registered, and failed status look-ups
# (counted in the cache: set CACHE_URL when several web processes run).
INQUIRIES_PUBLIC_RATE_LIMIT = env_int("INQUIRIES_PUBLIC_RATE_LIMIT", 5)
INQUIRIES_STATUS_RATE_LIMIT = env_int("INQUIRIES_STATUS_RATE_LIMIT", 10)
