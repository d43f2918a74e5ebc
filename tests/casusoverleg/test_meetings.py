"""Meetings after release, outside detention (docs/adr/0041): the organiser plans and chairs an LIVC or
justice-house meeting on consent or on the sentence enforcement court's mandate, sees only the detainees of his
meetings while a basis holds, and runs agenda, minutes, approval and the PDF like a director in his prison."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from casework.models import AccessRefusal, Consent
from casusoverleg import services
from casusoverleg.models import Conference, Minutes, MinutesCopy
from casusoverleg.services import minutes as services_minutes
from casusoverleg.services.meetings import meeting_detainees, meeting_schedule
from tests.factories import ConsentFactory, OrganisationFactory, UserFactory, api_token_for

from .conftest import BRUSSELS

NN = "93051822361"


@pytest.fixture
def justice_house(db):
    return OrganisationFactory(name="Justitiehuis Hasselt", kind="justice_house")


@pytest.fixture
def organiser(justice_house):
    return UserFactory(
        username="organiser",
        role=User.Role.ORGANISER,
        organisation=justice_house,
        first_name="Lies",
        last_name="Janssens",
    )


@pytest.fixture
def other_organiser(db):
    livc = OrganisationFactory(name="LIVC Genk", kind="local_government")
    return UserFactory(username="other_organiser", role=User.Role.ORGANISER, organisation=livc)


@pytest.fixture
def released(detainee, manager):
    """The consultant's detainee, released a month ago; his national number is on the file."""
    from casework import services as casework_services

    casework_services.detainee_update(detainee=detainee, user=manager, national_number=NN)
    detainee.current_prison = None
    detainee.released_on = dt.date(2026, 2, 1)
    detainee.save(update_fields=["current_prison", "released_on"])
    return detainee


@pytest.fixture
def jh_consent(released, justice_house, consultant):
    return ConsentFactory(
        detainee=released,
        organisation=justice_house,
        explained_by=consultant,
        purposes=["conference"],
        scopes=["identity", "minutes"],
    )


def plan(organiser, *, detainee=None, national_number=NN, basis="consent", mandate_reference="", **extra):
    starts_at = extra.pop("starts_at", dt.datetime(2026, 3, 9, 14, 0, tzinfo=BRUSSELS))
    return meeting_schedule(
        user=organiser,
        kind=extra.pop("kind", "livc"),
        detainee=detainee,
        national_number="" if detainee is not None else national_number,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=1),
        venue=extra.pop("venue", "LIVC Genk, stadhuis"),
        basis=basis,
        mandate_reference=mandate_reference,
        **extra,
    )


# --- Planning and its basis ---------------------------------------------------------------------------------


def test_an_organiser_plans_on_consent_and_chairs(now, organiser, released, jh_consent, consultant):
    meeting = plan(organiser)
    assert (meeting.kind, meeting.prison_id, meeting.chair_id, meeting.venue) == (
        "livc",
        None,
        organiser.pk,
        "LIVC Genk, stadhuis",
    )
    assert meeting.place == "LIVC Genk, stadhuis" and meeting.is_outside
    roles = dict(meeting.participants.values_list("user__username", "role"))
    assert roles == {"organiser": "chair", "consultant": "consultant"}
    assert meeting.agenda_items.exists() and meeting.minutes_versions.get().number == 1
    assert list(meeting_detainees(organiser)) == [released]


def test_the_court_mandate_needs_a_reference(now, organiser, released):
    with pytest.raises(ValidationError) as error:
        plan(organiser, basis="court_mandate")
    assert "mandate_reference" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        plan(organiser, basis="court_mandate", mandate_reference="zie dossier")
    assert "mandate_reference" in error.value.message_dict
    meeting = plan(organiser, basis="court_mandate", mandate_reference="SURB Antwerpen 2026/412", kind="justice_house")
    assert meeting.mandate_reference == "SURB Antwerpen 2026/412"
    assert meeting.title == "Overleg in het justitiehuis"


def test_no_basis_and_no_file_answer_alike_and_write_nothing(now, organiser, released):
    count = Conference.objects.count()
    with pytest.raises(ValidationError) as no_basis:
        plan(organiser)  # no consent of the justice house
    with pytest.raises(ValidationError) as no_file:
        plan(organiser, national_number="85073003328")
    assert no_basis.value.message_dict == no_file.value.message_dict
    assert list(no_basis.value.message_dict) == ["national_number"]
    assert Conference.objects.count() == count


def test_a_consent_for_another_purpose_is_no_basis(now, organiser, released, justice_house, consultant):
    ConsentFactory(
        detainee=released,
        organisation=justice_house,
        explained_by=consultant,
        purposes=["referral"],
        scopes=["identity", "minutes"],
    )
    with pytest.raises(ValidationError):
        plan(organiser)


def test_a_person_still_in_prison_is_the_directors(now, organiser, detainee, manager, justice_house, consultant):
    from casework import services as casework_services

    casework_services.detainee_update(detainee=detainee, user=manager, national_number=NN)
    ConsentFactory(
        detainee=detainee,
        organisation=justice_house,
        explained_by=consultant,
        purposes=["conference"],
        scopes=["minutes"],
    )
    with pytest.raises(ValidationError) as error:
        plan(organiser)
    assert "gevangenis" in error.value.message_dict["national_number"][0]


def test_bad_input_is_a_field_error(now, organiser, released, jh_consent):
    with pytest.raises(ValidationError) as error:
        plan(organiser, venue=" ", kind="periodic", starts_at=dt.datetime(2026, 3, 9, 14, 0))
    assert {"venue", "kind", "starts_at"} <= set(error.value.message_dict)


def test_nobody_else_plans_a_meeting_and_a_director_plans_none_outside(
    now, consultant, director, detainee, hasselt, released, jh_consent
):
    with pytest.raises(ValidationError):
        plan(consultant)
    with pytest.raises(ValidationError) as error:
        services.conference_schedule(
            user=director,
            detainee=detainee,
            prison=hasselt,
            kind="livc",
            starts_at=dt.datetime(2026, 3, 9, 10, tzinfo=BRUSSELS),
            ends_at=dt.datetime(2026, 3, 9, 11, tzinfo=BRUSSELS),
        )
    assert "kind" in error.value.message_dict


def test_an_organiser_account_belongs_to_a_justice_house_or_an_livc(db, admin_user, caw, justice_house):
    from accounts.services import user_save_by_admin

    with pytest.raises(ValidationError) as error:
        user_save_by_admin(
            user=User(username="jh1", role="organiser", organisation=caw, email="jh1@example.org"),
            by=admin_user,
            creating=True,
        )
    assert "organisation" in error.value.message_dict
    account = user_save_by_admin(
        user=User(username="jh2", role="organiser", organisation=justice_house, email="jh2@example.org"),
        by=admin_user,
        creating=True,
    )
    assert account.invitations.open().exists()


# --- Access ---------------------------------------------------------------------------------------------------


def test_the_organiser_sees_his_meetings_with_a_basis_only(
    now, client, organiser, other_organiser, released, jh_consent, director, consultant
):
    meeting = plan(organiser)
    url = reverse("casusoverleg:detail", args=[meeting.pk])
    client.force_login(organiser)
    assert client.get(url).status_code == 200
    # Not the file itself: the meeting is what he shares.
    assert client.get(reverse("casework:detainee_detail", args=[released.pk])).status_code == 404
    client.force_login(other_organiser)
    assert client.get(url).status_code == 404
    assert AccessRefusal.objects.filter(user=other_organiser, status=404).exists(), list(AccessRefusal.objects.values())
    # The director of the prison he left has no part in a meeting outside; the case staff do.
    client.force_login(director)
    assert client.get(url).status_code == 404
    client.force_login(consultant)
    assert client.get(url).status_code == 200
    # The consent withdrawn: the organiser's access ends at once.
    Consent.objects.filter(pk=jh_consent.pk).update(withdrawn_on=timezone.localdate())
    client.force_login(organiser)
    assert client.get(url).status_code == 404
    assert client.get(reverse("casusoverleg:minutes_pdf", args=[meeting.pk])).status_code == 404
    assert not meeting_detainees(organiser).exists()
    # The file, then the meeting and its PDF once the consent was withdrawn.
    assert AccessRefusal.objects.filter(user=organiser, status=404).count() == 3


def test_on_the_court_mandate_a_partner_needs_his_own_consent(
    now, organiser, released, partner_with_consent, partner_without_consent
):
    meeting = plan(organiser, basis="court_mandate", mandate_reference="SURB Antwerpen 2026/412")
    services.participant_add(
        conference=meeting, user=organiser, role="partner", participant_user=partner_without_consent
    )
    assert not Conference.objects.visible_to(partner_without_consent).filter(pk=meeting.pk).exists()
    assert Conference.objects.visible_to(organiser).filter(pk=meeting.pk).exists()


# --- Agenda, minutes, approval, PDF ---------------------------------------------------------------------------


def _approve(meeting, organiser, now, django_capture_on_commit_callbacks):
    services.agenda_item_add(conference=meeting, user=organiser, title="Woonst en werk", body="Stand van zaken")
    now.move_to(dt.datetime(2026, 3, 9, 16, 0, tzinfo=BRUSSELS))
    minutes = meeting.minutes_versions.get(number=1)
    item = meeting.agenda_items.first()
    minutes = services_minutes.minutes_save(
        minutes=minutes,
        user=organiser,
        revision=minutes.revision,
        general_notes="Afspraken na vrijlating.",
        notes={item.pk: "Woont bij zijn broer."},
        decisions=[{"text": "Opvolging maandelijks", "consensus": True}],
        actions=[{"description": "Contact VDAB", "owner_user": organiser, "due_on": dt.date(2026, 4, 1)}],
    )
    with django_capture_on_commit_callbacks(execute=True):
        return services_minutes.minutes_approve(minutes=minutes, user=organiser, revision=minutes.revision)


def test_the_organiser_writes_and_approves_the_minutes_and_reads_the_pdf(
    now, client, organiser, released, django_capture_on_commit_callbacks, settings
):
    meeting = plan(organiser, basis="court_mandate", mandate_reference="SURB Antwerpen 2026/412")
    approved = _approve(meeting, organiser, now, django_capture_on_commit_callbacks)
    assert approved.status == Minutes.Status.APPROVED and approved.approved_by == organiser
    meeting.refresh_from_db()
    assert meeting.status == Conference.Status.MINUTES_APPROVED
    snapshot = approved.snapshot["conference"]
    assert snapshot["prison"] == "LIVC Genk, stadhuis" and snapshot["mandate_reference"] == "SURB Antwerpen 2026/412"
    copy = MinutesCopy.objects.get(minutes=approved, participant__user=organiser)
    assert copy.outcome == MinutesCopy.Outcome.SENT
    client.force_login(organiser)
    settings.DISENGAGE_MFA_REQUIRED = False
    response = client.get(reverse("casusoverleg:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode().split()
    )
    assert "VERTROUWELIJK" in text
    assert "Plaats van het overleg" in text and "LIVC Genk, stadhuis" in text
    assert "SURB Antwerpen 2026/412" in text and "Mandaat van de strafuitvoeringsrechtbank" in text
    assert "Woont bij zijn broer." in text and "Gevangenis" not in text
    # His download left the team on the court's mandate: a disclosure on that basis.
    from casework.models import Disclosure

    assert Disclosure.objects.filter(basis="court_mandate", legal_reference="SURB Antwerpen 2026/412").exists()


# --- API ----------------------------------------------------------------------------------------------------------


def test_api_plans_a_meeting_and_refuses_bad_input(now, client, organiser, released, jh_consent, consultant):
    token = api_token_for(organiser)
    url = reverse("conference-meetings")
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    body = {
        "kind": "livc",
        "national_number": NN,
        "starts_at": "2026-03-10T14:00:00+01:00",
        "ends_at": "2026-03-10T15:00:00+01:00",
        "venue": "LIVC Genk",
        "basis": "consent",
    }
    response = client.post(url, body, content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "livc" and data["prison"] is None and data["venue"] == "LIVC Genk"
    again = client.post(
        url, {**body, "national_number": "", "detainee": released.pk}, content_type="application/json", **auth
    )
    assert again.status_code == 201
    bad = client.post(url, {**body, "basis": "court_mandate"}, content_type="application/json", **auth)
    assert bad.status_code == 400 and "mandate_reference" in bad.json()
    wrong = client.post(url, {**body, "kind": "periodic"}, content_type="application/json", **auth)
    assert wrong.status_code == 400 and "kind" in wrong.json()
    listed = client.get(reverse("conference-list"), **auth).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {row["id"] for row in rows} == {data["id"], again.json()["id"]}
    # A consultant plans none (404, as everywhere a permission is missing).
    staff = {"HTTP_AUTHORIZATION": f"Token {api_token_for(consultant)}"}
    assert client.post(url, body, content_type="application/json", **staff).status_code == 404


def test_the_page_plans_a_meeting_and_shows_errors(now, client, organiser, released, jh_consent, settings):
    settings.DISENGAGE_MFA_REQUIRED = False
    client.force_login(organiser)
    url = reverse("casusoverleg:meeting_create")
    assert client.get(url).status_code == 200
    form = {
        "kind": "livc",
        "national_number": NN,
        "day": "2026-03-10",
        "start_time": "14:00",
        "end_time": "15:00",
        "venue": "",
        "basis": "court_mandate",
        "mandate_reference": "",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"venue"}
    response = client.post(url, {**form, "venue": "Justitiehuis Hasselt"})
    assert response.status_code == 200
    assert "referentie van het vonnis" in response.context["form"].errors["mandate_reference"][0]
    response = client.post(url, {**form, "venue": "Justitiehuis Hasselt", "basis": "consent"})
    assert response.status_code == 302
    meeting = Conference.objects.get(venue="Justitiehuis Hasselt")
    assert response["Location"] == reverse("casusoverleg:detail", args=[meeting.pk])


@pytest.mark.parametrize("language", ["fr-be", "en"])
def test_the_meeting_page_speaks_the_readers_language(now, client, organiser, released, jh_consent, language, settings):
    settings.DISENGAGE_MFA_REQUIRED = False
    meeting = plan(organiser)
    organiser.language = language
    organiser.save(update_fields=["language"])
    client.force_login(organiser)
    page = client.get(reverse("casusoverleg:detail", args=[meeting.pk])).content.decode()
    form = client.get(reverse("casusoverleg:meeting_create")).content.decode()
    for dutch in (
        "Overleg in de LIVC",
        "Plaats van het overleg",
        "Overleg buiten detentie plannen",
        "rijksregisternummer",
    ):
        assert dutch not in page and dutch not in form


def test_the_api_lists_hold_no_file_for_an_organiser(now, client, organiser, released, jh_consent):
    plan(organiser)
    auth = {"HTTP_AUTHORIZATION": f"Token {api_token_for(organiser)}"}
    for name in ("detainee-list", "session-list", "trajectory-list", "action-list", "partner-referral-list"):
        response = client.get(reverse(name), **auth)
        assert response.status_code == 200, name
        body = response.json()
        assert (body["results"] if isinstance(body, dict) else body) == [], name


def test_the_meeting_page_keeps_its_query_budget(
    now, client, organiser, released, jh_consent, settings, django_assert_max_num_queries
):
    settings.DISENGAGE_MFA_REQUIRED = False
    meeting = plan(organiser)
    client.force_login(organiser)
    url = reverse("casusoverleg:detail", args=[meeting.pk])
    client.get(url)
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_the_subject_access_export_holds_a_meeting_outside_detention(now, organiser, released, jh_consent):
    """A meeting has no prison: the export (and so the dossier a person asks for) names its venue."""
    from casework.privacy.dossier import dossier
    from casusoverleg.privacy import export_conferences

    meeting = plan(organiser)
    exported = export_conferences(released)
    assert [(c["id"], c["place"]) for c in exported["conferences"]] == [(meeting.pk, "LIVC Genk, stadhuis")]
    rendered = dossier({"sections": {"casusoverleg": exported}})
    assert "LIVC Genk, stadhuis" in str(rendered)
