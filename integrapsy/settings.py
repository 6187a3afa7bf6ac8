"""IntegraPsy settings: one module, configured from the environment."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "phonenumber_field",
    "django_countries",
    # The shared core, then the apps that build on it (dependencies point one way).
    "integrapsy.accounts",
    "integrapsy.directory",
    "integrapsy.audit",
    "integrapsy.gdpr",
    "integrapsy.notifications",
    "integrapsy.schedule",
    "integrapsy.offline",
    "cases",
    "interpreters",
    "ambassadors",
    # Dashboards and indicators count the rows of every app above: they come last.
    "integrapsy.reports",
    "integrapsy.bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "integrapsy.accounts.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "integrapsy.accounts.middleware.NoStoreForSignedInMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "integrapsy.accounts.middleware.TwoFactorRequiredMiddleware",
    "integrapsy.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# The benchmark's server (``benchmark --wire``) adds its two baseline pages with its own URLconf.
ROOT_URLCONF = env.str("DJANGO_ROOT_URLCONF", default="integrapsy.urls")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "integrapsy.context_processors.navigation",
                "integrapsy.offline.context_processors.offline",
            ],
            # ``{% url %}`` reversing each address once where it can (``integrapsy.links``).
            "builtins": ["integrapsy.templatetags.links"],
            "libraries": {
                "dates": "integrapsy.templatetags.dates",
                "fields": "integrapsy.templatetags.fields",
                "jinja": "integrapsy.templatetags.jinja",
            },
        },
    },
    # The parts drawn many times a page (``integrapsy.jinja``): ``templates/<app>/_*.jinja``.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "integrapsy.jinja.environment"},
    },
]

WSGI_APPLICATION = "integrapsy.wsgi.application"

# On PostgreSQL the heaviest reads (``integrapsy.prepared``) are prepared statements, from their
# first run on a connection: the server parses each once per connection, then keeps its plan;
# no other statement is prepared (Django's cursors bind in the client). psycopg prepares nothing
# while ``prepare_threshold`` is None: its value (psycopg's default) only turns preparing on.
# Off (DJANGO_DB_PREPARED=0) behind a pooler that cannot keep prepared statements (PgBouncer
# before 1.21, in transaction mode). The benchmark's database takes the same.
DB_PREPARE_THRESHOLD = 5 if env.bool("DJANGO_DB_PREPARED", default=True) else None

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN,
    # so two concurrent writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
    # Tests use a file too (not Django's shared in-memory database, whose table locks fail at once):
    # concurrent writers then queue as they do in production, and the booking race test holds.
    DATABASES["default"]["TEST"] = {
        "NAME": env.str("DJANGO_TEST_SQLITE_NAME", default=str(BASE_DIR / "test-db.sqlite3"))
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DB_PREPARE_THRESHOLD is not None:
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", DB_PREPARE_THRESHOLD)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: French first, then Dutch (Wallonie picarde borders Flanders), English.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates day first (en-GB), under the language code "en" (integrapsy/formats/en/).
FORMAT_MODULE_PATH = ["integrapsy.formats"]
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="IntegraPsy <noreply@integrapsy.invalid>")
# A mail server that hangs must not hold a task worker for ever.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=30)

# Background work (Django's tasks API, the django-tasks backport): tasks are rows of the
# database, run by `manage.py db_worker` (several on PostgreSQL). Tests run them at once.
TASKS = {
    "default": {
        "BACKEND": env.str("DJANGO_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# The notification outbox: waits between attempts (then the message is marked failed), and
# how long a message being sent stays claimed by a worker before another may take it again.
OUTBOX_BACKOFF_SECONDS = [60, 5 * 60, 30 * 60, 2 * 3600, 12 * 3600]
OUTBOX_CLAIM_TIMEOUT_SECONDS = env.int("OUTBOX_CLAIM_TIMEOUT_SECONDS", default=300)
# Reports and exports: past this many rows a list export is prepared by a task (as the
# funder indicators for several teams always are); its file is kept this many hours.
REPORT_INLINE_MAX_ROWS = env.int("REPORT_INLINE_MAX_ROWS", default=20_000)
REPORT_FILE_HOURS = env.int("REPORT_FILE_HOURS", default=24)
# Text messages (appointment reminders): the gateway, like EMAIL_URL. ``console://`` prints
# them, ``file:///path`` appends them to a file (JSON lines), ``https+json://user:key@host/path``
# posts them to an HTTP gateway. The webhook secret signs the gateway's receipts and replies.
SMS_URL = env.str("SMS_URL", default="console://")
SMS_TIMEOUT = env.int("SMS_TIMEOUT", default=15)
SMS_WEBHOOK_SECRET = env.str("SMS_WEBHOOK_SECRET", default="")
SMS_WEBHOOK_MAX_AGE_SECONDS = env.int("SMS_WEBHOOK_MAX_AGE_SECONDS", default=300)
PHONENUMBER_DEFAULT_REGION = "FR"
PHONENUMBER_DB_FORMAT = "E164"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
# Widgets are drawn by Jinja2: a select's options are one loop, not a template per option
# (the case list's filters spent most of the page's time there); the plain inputs are written
# in Python (``integrapsy.forms.FormRenderer``). Same markup as Django's own.
FORM_RENDERER = "integrapsy.forms.FormRenderer"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security: strict by default, relaxed only through the environment (tests, plain-http dev).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True
# Sessions end after this many seconds without a request (sliding expiry).
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_IDLE_TIMEOUT", default=30 * 60)
# Idle timeout: a session in use is saved again once a minute (SessionRefreshMiddleware),
# not on every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = env.int("DJANGO_SESSION_REFRESH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: only our own scripts and styles, no inline script anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Proxies in front of the app (the https proxy: 1; 0 when gunicorn faces the clients). The client
# address of lockouts and of the audit log is the hop the last of them appended to X-Forwarded-For.
PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=1)

# Lockout after repeated failed logins (django-axes); an administrator unlocks in the admin.
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("DJANGO_LOGIN_LOCKOUT_HOURS", default=1.0)
# A username is locked from the address that failed, so one centre's shared address cannot lock
# everybody out, and an attacker cannot lock out a colleague from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The failing client's address, behind the proxies (see PROXY_COUNT above).
AXES_CLIENT_IP_CALLABLE = "integrapsy.client_address.client_address"
AXES_VERBOSE = False

# Two-factor authentication (TOTP) for the roles that reach health data, outside debug mode.
OTP_REQUIRED = env.bool("DJANGO_OTP_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "IntegraPsy"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# Shared by every worker: set DJANGO_CACHE_URL to Redis in production (rediscache://127.0.0.1:6379/1)
# so that rate limits count across processes; one process's memory otherwise.
CACHES = {"default": env.cache_url("DJANGO_CACHE_URL", default="locmemcache://")}

# Submissions per account: (how many, per so many seconds); see integrapsy/ratelimits.py.
RATE_LIMITS = {
    "referral": (env.int("DJANGO_RATE_REFERRALS_PER_HOUR", default=30), 3600),
    "slot_request": (env.int("DJANGO_RATE_SLOT_REQUESTS_PER_HOUR", default=30), 3600),
    "export": (env.int("DJANGO_RATE_EXPORTS_PER_HOUR", default=60), 3600),
}

# Retention, in years, per kind of record (see README); apply_retention runs it daily.
RETENTION_YEARS = {
    "closed_cases": env.float("RETENTION_CLOSED_CASES_YEARS", default=5),
    "declined_referrals": env.float("RETENTION_DECLINED_REFERRALS_YEARS", default=1),
    "audit_log": env.float("RETENTION_AUDIT_LOG_YEARS", default=2),
    # Messages sent are deleted after 90 days (failed ones stay until retried or handled).
    "outbox_sent": env.float("RETENTION_OUTBOX_SENT_DAYS", default=90) / 365.25,
}

# Demo accounts' password (seed_demo).
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="integrapsy")

# Working offline: what a phone keeps of the forms queued without network (encrypted) is wiped
# after this many hours, sent or not; the server keeps an idempotency key this many days.
OFFLINE_MAX_AGE_HOURS = env.int("OFFLINE_MAX_AGE_HOURS", default=12)
OFFLINE_KEY_RETENTION_DAYS = env.int("OFFLINE_KEY_RETENTION_DAYS", default=7)
