"""Helpers for the security tests: real logins through allauth, TOTP codes, MFA switched on."""

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.urls import reverse

PASSWORD = "demo-password-123"  # tests.factories.UserFactory
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret: str = TOTP_SECRET) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def password_login(client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": username, "password": password}, **extra)


@pytest.fixture
def mfa_required(settings):
    settings.DISENGAGE_MFA_REQUIRED = True


@pytest.fixture(autouse=True)
def fresh_cache():
    """allauth's login rate limits and used TOTP codes live in the cache: no test may inherit them."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
