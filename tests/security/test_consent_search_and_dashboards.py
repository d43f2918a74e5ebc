"""Consent on the surfaces that find and list people (docs/design.md §4): the live (htmx) and API search,
"Mijn dag" and the dashboards. Grant, use, withdraw: access ends at once.
"""

from django.urls import reverse

from casework.models import Prison
from casework.services import consent_withdraw, detainee_update
from tests.factories import DetaineeFactory, UserFactory
from tests.security.consent_surface_fixtures import (
    NAME,
    grant,
    partner,  # noqa: F401
    person,  # noqa: F401
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


def test_search_results_follow_the_consent(client, person, partner, consultant):  # noqa: F811
    client.force_login(partner)
    assert not any(_found(client).values())
    consent = grant(person, partner, consultant, ["identity"])
    assert all(_found(client).values())
    consent_withdraw(consent=consent, user=consultant)
    assert not any(_found(client).values())


def test_the_live_search_returns_only_the_results_table(client, person, partner, consultant):  # noqa: F811
    grant(person, partner, consultant, ["identity"])
    client.force_login(partner)
    html = client.get(reverse("casework:caseload"), {"q": "haddou"}, HTTP_HX_REQUEST="true").content.decode()
    assert NAME.upper() in html.upper() and "<html" not in html
    # No session or listing data for a partner, even in the results table.
    assert "Gedeelde samenvatting" not in html and "Geheime notitie" not in html


# --- Dashboards and "Mijn dag" ---------------------------------------------------------------------------------------


def test_a_partner_has_no_dashboard_and_his_landing_follows_the_consent(client, person, partner, consultant):  # noqa: F811
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


def test_a_consent_without_identity_shows_no_name_on_the_landing(client, person, partner, consultant):  # noqa: F811
    grant(person, partner, consultant, ["session_summaries", "trajectory_goals", "minutes"])
    client.force_login(partner)
    assert NAME.upper() not in client.get(reverse("casework:my_day")).content.decode().upper()


def test_the_director_dashboard_shows_only_his_prisons(client, person, director, other_director, caw, consultant):  # noqa: F811
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


def test_the_manager_dashboard_lists_only_his_organisation(client, person, manager, outsider):  # noqa: F811
    other_manager = UserFactory(username="other_manager", manager=True, organisation=outsider.organisation)
    client.force_login(other_manager)
    for figure in ("consent", "caseload", "sessions", "attendance"):
        response = client.get(reverse("reporting:figure_list", args=[figure]))
        assert NAME not in response.content.decode(), figure
    assert NAME not in client.get(reverse("reporting:manager_dashboard")).content.decode()
