"""API v1 of the case file: authentication, schema and docs, reference data, detainees, nested resources and
sessions (reading, writing, field hiding), and query counts that stay the same whatever the data size.
"""

import datetime as dt

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from casework.models import AccessLog, Detainee, LifeDomain, Prison, Session
from tests.casework.api_helpers import (
    NOW,
    VALID_NATIONAL_NUMBER,
    api_as,
    fixed_now,  # noqa: F401
    session_payload,
)
from tests.factories import (
    ConsentFactory,
    DetaineeFactory,
    ListingFactory,
    NetworkPersonFactory,
    PlacementFactory,
    SessionFactory,
    api_token_for,
)

# --- Authentication, schema, tokens -------------------------------------------------------------


def test_anonymous_requests_are_refused(db):
    response = APIClient().get("/api/v1/detainees/")
    assert response.status_code in (401, 403)


def test_a_personal_access_token_authenticates(consultant, detainee):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(consultant)}")
    assert client.get(f"/api/v1/detainees/{detainee.pk}/").status_code == 200


def test_session_login_works_for_the_browser(client, consultant, detainee):
    client.force_login(consultant)
    assert client.get("/api/v1/detainees/").json()["count"] == 1


@pytest.mark.parametrize("url", ["/api/v1/schema/", "/api/v1/docs/"])
def test_schema_and_docs_are_for_logged_in_staff_only(client, url, consultant, partner_with_consent):
    assert client.get(url).status_code in (401, 403)
    client.force_login(partner_with_consent)
    assert client.get(url).status_code == 403
    client.force_login(consultant)
    response = client.get(url)
    assert response.status_code == 200


def test_docs_load_their_assets_locally(client, consultant):
    client.force_login(consultant)
    html = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_schema_describes_the_case_file_endpoints(client, consultant):
    client.force_login(consultant)
    schema = client.get("/api/v1/schema/?format=json").json()
    for path in (
        "/api/v1/detainees/",
        "/api/v1/detainees/{id}/",
        "/api/v1/detainees/{detainee_pk}/listings/",
        "/api/v1/detainees/{detainee_pk}/placements/",
        "/api/v1/detainees/{detainee_pk}/consents/",
        "/api/v1/detainees/{detainee_pk}/network/",
        "/api/v1/consents/{id}/withdraw/",
        "/api/v1/sessions/",
        "/api/v1/sessions/{id}/",
        "/api/v1/imports/detainees/",
        "/api/v1/prisons/",
        "/api/v1/organisations/",
        "/api/v1/life-domains/",
    ):
        assert path in schema["paths"], path


# --- Reference data ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url,expected", [("/api/v1/prisons/", 24), ("/api/v1/life-domains/", 9)])
def test_reference_data_is_readable_by_everyone_logged_in(partner_without_consent, url, expected):
    response = api_as(partner_without_consent).get(url)
    assert response.status_code == 200
    assert response.json()["count"] == expected


def test_reference_data_is_read_only(admin_user):
    response = api_as(admin_user).post("/api/v1/prisons/", {"code": "x", "name": "X"}, format="json")
    assert response.status_code == 405


# --- Detainees ------------------------------------------------------------------------------------------


def test_list_filters_by_prison_scope_and_search(consultant, detainee, caw):
    DetaineeFactory(
        first_name="Ömer",
        last_name="Çelik",
        search_name="omer celik",
        organisation=caw,
        current_prison=Prison.objects.get(code="gent"),
        in_scope=False,
    )
    api = api_as(consultant)
    assert api.get("/api/v1/detainees/").json()["count"] == 2
    assert [d["last_name"] for d in api.get("/api/v1/detainees/?prison=gent").json()["results"]] == ["Çelik"]
    assert [d["last_name"] for d in api.get("/api/v1/detainees/?in_scope=true").json()["results"]] == ["El Amrani"]
    assert [d["last_name"] for d in api.get("/api/v1/detainees/?search=celik").json()["results"]] == ["Çelik"]


def test_list_refuses_an_unknown_prison_code(consultant, detainee):
    response = api_as(consultant).get("/api/v1/detainees/?prison=atlantis")
    assert response.status_code == 400
    assert "prison" in response.json()


def test_list_never_shows_the_national_number(consultant, detainee):
    detainee.national_number = VALID_NATIONAL_NUMBER
    detainee.save(update_fields=["national_number"])
    row = api_as(consultant).get("/api/v1/detainees/").json()["results"][0]
    assert "national_number" not in row


def test_detail_shows_the_national_number_to_case_staff_only(
    consultant, manager, director, partner_with_consent, detainee
):
    detainee.national_number = VALID_NATIONAL_NUMBER
    detainee.save(update_fields=["national_number"])
    url = f"/api/v1/detainees/{detainee.pk}/"
    assert api_as(consultant).get(url).json()["national_number"] == VALID_NATIONAL_NUMBER
    assert api_as(manager).get(url).json()["national_number"] == VALID_NATIONAL_NUMBER
    assert "national_number" not in api_as(director).get(url).json()
    assert "national_number" not in api_as(partner_with_consent).get(url).json()


def test_reading_a_file_is_written_to_the_access_log(consultant, detainee):
    api_as(consultant).get(f"/api/v1/detainees/{detainee.pk}/")
    log = AccessLog.objects.get()
    assert (log.user, log.detainee, log.action, log.object_kind) == (consultant, detainee, "api", "detainee")


def test_case_staff_open_a_file(consultant, caw):
    response = api_as(consultant).post(
        "/api/v1/detainees/",
        {
            "first_name": "Karim",
            "last_name": "Bouzid",
            "legal_status": "accused",
            "current_prison": "antwerpen",
            "incarcerated_on": "2025-11-02",
            "national_number": "85.07.30-033.28",
            "external_ref": "EPI-0042",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    detainee = Detainee.objects.get(pk=response.json()["id"])
    assert detainee.organisation == caw
    assert detainee.national_number == VALID_NATIONAL_NUMBER
    assert detainee.search_name == "karim bouzid"
    # Opening a file with a prison and an incarceration date records the first placement.
    assert detainee.placements.get().prison.code == "antwerpen"


def test_update_changes_dates_and_keeps_history(consultant, detainee):
    response = api_as(consultant).patch(
        f"/api/v1/detainees/{detainee.pk}/", {"leave_eligible_on": "2027-09-01"}, format="json"
    )
    assert response.status_code == 200
    detainee.refresh_from_db()
    assert detainee.leave_eligible_on == dt.date(2027, 9, 1)
    assert detainee.events.filter(pgh_label="update").exists()


def test_director_may_read_but_not_change_a_file(director, detainee):
    response = api_as(director).patch(f"/api/v1/detainees/{detainee.pk}/", {"first_name": "X"}, format="json")
    assert response.status_code == 403
    detainee.refresh_from_db()
    assert detainee.first_name == "Youssef"


def test_partner_may_not_open_a_file(partner_with_consent):
    response = api_as(partner_with_consent).post(
        "/api/v1/detainees/", {"first_name": "A", "last_name": "B", "legal_status": "accused"}, format="json"
    )
    assert response.status_code == 403
    assert not Detainee.objects.exists()


# --- Nested resources ---------------------------------------------------------------------------------------


def test_listings_placements_and_network_are_added_to_the_file(consultant, detainee):
    api = api_as(consultant)
    base = f"/api/v1/detainees/{detainee.pk}"
    assert (
        api.post(
            f"{base}/listings/",
            {"category": "ftf", "threat_level": 3, "listed_on": "2024-01-05", "source": "OCAD GGB 2024-01"},
            format="json",
        ).status_code
        == 201
    )
    assert (
        api.post(
            f"{base}/placements/",
            {"prison": "ittre", "regime": "extremism_wing", "from_date": "2026-02-01"},
            format="json",
        ).status_code
        == 201
    )
    assert (
        api.post(
            f"{base}/network/",
            {"name": "Fatima", "relation": "sibling", "influence": "positive", "involved": True},
            format="json",
        ).status_code
        == 201
    )
    detainee.refresh_from_db()
    assert detainee.current_prison.code == "ittre"
    assert api.get(f"{base}/listings/").json()["results"][0]["category"] == "ftf"
    assert api.get(f"{base}/placements/").json()["results"][0]["prison"] == "ittre"
    assert api.get(f"{base}/network/").json()["results"][0]["name"] == "Fatima"


def test_consent_is_recorded_and_withdrawn(consultant, detainee, partner_without_consent):
    api = api_as(consultant)
    response = api.post(
        f"/api/v1/detainees/{detainee.pk}/consents/",
        {
            "organisation": partner_without_consent.organisation_id,
            "purposes": ["conference", "referral"],
            "scopes": ["identity", "assessments"],
            "given_on": "2026-03-02",
            "explained_by": consultant.pk,
            "language": "Nederlands",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    consent_id = response.json()["id"]
    # The CGG partner now sees the file...
    assert api_as(partner_without_consent).get(f"/api/v1/detainees/{detainee.pk}/").status_code == 200
    response = api.post(f"/api/v1/consents/{consent_id}/withdraw/", {"withdrawn_on": "2026-03-09"}, format="json")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    # ...and loses it at once when the consent is withdrawn.
    assert api_as(partner_without_consent).get(f"/api/v1/detainees/{detainee.pk}/").status_code == 404


def test_withdrawing_twice_is_a_field_error(consultant, detainee):
    consent = detainee.consents.get()
    api = api_as(consultant)
    assert api.post(f"/api/v1/consents/{consent.pk}/withdraw/", {}, format="json").status_code == 200
    response = api.post(f"/api/v1/consents/{consent.pk}/withdraw/", {}, format="json")
    assert response.status_code == 400
    assert "withdrawn_on" in response.json()


def test_consent_cannot_be_explained_by_someone_outside_the_files_organisation(consultant, outsider, detainee):
    response = api_as(consultant).post(
        f"/api/v1/detainees/{detainee.pk}/consents/",
        {
            "organisation": detainee.consents.get().organisation_id,
            "purposes": ["conference"],
            "scopes": ["identity"],
            "given_on": "2026-03-02",
            "explained_by": outsider.pk,
            "language": "nl",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "explained_by" in response.json()


# --- Sessions ---------------------------------------------------------------------------------------------


def test_consultant_logs_a_session(consultant, detainee):
    response = api_as(consultant).post("/api/v1/sessions/", session_payload(detainee), format="json")
    assert response.status_code == 201, response.json()
    session = Session.objects.get()
    assert session.author == consultant
    assert set(session.domains.values_list("code", flat=True)) == {"psychosocial", "social_context"}
    assert response.json()["confidential_notes"] == "Vertrouwelijk: zorgen over broer."


def test_sessions_filter_by_detainee(consultant, detainee, caw):
    SessionFactory(detainee=detainee, author=consultant)
    SessionFactory(detainee=DetaineeFactory(organisation=caw), author=consultant)
    api = api_as(consultant)
    assert api.get("/api/v1/sessions/").json()["count"] == 2
    results = api.get(f"/api/v1/sessions/?detainee={detainee.pk}").json()["results"]
    assert [row["detainee"] for row in results] == [detainee.pk]


def test_confidential_notes_only_for_the_case_team_and_their_manager(
    consultant, colleague, manager, partner_with_consent, detainee
):
    session = SessionFactory(detainee=detainee, author=consultant)
    url = f"/api/v1/sessions/{session.pk}/"
    assert "confidential_notes" in api_as(consultant).get(url).json()
    assert "confidential_notes" in api_as(manager).get(url).json()
    assert "confidential_notes" not in api_as(colleague).get(url).json()
    partner_view = api_as(partner_with_consent).get(url).json()
    assert "confidential_notes" not in partner_view
    assert partner_view["summary"] == session.summary


def test_co_consultant_reads_confidential_notes_in_the_list(consultant, colleague, detainee):
    detainee.co_consultants.add(colleague)
    SessionFactory(detainee=detainee, author=consultant)
    row = api_as(colleague).get("/api/v1/sessions/").json()["results"][0]
    assert row["confidential_notes"] == "Vertrouwelijk: spanningen met broer."


def test_session_is_corrected_by_its_author_not_by_a_colleague(consultant, colleague, detainee):
    session = SessionFactory(detainee=detainee, author=consultant)
    url = f"/api/v1/sessions/{session.pk}/"
    assert api_as(colleague).patch(url, {"summary": "Anders"}, format="json").status_code == 403
    response = api_as(consultant).patch(url, {"summary": "Aangevuld verslag.", "domains": ["leisure"]}, format="json")
    assert response.status_code == 200, response.json()
    session.refresh_from_db()
    assert session.summary == "Aangevuld verslag."
    assert list(session.domains.values_list("code", flat=True)) == ["leisure"]


def test_a_session_correction_cannot_move_it_to_another_file(consultant, detainee, caw):
    session = SessionFactory(detainee=detainee, author=consultant)
    other = DetaineeFactory(organisation=caw)
    api_as(consultant).patch(f"/api/v1/sessions/{session.pk}/", {"detainee": other.pk}, format="json")
    session.refresh_from_db()
    assert session.detainee == detainee


def test_a_session_correction_into_the_future_is_refused(consultant, detainee):
    session = SessionFactory(detainee=detainee, author=consultant)
    response = api_as(consultant).patch(
        f"/api/v1/sessions/{session.pk}/", {"started_at": (NOW + dt.timedelta(days=1)).isoformat()}, format="json"
    )
    assert response.status_code == 400
    session.refresh_from_db()
    assert session.started_at < NOW


# --- Query counts: constant whatever the data size --------------------------------------------------------


def _fill(caw, consultant, size):
    for _ in range(size):
        person = DetaineeFactory(organisation=caw, lead_consultant=consultant)
        ListingFactory(detainee=person)
        SessionFactory(detainee=person, author=consultant)


@pytest.mark.parametrize("size", [2, 12])
def test_detainee_list_query_count_is_constant(consultant, caw, size, django_assert_num_queries):
    _fill(caw, consultant, size)
    api = api_as(consultant)
    # 1 token + user + second factor, 1 last use, 1 count, 1 detainees page (with prison and lead consultant)
    with django_assert_num_queries(4):
        assert api.get("/api/v1/detainees/").json()["count"] == size


@pytest.mark.parametrize("size", [2, 12])
def test_session_list_query_count_is_constant(consultant, colleague, caw, size, django_assert_num_queries):
    _fill(caw, consultant, size)
    for person in Detainee.objects.all():
        person.co_consultants.add(colleague)
        SessionFactory(detainee=person, author=colleague)
    LifeDomain.objects.get(code="psychosocial").sessions.add(*Session.objects.all())
    api = api_as(colleague)
    # 1 token + user + second factor, 1 last use, 1 count, 1 sessions page (author, detainee joined; domains,
    # modules, participants and partner organisations as arrays), 1 co-consultants of the files, 1 access log insert
    with django_assert_num_queries(6):
        body = api.get("/api/v1/sessions/").json()
    assert body["count"] == 2 * size
    assert all("confidential_notes" in row for row in body["results"])


@pytest.mark.parametrize(
    "url,size",
    [(u, s) for u in ("/api/v1/prisons/", "/api/v1/organisations/", "/api/v1/life-domains/") for s in (0, 10)],
)
def test_reference_list_query_count_is_constant(consultant, url, size, django_assert_num_queries):
    from tests.factories import OrganisationFactory

    OrganisationFactory.create_batch(size)
    api = api_as(consultant)
    # 1 token + user + second factor, 1 last use, 1 count, 1 page
    with django_assert_num_queries(4):
        assert api.get(url).status_code == 200


@pytest.mark.parametrize("size", [1, 10])
@pytest.mark.parametrize("kind", ["listings", "placements", "consents", "network"])
def test_nested_list_query_count_is_constant(consultant, detainee, kind, size, django_assert_num_queries):
    factory = {"listings": ListingFactory, "placements": PlacementFactory, "network": NetworkPersonFactory}.get(kind)
    for _ in range(size):
        if factory:
            factory(detainee=detainee)
        else:
            ConsentFactory(detainee=detainee, explained_by=consultant)
    api = api_as(consultant)
    # 1 token + user + second factor, 1 last use, 1 detainee (visible_to), 1 access log insert, 1 count, 1 page
    with django_assert_num_queries(6):
        assert api.get(f"/api/v1/detainees/{detainee.pk}/{kind}/").status_code == 200


def test_the_openapi_schema_validates_without_warnings(db, tmp_path):
    # `spectacular --validate --fail-on-warn` raises on any warning of any app's viewsets or serializers.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
