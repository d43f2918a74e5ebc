"""Development settings used by `make run`.

The demo runs as production does — `DEBUG=False`, so the error pages are the ones users will see and no
technical page lists the URLs — with static files served by whitenoise, as in production. Whitenoise reads
them straight from the finders (static/ and the apps), so no `collectstatic` is needed (compressing the
vendored libraries takes over a minute); production serves the hashed, compressed copies.
`DJANGO_DEBUG=True make run` gives Django's debug pages back while developing."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Pick up an edited stylesheet or script without a restart (whitenoise's development mode).
WHITENOISE_AUTOREFRESH = True
