"""The conference's basis checked when it matters (ADR 0033): planning, each invitation, approval, the message
that minutes are there. Each symptom of the report "a director plans a conference on consent for a detainee
who has no consent, invites a CGG partner, and nothing warns him; the partner gets two invitations and then a
404, and the approved minutes still say 'basis: consent'" has its own test here.
"""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Organisation
from casework.models import Purpose, Scope
from casework.services import consent_withdraw
from casusoverleg import services
from casusoverleg.basis import Access
from casusoverleg.models import MinutesCopy, Participant
from casusoverleg.services import minutes as services_minutes
from tests.factories import ConsentFactory, DetaineeFactory

from .conftest import BRUSSELS
from .factories import schedule

NAME = "Zonderconsent"


@pytest.fixture
def person(consultant, caw, hasselt):
    """A detainee who has given no consent at all."""
    return DetaineeFactory(
        first_name="Karim", last_name=NAME, organisation=caw, current_prison=hasselt, lead_consultant=consultant
    )


@pytest.fixture
def planned(now, director, person):
    return schedule(director, person, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))


def _approve(conference, director, now):
    now.move_to(conference.ends_at + dt.timedelta(hours=1))
    minutes = conference.minutes_versions.get()
    item = conference.agenda_items.first()
    minutes = services_minutes.minutes_save(
        minutes=minutes,
        user=director,
        revision=minutes.revision,
        notes={item.pk: "Besproken."},
        decisions=[{"text": "Verder", "consensus": True}],
    )
    return services_minutes.minutes_approve(minutes=minutes, user=director)


# --- Symptom 1: nothing warns him --------------------------------------------------------------------------


def test_planning_on_consent_without_any_consent_warns_at_once(client, director, planned):
    client.force_login(director)
    page = client.get(reverse("casusoverleg:detail", args=[planned.pk])).content.decode()
    assert 'data-testid="basis-warning"' in page
    assert "geen enkele lopende toestemming voor casusoverleg" in page


def test_inviting_a_partner_without_consent_warns_and_marks_him_in_the_list(
    client, director, planned, partner_without_consent
):
    client.force_login(director)
    response = client.post(
        reverse("casusoverleg:participant_add", args=[planned.pk]),
        {"participant_user": partner_without_consent.pk, "role": "partner"},
        follow=True,
    )
    page = response.content.decode()
    assert "uitgenodigd zonder toegang tot de inhoud" in page
    assert "Deelnemer toegevoegd en uitgenodigd." not in page
    assert str(Access.NONE.label) in page  # in the participant list
    assert planned.participants.filter(user=partner_without_consent).exists()  # invited all the same


def test_a_consent_for_research_only_is_no_basis_for_a_conference(
    director, planned, person, consultant, partner_without_consent
):
    ConsentFactory(
        detainee=person,
        organisation=partner_without_consent.organisation,
        explained_by=consultant,
        purposes=[Purpose.RESEARCH],
        scopes=[Scope.IDENTITY, Scope.MINUTES],
    )
    participant = services.participant_add(
        conference=planned, user=director, role="partner", participant_user=partner_without_consent
    )
    from casusoverleg.basis import participants_with_basis

    assert participants_with_basis(planned, [participant])[0].basis.access == Access.NONE


def test_a_consent_for_a_conference_gives_the_partner_access(
    director, planned, person, consultant, partner_without_consent
):
    consent = ConsentFactory(
        detainee=person,
        organisation=partner_without_consent.organisation,
        explained_by=consultant,
        purposes=[Purpose.CONFERENCE],
        scopes=[Scope.MINUTES],
    )
    participant = services.participant_add(
        conference=planned, user=director, role="partner", participant_user=partner_without_consent
    )
    from casusoverleg.basis import participants_with_basis

    basis = participants_with_basis(planned, [participant])[0].basis
    assert basis.access == Access.CONSENT and basis.consent == consent


# --- Symptom 2: two invitations ----------------------------------------------------------------------------


def test_a_partner_added_before_the_planning_job_ran_gets_one_invitation(director, planned, partner_without_consent):
    participant = services.participant_add(
        conference=planned, user=director, role="partner", participant_user=partner_without_consent
    )
    mail.outbox.clear()
    # The planning's job (everyone) and the participant's job, relayed one after the other.
    services.conference_invitations_send(conference_id=planned.pk)
    services.conference_invitations_send(conference_id=planned.pk, participant_ids=[participant.pk])
    assert len([m for m in mail.outbox if partner_without_consent.email in m.to]) == 1
    # A move is a new version of the invitation: that one arrives, once.
    services.conference_move(
        conference=planned,
        user=director,
        starts_at=planned.starts_at + dt.timedelta(hours=1),
        ends_at=planned.ends_at + dt.timedelta(hours=1),
    )
    services.conference_invitations_send(conference_id=planned.pk)
    services.conference_invitations_send(conference_id=planned.pk)
    assert len([m for m in mail.outbox if partner_without_consent.email in m.to]) == 2


def test_the_same_person_is_not_invited_twice_under_another_form(director, planned, partner_without_consent):
    services.participant_add(
        conference=planned, user=director, role="partner", participant_user=partner_without_consent
    )
    with pytest.raises(ValidationError) as error:
        services.participant_add(
            conference=planned,
            user=director,
            role="partner",
            name="Dezelfde",
            email=partner_without_consent.email.upper(),
        )
    assert "email" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.participant_add(
            conference=planned, user=director, role="partner", participant_user=partner_without_consent
        )
    assert planned.participants.filter(role="partner").count() == 1


def test_the_invitation_tells_a_partner_without_access_what_stays_closed(director, planned, partner_without_consent):
    participant = services.participant_add(
        conference=planned, user=director, role="partner", participant_user=partner_without_consent
    )
    mail.outbox.clear()
    services.conference_invitations_send(conference_id=planned.pk, participant_ids=[participant.pk])
    (message,) = mail.outbox
    assert "geen toestemming" in message.body and NAME not in message.body


# --- Symptom 3: then a 404 ------------------------------------------------------------------------------------


def test_an_invited_partner_without_access_gets_a_clear_message_not_a_404(
    client, director, planned, partner_without_consent, outsider
):
    services.participant_add(
        conference=planned, user=director, role="partner", participant_user=partner_without_consent
    )
    client.force_login(partner_without_consent)
    response = client.get(reverse("casusoverleg:detail", args=[planned.pk]))
    page = response.content.decode()
    assert response.status_code == 403 and 'data-testid="invited-without-access"' in page
    assert planned.reference in page and NAME not in page and "Karim" not in page
    # Everything else stays closed, and someone not invited still meets a plain 404.
    assert client.get(reverse("casusoverleg:minutes_pdf", args=[planned.pk])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("casusoverleg:detail", args=[planned.pk])).status_code == 404


# --- Symptom 4: the minutes still say "basis: consent" --------------------------------------------------------


def test_the_minutes_state_the_basis_per_participant_as_it_was(
    client,
    now,
    director,
    planned,
    person,
    consultant,
    partner_with_consent,
    partner_without_consent,
    django_capture_on_commit_callbacks,
):
    ConsentFactory(
        detainee=person,
        organisation=partner_with_consent.organisation,
        explained_by=consultant,
        purposes=[Purpose.CONFERENCE],
        scopes=[Scope.IDENTITY, Scope.MINUTES],
    )
    for partner in (partner_with_consent, partner_without_consent):
        services.participant_add(conference=planned, user=director, role="partner", participant_user=partner)
    with django_capture_on_commit_callbacks(execute=True):
        approved = _approve(planned, director, now)
    bases = {p["name"]: p["basis"] for p in approved.snapshot["participants"]}
    assert bases[str(partner_without_consent)] == "Geen toegang tot de inhoud"
    assert bases[str(partner_with_consent)] == "Toestemming voor casusoverleg"
    assert bases[str(director)].startswith("Intern")
    assert approved.snapshot["conference"]["basis_note"]
    # Before anyone is told: the partner without a basis gets no message.
    copies = {c.participant.user_id: c.outcome for c in MinutesCopy.objects.filter(minutes=approved)}
    assert copies[partner_without_consent.pk] == MinutesCopy.Outcome.WITHHELD
    assert copies[partner_with_consent.pk] == MinutesCopy.Outcome.SENT
    client.force_login(director)
    pdf = client.get(reverse("casusoverleg:minutes_pdf", args=[planned.pk])).content
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Geen toegang tot de inhoud" in text and "Toestemming voor casusoverleg" in text


def test_a_consent_withdrawn_before_approval_is_the_basis_the_minutes_state(
    now, director, planned, person, consultant, partner_with_consent
):
    consent = ConsentFactory(
        detainee=person,
        organisation=partner_with_consent.organisation,
        explained_by=consultant,
        purposes=[Purpose.CONFERENCE],
        scopes=[Scope.IDENTITY, Scope.MINUTES],
    )
    services.participant_add(conference=planned, user=director, role="partner", participant_user=partner_with_consent)
    consent_withdraw(consent=consent, user=consultant)
    approved = _approve(planned, director, now)
    bases = {p["name"]: p["basis"] for p in approved.snapshot["participants"]}
    assert bases[str(partner_with_consent)] == "Geen toegang tot de inhoud"


def test_an_art458ter_conference_gives_each_partner_that_basis(now, director, person, partner_without_consent):
    conference = schedule(
        director,
        person,
        starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS),
        kind="ad_hoc",
        basis="art458ter",
        authorisation_reference="PK Limburg 2026/91",
    )
    services.participant_add(
        conference=conference, user=director, role="partner", participant_user=partner_without_consent
    )
    approved = _approve(conference, director, now)
    bases = {p["name"]: p["basis"] for p in approved.snapshot["participants"]}
    assert bases[str(partner_without_consent)] == "Art. 458ter Sw."
    assert not approved.snapshot["conference"]["basis_note"]


@pytest.mark.parametrize("reference", ["", "   ", "abc", "zonder cijfer", "x" * 199 + "1" * 2])
def test_art458ter_needs_a_real_authorisation_reference(now, director, person, reference):
    with pytest.raises(ValidationError) as error:
        schedule(
            director,
            person,
            starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS),
            kind="ad_hoc",
            basis="art458ter",
            authorisation_reference=reference,
        )
    assert "authorisation_reference" in error.value.message_dict


def test_the_planning_form_shows_the_reference_error_on_its_field(client, now, director, person):
    client.force_login(director)
    response = client.post(
        reverse("casusoverleg:create"),
        {
            "detainee": person.pk,
            "prison": person.current_prison_id,
            "kind": "ad_hoc",
            "basis": "art458ter",
            "authorisation_reference": "abc",
            "day": "2026-03-09",
            "start_time": "10:00",
            "end_time": "11:00",
        },
    )
    assert response.status_code == 200
    assert "referentie van een machtiging" in response.content.decode()
    assert not person.conferences.exists()


def test_an_external_participant_of_an_organisation_with_consent_has_that_basis(director, planned, person, consultant):
    cgg = Organisation.objects.get(name="CGG")
    ConsentFactory(
        detainee=person,
        organisation=cgg,
        explained_by=consultant,
        purposes=[Purpose.CONFERENCE],
        scopes=[Scope.MINUTES],
    )
    participant = services.participant_add(
        conference=planned,
        user=director,
        role=Participant.Role.PARTNER,
        name="Extern CGG",
        organisation=cgg,
        email="extern@cgg.example",
    )
    from casusoverleg.basis import participants_with_basis

    assert participants_with_basis(planned, [participant])[0].basis.access == Access.CONSENT


def test_the_api_names_the_basis_of_a_participant_and_warns_at_the_invitation(
    director, planned, partner_without_consent
):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(director)
    response = client.post(
        f"/api/v1/conferences/{planned.pk}/participants/",
        {"user": partner_without_consent.pk, "role": "partner"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["access"] == "none" and "zonder toegang" in response.json()["warning"]
    rows = {row["user"]: row["access"] for row in client.get(f"/api/v1/conferences/{planned.pk}/participants/").json()}
    assert rows[director.pk] == "internal" and rows[partner_without_consent.pk] == "none"
    again = client.post(
        f"/api/v1/conferences/{planned.pk}/participants/",
        {"user": partner_without_consent.pk, "role": "partner"},
        format="json",
    )
    assert again.status_code == 400
