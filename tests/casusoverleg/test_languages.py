"""Languages around a case conference: each invitation (mail and .ics) in its recipient's language;
the approved minutes frozen once, in Dutch labels and codes whoever approves (one fingerprint), and each
copy — mailed or downloaded — rendered in its reader's language, with what people typed as typed (ADR 0030)."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar
from pypdf import PdfReader

from casusoverleg import services
from casusoverleg.models import Participant
from casusoverleg.pdf import render_minutes_pdf
from casusoverleg.services import minutes as services_minutes

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


def test_each_invitation_is_in_its_recipients_language(
    now, director, consultant, detainee, django_capture_on_commit_callbacks
):
    speaks(director, "fr-be")
    speaks(consultant, "en")
    # The director schedules from a Dutch page: the invitations do not follow the sender.
    with translation.override("nl-be"), django_capture_on_commit_callbacks(execute=True):
        conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))
    by_recipient = {message.to[0]: message for message in mail.outbox}
    french, english = by_recipient[director.email], by_recipient[consultant.email]
    assert french.subject == f"Invitation à la concertation de cas {conference.reference}"
    assert french.body.startswith(
        f"Bonjour,\n\nConcertation de cas {conference.reference} à Hasselt le 09/03/2026 à 10:00."
    )
    assert str(_ics(french).walk("VEVENT")[0]["SUMMARY"]) == f"Concertation de cas {conference.reference} — Hasselt"
    assert english.subject == f"Case conference invitation {conference.reference}"
    assert "on 09/03/2026 at 10:00" in english.body
    assert str(_ics(english).walk("VEVENT")[0]["DESCRIPTION"]).startswith("Details after signing in")


def test_an_external_participant_is_invited_in_dutch(now, conference, director, django_capture_on_commit_callbacks):
    speaks(director, "fr-be")
    mail.outbox.clear()
    with translation.override("fr-be"), django_capture_on_commit_callbacks(execute=True):
        services.participant_add(
            conference=conference,
            user=director,
            role=Participant.Role.OTHER,
            name="Externe deskundige",
            email="extern@example.org",
        )
    assert [m.subject for m in mail.outbox] == [f"Uitnodiging casusoverleg {conference.reference}"]


def test_a_cancellation_after_removal_is_in_the_removed_users_language(
    now, conference, director, consultant, django_capture_on_commit_callbacks
):
    speaks(consultant, "en")
    participant = conference.participants.get(user=consultant)
    participant.invited_at = timezone.now()  # only an invited person gets a cancellation
    participant.save(update_fields=["invited_at"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_remove(participant=participant, user=director)
    assert [m.subject for m in mail.outbox] == [f"Cancelled: case conference {conference.reference}"]


DUTCH_FIXED = (
    "VERTROUWELIJK",
    "Verslag casusoverleg",
    "Deelnemers",
    "Beslissingen",
    "Opvolging openstaande acties",
    "Geen notities bij dit punt",
    "Vingerafdruk",
    "Voorzitter",
    "Periodiek",
    "Pagina",
)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_snapshot_is_dutch_and_each_copy_is_in_its_readers_language(
    client,
    now,
    conference,
    director,
    detainee,
    minutes_consent,
    partner_with_consent,
    django_capture_on_commit_callbacks,
):
    speaks(director, "en")
    speaks(partner_with_consent, "fr-be")
    services.participant_add(
        conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner_with_consent
    )
    # The agenda is generated while a French-speaking user looks at it.
    with translation.override("fr-be"):
        services.agenda_refresh(conference=conference, user=director)
    assert conference.agenda_items.filter(title="Opvolging openstaande acties").exists()
    now.move_to(dt.datetime(2026, 3, 9, 13, 0, tzinfo=BRUSSELS))
    minutes = _fill(_draft(conference), director)
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        approved = services_minutes.minutes_approve(minutes=minutes, user=director)
    # The snapshot (and so the fingerprint) holds Dutch labels and each point's meaning, whoever approved.
    assert approved.snapshot["conference"]["kind"] == "Periodiek"
    assert {p["role"] for p in approved.snapshot["participants"]} >= {"Voorzitter", "Partner"}
    actions = next(item for item in approved.snapshot["agenda"] if item["source"] == "actions")
    assert actions["title"] == "Opvolging openstaande acties" and actions["body_parts"]

    notices = {m.to[0]: m for m in mail.outbox}
    partner_mail = notices[partner_with_consent.email]
    assert partner_mail.subject == f"Procès-verbal de la concertation de cas {conference.reference}"
    assert not partner_mail.attachments and "Connectez-vous" in partner_mail.body
    client.force_login(partner_with_consent)
    text = _text(client.get(reverse("casusoverleg:minutes_pdf", args=[conference.pk])).content)
    for french in (
        "CONFIDENTIEL",
        "Procès-verbal de la concertation de cas",
        "Participants",
        "Décisions",
        "Suivi des actions en cours",
        "Périodique",
        "Président",
        "Empreinte",
    ):
        assert french in text
    assert not [words for words in DUTCH_FIXED if words in text]
    # What people typed stays as typed; the fingerprint on the copy is the approved one.
    assert "Werkplek zoeken" in text and "Constructief overleg." in text
    assert approved.fingerprint in text.replace("\n", "").replace(" ", "")


def test_a_downloaded_copy_follows_the_readers_language_and_the_default_is_dutch(
    client, now, conference, director, django_capture_on_commit_callbacks
):
    now.move_to(dt.datetime(2026, 3, 9, 13, 0, tzinfo=BRUSSELS))
    with django_capture_on_commit_callbacks(execute=True):
        approved = services_minutes.minutes_approve(minutes=_fill(_draft(conference), director), user=director)
    assert "Verslag casusoverleg" in _text(render_minutes_pdf(approved, recipient="Lezer"))
    english = _text(render_minutes_pdf(approved, recipient="Reader", language="en"))
    assert "Case conference minutes" in english and "Decisions" in english
    assert not [words for words in DUTCH_FIXED if words in english]

    speaks(director, "fr-be")
    client.force_login(director)
    response = client.get(reverse("casusoverleg:minutes_pdf", args=[conference.pk]))
    assert response.status_code == 200
    french = _text(response.content)
    assert "Procès-verbal de la concertation de cas" in french and not [w for w in DUTCH_FIXED if w in french]


def test_minutes_approved_before_the_snapshot_kept_meaning_are_read_in_the_readers_language_too(
    now, conference, director, django_capture_on_commit_callbacks
):
    now.move_to(dt.datetime(2026, 3, 9, 13, 0, tzinfo=BRUSSELS))
    services.agenda_item_add(conference=conference, user=director, title="Vrij punt over de werkplaats", body="Getypt.")
    with django_capture_on_commit_callbacks(execute=True):
        approved = services_minutes.minutes_approve(minutes=_fill(_draft(conference), director), user=director)
    fingerprint = approved.fingerprint
    # As such minutes were stored: the points' Dutch words only.
    approved.snapshot["agenda"] = [
        {key: value for key, value in item.items() if key not in ("source", "body_parts")}
        for item in approved.snapshot["agenda"]
    ]
    text = _text(render_minutes_pdf(approved, recipient="Lecteur", language="fr-be"))
    assert "Suivi des actions en cours" in text and "Opvolging openstaande acties" not in text
    assert "Vrij punt over de werkplaats" in text and "Getypt." in text  # a free point, as typed
    # A point whose words no longer match the conference's item stays exactly as approved.
    approved.snapshot["agenda"][0]["body"] = "Anders dan het agendapunt."
    text = _text(render_minutes_pdf(approved, recipient="Lecteur", language="fr-be"))
    assert "Opvolging openstaande acties" in text and "Anders dan het agendapunt." in text
    assert approved.fingerprint == fingerprint
