"""What the merge tests share: a second file of the same person, and a logged-in client."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import DetaineeFactory


@pytest.fixture
def duplicate(detainee, consultant, caw, hasselt):
    """A second file of the same person (Youssef El Amrani), opened by hand in the same organisation."""
    return DetaineeFactory(
        first_name="Youssef",
        last_name="El Amrany",
        organisation=caw,
        current_prison=hasselt,
        lead_consultant=consultant,
        date_of_birth=detainee.date_of_birth,
    )


def _client(user):
    client = Client()
    client.force_login(user)
    return client
