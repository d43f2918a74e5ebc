"""Consent on the surfaces test_consent_enforcement.py does not reach: dashboards and "Mijn dag", minutes
PDF copies (sent and downloaded), calendar feeds, handover packages, notifications and e-mails, and the
live (htmx) and API search. Grant, use, withdraw: access ends at once, everywhere (docs/design.md §4).
"""

import datetime as dt
import hashlib
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Organisation
from casework.models import Consent, Disclosure, Prison
from casework.services import consent_record, consent_withdraw, detainee_update
from casusoverleg import services as conference_services
from casusoverleg.models import CalendarFeed, MinutesCopy, Participant
from casusoverleg.services import minutes as services_minutes
from notifications.models import Notification, Reminder
from notifications.services import reminders_sweep
from tests.factories import DetaineeFactory, OrganisationFactory, SessionFactory, UserFactory
from tests.trajectories.factories import GoalFactory, TrajectoryFactory, domain
from trajectories.models import Status
from trajectories.models_release import HandoverPackage
from trajectories.services import release as services_release
from trajectories.services.handover import handover_package_build

BRUSSELS = ZoneInfo("Europe/Brussels")
NAME = "Haddouchi"


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


@pytest.fixture
def now():
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS), tick=False) as traveller:
        yield traveller


@pytest.fixture
def person(consultant, caw, hasselt):
    person = DetaineeFactory(
        first_name="Samir",
        last_name=NAME,
        organisation=caw,
        current_prison=hasselt,
        lead_consultant=consultant,
        search_name="samir haddouchi",
        external_ref="LIST-4711",
    )
    SessionFactory(
        detainee=person,
        author=consultant,
        summary="Gedeelde samenvatting XYZ",
        confidential_notes="Geheime notitie QQQ",
    )
    return person


@pytest.fixture
def partner(partner_without_consent):
    """A CGG partner; each test gives (and takes) the consent itself."""
    return partner_without_consent


def grant(person, partner, consultant, scopes, purposes=("conference",), previous=None) -> Consent:
    return consent_record(
        detainee=person,
        user=consultant,
        organisation=partner.organisation,
        purposes=list(purposes),
        scopes=scopes,
        given_on=dt.date(2026, 1, 5),
        explained_by=consultant,
        language="nl",
        previous=previous,
    )


# --- Search: live (htmx) and API --------------------------------------------------------------------------------


def _found(client) -> dict[str, bool]:
    live = client.get(reverse("casework:caseload"), {"q": "haddou"}, HTTP_HX_REQUEST="true")
    by_ref = client.get(reverse("casework:caseload"), {"q": "LIST-4711"}, HTTP_HX_REQUEST="true")
    api = client.get("/api/v1/detainees/", {"search": "haddou"}).json()
    api_ref = client.get("/api/v1/detainees/", {"search": "LIST-4711"}).json()
    return {
        "live": live.status_code == 200 and NAME in live.content.decode(),
        "live_by_reference": NAME in by_ref.content.decode(),
        "api": bool(api["results"]),
        "api_by_reference": bool(api_ref["results"]),
    }


def test_search_results_follow_the_consent(client, person, partner, consultant):
    client.force_login(partner)
    assert not any(_found(client).values())
    consent = grant(person, partner, consultant, ["identity"])
    assert all(_found(client).values())
    consent_withdraw(consent=consent, user=consultant)
    assert not any(_found(client).values())


def test_the_live_search_returns_only_the_results_table(client, person, partner, consultant):
    grant(person, partner, consultant, ["identity"])
    client.force_login(partner)
    html = client.get(reverse("casework:caseload"), {"q": "haddou"}, HTTP_HX_REQUEST="true").content.decode()
    assert NAME.upper() in html.upper() and "<html" not in html
    # No session or listing data for a partner, even in the results table.
    assert "Gedeelde samenvatting" not in html and "Geheime notitie" not in html


# --- Dashboards and "Mijn dag" ---------------------------------------------------------------------------------------


def test_a_partner_has_no_dashboard_and_his_landing_follows_the_consent(client, person, partner, consultant):
    client.force_login(partner)
    for url in (
        reverse("reporting:manager_dashboard"),
        reverse("reporting:director_dashboard"),
        reverse("reporting:yearly"),
        reverse("reporting:figure_list", args=["consent"]),
        reverse("reporting:figure_list", args=["caseload"]),
        "/api/v1/reports/yearly/",
    ):
        assert client.get(url).status_code in (403, 404), url
    assert NAME not in client.get(reverse("casework:my_day")).content.decode()
    consent = grant(person, partner, consultant, ["identity"])
    assert NAME.upper() in client.get(reverse("casework:my_day")).content.decode().upper()
    consent_withdraw(consent=consent, user=consultant)
    assert NAME.upper() not in client.get(reverse("casework:my_day")).content.decode().upper()


def test_a_consent_without_identity_shows_no_name_on_the_landing(client, person, partner, consultant):
    grant(person, partner, consultant, ["session_summaries", "trajectory_goals", "minutes"])
    client.force_login(partner)
    assert NAME.upper() not in client.get(reverse("casework:my_day")).content.decode().upper()


def test_the_director_dashboard_shows_only_his_prisons(client, person, director, other_director, caw, consultant):
    gent = Prison.objects.get(code="gent")
    DetaineeFactory(
        first_name="Bilal", last_name="Vandenbroucke", organisation=caw, current_prison=gent, lead_consultant=consultant
    )
    client.force_login(director)
    html = client.get(reverse("reporting:director_dashboard")).content.decode().upper()
    assert NAME.upper() in html and "VANDENBROUCKE" not in html
    # A prison he does not run cannot be asked for.
    assert client.get(reverse("reporting:director_dashboard"), {"gevangenis": "gent"}).status_code == 404
    # A transfer takes the file out of his dashboard at once (and into the other director's).
    detainee_update(detainee=person, user=consultant, current_prison=gent)
    html = client.get(reverse("reporting:director_dashboard")).content.decode().upper()
    assert NAME.upper() not in html
    client.force_login(other_director)
    html = client.get(reverse("reporting:director_dashboard")).content.decode().upper()
    assert NAME.upper() in html and "VANDENBROUCKE" in html


def test_the_manager_dashboard_lists_only_his_organisation(client, person, manager, outsider):
    other_manager = UserFactory(username="other_manager", manager=True, organisation=outsider.organisation)
    client.force_login(other_manager)
    for figure in ("consent", "caseload", "sessions", "attendance"):
        response = client.get(reverse("reporting:figure_list", args=[figure]))
        assert NAME not in response.content.decode(), figure
    assert NAME not in client.get(reverse("reporting:manager_dashboard")).content.decode()


# --- Conferences: minutes copies, downloads, art. 458ter --------------------------------------------------------------


def _approve(conference, director, now):
    now.move_to(conference.ends_at + dt.timedelta(hours=1))
    minutes = conference.minutes_versions.order_by("-number").first()
    item = conference.agenda_items.first()
    minutes = services_minutes.minutes_save(
        minutes=minutes,
        user=director,
        revision=minutes.revision,
        general_notes="Goed overleg.",
        notes={item.pk: "Opleiding loopt."},
        decisions=[{"text": "Verlof voorbereiden", "consensus": True}],
    )
    return services_minutes.minutes_approve(minutes=minutes, user=director)


@pytest.fixture
def conference(now, director, person, partner):
    conference = conference_services.conference_schedule(
        user=director,
        detainee=person,
        prison=person.current_prison,
        starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS),
        ends_at=dt.datetime(2026, 3, 9, 11, 30, tzinfo=BRUSSELS),
        location="Vergaderzaal 1",
    )
    conference_services.participant_add(
        conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner
    )
    return conference


def test_no_copy_is_announced_after_withdrawal(
    now, conference, director, person, partner, consultant, django_capture_on_commit_callbacks
):
    consent = grant(person, partner, consultant, ["minutes"])
    with django_capture_on_commit_callbacks(execute=True):
        first = _approve(conference, director, now)
    copy = MinutesCopy.objects.get(minutes=first, participant__user=partner)
    assert copy.outcome == MinutesCopy.Outcome.SENT  # told to read them; the download is the disclosure
    assert any(m.to == [partner.email] and not m.attachments for m in mail.outbox)

    consent_withdraw(consent=consent, user=consultant)
    mail.outbox.clear()
    correction = services_minutes.minutes_correct(minutes=first, user=director, reason="Typfout")
    with django_capture_on_commit_callbacks(execute=True):
        second = services_minutes.minutes_approve(minutes=correction, user=director)
    copy = MinutesCopy.objects.get(minutes=second, participant__user=partner)
    assert copy.outcome == MinutesCopy.Outcome.WITHHELD and not copy.file_sha256 and copy.disclosure is None
    assert not any(partner.email in m.to for m in mail.outbox)


def test_a_partners_download_is_a_disclosure_and_ends_with_the_consent(
    client, now, conference, director, person, partner, consultant
):
    consent = grant(person, partner, consultant, ["minutes"])
    approved = _approve(conference, director, now)
    client.force_login(partner)
    response = client.get(reverse("casusoverleg:minutes_pdf", args=[conference.pk]))
    assert response.status_code == 200
    disclosure = Disclosure.objects.get(object_kind="minutes", disclosed_by=partner)
    assert disclosure.consent == consent and disclosure.basis == "consent"
    assert disclosure.file_sha256 == hashlib.sha256(response.content).hexdigest()
    assert disclosure.recipient_organisation == partner.organisation and disclosure.object_id == str(approved.pk)
    assert client.get(f"/api/v1/conferences/{conference.pk}/minutes.pdf").status_code == 200
    assert Disclosure.objects.filter(object_kind="minutes", disclosed_by=partner).count() == 2

    consent_withdraw(consent=consent, user=consultant)
    # Still invited, no longer entitled: the page says so (ADR 0033) and names nobody; everything else is a 404.
    response = client.get(reverse("casusoverleg:detail", args=[conference.pk]))
    assert response.status_code == 403 and conference.detainee.last_name not in response.content.decode()
    for url in (
        reverse("casusoverleg:minutes_pdf", args=[conference.pk]),
        f"/api/v1/conferences/{conference.pk}/minutes.pdf",
        f"/api/v1/conferences/{conference.pk}/",
        f"/api/v1/conferences/{conference.pk}/minutes/",
        f"/api/v1/conferences/{conference.pk}/participants/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/conferences/").json()["results"] == []
    assert Disclosure.objects.filter(object_kind="minutes", disclosed_by=partner).count() == 2


def test_internal_downloads_are_no_disclosure(client, now, conference, director, consultant):
    _approve(conference, director, now)
    for user in (director, consultant):
        client.force_login(user)
        assert client.get(reverse("casusoverleg:minutes_pdf", args=[conference.pk])).status_code == 200
    assert not Disclosure.objects.filter(object_kind="minutes", disclosed_by__in=[director, consultant]).exists()


def test_art458ter_gives_the_minutes_of_that_conference_only(client, now, director, person, partner, consultant):
    covered = conference_services.conference_schedule(
        user=director,
        detainee=person,
        prison=person.current_prison,
        kind="ad_hoc",
        basis="art458ter",
        authorisation_reference="PK Limburg 2026/77",
        starts_at=dt.datetime(2026, 3, 4, 10, 0, tzinfo=BRUSSELS),
        ends_at=dt.datetime(2026, 3, 4, 11, 0, tzinfo=BRUSSELS),
    )
    other = conference_services.conference_schedule(
        user=director,
        detainee=person,
        prison=person.current_prison,
        starts_at=dt.datetime(2026, 3, 5, 10, 0, tzinfo=BRUSSELS),
        ends_at=dt.datetime(2026, 3, 5, 11, 0, tzinfo=BRUSSELS),
    )
    not_invited = conference_services.conference_schedule(
        user=director,
        detainee=person,
        prison=person.current_prison,
        kind="ad_hoc",
        basis="art458ter",
        authorisation_reference="PK Limburg 2026/78",
        starts_at=dt.datetime(2026, 3, 6, 10, 0, tzinfo=BRUSSELS),
        ends_at=dt.datetime(2026, 3, 6, 11, 0, tzinfo=BRUSSELS),
    )
    for conference in (covered, other):
        conference_services.participant_add(
            conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner
        )
    now.move_to(dt.datetime(2026, 3, 4, 12, 0, tzinfo=BRUSSELS))
    conference_services.attendance_record(
        conference=covered, user=director, attended={p.pk: True for p in covered.participants.all()}
    )
    _approve(covered, director, now)
    client.force_login(partner)
    assert client.get(reverse("casusoverleg:detail", args=[covered.pk])).status_code == 200
    response = client.get(reverse("casusoverleg:minutes_pdf", args=[covered.pk]))
    assert response.status_code == 200
    disclosure = Disclosure.objects.get(object_kind="minutes", disclosed_by=partner)
    assert disclosure.basis == "art458ter" and disclosure.legal_reference == "PK Limburg 2026/77"
    # Nothing else: not the other conferences of the same person, not his file, not the search.
    # Invited to `other` (on consent, which his organisation lacks): told so, without a name (ADR 0033).
    response = client.get(reverse("casusoverleg:detail", args=[other.pk]))
    assert response.status_code == 403 and NAME not in response.content.decode()
    for url in (
        reverse("casusoverleg:detail", args=[not_invited.pk]),
        reverse("casusoverleg:minutes_pdf", args=[other.pk]),
        f"/api/v1/conferences/{other.pk}/",
        reverse("casework:detainee_detail", args=[person.pk]),
        f"/api/v1/detainees/{person.pk}/",
        reverse("trajectories:file_tab", args=[person.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert [c["id"] for c in client.get("/api/v1/conferences/").json()["results"]] == [covered.pk]
    assert NAME not in client.get(reverse("casework:caseload"), {"q": "haddou"}).content.decode()


# --- Calendar feeds ------------------------------------------------------------------------------------------------------


def test_a_partners_feed_follows_the_consent_and_carries_no_case_content(
    client, conference, director, person, partner, consultant
):
    conference_services.agenda_item_add(
        conference=conference, user=director, title="Woonst na vrijlating", body="Samir wil bij zijn zus wonen."
    )
    consent = grant(person, partner, consultant, ["identity", "minutes"])
    feed = conference_services.calendar_feed_rotate(user=partner)
    url = reverse("casusoverleg:feed", args=[feed.token])
    body = client.get(url).content.decode()
    assert conference.ical_uid in body and conference.reference in body
    for content in (NAME, "Samir", "Woonst", "zus wonen", "Gedeelde samenvatting", person.external_ref):
        assert content not in body, content
    client.force_login(partner)
    events = client.get(reverse("casusoverleg:events"), {"start": "2026-03-01", "end": "2026-04-01"}).json()
    assert [e["id"] for e in events] == [conference.pk]

    consent_withdraw(consent=consent, user=consultant)
    client.logout()
    body = client.get(url).content.decode()
    assert conference.ical_uid not in body and conference.reference not in body
    client.force_login(partner)
    assert client.get(reverse("casusoverleg:events"), {"start": "2026-03-01", "end": "2026-04-01"}).json() == []
    assert CalendarFeed.objects.filter(user=partner).exists()  # the feed itself keeps working, just emptier


def test_a_consent_without_minutes_gives_no_feed_entry(client, conference, person, partner, consultant):
    grant(person, partner, consultant, ["identity", "session_summaries"])
    feed = conference_services.calendar_feed_rotate(user=partner)
    assert conference.ical_uid not in client.get(reverse("casusoverleg:feed", args=[feed.token])).content.decode()


# --- Handover packages ------------------------------------------------------------------------------------------------------


@pytest.fixture
def justice_house():
    return OrganisationFactory(name="Justitiehuis Hasselt", kind="justice_house", email="jh@example.org")


@pytest.fixture
def aftercare(person, consultant):
    """A trajectory in aftercare with a goal; released today."""
    with time_machine.travel(dt.datetime(2025, 6, 2, 10, tzinfo=dt.UTC), tick=False):
        trajectory = TrajectoryFactory(detainee=person, lead_consultant=consultant, status=Status.ACTIVE)
        GoalFactory(
            trajectory=trajectory, domain=domain("education_employment"), description="Opleiding lassen afronden"
        )
        services_release.trajectory_release(
            trajectory=trajectory,
            user=consultant,
            released_on=dt.date(2025, 6, 2),
            modality="end_of_sentence",
            destination_municipality="Genk",
        )
    return trajectory


def _handover_consent(person, consultant, organisation, scopes, previous=None):
    return consent_record(
        detainee=person,
        user=consultant,
        organisation=organisation,
        purposes=["handover"],
        scopes=scopes,
        given_on=dt.date(2025, 5, 1),
        explained_by=consultant,
        language="nl",
        previous=previous,
    )


def test_a_handover_package_holds_only_the_consented_scopes_and_is_a_disclosure(
    aftercare, person, consultant, justice_house
):
    consent = _handover_consent(person, consultant, justice_house, ["identity", "trajectory_goals"])
    package = services_release.handover_package_request(
        trajectory=aftercare, user=consultant, recipient_organisation=justice_house
    )
    package = handover_package_build(package_id=package.pk)
    content = package.file.open("rb").read()
    text = pdf_text(content)
    assert NAME in text and "Opleiding lassen afronden" in text and "Genk" in text
    assert "Gedeelde samenvatting" not in text and "Geheime notitie" not in text
    disclosure = Disclosure.objects.get(pk=package.disclosure_id)
    assert disclosure.purpose == "handover" and disclosure.consent == consent
    assert disclosure.recipient_organisation == justice_house
    assert disclosure.file_sha256 == package.file_sha256 == hashlib.sha256(content).hexdigest()


def test_a_consent_narrowed_before_rendering_narrows_the_package(aftercare, person, consultant, justice_house):
    consent = _handover_consent(person, consultant, justice_house, ["identity", "trajectory_goals"])
    package = services_release.handover_package_request(
        trajectory=aftercare, user=consultant, recipient_organisation=justice_house
    )
    narrower = _handover_consent(person, consultant, justice_house, ["trajectory_goals"], previous=consent)
    package = handover_package_build(package_id=package.pk)
    assert package.status == HandoverPackage.Status.READY and package.scopes == ["trajectory_goals"]
    assert package.consent == narrower and Disclosure.objects.get(pk=package.disclosure_id).consent == narrower
    text = pdf_text(package.file.open("rb").read())
    assert NAME not in text and "Samir" not in text and "Genk" not in text
    assert "Opleiding lassen afronden" in text


def test_a_consent_withdrawn_before_rendering_stops_the_package(aftercare, person, consultant, justice_house):
    consent = _handover_consent(person, consultant, justice_house, ["identity", "trajectory_goals"])
    package = services_release.handover_package_request(
        trajectory=aftercare, user=consultant, recipient_organisation=justice_house
    )
    consent_withdraw(consent=consent, user=consultant)
    package = handover_package_build(package_id=package.pk)
    # Withheld, not failed: nothing broke, the detainee said no.
    assert package.status == HandoverPackage.Status.WITHHELD and not package.file and package.disclosure_id is None
    assert not Disclosure.objects.filter(purpose="handover").exists()
    # A redelivered task leaves it withheld (a new consent calls for a new request).
    _handover_consent(person, consultant, justice_house, ["identity"])
    assert handover_package_build(package_id=package.pk).status == HandoverPackage.Status.WITHHELD


def _packages_api(client, trajectory) -> dict[int, dict]:
    response = client.get(f"/api/v1/trajectories/{trajectory.pk}/handover-packages/")
    assert response.status_code == 200
    return {row["id"]: row for row in response.json()["results"]}


def test_a_withheld_package_is_shown_as_withheld_on_the_page_and_in_the_api(
    client, aftercare, person, consultant, justice_house, monkeypatch
):
    from trajectories.tasks import handover_package_render

    consent = _handover_consent(person, consultant, justice_house, ["identity"])
    handed_out, withheld, broken = (
        services_release.handover_package_request(
            trajectory=aftercare, user=consultant, recipient_organisation=justice_house
        )
        for _ in range(3)
    )
    handover_package_build(package_id=handed_out.pk)

    # A rendering that breaks is a failure, and says so.
    def broken_pdf(html):
        raise RuntimeError("WeasyPrint broke")

    monkeypatch.setattr("trajectories.services.handover.render_pdf", broken_pdf)
    with pytest.raises(RuntimeError):
        handover_package_render.apply(args=[broken.pk], throw=True)
    client.force_login(consultant)
    page_url = reverse("trajectories:aftercare", args=[aftercare.pk])
    download = reverse("trajectories:handover_download", args=[handed_out.pk])
    rows = _packages_api(client, aftercare)
    assert rows[handed_out.pk]["status"] == "ready" and rows[handed_out.pk]["shareable"] is True
    assert rows[handed_out.pk]["download_url"] == download
    assert download in client.get(page_url).content.decode()

    consent_withdraw(consent=consent, user=consultant)
    handover_package_build(package_id=withheld.pk)
    statuses = dict(HandoverPackage.objects.values_list("pk", "status"))
    assert statuses == {handed_out.pk: "ready", withheld.pk: "withheld", broken.pk: "failed"}

    html = client.get(page_url).content.decode()
    assert html.count("Ingehouden: toestemming ingetrokken") == 2  # the withheld one and the one no longer shared
    assert html.count("Mislukt") == 1  # only the broken rendering
    assert "er werd niets aangemaakt of gedeeld" in html and "het pakket wordt niet meer gedeeld" in html
    assert download not in html

    rows = _packages_api(client, aftercare)
    assert (
        rows[withheld.pk]
        | {
            "status": "withheld",
            "status_display": "Ingehouden: toestemming ingetrokken",
            "consent_in_force": False,
            "shareable": False,
            "download_url": None,
        }
        == rows[withheld.pk]
    )
    assert rows[handed_out.pk]["status"] == "ready" and rows[handed_out.pk]["shareable"] is False
    assert rows[handed_out.pk]["download_url"] is None
    assert rows[broken.pk]["status"] == "failed" and rows[broken.pk]["status_display"] == "Mislukt"
    assert all(row["recipient_organisation_name"] == "Justitiehuis Hasselt" for row in rows.values())


def test_the_withheld_migration_reclassifies_refused_renders_and_is_reversible(
    aftercare, person, consultant, justice_house
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("trajectories.migrations.0005_handover_package_withheld")
    consent = _handover_consent(person, consultant, justice_house, ["identity"])
    still_covered, refused = (
        services_release.handover_package_request(
            trajectory=aftercare, user=consultant, recipient_organisation=justice_house
        )
        for _ in range(2)
    )
    ceapire = OrganisationFactory(name="Ceapire", kind="other")
    other_consent = _handover_consent(person, consultant, ceapire, ["identity"])
    services_release.handover_package_request(trajectory=aftercare, user=consultant, recipient_organisation=ceapire)
    consent_withdraw(consent=other_consent, user=consultant)
    # As before the migration: both were marked failed, one because of a PDF error, one because of the consent.
    HandoverPackage.objects.update(status="failed")
    refused_ceapire = HandoverPackage.objects.get(recipient_organisation=ceapire)
    migration.failed_to_withheld(apps, None)
    statuses = dict(HandoverPackage.objects.values_list("pk", "status"))
    assert statuses == {still_covered.pk: "failed", refused.pk: "failed", refused_ceapire.pk: "withheld"}
    migration.withheld_to_failed(apps, None)
    assert set(HandoverPackage.objects.values_list("status", flat=True)) == {"failed"}
    assert consent.is_active


def test_a_ready_package_is_not_handed_out_after_withdrawal(client, aftercare, person, consultant, justice_house):
    consent = _handover_consent(person, consultant, justice_house, ["identity"])
    package = services_release.handover_package_request(
        trajectory=aftercare, user=consultant, recipient_organisation=justice_house
    )
    package = handover_package_build(package_id=package.pk)
    client.force_login(consultant)
    url = reverse("trajectories:handover_download", args=[package.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    consent_withdraw(consent=consent, user=consultant)
    response = client.get(url)
    assert response.status_code == 302 and response["Content-Type"] != "application/pdf"


def test_no_handover_package_without_a_handover_consent(aftercare, person, consultant, justice_house):
    from django.core.exceptions import ValidationError

    # A consent for conferences, or a handover consent for another organisation, is no basis.
    consent_record(
        detainee=person,
        user=consultant,
        organisation=justice_house,
        purposes=["conference"],
        scopes=["identity"],
        given_on=dt.date(2025, 5, 1),
        explained_by=consultant,
        language="nl",
    )
    _handover_consent(person, consultant, OrganisationFactory(name="Ceapire", kind="other"), ["identity"])
    with pytest.raises(ValidationError):
        services_release.handover_package_request(
            trajectory=aftercare, user=consultant, recipient_organisation=justice_house
        )
    assert not HandoverPackage.objects.exists()


# --- Notifications and e-mails -------------------------------------------------------------------------------------------


def test_a_partners_notifications_stop_linking_after_withdrawal(client, now, conference, person, partner, consultant):
    consent = grant(person, partner, consultant, ["minutes"])
    reminders_sweep()
    notification = Notification.objects.get(recipient=partner, kind="conference_invitation")
    link = reverse("casusoverleg:detail", args=[conference.pk])
    assert notification.link == link
    client.force_login(partner)
    opener = reverse("notifications:open", args=[notification.pk])
    assert opener in client.get(reverse("notifications:list")).content.decode()
    assert client.get("/api/v1/notifications/").json()["results"][0]["link"] == link

    consent_withdraw(consent=consent, user=consultant)
    html = client.get(reverse("notifications:list")).content.decode()
    assert opener not in html and f"/casusoverleg/{conference.pk}/" not in html and NAME not in html
    assert "niet meer voor jou beschikbaar" in html
    row = client.get("/api/v1/notifications/").json()["results"][0]
    assert row["link"] == "" and row["available"] is False
    assert client.get(f"/api/v1/notifications/{notification.pk}/").json()["link"] == ""
    opened = client.post(reverse("notifications:open", args=[notification.pk]))
    assert opened.status_code == 302 and opened["Location"] == reverse("notifications:list")


def test_pending_reminders_of_a_partner_are_withdrawn_with_the_consent(now, conference, person, partner, consultant):
    consent = grant(person, partner, consultant, ["minutes"])
    now.move_to(dt.datetime(2026, 3, 1, 12, 0, tzinfo=BRUSSELS))  # before the invitation day: nothing due yet
    consent_withdraw(consent=consent, user=consultant)
    now.move_to(dt.datetime(2026, 3, 8, 12, 0, tzinfo=BRUSSELS))  # the day before the conference
    reminders_sweep()
    assert not Notification.objects.filter(recipient=partner).exists()
    partner_reminders = Reminder.objects.filter(recipient=partner)
    assert partner_reminders.exists() and set(partner_reminders.values_list("status", flat=True)) == {"withdrawn"}
    # The staff on the same conference still get theirs.
    assert Notification.objects.filter(recipient=consultant, kind="conference_upcoming").exists()


def test_art458ter_partners_keep_their_reminders(now, director, person, partner):
    conference = conference_services.conference_schedule(
        user=director,
        detainee=person,
        prison=person.current_prison,
        kind="ad_hoc",
        basis="art458ter",
        authorisation_reference="PK Limburg 2026/77",
        starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS),
        ends_at=dt.datetime(2026, 3, 9, 11, 0, tzinfo=BRUSSELS),
    )
    conference_services.participant_add(
        conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner
    )
    reminders_sweep()
    assert Notification.objects.filter(recipient=partner, kind="conference_invitation").exists()


def test_emails_never_carry_case_content(
    now, conference, director, person, partner, consultant, aftercare, django_capture_on_commit_callbacks
):
    grant(person, partner, consultant, ["identity", "minutes"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        extra = conference_services.participant_add(
            conference=conference,
            user=director,
            role=Participant.Role.OTHER,
            name="Externe expert",
            organisation=Organisation.objects.get(name="VDAB"),
            email="expert@example.org",
        )
    reminders_sweep()
    with django_capture_on_commit_callbacks(execute=True):
        _approve(conference, director, now)
    assert extra.pk and mail.outbox
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for content in (
            NAME,
            "Samir",
            "Gedeelde samenvatting",
            "Geheime notitie",
            "Opleiding lassen",
            "Verlof voorbereiden",
            person.external_ref,
        ):
            assert content not in text, (content, message.subject)
        for _name, attachment, mimetype in message.attachments:
            if mimetype.startswith("text/calendar"):
                calendar = attachment.decode() if isinstance(attachment, bytes) else attachment
                assert NAME not in calendar and "Samir" not in calendar
