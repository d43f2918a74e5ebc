"""Languages around a case conference: each invitation (mail and .ics) in its recipient's language;
the official minutes — snapshot, PDF and generated agenda — in Dutch whoever approves or reads them
(docs/design.md §3); the mail that carries a minutes copy in its recipient's language."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.utils import timezone, translation
from icalendar import Calendar
from pypdf import PdfReader

from casusoverleg import services, services_minutes
from casusoverleg.models import Participant
from casusoverleg.pdf import render_minutes_pdf

from .conftest import BRUSSELS
from .factories import schedule
from .test_minutes import _draft, _fill

pytestmark = pytest.mark.django_db


def speaks(user, language):
    user.language = language
    user.save(update_fields=["language"])
    return user


def _ics(message) -> Calendar:
    return Calendar.from_ical(message.attachments[0][1])


def test_each_invitation_is_in_its_recipients_language(now, director, consultant, detainee,
                                                        django_capture_on_commit_callbacks):
    speaks(director, "fr-be")
    speaks(consultant, "en")
    # The director schedules from a Dutch page: the invitations do not follow the sender.
    with translation.override("nl-be"), django_capture_on_commit_callbacks(execute=True):
        conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))
    by_recipient = {message.to[0]: message for message in mail.outbox}
    french, english = by_recipient[director.email], by_recipient[consultant.email]
    assert french.subject == f"Invitation à la concertation de cas {conference.reference}"
    assert french.body.startswith(f"Bonjour,\n\nConcertation de cas {conference.reference} à Hasselt le 09/03/2026 à 10:00.")
    assert str(_ics(french).walk("VEVENT")[0]["SUMMARY"]) == f"Concertation de cas {conference.reference} — Hasselt"
    assert english.subject == f"Case conference invitation {conference.reference}"
    assert "on 09/03/2026 at 10:00" in english.body
    assert str(_ics(english).walk("VEVENT")[0]["DESCRIPTION"]).startswith("Details after signing in")


def test_an_external_participant_is_invited_in_dutch(now, conference, director, django_capture_on_commit_callbacks):
    speaks(director, "fr-be")
    mail.outbox.clear()
    with translation.override("fr-be"), django_capture_on_commit_callbacks(execute=True):
        services.participant_add(conference=conference, user=director, role=Participant.Role.OTHER,
                                 name="Externe deskundige", email="extern@example.org")
    assert [m.subject for m in mail.outbox] == [f"Uitnodiging casusoverleg {conference.reference}"]


def test_a_cancellation_after_removal_is_in_the_removed_users_language(now, conference, director, consultant,
                                                                       django_capture_on_commit_callbacks):
    speaks(consultant, "en")
    participant = conference.participants.get(user=consultant)
    participant.invited_at = timezone.now()  # only an invited person gets a cancellation
    participant.save(update_fields=["invited_at"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_remove(participant=participant, user=director)
    assert [m.subject for m in mail.outbox] == [f"Cancelled: case conference {conference.reference}"]


def test_the_minutes_stay_dutch_and_each_copy_mail_follows_its_reader(now, conference, director, detainee, minutes_consent,
                                                                      partner_with_consent,
                                                                      django_capture_on_commit_callbacks):
    speaks(director, "en")
    speaks(partner_with_consent, "fr-be")
    services.participant_add(conference=conference, user=director, role=Participant.Role.PARTNER,
                             participant_user=partner_with_consent)
    # The agenda is generated while a French-speaking user looks at it.
    with translation.override("fr-be"):
        services.agenda_refresh(conference=conference, user=director)
    assert conference.agenda_items.filter(title="Opvolging openstaande acties").exists()
    now.move_to(dt.datetime(2026, 3, 9, 13, 0, tzinfo=BRUSSELS))
    minutes = _fill(_draft(conference), director)
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        approved = services_minutes.minutes_approve(minutes=minutes, user=director)
    # The snapshot (and so the fingerprint) holds Dutch labels, whatever the approver's language.
    assert approved.snapshot["conference"]["kind"] == "Periodiek"
    assert {p["role"] for p in approved.snapshot["participants"]} >= {"Voorzitter", "Partner"}

    copies = {m.to[0]: m for m in mail.outbox if m.attachments and m.attachments[0][2] == "application/pdf"}
    partner_mail = copies[partner_with_consent.email]
    assert partner_mail.subject == f"Procès-verbal de la concertation de cas {conference.reference}"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(partner_mail.attachments[0][1])).pages)
    assert "VERTROUWELIJK" in text and "Deelnemers" in text and "Beslissingen" in text
    assert "Participants" not in text and "CONFIDENTIEL" not in text


def test_the_minutes_pdf_downloaded_by_a_french_reader_is_dutch(now, conference, director,
                                                                django_capture_on_commit_callbacks):
    now.move_to(dt.datetime(2026, 3, 9, 13, 0, tzinfo=BRUSSELS))
    with django_capture_on_commit_callbacks(execute=True):
        approved = services_minutes.minutes_approve(minutes=_fill(_draft(conference), director), user=director)
    with translation.override("fr-be"):
        pdf = render_minutes_pdf(approved, recipient="Lecteur")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Verslag casusoverleg" in text and "Acties" in text
