"""One way to show a person's name and a date (accounts/display.py), on every page."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from accounts.display import local_date, local_datetime, person_name


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in another language leaves it active in this thread: give the next test the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_a_person_is_first_name_then_last_name(detainee):
    detainee.first_name, detainee.last_name = "Ayoub", "Bakkali"
    assert person_name(detainee) == "Ayoub Bakkali" == str(detainee) == detainee.full_name
    assert person_name({"first_name": "Ayoub", "last_name": "Bakkali"}) == "Ayoub Bakkali"
    assert person_name(first_name=" Ayoub ", last_name="") == "Ayoub"


@pytest.mark.parametrize("language", ["nl-be", "fr-be", "en"])
def test_dates_are_day_first_and_local_in_every_language(language):
    with translation.override(language):
        assert local_date(dt.date(2026, 3, 4)) == "04/03/2026"
        assert local_date("2026-03-04") == "04/03/2026"
        # 23:30 UTC on 31 March is already 1 April in Brussels.
        assert local_date(dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC)) == "01/04/2026"
        assert local_datetime(dt.datetime(2026, 3, 4, 13, 5, tzinfo=dt.UTC)) == "04/03/2026 14:05"
        assert local_date(None) == "" and local_datetime(None) == ""


def test_the_template_filters():
    out = Template("{% load display %}{{ p|person_name }} {{ d|local_date }} {{ m|local_datetime }}").render(
        Context(
            {
                "p": {"first_name": "Ayoub", "last_name": "Bakkali"},
                "d": dt.date(2026, 1, 2),
                "m": dt.datetime(2026, 1, 2, 9, 0, tzinfo=ZoneInfo("Europe/Brussels")),
            }
        )
    )
    assert out == "Ayoub Bakkali 02/01/2026 02/01/2026 09:00"


def test_the_file_the_caseload_and_the_trajectory_name_the_person_alike(client, consultant, detainee):
    client.force_login(consultant)
    name = f"{detainee.first_name} {detainee.last_name}"
    for url in (reverse("casework:detainee_detail", args=[detainee.pk]), reverse("casework:caseload")):
        body = client.get(url).content.decode()
        assert name in body, url
        assert f"{detainee.last_name}, {detainee.first_name}" not in body
        assert f"{detainee.last_name.upper()} {detainee.first_name}" not in body
