"""The detainee file: header, tabs per role, AccessLog on every read, history, query counts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import AccessLog, Detainee
from tests.factories import ListingFactory, NetworkPersonFactory, SessionFactory


@pytest.fixture
def session(detainee, consultant):
    return SessionFactory(
        detainee=detainee,
        author=consultant,
        summary="Sprak over werk in de keuken.",
        confidential_notes="Broer zoekt opnieuw contact.",
    )


CASEWORK_TABS = {"sessions", "network", "placements", "consent", "history"}


def tab_slugs(response):
    """The casework tabs shown (other apps register tabs of their own with their own rules)."""
    return [tab["slug"] for tab in response.context["tabs"] if tab["slug"] in CASEWORK_TABS]


def test_the_header_shows_identity_dates_listing_and_team(client, consultant, colleague, detainee):
    ListingFactory(detainee=detainee, category="htf", threat_level=3)
    detainee.co_consultants.add(colleague)
    client.force_login(consultant)
    response = client.get(reverse("casework:detainee_detail", args=[detainee.pk]))
    body = response.content.decode()
    assert "Youssef El Amrani" in body
    assert "14/03/1995" in body and "10/01/2023" in body and "01/06/2027" in body
    assert "Homegrown terrorist fighter" in body and "dreigingsniveau 3" in body
    assert str(consultant) in body and str(colleague) in body
    assert tab_slugs(response) == ["sessions", "network", "placements", "consent", "history"]


def test_case_staff_see_summaries_and_the_team_sees_confidential_notes(client, consultant, manager, session):
    for user in (consultant, manager):
        client.force_login(user)
        body = client.get(reverse("casework:file_sessions", args=[session.detainee_id])).content.decode()
        assert "Sprak over werk in de keuken." in body
        assert "Broer zoekt opnieuw contact." in body


def test_a_colleague_outside_the_case_team_does_not_see_confidential_notes(client, colleague, session):
    client.force_login(colleague)
    body = client.get(reverse("casework:file_sessions", args=[session.detainee_id])).content.decode()
    assert "Sprak over werk in de keuken." in body
    assert "Broer zoekt opnieuw contact." not in body


def test_a_co_consultant_sees_confidential_notes(client, colleague, session):
    session.detainee.co_consultants.add(colleague)
    client.force_login(colleague)
    body = client.get(reverse("casework:file_sessions", args=[session.detainee_id])).content.decode()
    assert "Broer zoekt opnieuw contact." in body


def test_director_sees_identity_placements_and_listings_but_no_sessions(client, director, session):
    ListingFactory(detainee=session.detainee)
    client.force_login(director)
    response = client.get(reverse("casework:detainee_detail", args=[session.detainee_id]))
    body = response.content.decode()
    assert tab_slugs(response) == ["placements"]
    assert response.context["active_tab"] == "placements"
    assert "Terrorismeveroordeelde" in body
    assert "Sprak over werk" not in body and "Broer zoekt" not in body
    assert "Rijksregisternummer" not in body
    assert "Contactmoment registreren" not in body


def test_partner_sees_only_what_the_consent_scopes_allow(client, partner_with_consent, session):
    client.force_login(partner_with_consent)
    response = client.get(reverse("casework:detainee_detail", args=[session.detainee_id]))
    body = response.content.decode()
    assert tab_slugs(response) == ["sessions", "placements"]
    assert "Sprak over werk in de keuken." in body
    assert "Broer zoekt opnieuw contact." not in body
    assert response.context["listing"] is None


def test_partner_with_identity_only_gets_no_sessions_tab(client, partner_with_consent, session):
    consent = session.detainee.consents.get(organisation=partner_with_consent.organisation)
    consent.scopes = ["identity"]
    consent.save(update_fields=["scopes"])
    client.force_login(partner_with_consent)
    response = client.get(reverse("casework:detainee_detail", args=[session.detainee_id]))
    assert tab_slugs(response) == ["placements"]
    assert client.get(reverse("casework:file_sessions", args=[session.detainee_id])).status_code == 404


def test_every_read_writes_an_access_log_row(client, consultant, detainee):
    client.force_login(consultant)
    for name, kind in [
        ("detainee_detail", "sessions"),
        ("file_network", "network"),
        ("file_placements", "placements"),
        ("file_consents", "consents"),
        ("file_history", "history"),
    ]:
        before = AccessLog.objects.count()
        client.get(reverse(f"casework:{name}", args=[detainee.pk]), REMOTE_ADDR="10.1.2.3")
        row = AccessLog.objects.latest("at")
        assert AccessLog.objects.count() == before + 1
        assert (row.user, row.detainee, row.object_kind, row.ip_address) == (consultant, detainee, kind, "10.1.2.3")


def test_a_refused_read_is_not_logged_as_a_read(client, outsider, detainee):
    client.force_login(outsider)
    client.get(reverse("casework:detainee_detail", args=[detainee.pk]))
    assert not AccessLog.objects.exists()


def test_tabs_load_with_htmx_as_fragments(client, consultant, session):
    client.force_login(consultant)
    response = client.get(reverse("casework:file_network", args=[session.detainee_id]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "file-header" not in body
    assert "Netwerk" in body
    page = client.get(reverse("casework:detainee_detail", args=[session.detainee_id])).content.decode()
    assert f'hx-get="{reverse("casework:file_network", args=[session.detainee_id])}"' in page


def test_network_tab_lists_people(client, consultant, detainee):
    NetworkPersonFactory(detainee=detainee, name="Fatima El Amrani", relation="parent", influence="positive")
    client.force_login(consultant)
    body = client.get(reverse("casework:file_network", args=[detainee.pk])).content.decode()
    assert "Fatima El Amrani" in body and "Ouder" in body and "Positief" in body


def test_history_says_who_changed_what_and_why_in_plain_words(client, consultant, manager, detainee):
    services.detainee_update(detainee=detainee, user=consultant, legal_status="interned", reason="vonnis gewijzigd")
    client.force_login(manager)
    response = client.get(reverse("casework:file_history", args=[detainee.pk]))
    entry = next(e for e in response.context["entries"] if e.reason == "vonnis gewijzigd")
    assert entry.user == consultant
    assert entry.action == "gewijzigd"
    logged = next(e for e in response.context["entries"] if e.kind == "gedetineerde" and e.action == "toegevoegd")
    assert logged.reason in ("", "dossier geopend")  # the factory writes without a context; the service names it
    change = next(c for c in entry.changes if c.label == "juridisch statuut")
    assert (change.before, change.after) == ("Veroordeelde", "Geïnterneerde")


def test_history_masks_confidential_notes_for_a_colleague(client, colleague, consultant, detainee):
    logged = services.session_log(
        detainee=detainee,
        author=consultant,
        started_at=timezone.now(),
        duration_minutes=30,
        modality="phone",
        confidential_notes="Geheime notitie",
    )
    services.session_update(session=logged, user=consultant, confidential_notes="Nog geheimer")
    client.force_login(colleague)
    body = client.get(reverse("casework:file_history", args=[detainee.pk])).content.decode()
    assert "Geheime notitie" not in body and "Nog geheimer" not in body
    assert "(vertrouwelijk)" in body


@pytest.mark.parametrize("url_name", ["detainee_detail", "file_sessions"])
def test_file_query_count_is_constant(client, consultant, detainee, django_assert_num_queries, url_name):
    NetworkPersonFactory(detainee=detainee)
    for size in (10, 200):
        for _ in range(size - detainee.sessions.count()):
            SessionFactory(
                detainee=detainee,
                author=consultant,
                started_at=timezone.now() - dt.timedelta(hours=detainee.sessions.count() + 1),
            )
        client.force_login(consultant)
        # 1 session, 1 user, 1 detainee (+ prison, organisation, lead), 1 keyset page of sessions (+ author; no
        # count), 4 prefetches (domains, modules, participants, partner organisations), 1 access log insert,
        # 1 listing in force, 1 co-consultants
        with django_assert_num_queries(11):
            response = client.get(reverse(f"casework:{url_name}", args=[detainee.pk]))
        page = response.context["page"]
        assert len(page.object_list) == min(size, 20) and page.has_next == (size > 20)


def test_the_timeline_pages_by_20_newest_first(client, consultant, detainee):
    for hours in range(25):
        SessionFactory(detainee=detainee, author=consultant, started_at=timezone.now() - dt.timedelta(hours=hours + 1))
    client.force_login(consultant)
    page = client.get(reverse("casework:file_sessions", args=[detainee.pk])).context["page"]
    started = [s.started_at for s in page.object_list]
    assert len(started) == 20 and started == sorted(started, reverse=True)
    older = client.get(reverse("casework:file_sessions", args=[detainee.pk]), {"cursor": page.next_cursor}).context[
        "page"
    ]
    assert len(older.object_list) == 5 and older.object_list[0].started_at < started[-1] and not older.has_next


def test_consent_document_is_served_only_through_the_authorised_view(client, consultant, detainee, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import Organisation

    consent = services.consent_record(
        detainee=detainee,
        user=consultant,
        organisation=Organisation.objects.get(name="CGG"),
        purposes=["referral"],
        scopes=["identity"],
        given_on=dt.date(2025, 1, 2),
        explained_by=consultant,
        language="nl",
        document=SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan", content_type="application/pdf"),
    )
    client.force_login(consultant)
    response = client.get(reverse("casework:consent_document", args=[detainee.pk, consent.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 scan"
    assert AccessLog.objects.filter(object_kind="consent_document", object_id=str(consent.pk)).exists()
    assert Detainee.objects.filter(pk=detainee.pk).exists()
