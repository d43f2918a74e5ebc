"""The fast daily flow: the quick session log from "Mijn dag", its defaults, and a name search that
ignores accents (the browser journeys are in tests/browser/test_keyboard_journeys.py)."""

import datetime as dt
import importlib

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from casework.forms import SessionForm
from casework.models import Detainee, Session
from casework.text import fold
from tests.factories import DetaineeFactory, SessionFactory

NOW = dt.datetime(2026, 5, 12, 8, 0, tzinfo=dt.UTC)  # 10:00 in Brussels


def quick_url(detainee) -> str:
    return reverse("casework:session_create", args=[detainee.pk]) + "?vanuit=mijn-dag"


@time_machine.travel(NOW, tick=False)
def test_the_default_modality_is_the_detainees_last_then_the_users_last(consultant, colleague, detainee, caw):
    SessionFactory(
        detainee=DetaineeFactory(organisation=caw),
        author=consultant,
        modality="phone",
        started_at=timezone.now() - dt.timedelta(hours=3),
    )
    # Nothing yet on this file: the consultant's own last modality.
    assert SessionForm.initial_for(consultant, detainee)["modality"] == "phone"
    SessionFactory(
        detainee=detainee, author=colleague, modality="video", started_at=timezone.now() - dt.timedelta(days=4)
    )
    initial = SessionForm.initial_for(consultant, detainee)
    assert initial["modality"] == "video"  # how this detainee was last seen, whoever saw him
    assert initial["duration_minutes"] == 60 and initial["attendance"] == "attended"
    assert initial["started_at"] == timezone.localtime().replace(second=0, microsecond=0)


def test_a_first_session_ever_defaults_to_in_person_in_prison(consultant, detainee):
    assert SessionForm.initial_for(consultant, detainee)["modality"] == Session.Modality.IN_PERSON_PRISON


@time_machine.travel(NOW, tick=False)
def test_my_day_offers_the_quick_log_per_file(client, consultant, detainee):
    client.force_login(consultant)
    body = client.get(reverse("casework:my_day")).content.decode()
    assert f'href="{quick_url(detainee)}"' in body


@time_machine.travel(NOW, tick=False)
def test_the_quick_log_starts_in_the_summary_and_returns_to_my_day(client, consultant, detainee):
    client.force_login(consultant)
    page = client.get(quick_url(detainee))
    form, body = page.context["form"], page.content.decode()
    assert "autofocus" not in str(form["started_at"])
    assert body.count("autofocus") == 1 and 'aria-describedby="summary-help" autofocus' in body
    assert f'href="{reverse("casework:my_day")}">' in body  # cancel goes back where the user came from

    data = {
        "started_at": "2026-05-12T10:00",
        "duration_minutes": "60",
        "modality": "video",
        "attendance": "attended",
        "summary": "Routinegesprek.",
        "confidential_notes": "",
    }
    response = client.post(quick_url(detainee), data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("casework:my_day")
    assert "Het contactmoment is opgeslagen." in response.content.decode()
    assert Session.objects.get(detainee=detainee).summary == "Routinegesprek."


@time_machine.travel(NOW, tick=False)
def test_a_refused_quick_log_stays_a_quick_log(client, consultant, detainee):
    client.force_login(consultant)
    response = client.post(
        quick_url(detainee),
        {
            "started_at": "2026-05-13T10:00",
            "duration_minutes": "60",
            "modality": "video",
            "attendance": "attended",
            "summary": "x",
        },
    )
    assert response.status_code == 400 and response.context["quick"] is True
    assert not Session.objects.exists()


def test_the_file_keeps_its_own_flow_and_an_unknown_origin_is_ignored(client, consultant, detainee):
    client.force_login(consultant)
    for url in (
        reverse("casework:session_create", args=[detainee.pk]),
        reverse("casework:session_create", args=[detainee.pk]) + "?vanuit=elders",
    ):
        page = client.get(url)
        assert page.context["quick"] is False
        assert "autofocus" in str(page.context["form"]["started_at"])


@pytest.mark.parametrize(
    "name, typed",
    [
        ("Elif Şahin", "elif sahin"),
        ("Yoûssef Benali", "YOUSSEF"),
        ("Mehmet Yıldız", "yildiz"),
        ("İsmail Öztürk", "ismail ozturk"),
        ("Łukasz Nowak", "lukasz"),
        ("Pieter D’Hondt", "d'hondt"),
    ],
)
def test_the_name_search_ignores_accents_and_special_letters(consultant, caw, name, typed):
    first, last = name.split(" ", 1)
    person = DetaineeFactory(first_name=first, last_name=last, search_name=fold(name), organisation=caw)
    DetaineeFactory(first_name="Jonas", last_name="Peeters", search_name="jonas peeters", organisation=caw)
    assert list(Detainee.objects.search(typed)) == [person]


def test_the_migration_refolds_names_saved_with_the_narrower_fold(caw):
    person = DetaineeFactory(first_name="Mehmet", last_name="Yıldız", organisation=caw)
    with connection.cursor() as cursor:  # what the earlier fold stored: the dotless i kept
        cursor.execute("UPDATE casework_detainee SET search_name = %s WHERE id = %s", ["mehmet yıldız", person.pk])
    events_before = person.events.count()
    migration = importlib.import_module("casework.migrations.0006_refold_search_names")
    migration.refold(apps, connection.schema_editor())
    person.refresh_from_db()
    assert person.search_name == "mehmet yildiz"
    assert person.events.count() == events_before  # a derived column, not a change in the history
