"""One settings module. Every knob is a NORDESK_* environment variable; the defaults are the
embedded set-up (SQLite in WAL mode, SqliteHuey, in-memory channel layer, local files).
docs/configuration.md lists every variable."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(f"NORDESK_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(f"NORDESK_{name}")
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(f"NORDESK_{name}")
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"NORDESK_{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
PRODUCTION = env_bool("PRODUCTION", False)
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var"))).resolve()
# The embedded database and job queue live here; the queue opens its file at import time.
DATA_DIR.mkdir(parents=True, exist_ok=True)

_DEV_SECRET = "nordesk-embedded-insecure-key-change-me"  # noqa: S105 - refused in production below
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET)
# Where customers reach Nordesk: the base of links that go out by email (survey links).
PUBLIC_URL = env_str("PUBLIC_URL", "http://127.0.0.1:8000")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

if PRODUCTION:
    if SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("NORDESK_SECRET_KEY must be set to 50+ random characters")
    if not os.environ.get("NORDESK_ALLOWED_HOSTS"):
        raise ImproperlyConfigured("NORDESK_ALLOWED_HOSTS must name the hosts Nordesk serves")
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "channels",
    "nordesk.core",
    "nordesk.accounts",
    "nordesk.customers",
    "nordesk.tickets",
    # Before sla: both handle ticket_created, and routing sets the team SLA policies match on.
    "nordesk.routing",
    "nordesk.sla",
    # After routing and sla: triggers see the team and clocks a new ticket got.
    "nordesk.automation",
    "nordesk.csat",
    "nordesk.analytics",
    "nordesk.connectors.email",
    "nordesk.kb",
    "nordesk.portal",
    "nordesk.web",
    "nordesk.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "nordesk.api.middleware.RejectNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "nordesk.urls"
WSGI_APPLICATION = "nordesk.wsgi.application"
ASGI_APPLICATION = "nordesk.asgi.application"

FORM_RENDERER = "nordesk.web.form_renderer.WorkspaceRenderer"

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
                "nordesk.web.context.workspace",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL)
    if _db["ENGINE"] == "django.db.backends.postgresql":
        # Under ASGI persistent connections exhaust PostgreSQL's slots; psycopg's pool is shared.
        _db["CONN_MAX_AGE"] = 0
        _db.setdefault("OPTIONS", {})
        # PostgreSQL's JIT compiles the report queries' expressions for longer than it saves
        # (850 ms of 2 s summing a year of facts at 1,000,000 tickets), and the rest is OLTP.
        _db["OPTIONS"]["options"] = f"{_db['OPTIONS'].get('options', '')} -c jit=off".strip()
        if env_bool("DB_PREPARE", True):
            # Server-side binding lets psycopg prepare repeated statements: planning the intake
            # path's queries cost more than running them (225 -> 256 messages/s measured).
            # Switch off behind a transaction-pooling PgBouncer.
            _db["OPTIONS"]["server_side_binding"] = True
            _db["OPTIONS"]["prepare_threshold"] = 2
        if env_bool("DB_POOL", True):
            _db["OPTIONS"]["pool"] = {
                "min_size": env_int("DB_POOL_MIN", 2),
                "max_size": env_int("DB_POOL_MAX", 10),
                "timeout": 10,
            }
    DATABASES = {"default": _db}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "nordesk.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- queue, channel layer, cache -------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", False)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": "nordesk",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "nordesk",
        }
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "nordesk",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- auth -----------------------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:inbox"
LOGOUT_REDIRECT_URL = "web:login"

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE", "en")
LANGUAGES = [
    ("en", _("English")),
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("da", _("Danish")),
    ("sv", _("Swedish")),
]
LOCALE_PATHS = [BASE_DIR / "nordesk" / "locale"]
# English dates day before month and a 24-hour clock, as the Nordic languages write them.
FORMAT_MODULE_PATH = ["nordesk.formats"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Oslo")
USE_I18N = True
USE_TZ = True

# --- files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
# Set for deployments that run collectstatic; the embedded server serves from the finders.
STATIC_ROOT = env_str("STATIC_ROOT") or None
STATICFILES_DIRS = [("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist")]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
MAX_ATTACHMENT_BYTES = env_int("MAX_ATTACHMENT_BYTES", 25 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- API ------------------------------------------------------------------------------------
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 600)
API_PAGE_SIZE_MAX = 100

# --- email out ------------------------------------------------------------------------------
# Replies go out by SMTP once NORDESK_SMTP_HOST names a relay; until then they are printed.
EMAIL_HOST = env_str("SMTP_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("FROM_EMAIL", "support@nordesk.localhost")
EMAIL_PORT = env_int("SMTP_PORT", 25)
EMAIL_HOST_USER = env_str("SMTP_USER")
EMAIL_HOST_PASSWORD = env_str("SMTP_PASSWORD")
EMAIL_USE_TLS = env_bool("SMTP_STARTTLS")
EMAIL_USE_SSL = env_bool("SMTP_TLS")
EMAIL_TIMEOUT = env_int("SMTP_TIMEOUT", 30)

# --- automation ------------------------------------------------------------------------------
# Outbound webhooks may call private and loopback addresses (receivers beside Nordesk).
AUTOMATION_WEBHOOK_ALLOW_PRIVATE = env_bool("AUTOMATION_WEBHOOK_ALLOW_PRIVATE", False)

# --- email in -------------------------------------------------------------------------------
# Subjects of replies carry "[<prefix><number>]", e.g. "[#1234]".
TICKET_SUBJECT_PREFIX = env_str("TICKET_SUBJECT_PREFIX", "#")
# Over this size a message is kept raw and its ticket says the body was too large.
EMAIL_MAX_BYTES = env_int("EMAIL_MAX_BYTES", 40 * 1024 * 1024)
# Acknowledgements to one address at most this often (cuts loops between two helpdesks).
EMAIL_AUTO_REPLY_MINUTES = env_int("EMAIL_AUTO_REPLY_MINUTES", 60)
# Online agents with no request for this long become away and get no new work.
AUTO_AWAY_MINUTES = env_int("AUTO_AWAY_MINUTES", 15)
CREDENTIALS_KEY = env_str("CREDENTIALS_KEY")

# --- customer portal (/help/) ------------------------------------------------------------------
# The brand the portal shows; unset, the first mailbox's brand name, else "Nordesk".
PORTAL_BRAND = env_str("PORTAL_BRAND")
# Sites that may show the contact form in a frame (Content-Security-Policy frame-ancestors),
# e.g. "https://www.example.no"; unset, no site may.
PORTAL_EMBED_ORIGINS = env_list("PORTAL_EMBED_ORIGINS")
# A contact form sent sooner than this after it opened is refused as automated.
PORTAL_FORM_MIN_SECONDS = env_int("PORTAL_FORM_MIN_SECONDS", 3)
# Behind a reverse proxy every request comes from the proxy: name the header it puts the
# client's address in (X-Forwarded-For: the last address, the one the proxy added; X-Real-IP).
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER")
PORTAL_FORM_PER_IP_HOUR = env_int("PORTAL_FORM_PER_IP_HOUR", 20)
PORTAL_FORM_PER_ADDRESS_HOUR = env_int("PORTAL_FORM_PER_ADDRESS_HOUR", 5)
PORTAL_SIGN_IN_PER_ADDRESS_HOUR = env_int("PORTAL_SIGN_IN_PER_ADDRESS_HOUR", 5)
PORTAL_SIGN_IN_PER_IP_HOUR = env_int("PORTAL_SIGN_IN_PER_IP_HOUR", 30)
PORTAL_LINK_MINUTES = env_int("PORTAL_LINK_MINUTES", 30)
PORTAL_MAX_FILES = env_int("PORTAL_MAX_FILES", 5)
PORTAL_MAX_FILE_BYTES = min(
    env_int("PORTAL_MAX_FILE_BYTES", 10 * 1024 * 1024), MAX_ATTACHMENT_BYTES
)

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Analytics (docs/kpis.md): first-contact resolution = solved after at most this many agent
# replies and not reopened (nor followed up) within this many days of that solve.
ANALYTICS_FCR_MAX_REPLIES = env_int("ANALYTICS_FCR_MAX_REPLIES", 1)
ANALYTICS_FCR_REOPEN_DAYS = env_int("ANALYTICS_FCR_REOPEN_DAYS", 7)
# Events re-read behind the cursor on each run: on PostgreSQL ids may commit out of order.
ANALYTICS_REREAD_EVENTS = env_int("ANALYTICS_REREAD_EVENTS", 500)

# Workforce planning (the staffing page): the share of paid time agents are not available
# (breaks, meetings, absence), and the average handle time per contact; 0 takes it from the
# handle time recorded in the last four weeks, per channel.
STAFFING_SHRINKAGE_PERCENT = env_int("STAFFING_SHRINKAGE_PERCENT", 30)
STAFFING_AHT_SECONDS = env_int("STAFFING_AHT_SECONDS", 0)
