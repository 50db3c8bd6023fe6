"""Settings for every environment, read from the environment with safe local defaults.

A fresh clone runs on SQLite in ``data/``; set ``DATABASE_URL`` for PostgreSQL.
Production settings (``staydesk.settings.production``) tighten what is unsafe here.
"""

from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from staydesk.settings.env import env_bool, env_int, env_list, env_smtp_options, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("STAYDESK_DATA_DIR", str(BASE_DIR / "data")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

# A development key for the local run only; production refuses to start without its own.
SECRET_KEY = env_str(
    "DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789"
)
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS", [])
DEBUG = env_bool("DJANGO_DEBUG", True)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs' assets itself, no CDN
    "django_tasks_db",
    "staydesk.core",
    "staydesk.accounts",
    "staydesk.catalog",
    "staydesk.pricing",
    "staydesk.inventory",
    "staydesk.bookings",
    "staydesk.payments",
    "staydesk.messaging",
    "staydesk.notifications",
    "staydesk.webhooks",
    "staydesk.web",
    "staydesk.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "staydesk.web.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "staydesk.urls"
WSGI_APPLICATION = "staydesk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]


def _database_from_env() -> dict:
    url = env_str("DATABASE_URL", "")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
        config.setdefault("TEST", {})
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "staydesk.sqlite3",
        "OPTIONS": {
            # IMMEDIATE: a write transaction takes the lock at BEGIN, so two writers queue
            # instead of failing half-way with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        # A file, not memory, so tests with several threads share one database.
        "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
    }


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}
        if env_str("REDIS_URL", "")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("pl", _("Polish")),
    ("cs", _("Czech")),
    ("is", _("Icelandic")),
]
LOCALE_PATHS = [BASE_DIR / "staydesk" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# Our own additions to Django's locale formats (Icelandic has no date-and-time format there).
FORMAT_MODULE_PATH = ["staydesk.formats"]
USE_TZ = True

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"
# Failed sign-ins allowed per username and per IP address in the window, then refused.
STAYDESK_LOGIN_ATTEMPTS = env_int("STAYDESK_LOGIN_ATTEMPTS", 5)
STAYDESK_LOGIN_WINDOW_SECONDS = env_int("STAYDESK_LOGIN_WINDOW_SECONDS", 900)
STAYDESK_GRID_PAGE_SIZES = (25, 50, 100)

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request without it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

MAILERS = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"),
        "OPTIONS": (
            {"file_path": str(DATA_DIR / "mail")}
            if env_str("EMAIL_BACKEND", "").endswith("filebased.EmailBackend")
            or not env_str("EMAIL_BACKEND", "")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Staydesk <bookings@staydesk.localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's default config gives "django" a console handler of its own: without this,
    # every task and request line would be printed twice (once more through root).
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

# --- Staydesk platform defaults -------------------------------------------------------------
# The operator edits the live values in the admin (PlatformSettings); these seed a new
# installation.
STAYDESK_DEFAULT_TRANSFER_FEE_PERCENT = Decimal(env_str("STAYDESK_TRANSFER_FEE_PERCENT", "5"))
STAYDESK_DEFAULT_COMMISSION_PERCENT = Decimal(env_str("STAYDESK_COMMISSION_PERCENT", "0"))
STAYDESK_DEFAULT_CONFIRMATION_WINDOW_HOURS = env_int("STAYDESK_CONFIRMATION_WINDOW_HOURS", 24)
# How often the worker runs the timer sweep (seconds).
STAYDESK_SWEEP_INTERVAL_SECONDS = env_int("STAYDESK_SWEEP_INTERVAL_SECONDS", 60)
# A task RUNNING for longer than this has lost its worker and is taken up again.
STAYDESK_TASK_STALE_AFTER_SECONDS = env_int("STAYDESK_TASK_STALE_AFTER_SECONDS", 600)
STAYDESK_PUBLIC_URL = env_str("STAYDESK_PUBLIC_URL", "http://127.0.0.1:8000")
STAYDESK_PROMOTION_CHECKOUT_MINUTES = env_int("STAYDESK_PROMOTION_CHECKOUT_MINUTES", 30)

# --- API v1 (SPEC §8) --------------------------------------------------------------------------
# Rate limits: "<requests>/<period>" with period s, min, h or day; answered with 429 and
# Retry-After. Per API key (or guest secret), and per client IP across all keys.
STAYDESK_API_RATE_PER_KEY = env_str("STAYDESK_API_RATE_PER_KEY", "120/min")
STAYDESK_API_RATE_PER_IP = env_str("STAYDESK_API_RATE_PER_IP", "300/min")
# How long the first response to a POST with an Idempotency-Key is replayed.
STAYDESK_IDEMPOTENCY_HOURS = env_int("STAYDESK_IDEMPOTENCY_HOURS", 24)

# --- Notifications: email and SMS (SPEC §7) -----------------------------------------------------
# SMTP for production (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend): the options
# of MAILERS["default"] come from the environment. Other backends keep their own options.
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = env_smtp_options()
# SMS: staydesk.notifications.channels.sms.{FileBackend,ConsoleBackend,LocmemBackend,
# HttpGatewayBackend}. The file backend appends one JSON line per SMS to STAYDESK_SMS_FILE.
STAYDESK_SMS_BACKEND = env_str(
    "STAYDESK_SMS_BACKEND", "staydesk.notifications.channels.sms.FileBackend"
)
STAYDESK_SMS_FILE = env_str("STAYDESK_SMS_FILE", str(DATA_DIR / "sms.log"))
STAYDESK_SMS_GATEWAY_URL = env_str("STAYDESK_SMS_GATEWAY_URL", "")
STAYDESK_SMS_GATEWAY_TOKEN = env_str("STAYDESK_SMS_GATEWAY_TOKEN", "")
STAYDESK_SMS_SENDER_ID = env_str("STAYDESK_SMS_SENDER_ID", "Staydesk")
STAYDESK_SMS_GATEWAY_TIMEOUT_SECONDS = env_int("STAYDESK_SMS_GATEWAY_TIMEOUT_SECONDS", 10)
# How long one send attempt may hold a notification before another worker may take it: well
# above a slow SMTP conversation (EMAIL_TIMEOUT applies to each of its steps).
STAYDESK_NOTIFICATION_LEASE_SECONDS = env_int("STAYDESK_NOTIFICATION_LEASE_SECONDS", 300)

# --- Webhooks (SPEC §7) --------------------------------------------------------------------------
# Seconds a receiver has to answer (connect, send, each read) before the attempt fails.
STAYDESK_WEBHOOK_TIMEOUT_SECONDS = env_int("STAYDESK_WEBHOOK_TIMEOUT_SECONDS", 10)
# How long a worker holds a delivery for one attempt; longer than the timeout, so only a dead
# worker's lease runs out (the sweep then hands the delivery to another worker).
STAYDESK_WEBHOOK_LEASE_SECONDS = env_int("STAYDESK_WEBHOOK_LEASE_SECONDS", 60)
# An endpoint failing without a single success for this many days is disabled, owner told.
STAYDESK_WEBHOOK_DISABLE_AFTER_DAYS = env_int("STAYDESK_WEBHOOK_DISABLE_AFTER_DAYS", 5)
# After a secret rotation the old secret keeps signing for this many hours.
STAYDESK_WEBHOOK_SECRET_OVERLAP_HOURS = env_int("STAYDESK_WEBHOOK_SECRET_OVERLAP_HOURS", 24)
# Allow receivers on private, loopback, link-local and other non-public addresses (an
# intranet PMS). Off: such URLs are refused at registration and at every delivery.
STAYDESK_WEBHOOK_ALLOW_PRIVATE = env_bool("STAYDESK_WEBHOOK_ALLOW_PRIVATE", False)

# --- Calendar feeds and one-click links ----------------------------------------------------------
# A one-click Confirm/Reject link expires at the booking's confirmation deadline, and never
# later than this many hours after it was sent.
STAYDESK_ONE_CLICK_MAX_AGE_HOURS = env_int("STAYDESK_ONE_CLICK_MAX_AGE_HOURS", 72)
# What the calendar feeds cover, around today, and how long clients may cache them.
STAYDESK_CALENDAR_FEED_PAST_DAYS = env_int("STAYDESK_CALENDAR_FEED_PAST_DAYS", 30)
STAYDESK_CALENDAR_FEED_FUTURE_DAYS = env_int("STAYDESK_CALENDAR_FEED_FUTURE_DAYS", 730)
STAYDESK_CALENDAR_FEED_MAX_AGE_SECONDS = env_int("STAYDESK_CALENDAR_FEED_MAX_AGE_SECONDS", 300)
