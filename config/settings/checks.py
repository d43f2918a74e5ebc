"""Checks run while the production settings load: a wrong value stops the start with a clear message."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def check_public_base_url(value: str) -> str:
    """`https://host[:port]` without path, query or credentials; returned without a trailing slash."""
    value = (value or "").strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        raise ImproperlyConfigured(f"PUBLIC_BASE_URL must be an https:// address, got {value!r}.")
    if parts.path or parts.query or parts.fragment or parts.username or parts.password:
        raise ImproperlyConfigured(f"PUBLIC_BASE_URL is scheme and host only (no path, query or user), got {value!r}.")
    if parts.hostname in {"example.com", "localhost", "127.0.0.1"}:
        raise ImproperlyConfigured(f"PUBLIC_BASE_URL must be the address users reach, got {value!r}.")
    return value
