"""Test settings: fast hasher, in-memory e-mail, temporary media, eager Celery.

Integration tests that need a real worker override CELERY_TASK_ALWAYS_EAGER themselves."""

import tempfile

from tests import parallel

from .base import *  # noqa: F403
from .base import REDIS_URL, env

DEBUG = False
SECRET_KEY = "test-only-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = []
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="disengage-media-")
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default="redis://127.0.0.1:6379/15"))
# Under pytest-xdist each worker has a Redis database of its own (tests/parallel.py); unchanged otherwise.
CELERY_BROKER_URL = parallel.redis_url(CELERY_BROKER_URL)
REDIS_URL = parallel.redis_url(REDIS_URL)
# Test-only assets (axe-core for the accessibility journeys) are served by the test live server only, never
# collected into production's static files.
STATICFILES_DIRS = [*STATICFILES_DIRS, BASE_DIR / "tests" / "browser" / "static"]  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
AXES_ENABLED = env.bool("AXES_ENABLED", default=False)
# The whole suite comes from one address (the matrix and the page walks ask for made-up invitation links);
# tests/accounts/test_invitations.py lowers the ceiling where it tests it.
DISENGAGE_INVITATION_RATE = (100_000, 600)
# MFA enforcement is off for the suite so every app's tests and browser journeys log in with a
# password; tests/security turns it on with override_settings (docs/adr/0007-security-hardening.md).
DISENGAGE_MFA_REQUIRED = False
