"""Notifications keep what they mean (a code and its parameters, accounts/texts.py) and are read in the
reader's language at the time of reading; rows written before keep working (migration 0004)."""

from __future__ import annotations

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as django_apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.backfill import build_index
from accounts.texts import render_code, text_code
from notifications import services
from notifications.models import Notification, Reminder
from tests.trajectories.factories import ActionFactory


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in another language leaves it active in this thread: give the next test the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


BRUSSELS = ZoneInfo("Europe/Brussels")
OVERDUE = {
    "nl-be": "Een actie met vervaldatum 04/05/2026 is over de vervaldatum.",
    "fr-be": "Une action à échéance du 04/05/2026 a dépassé son échéance.",
    "en": "An action due on 04/05/2026 is past its due date.",
}
# Written before a notification named its action (trajectories/reminders.py LEGACY_TEXTS): still readable.
LEGACY_OVERDUE = {
    "nl-be": "Een actie is over de vervaldatum.",
    "fr-be": "Une action a dépassé son échéance.",
    "en": "An action is past its due date.",
}
OVERDUE_CODE = "Een actie met vervaldatum %(day)s is over de vervaldatum."
OPEN_DAYS = "Een actie staat al %(days)s dagen open na de vervaldatum."


def speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_a_code_is_the_source_text_and_renders_in_each_language():
    code = text_code(gettext_lazy(OPEN_DAYS))
    assert code == OPEN_DAYS
    assert render_code(code, {"days": 3}, "en") == "An action has been open for 3 days past its due date."
    assert render_code(code, {"days": 3}, "fr-be") == "Une action est toujours ouverte 3 jours après son échéance."
    assert render_code(code, {"days": 3}, "nl-be") == "Een actie staat al 3 dagen open na de vervaldatum."
    # A context travels with the code.
    assert render_code(text_code(pgettext_lazy("month", "mei")), None, "nl-be") == "mei"


def test_a_broken_parameter_shows_the_source_instead_of_failing():
    assert render_code(OPEN_DAYS, {}, "fr-be") == OPEN_DAYS
    assert (
        render_code("Een tekst die niet in de catalogus staat.", None, "en")
        == "Een tekst die niet in de catalogus staat."
    )


def test_a_notification_is_read_in_the_language_of_its_reader_not_of_its_writing(client, consultant, detainee):
    speaks(consultant, "fr-be")
    ActionFactory(detainee=detainee, owner_user=consultant, due_on=dt.date(2026, 5, 4))
    with time_machine.travel(dt.datetime(2026, 5, 5, 9, 0, tzinfo=BRUSSELS), tick=False):
        services.reminders_sweep()
    notification = Notification.objects.get(kind="action_overdue")
    # Written in French (the e-mail's language), stored with its meaning.
    assert notification.text == OVERDUE["fr-be"] and notification.text_code == OVERDUE_CODE
    client.force_login(consultant)
    assert OVERDUE["fr-be"] in client.get(reverse("notifications:list")).content.decode()
    # The reader switches to English: the same notification now reads in English, on the page and in the API.
    speaks(consultant, "en")
    body = client.get(reverse("notifications:list")).content.decode()
    assert OVERDUE["en"] in body and OVERDUE["fr-be"] not in body
    api = client.get("/api/v1/notifications/").json()
    rows = api["results"] if isinstance(api, dict) else api
    assert rows[0]["text"] == OVERDUE["en"]


def test_an_event_reminder_keeps_its_meaning(consultant, detainee):
    speaks(consultant, "en")
    reminder = services.reminder_schedule(
        kind="handover_conference_proposal",
        obj=detainee,
        recipient=consultant,
        text=gettext_lazy("Vrijlating geregistreerd: plan een overdrachtsoverleg met de opvolgende dienst."),
    )
    assert reminder.text_code == "Vrijlating geregistreerd: plan een overdrachtsoverleg met de opvolgende dienst."
    with translation.override("fr-be"):
        assert reminder.display_text.startswith("Libération enregistrée")


@pytest.mark.parametrize(
    "stored,language",
    [
        ("Een actie staat al 3 dagen open na de vervaldatum.", "nl-be"),
        ("Une action est toujours ouverte 3 jours après son échéance.", "fr-be"),
        ("An action has been open for 3 days past its due date.", "en"),
    ],
)
def test_the_meaning_of_an_old_text_is_found_in_any_language(stored, language):
    assert build_index().meaning_of(stored) == (OPEN_DAYS, {"days": "3"})


def test_the_migration_gives_old_rows_their_meaning_and_leaves_unknown_texts(consultant, detainee):
    old = Notification.objects.create(recipient=consultant, kind="action_overdue", text=LEGACY_OVERDUE["nl-be"])
    params = Notification.objects.create(
        recipient=consultant, kind="action_overdue", text="Une action est toujours ouverte 12 jours après son échéance."
    )
    unknown = Notification.objects.create(recipient=consultant, kind="x", text="Iets dat niemand vertaalde.")
    reminder = Reminder.objects.create(
        kind="action_overdue",
        object_type="casework.detainee",
        object_id=detainee.pk,
        due_on=dt.date(2026, 5, 5),
        due_at=dt.datetime(2026, 5, 5, 7, tzinfo=dt.UTC),
        recipient=consultant,
        text=LEGACY_OVERDUE["en"],
    )
    migration = importlib.import_module("notifications.migrations.0004_backfill_text_codes")
    migration.backfill(django_apps, None)
    for row in (old, params, unknown, reminder):
        row.refresh_from_db()
    assert (old.text_code, old.text_params) == (LEGACY_OVERDUE["nl-be"], None)
    assert (params.text_code, params.text_params) == (OPEN_DAYS, {"days": "12"})
    assert unknown.text_code == "" and unknown.display_text == "Iets dat niemand vertaalde."
    assert reminder.text_code == LEGACY_OVERDUE["nl-be"]
    with translation.override("en"):
        assert params.display_text == "An action has been open for 12 days past its due date."
    migration.forget(django_apps, None)
    old.refresh_from_db()
    assert old.text_code == "" and old.text == LEGACY_OVERDUE["nl-be"]
