"""What is sent to a person is in that person's language, whoever (or whichever process) sends it:
reminders and their e-mails, the notification centre, the calendar feed. Dates follow the language."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy
from icalendar import Calendar

from casusoverleg import services as conference_services
from notifications import services
from notifications.models import Notification
from tests.casusoverleg.factories import schedule
from tests.factories import SessionFactory
from tests.trajectories.factories import ActionFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
OVERDUE = {
    "nl-be": "Een actie met vervaldatum 04/05/2026 is over de vervaldatum.",
    "fr-be": "Une action à échéance du 04/05/2026 a dépassé son échéance.",
    "en": "An action due on 04/05/2026 is past its due date.",
}
NEW_ITEM = {
    "nl-be": "Nieuw item in Disengagement",
    "fr-be": "Nouvel élément dans Disengagement",
    "en": "New item in Disengagement",
}


def speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def test_each_recipient_gets_reminder_and_mail_in_their_own_language(consultant, colleague, manager, detainee):
    speaks(consultant, "fr-be")
    speaks(colleague, "en")
    ActionFactory(detainee=detainee, owner_user=consultant, due_on=dt.date(2026, 5, 4))
    ActionFactory(detainee=detainee, owner_user=colleague, due_on=dt.date(2026, 5, 4))
    ActionFactory(detainee=detainee, owner_user=manager, due_on=dt.date(2026, 5, 4))
    # The sweep runs in a worker (Dutch by default) or in someone's request: neither decides the language.
    with time_machine.travel(dt.datetime(2026, 5, 5, 9, 0, tzinfo=BRUSSELS), tick=False), translation.override("en"):
        result = services.reminders_sweep()
    assert result.sent == 3
    texts = {
        n.recipient.username: n.text
        for n in Notification.objects.filter(kind="action_overdue").select_related("recipient")
    }
    assert texts == {"consultant": OVERDUE["fr-be"], "colleague": OVERDUE["en"], "manager": OVERDUE["nl-be"]}
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        consultant.email: NEW_ITEM["fr-be"],
        colleague.email: NEW_ITEM["en"],
        manager.email: NEW_ITEM["nl-be"],
    }
    french = next(m for m in mail.outbox if m.to == [consultant.email])
    assert "Vous avez un nouvel élément dans Disengagement. Connectez-vous pour le lire." in french.body


def test_an_event_reminder_is_written_in_the_recipients_language(consultant, detainee):
    speaks(consultant, "fr-be")
    with translation.override("nl-be"):
        reminder = services.reminder_schedule(
            kind="handover_conference_proposal",
            obj=detainee,
            recipient=consultant,
            text=gettext_lazy("Vrijlating geregistreerd: plan een overdrachtsoverleg met de opvolgende dienst."),
        )
    assert (
        reminder.text
        == "Libération enregistrée\xa0: planifiez une concertation de transmission avec le service relais."
    )


def test_the_notification_centre_shows_the_stored_text_and_french_month_names(client, consultant, detainee):
    speaks(consultant, "fr-be")
    ActionFactory(detainee=detainee, owner_user=consultant, due_on=dt.date(2026, 5, 4))
    with time_machine.travel(dt.datetime(2026, 5, 5, 9, 0, tzinfo=BRUSSELS), tick=False):
        services.reminders_sweep()
    client.force_login(consultant)
    body = client.get(reverse("notifications:list")).content.decode()
    assert OVERDUE["fr-be"] in body
    assert "5 mai 2026" in body


@pytest.mark.parametrize(
    "language,day",
    [("nl-be", "dinsdag 10 maart 2026"), ("fr-be", "mardi 10 mars 2026"), ("en", "Tuesday 10 March 2026")],
)
def test_dates_are_written_in_the_users_language(client, consultant, detainee, language, day):
    speaks(consultant, language)
    SessionFactory(detainee=detainee, author=consultant, started_at=dt.datetime(2026, 3, 10, 14, 30, tzinfo=BRUSSELS))
    client.force_login(consultant)
    body = client.get(reverse("casework:file_sessions", args=[detainee.pk])).content.decode()
    assert f"{day}, 14:30" in body


@pytest.mark.parametrize("language", ["nl-be", "fr-be", "en"])
def test_short_dates_are_day_first_in_every_language(language):
    from django.utils import formats

    with translation.override(language):
        assert formats.date_format(dt.date(2026, 3, 4), "SHORT_DATE_FORMAT") == "04/03/2026"
        assert formats.date_format(dt.datetime(2026, 3, 4, 14, 5), "SHORT_DATETIME_FORMAT") == "04/03/2026 14:05"
        # Typed dates are read day first too, never the US month-first way.
        assert forms.DateField().clean("04/03/2026") == dt.date(2026, 3, 4)
        assert forms.DateTimeField().clean("04/03/2026 14:05").replace(tzinfo=None) == dt.datetime(2026, 3, 4, 14, 5)


def test_the_calendar_feed_speaks_its_owners_language(client, director, detainee, consultant):
    speaks(consultant, "en")
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS), tick=False):
        conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))
        feed = conference_services.calendar_feed_rotate(user=consultant)
        # The request carries no session and a Dutch browser: only the feed's owner decides.
        response = client.get(reverse("casusoverleg:feed", args=[feed.token]), HTTP_ACCEPT_LANGUAGE="nl-BE")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    event = calendar.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == f"Case conference {conference.reference} — Hasselt"
    assert str(calendar["X-WR-CALNAME"]) == "Case conferences — Sara Peeters"
