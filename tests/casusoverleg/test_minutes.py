"""Minutes: draft → approved by the chair → locked; corrections as new versions; the version check; the PDF."""

import datetime as dt
import hashlib
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from casework.models import Disclosure
from casusoverleg import services
from casusoverleg.models import Conference, Minutes, MinutesCopy, Participant
from casusoverleg.services import minutes as services_minutes
from trajectories.models import Action

from .conftest import BRUSSELS

pytestmark = pytest.mark.django_db


def _draft(conference):
    return conference.minutes_versions.get(number=1)


def _fill(minutes, user, *, revision=None, owner=None, due=dt.date(2026, 4, 1), **extra):
    item = minutes.conference.agenda_items.first()
    return services_minutes.minutes_save(
        minutes=minutes,
        user=user,
        revision=minutes.revision if revision is None else revision,
        general_notes="Constructief overleg.",
        notes={item.pk: "Opleiding loopt goed."},
        decisions=extra.get(
            "decisions",
            [
                {
                    "text": "Verlof voorbereiden",
                    "consensus": False,
                    "dissent_who": "PSD",
                    "dissent_why": "Te vroeg na het incident.",
                }
            ],
        ),
        actions=extra.get("actions", [{"description": "Werkplek zoeken", "owner_user": owner or user, "due_on": due}]),
    )


@pytest.fixture
def held(conference, now):
    """The conference has taken place (time moved past it)."""
    now.move_to(dt.datetime(2026, 3, 9, 13, 0, tzinfo=BRUSSELS))
    return conference


def test_save_bumps_revision_and_marks_the_conference(held, director):
    minutes = _fill(_draft(held), director)
    assert minutes.revision == 1
    held.refresh_from_db()
    assert held.status == Conference.Status.MINUTES_DRAFT
    assert minutes.decisions.get().dissent_who == "PSD"


def test_a_stale_save_is_refused_and_changes_nothing(held, director, consultant):
    minutes = _draft(held)
    _fill(minutes, director)
    with pytest.raises(services_minutes.MinutesConflict) as caught:
        _fill(Minutes.objects.get(pk=minutes.pk), consultant, revision=0, decisions=[])
    assert "intussen bewaard" in str(caught.value.message_dict["revision"])
    assert caught.value.current.revision == 1
    assert minutes.decisions.count() == 1


def test_action_needs_an_owner_and_a_due_date_not_before_the_meeting(held, director):
    minutes = _draft(held)
    with pytest.raises(ValidationError) as caught:
        _fill(
            minutes,
            director,
            actions=[
                {"description": "Zonder eigenaar", "owner_user": None, "due_on": dt.date(2026, 4, 1)},
                {"description": "Te vroeg", "owner_user": director, "due_on": dt.date(2026, 3, 8)},
            ],
        )
    text = " ".join(caught.value.message_dict["actions"])
    assert "eigenaar" in text and "vóór het overleg" in text
    assert Minutes.objects.get(pk=minutes.pk).revision == 0


def test_dissent_needs_who_and_why(held, director):
    with pytest.raises(ValidationError) as caught:
        _fill(
            _draft(held), director, decisions=[{"text": "X", "consensus": False, "dissent_who": "", "dissent_why": ""}]
        )
    assert "wie niet akkoord" in caught.value.message_dict["decisions"][0]


def test_only_the_chair_approves(held, director, consultant):
    minutes = _fill(_draft(held), director)
    with pytest.raises(ValidationError) as caught:
        services_minutes.minutes_approve(minutes=minutes, user=consultant)
    assert "voorzitter" in caught.value.message_dict["approved_by"][0]
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.DRAFT


def test_minutes_of_a_future_meeting_cannot_be_approved(conference, director):
    minutes = _fill(_draft(conference), director, due=dt.date(2026, 3, 20))
    with pytest.raises(ValidationError):
        services_minutes.minutes_approve(minutes=minutes, user=director)


def test_approval_freezes_creates_shared_actions_and_locks(held, director, django_capture_on_commit_callbacks):
    minutes = _fill(_draft(held), director)
    with django_capture_on_commit_callbacks(execute=True):
        approved = services_minutes.minutes_approve(minutes=minutes, user=director)
    assert approved.fingerprint == hashlib.sha256(services_minutes.canonical_bytes(approved.snapshot)).hexdigest()
    action = Action.objects.get(conference_links__minutes=approved)
    assert action.source_kind == Action.SourceKind.CONFERENCE_DECISION and action.owner_user == director
    with pytest.raises(ValidationError) as caught:
        _fill(approved, director)
    assert "liggen vast" in caught.value.message_dict["status"][0]


def test_a_correction_is_a_new_version_and_keeps_the_old_one(held, director, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        v1 = services_minutes.minutes_approve(minutes=_fill(_draft(held), director), user=director)
    v2 = services_minutes.minutes_correct(minutes=v1, user=director, reason="Tikfout in beslissing")
    assert v2.number == 2 and v2.status == Minutes.Status.DRAFT
    _fill(v2, director, decisions=[{"text": "Verlof voorbereiden (gecorrigeerd)", "consensus": True}], actions=[])
    with django_capture_on_commit_callbacks(execute=True):
        v2 = services_minutes.minutes_approve(minutes=Minutes.objects.get(pk=v2.pk), user=director)
    v1.refresh_from_db()
    assert v1.is_approved and v1.snapshot["decisions"][0]["consensus"] is False
    assert v2.snapshot["decisions"][0]["text"].endswith("(gecorrigeerd)")
    assert v1.fingerprint != v2.fingerprint
    # The correction dropped the action: the shared action is cancelled, not silently left open.
    assert Action.objects.get(conference_links__minutes=v1).status == Action.ActionStatus.CANCELLED


def test_the_minutes_are_announced_never_attached_and_each_download_is_a_disclosure(
    client,
    held,
    director,
    detainee,
    minutes_consent,
    partner_with_consent,
    partner_without_consent,
    django_capture_on_commit_callbacks,
):
    from django.urls import reverse

    services.participant_add(
        conference=held, user=director, role=Participant.Role.PARTNER, participant_user=partner_with_consent
    )
    services.participant_add(
        conference=held, user=director, role=Participant.Role.PARTNER, participant_user=partner_without_consent
    )
    minutes = _fill(_draft(held), director)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approved = services_minutes.minutes_approve(minutes=minutes, user=director)
    copies = {
        c.participant.user: c for c in MinutesCopy.objects.filter(minutes=approved).select_related("participant__user")
    }
    assert copies[partner_with_consent].outcome == MinutesCopy.Outcome.SENT
    assert copies[partner_without_consent].outcome == MinutesCopy.Outcome.WITHHELD
    assert copies[director].outcome == MinutesCopy.Outcome.INTERNAL
    told = {m.to[0]: m for m in mail.outbox}
    assert partner_without_consent.email not in told
    assert not any(m.attachments for m in mail.outbox)
    notice = told[partner_with_consent.email]
    assert f"/casusoverleg/{held.pk}/" in notice.body and "Meld je aan" in notice.body
    assert not Disclosure.objects.filter(object_kind="minutes").exists()  # nothing has left yet

    # The partner signs in and downloads his own copy: that is the disclosure, with the file's SHA-256.
    client.force_login(partner_with_consent)
    pdf_bytes = client.get(reverse("casusoverleg:minutes_pdf", args=[held.pk])).content
    disclosure = Disclosure.objects.get(object_kind="minutes")
    assert disclosure.file_sha256 == hashlib.sha256(pdf_bytes).hexdigest()
    assert disclosure.consent == minutes_consent and disclosure.basis == "consent"
    reader = PdfReader(io.BytesIO(pdf_bytes))
    text = "\n".join(page.extract_text() for page in reader.pages)
    compact = text.replace("\n", "").replace(" ", "")
    assert "VERTROUWELIJK" in text
    assert "El Amrani" in text and "Hasselt" in text
    assert "Tevroegnahetincident" in compact  # the dissent, why
    assert "Werkplek zoeken" in text
    assert f"Pagina 1 / {len(reader.pages)}" in text
    assert approved.fingerprint in compact
    assert str(partner_with_consent).replace(" ", "") in compact  # watermark
    assert services_minutes.fingerprint_of(approved.snapshot) == approved.fingerprint


def test_an_external_participant_without_an_account_is_not_sent_the_minutes(
    held, director, django_capture_on_commit_callbacks
):
    services.participant_add(
        conference=held,
        user=director,
        role=Participant.Role.OTHER,
        name="Externe deskundige",
        email="extern@example.org",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approved = services_minutes.minutes_approve(minutes=_fill(_draft(held), director), user=director)
    copy = MinutesCopy.objects.get(minutes=approved, participant__email="extern@example.org")
    assert copy.outcome == MinutesCopy.Outcome.WITHHELD and "Geen account" in copy.reason
    assert "extern@example.org" not in {m.to[0] for m in mail.outbox}


def test_art458ter_covers_attending_participants_and_withdrawn_consent_stops_sending(
    now,
    director,
    detainee,
    partner_with_consent,
    partner_without_consent,
    minutes_consent,
    django_capture_on_commit_callbacks,
):
    from .factories import schedule

    conf = schedule(
        director,
        detainee,
        starts_at=dt.datetime(2026, 3, 4, 10, 0, tzinfo=BRUSSELS),
        kind="ad_hoc",
        basis="art458ter",
        authorisation_reference="PK Limburg 2026/77",
    )
    for user in (partner_with_consent, partner_without_consent):
        services.participant_add(conference=conf, user=director, role=Participant.Role.PARTNER, participant_user=user)
    minutes_consent.withdrawn_on = dt.date(2026, 3, 2)
    minutes_consent.save()
    now.move_to(dt.datetime(2026, 3, 4, 12, 0, tzinfo=BRUSSELS))
    attended = {p.pk: p.user_id != partner_with_consent.pk for p in conf.participants.all()}
    services.attendance_record(conference=conf, user=director, attended=attended)
    with django_capture_on_commit_callbacks(execute=True):
        approved = services_minutes.minutes_approve(
            minutes=_fill(_draft(conf), director, due=dt.date(2026, 4, 1)), user=director
        )
    copies = {
        c.participant.user_id: c
        for c in MinutesCopy.objects.filter(minutes=approved).select_related("participant", "disclosure")
    }
    covered = copies[partner_without_consent.pk]
    assert covered.outcome == MinutesCopy.Outcome.SENT
    # His download is the disclosure, on the conference's art. 458ter basis.
    disclosure = services_minutes.minutes_download_record(
        minutes=approved, user=partner_without_consent, file_sha256="0" * 64
    ).disclosure
    assert disclosure.basis == "art458ter" and disclosure.legal_reference == "PK Limburg 2026/77"
    # Absent and his organisation's consent withdrawn: nothing is sent.
    assert copies[partner_with_consent.pk].outcome == MinutesCopy.Outcome.WITHHELD


def test_invitee_answers_his_own_invitation_only(
    client, now, director, conference, partner_with_consent, minutes_consent, outsider
):
    from django.urls import reverse

    mine = services.participant_add(
        conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner_with_consent
    )
    lead = conference.participants.get(role=Participant.Role.CONSULTANT)
    client.force_login(partner_with_consent)
    client.post(reverse("casusoverleg:participant_respond", args=[conference.pk, mine.pk]), {"response": "declined"})
    assert (
        client.post(
            reverse("casusoverleg:participant_respond", args=[conference.pk, lead.pk]), {"response": "declined"}
        ).status_code
        == 404
    )
    mine.refresh_from_db()
    lead.refresh_from_db()
    assert mine.response == "declined" and lead.response == "none"
