"""What the case-file API tests share: a fixed now, a client with a real API token, a session payload."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from tests.factories import api_token_for

BRUSSELS = ZoneInfo("Europe/Brussels")
NOW = dt.datetime(2026, 3, 10, 14, 0, tzinfo=BRUSSELS)
VALID_NATIONAL_NUMBER = "85073003328"


@pytest.fixture(autouse=True)
def fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield


def api_as(user) -> APIClient:
    """A client authenticated with a real API token, as an integration would be."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {_token(user)}")
    return client


_TOKENS: dict = {}


def _token(user) -> str:
    """One token per user per test (the database is rolled back between tests, the key is the user's pk
    and the test's token row)."""
    from accounts.models import ApiToken

    key = user.pk
    if key not in _TOKENS or not ApiToken.objects.filter(user=user, token_key=_TOKENS[key][:15]).exists():
        _TOKENS[key] = api_token_for(user)
    return _TOKENS[key]


def session_payload(detainee, **overrides):
    payload = {
        "detainee": detainee.pk,
        "started_at": (NOW - dt.timedelta(hours=2)).isoformat(),
        "duration_minutes": 45,
        "modality": "in_person_prison",
        "attendance": "attended",
        "engagement": 4,
        "domains": ["psychosocial", "social_context"],
        "summary": "Gesprek over werk na vrijlating.",
        "confidential_notes": "Vertrouwelijk: zorgen over broer.",
    }
    payload.update(overrides)
    return payload
