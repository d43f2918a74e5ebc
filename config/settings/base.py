"""Settings shared by every environment. Everything is declared here; the
environment-specific modules only override. Values come from the environment
(django-environ); production secrets have no default (see production.py)."""

import datetime as dt
from pathlib import Path

import environ
import pghistory
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# --- Core -------------------------------------------------------------------
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-development-key-never-in-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
SITE_ID = 1

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.sites",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "rules.apps.AutodiscoverRulesConfig",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "rest_framework",
    # Hashed, expiring API tokens (docs/adr/0018); the token model is accounts.ApiToken.
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
]
LOCAL_APPS = [
    "accounts",
    "casework",
    "notifications",
    "diary",
    "trajectories",
    "casusoverleg",
    "reporting",
    "ops",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response, and no-store on every authenticated one (config/security.py).
    "csp.middleware.CSPMiddleware",
    "config.security.NoStoreMiddleware",
    "config.security.PermissionsPolicyMiddleware",
    # First, so the request log line covers everything below it (ops/middleware.py).
    "ops.middleware.RequestLogMiddleware",
    # A request whose database connection died is run again once if that is safe, else answered 503 (ops/resilience.py).
    "ops.resilience.DatabaseRetryMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication and LocaleMiddleware: a logged-in user's stored language wins (accounts/language.py).
    "accounts.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication and messages: end timed-out sessions, then demand MFA before any content.
    "config.security.SessionTimeoutMiddleware",
    # The request's user remembers per-request answers (its prisons, its consents per file): accounts/memo.py.
    "accounts.memo.RequestMemoMiddleware",
    "config.security.MFARequiredMiddleware",
    # Every 404/403 on a route naming an object, for the dpo (casework/refusals.py).
    "casework.refusals.AccessRefusalMiddleware",
    # A merged-away file's 404 points to the survivor for who may see it (casework/access.py, ADR 0032).
    "casework.access.MergedFilePointerMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Axes last: it must see the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # Names and dates are shown one way on every page, PDF and e-mail (accounts/display.py):
            # its filters (person_name, local_date, local_datetime) need no {% load %}.
            "builtins": ["accounts.templatetags.display"],
        },
    },
]

# --- Database -----------------------------------------------------------------
# PostgreSQL only, in every environment. `bin/dev-env` finds or starts one for `make run`.
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/disengage")}
# Django's PostgreSQL backend with a bounded connection retry (ops/db/base.py, ADR 0016).
DATABASES["default"]["ENGINE"] = "ops.db"
# How long opening a connection keeps retrying a refusing server (a restart) before the error surfaces.
DISENGAGE_DB_CONNECT_RETRY_SECONDS = env.float("DISENGAGE_DB_CONNECT_RETRY_SECONDS", default=5.0)
# The Retry-After of the 503 page answered when the database stays unreachable.
DISENGAGE_RETRY_AFTER_SECONDS = 10
# Survive a restarted PostgreSQL: drop dead persistent connections before use.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Fail fast instead of hanging a web worker when the database host is unreachable.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", env.int("DJANGO_DB_CONNECT_TIMEOUT", default=5)
)
# Behind PgBouncer in transaction pooling (docker-compose.yml, docs/deploy.md): a server connection is not
# ours beyond one transaction, so no server-side cursors (`.iterator()` would lose its cursor between
# transactions); persistent client connections to PgBouncer itself are cheap and kept.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DJANGO_DISABLE_SERVER_SIDE_CURSORS", default=False)

# --- Reporting reads (config/db_router.py, ADR 0036) ----------------------------------------------------------
# A streaming replica for the dashboards, the yearly figures and the exports. Unset: the `reporting` alias is
# the primary's settings and the router sends nothing to it.
REPORTING_DATABASE_URL = env("REPORTING_DATABASE_URL", default="")
REPORTING_REPLICA = bool(REPORTING_DATABASE_URL)
DATABASES["reporting"] = {
    **(env.db_url_config(REPORTING_DATABASE_URL) if REPORTING_REPLICA else DATABASES["default"]),
    "ENGINE": "ops.db",
    "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
    "CONN_HEALTH_CHECKS": True,
    "DISABLE_SERVER_SIDE_CURSORS": DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"],
    # Tests never build a database for it: it is the primary's test database.
    "TEST": {"MIRROR": "default"},
}
DATABASES["reporting"].setdefault("OPTIONS", {}).setdefault(
    "connect_timeout", DATABASES["default"]["OPTIONS"]["connect_timeout"]
)
DATABASE_ROUTERS = ["config.db_router.ReportingRouter"]

# --- Authentication -------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Axes first so a locked-out username + IP never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's and allauth's backends, answering no without a query for names that are no model
    # permission (the rules permissions): the navigation's checks cost nothing (accounts/backends.py).
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "casework:my_day"
LOGOUT_REDIRECT_URL = "account_login"

# allauth: username login, no self-sign-up (accounts are created by the admin).
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Disengagement"

# Axes: lock by username + IP, with a cool-off so nobody can lock a user out for good.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

# --- Sessions -------------------------------------------------------------------
SESSION_COOKIE_AGE = 60 * 30  # idle timeout: 30 minutes after the last recorded activity
# The session is written only when it changes: config.security.SessionTimeoutMiddleware records the
# last activity at most once per DISENGAGE_SESSION_ACTIVITY_RESOLUTION, so a page view costs no session
# write (three queries) while the stored session still expires 30 minutes after the last activity.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script reads the CSRF cookie: pages hand the token over (the form field, and hx-headers on <body> for htmx).
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation -----------------------------------------------------------
LANGUAGE_CODE = "nl-be"
LANGUAGES = [("nl-be", _("Nederlands")), ("fr-be", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Belgian date formats in the three languages (31/12/2026, 24-hour clock): config/formats/.
FORMAT_MODULE_PATH = ["config.formats"]
# The language cookie (set by the header's switch) like the session cookie: not for scripts, not sent by
# other sites' requests; Secure in production.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = False
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploaded files (consent scans, imports) are served only through authorised views.
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail -----------------------------------------------------------------------
# Files under var/mail/ unless SMTP is configured; e-mails never carry case content.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="disengagement@localhost")
# Where users reach the application: every absolute link in e-mails, calendar feeds and PDFs starts with it
# (config/public_url.py). Required in production (scheme https, no path), checked when the settings load.
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")

# --- Celery -----------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default="redis://127.0.0.1:6379/0"))
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose whole worker died (SIGKILL, OOM, host lost) is unacknowledged; Redis hands it out again after the
# visibility timeout. It must exceed the longest task (300 s hard limit) plus the longest retry countdown (300 s,
# ops/tasks.py), or a slow or waiting task would be delivered twice while still running; 15 minutes does, and is
# still "within minutes" (a killed pool process alone is redelivered at once: reject_on_worker_lost). The reminder
# sweep does not even need it: beat starts a new one every 5 minutes and the rows are the truth (ADR 0016).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 900}
# django-celery-beat's database scheduler, writing a heartbeat that /readyz checks (ops/beat.py).
CELERY_BEAT_SCHEDULER = "ops.beat:HeartbeatScheduler"
# Without Redis, `make run` falls back to Celery's filesystem transport in this folder (bin/dev-env).
if CELERY_BROKER_URL.startswith("filesystem"):
    _broker_folder = env("CELERY_BROKER_FOLDER", default=str(BASE_DIR / "var" / "broker"))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": f"{_broker_folder}/out",
        "data_folder_out": f"{_broker_folder}/out",
        "processed_folder": f"{_broker_folder}/processed",
    }
# Django's LOGGING applies in the worker too (JSON lines, no personal data).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Redis for health checks and the beat heartbeat (the broker URL may use a transport redis-py cannot read).
REDIS_URL = env(
    "REDIS_URL", default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)

# --- REST framework ------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Personal access tokens and service accounts (accounts/tokens.py): hashed, scoped, expiring, only
        # for accounts with two-step verification; answers in the token owner's language.
        "accounts.tokens.ApiTokenAuthentication",
    ],
    # A read-only token may only read, whatever the account could do in the browser.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "accounts.tokens.TokenScope"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": env("API_THROTTLE_USER", default="3000/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Disengagement case management API",
    "DESCRIPTION": "Version 1. The same access rules as the web application apply.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation declares its refusals too (400, 401, 403, 404, 429; 409 on minutes): config/api_schema.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api_schema.declare_error_responses",
    ],
    # Choice sets that share a field name across apps get explicit, stable component names.
    "ENUM_NAME_OVERRIDES": {
        "SessionModalityEnum": "casework.models.Session.Modality",
        "ReleaseModalityEnum": "trajectories.models_release.Release.Modality",
        "ConferenceKindEnum": "casusoverleg.models.Conference.Kind",
        "TrajectoryStatusEnum": "trajectories.models.Status",
        "ActionStatusEnum": "trajectories.models.Action.ActionStatus",
        "ActionUpdateKindEnum": "trajectories.models_partners.ActionUpdate.Kind",
        "CourtConditionKindEnum": "trajectories.models_court.CourtCondition.Kind",
        "ReferralPriorityEnum": "trajectories.models.Trajectory.Priority",
    },
}

# --- Refused accesses (casework/refusals.py) -------------------------------------------------------
# This many refusals by one account within the window e-mail the dpo (an id walk, a misconfigured client).
ACCESS_REFUSAL_BURST = env.int("ACCESS_REFUSAL_BURST", default=20)
ACCESS_REFUSAL_WINDOW_MINUTES = env.int("ACCESS_REFUSAL_WINDOW_MINUTES", default=5)

# --- API tokens (docs/adr/0018) ---------------------------------------------------------------
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# Knox's own migrations create its default token table whatever the swap; ours is accounts.ApiToken, so the
# knox app runs without migrations (its swapped model gets no table).
MIGRATION_MODULES = {"knox": None}
API_TOKEN_MAX_DAYS = 90
REST_KNOX = {
    # Every token carries its own expiry (chosen at creation, at most API_TOKEN_MAX_DAYS); none is renewed.
    "TOKEN_TTL": dt.timedelta(days=API_TOKEN_MAX_DAYS),
    "AUTO_REFRESH": False,
    # Recognisable in a leaked paste or a repository (secret scanners match the prefix).
    "TOKEN_PREFIX": "dsg_",
    "AUTH_HEADER_PREFIX": "Token",
}

# --- Forms --------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- History --------------------------------------------------------------------------
# Inserts, updates and deletes of every tracked case model, with the request context.
PGHISTORY_DEFAULT_TRACKERS = (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
PGHISTORY_MIDDLEWARE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# --- Logging ----------------------------------------------------------------------------
# JSON lines on stdout without case content or personal data (config/logging.py).
from config.logging import build_logging  # noqa: E402

LOGGING = build_logging(env("DJANGO_LOG_LEVEL", default="INFO"), env("DJANGO_LOG_FORMAT", default="json"))

# --- Health ------------------------------------------------------------------------------
# /readyz answers loopback, or a caller presenting this token (monitoring from outside the host).
HEALTH_TOKEN = env("HEALTH_TOKEN", default="")
BEAT_HEARTBEAT_MAX_AGE = env.int("BEAT_HEARTBEAT_MAX_AGE", default=120)
# Each probe's own timeout, and the most /readyz ever waits for all of them together (they run in parallel).
HEALTH_WORKER_PING_TIMEOUT = env.float("HEALTH_WORKER_PING_TIMEOUT", default=0.6)
HEALTH_READYZ_DEADLINE = env.float("HEALTH_READYZ_DEADLINE", default=0.75)
# /readyz fails when a committed job has waited longer than this in the outbox (relay down or broker away).
OUTBOX_MAX_BACKLOG_AGE = env.int("OUTBOX_MAX_BACKLOG_AGE", default=120)

# --- Domain ---------------------------------------------------------------------------
# How many days ahead the caseload and "Mijn dag" look.
DISENGAGE_IMPORT_MAX_ROWS = env.int("DISENGAGE_IMPORT_MAX_ROWS", default=5000)

# --- Security and data protection (docs/security.md) ------------------------------------------------
# Field encryption keys (Fernet, comma-separated; the first encrypts, all decrypt). This default is a
# public development key for `make run` and the tests only; production.py requires the variable.
FIELD_ENCRYPTION_KEYS = env.list(
    "DJANGO_FIELD_ENCRYPTION_KEYS", default=["T4fhB97gnLEcndsIipMfAWhtjFfzF3qdhfJzalG_JOo="]
)
# Key of the blind index (HMAC-SHA256) that makes the encrypted national number unique and searchable.
# Changing it means recomputing the index (docs/security.md). Public development default; production requires it.
NATIONAL_NUMBER_INDEX_KEY = env("DJANGO_NATIONAL_NUMBER_INDEX_KEY", default="dev-national-number-index-key-not-secret")
# Every account needs a TOTP authenticator before it sees any case content (accounts/middleware.py).
DISENGAGE_MFA_REQUIRED = env.bool("DISENGAGE_MFA_REQUIRED", default=True)
# Absolute session lifetime, whatever the activity; the idle timeout is SESSION_COOKIE_AGE.
DISENGAGE_SESSION_MAX_AGE = env.int("DISENGAGE_SESSION_MAX_AGE", default=10 * 60 * 60)
# How stale the recorded last activity may get before a request writes it again (seconds). An idle
# session therefore ends between SESSION_COOKIE_AGE minus this and SESSION_COOKIE_AGE after the last
# request, never later.
DISENGAGE_SESSION_ACTIVITY_RESOLUTION = 60
# Years after closure before a file is anonymised (unless on legal hold): casework/privacy/.
DISENGAGE_RETENTION_YEARS = env.int("DISENGAGE_RETENTION_YEARS", default=10)
# An account starts with an invitation link (docs/adr/0025): valid this many days, used once.
DISENGAGE_INVITATION_DAYS = env.int("DISENGAGE_INVITATION_DAYS", default=7)
# Refused invitation links (unknown, used, replaced, expired) per client address and window (seconds) before
# the page answers 429: a guessing client is stopped long before it could matter (the token has 256 bits).
DISENGAGE_INVITATION_RATE = (env.int("DISENGAGE_INVITATION_RATE", default=20), 600)
# Changing MFA or the e-mail address asks for the password again (allauth re-authentication).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
# Axes log lines name an account by a keyed hash, never by the typed username.
AXES_CLIENT_STR_CALLABLE = "config.security.axes_client_str"
# Background requests that must not keep an idle session alive.
DISENGAGE_SESSION_PASSIVE_URLS = ["notifications:bell"]
# A locked-out login gets a calm page that says when to retry (same for unknown usernames).
AXES_LOCKOUT_TEMPLATE = "security/lockout.html"
# Last line of defence: mask national numbers and e-mail addresses in any log line.
LOGGING.setdefault("filters", {})["content_free"] = {"()": "config.security.ContentFreeLogFilter"}
LOGGING["handlers"]["console"].setdefault("filters", []).append("content_free")

# Content-Security-Policy (django-csp 4): no inline script anywhere; inline <style> only with the
# per-request nonce (FullCalendar reads it from <meta name="csp-nonce">). Pages cannot be framed.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Per-account lockout is axes' job (username + IP, with a cool-off); allauth keeps only a per-IP
# ceiling on failed logins, against password spraying over many usernames.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip"}
# A fixed cool-off: attempts during a lockout do not extend it, so nobody (sharing an address with the
# user, e.g. behind a prison's NAT) can keep an account locked for ever by retrying.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
