"""Production settings. Every secret comes from the environment and has no default."""

from .base import *  # noqa: F403
from .base import env
from .checks import check_public_base_url

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# base.py reads DATABASE_URL with a development default and adds the options that keep a worker alive
# (persistent connections with health checks, a connect timeout that fails fast): here the URL is required,
# and those options stay as base.py set them.
env("DATABASE_URL")
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
# No default: the development key in base.py must never encrypt real data.
FIELD_ENCRYPTION_KEYS = env.list("DJANGO_FIELD_ENCRYPTION_KEYS")
NATIONAL_NUMBER_INDEX_KEY = env("DJANGO_NATIONAL_NUMBER_INDEX_KEY")
DISENGAGE_MFA_REQUIRED = True
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
# No default: a mail that links to the wrong host sends people (and their passwords) elsewhere.
PUBLIC_BASE_URL = check_public_base_url(env("PUBLIC_BASE_URL"))

# --- Transport security ---------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# --- Operations ---------------------------------------------------------------------------------
# The containers' own health checks call http://127.0.0.1:8000/healthz: allow that host, and answer the
# health endpoints over plain HTTP (TLS ends at the reverse proxy; loopback never goes through it).
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1", "localhost"]
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
REDIS_URL = env(
    "REDIS_URL", default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
# Hashed, compressed static files built into the image (ops/storage.py: vendored source maps are not shipped).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "ops.storage.StaticStorage"}}  # noqa: F405
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(STATIC_ROOT))  # noqa: F405
