"""Who may do what through the case-file API, per persona (docs/design.md §4).

A record the reader may not see is a 404; a record they may see but not change is a 403.
Every endpoint of casework/api_urls.py is listed here; a route nobody listed fails the build.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from casework import api_urls
from tests.factories import ListingFactory, NetworkPersonFactory, PlacementFactory, SessionFactory

NOW = dt.datetime(2026, 3, 10, 14, 0, tzinfo=ZoneInfo("Europe/Brussels"))
PERSONAS = [
    "consultant",
    "colleague",
    "outsider",
    "manager",
    "director",
    "other_director",
    "partner_with_consent",
    "partner_without_consent",
    "admin",
    "dpo",
]


@pytest.fixture(autouse=True)
def fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def file(detainee, consultant):
    """The detainee's file with one of everything."""
    ListingFactory(detainee=detainee)
    PlacementFactory(detainee=detainee)
    NetworkPersonFactory(detainee=detainee)
    session = SessionFactory(detainee=detainee, author=consultant)
    return {"detainee": detainee, "session": session, "consent": detainee.consents.get()}


def call(user, method, url, data=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return getattr(client, method)(url, data or {}, format="json")


def expand(table):
    return [(persona, expected) for persona, expected in zip(PERSONAS, table, strict=True)]


#                    consultant colleague outsider manager director other_dir partner_w partner_wo admin dpo
READ_DETAINEE = expand([200, 200, 404, 200, 200, 404, 200, 404, 404, 404])
READ_LISTINGS = expand([200, 200, 404, 200, 200, 404, 404, 404, 404, 404])
READ_CASE_STAFF = expand([200, 200, 404, 200, 404, 404, 404, 404, 404, 404])
READ_SESSION = expand([200, 200, 404, 200, 404, 404, 200, 404, 404, 404])
LIST_DETAINEES = expand([1, 1, 0, 1, 1, 0, 1, 0, 0, 0])
LIST_SESSIONS = expand([1, 1, 0, 1, 0, 0, 1, 0, 0, 0])


@pytest.mark.parametrize("persona,expected", READ_DETAINEE)
@pytest.mark.parametrize("suffix", ["", "placements/"])
def test_reading_the_file_and_its_placements(personas, file, persona, expected, suffix):
    assert call(personas[persona], "get", f"/api/v1/detainees/{file['detainee'].pk}/{suffix}").status_code == expected


@pytest.mark.parametrize("persona,expected", READ_LISTINGS)
def test_reading_listings(personas, file, persona, expected):
    assert call(personas[persona], "get", f"/api/v1/detainees/{file['detainee'].pk}/listings/").status_code == expected


@pytest.mark.parametrize("persona,expected", READ_CASE_STAFF)
@pytest.mark.parametrize("suffix", ["consents/", "network/"])
def test_reading_consents_and_network(personas, file, persona, expected, suffix):
    assert call(personas[persona], "get", f"/api/v1/detainees/{file['detainee'].pk}/{suffix}").status_code == expected


@pytest.mark.parametrize("persona,expected", READ_SESSION)
def test_reading_a_session(personas, file, persona, expected):
    assert call(personas[persona], "get", f"/api/v1/sessions/{file['session'].pk}/").status_code == expected


@pytest.mark.parametrize("persona,expected", LIST_DETAINEES)
def test_detainee_list_shows_only_visible_files(personas, file, persona, expected):
    response = call(personas[persona], "get", "/api/v1/detainees/")
    assert response.status_code == 200
    assert response.json()["count"] == expected


@pytest.mark.parametrize("persona,expected", LIST_SESSIONS)
def test_session_list_shows_only_visible_sessions(personas, file, persona, expected):
    response = call(personas[persona], "get", f"/api/v1/sessions/?detainee={file['detainee'].pk}")
    assert response.status_code == 200
    assert response.json()["count"] == expected


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", ["/api/v1/prisons/", "/api/v1/organisations/", "/api/v1/life-domains/"])
def test_reference_data_for_everyone_logged_in(personas, persona, url):
    assert call(personas[persona], "get", url).status_code == 200


#                    consultant colleague outsider manager director other_dir partner_w partner_wo admin dpo
CHANGE_DETAINEE = expand([200, 200, 404, 200, 403, 404, 403, 404, 404, 404])
ADD_LISTING = expand([201, 201, 404, 201, 403, 404, 404, 404, 404, 404])
ADD_PLACEMENT = expand([201, 201, 404, 201, 403, 404, 403, 404, 404, 404])
ADD_CASE_STAFF = expand([201, 201, 404, 201, 404, 404, 404, 404, 404, 404])
WITHDRAW = expand([200, 200, 404, 200, 404, 404, 404, 404, 404, 404])
# Logging a session is a consultant's act; an invisible file is "does not exist" (400) like a wrong id.
LOG_SESSION = expand([201, 201, 400, 403, 403, 400, 403, 400, 400, 400])
# A session is corrected by its author or the file's lead consultant.
CHANGE_SESSION = expand([200, 403, 404, 403, 404, 404, 403, 404, 404, 404])
CREATE_DETAINEE = expand([201, 201, 201, 201, 403, 403, 403, 403, 403, 403])


@pytest.mark.parametrize("persona,expected", CHANGE_DETAINEE)
def test_changing_the_file(personas, file, persona, expected):
    response = call(personas[persona], "patch", f"/api/v1/detainees/{file['detainee'].pk}/", {"languages": ["ar"]})
    assert response.status_code == expected
    file["detainee"].refresh_from_db()
    assert (file["detainee"].languages == ["ar"]) == (expected == 200)


@pytest.mark.parametrize("persona,expected", ADD_LISTING)
def test_adding_a_listing(personas, file, persona, expected):
    response = call(
        personas[persona],
        "post",
        f"/api/v1/detainees/{file['detainee'].pk}/listings/",
        {"category": "pve", "threat_level": 1, "listed_on": "2025-01-01", "source": "OCAD"},
    )
    assert response.status_code == expected
    assert file["detainee"].listings.count() == (2 if expected == 201 else 1)


@pytest.mark.parametrize("persona,expected", ADD_PLACEMENT)
def test_adding_a_placement(personas, file, persona, expected):
    response = call(
        personas[persona],
        "post",
        f"/api/v1/detainees/{file['detainee'].pk}/placements/",
        {"prison": "gent", "from_date": "2026-01-05"},
    )
    assert response.status_code == expected


@pytest.mark.parametrize("persona,expected", ADD_CASE_STAFF)
@pytest.mark.parametrize(
    "suffix,payload",
    [
        ("network/", {"name": "Imam K.", "relation": "religious_figure", "influence": "positive"}),
        (
            "consents/",
            {
                "organisation": None,
                "purposes": ["conference"],
                "scopes": ["minutes"],
                "given_on": "2026-03-01",
                "explained_by": None,
                "language": "nl",
            },
        ),
    ],
)
def test_adding_network_and_consent(personas, consultant, file, persona, expected, suffix, payload):
    if suffix == "consents/":
        payload = {**payload, "organisation": file["consent"].organisation_id, "explained_by": consultant.pk}
    response = call(personas[persona], "post", f"/api/v1/detainees/{file['detainee'].pk}/{suffix}", payload)
    assert response.status_code == expected, response.json()


@pytest.mark.parametrize("persona,expected", WITHDRAW)
def test_withdrawing_a_consent(personas, file, persona, expected):
    response = call(personas[persona], "post", f"/api/v1/consents/{file['consent'].pk}/withdraw/")
    assert response.status_code == expected
    file["consent"].refresh_from_db()
    assert (file["consent"].withdrawn_on is not None) == (expected == 200)


@pytest.mark.parametrize("persona,expected", LOG_SESSION)
def test_logging_a_session(personas, file, persona, expected):
    response = call(
        personas[persona],
        "post",
        "/api/v1/sessions/",
        {
            "detainee": file["detainee"].pk,
            "started_at": "2026-03-10T10:00:00+01:00",
            "duration_minutes": 30,
            "modality": "phone",
        },
    )
    assert response.status_code == expected
    assert file["detainee"].sessions.count() == (2 if expected == 201 else 1)


@pytest.mark.parametrize("persona,expected", CHANGE_SESSION)
def test_correcting_a_session(personas, file, persona, expected):
    response = call(personas[persona], "patch", f"/api/v1/sessions/{file['session'].pk}/", {"summary": "Gewijzigd."})
    assert response.status_code == expected
    file["session"].refresh_from_db()
    assert (file["session"].summary == "Gewijzigd.") == (expected == 200)


@pytest.mark.parametrize("persona,expected", CREATE_DETAINEE)
def test_opening_a_file(personas, persona, expected, db):
    response = call(
        personas[persona],
        "post",
        "/api/v1/detainees/",
        {"first_name": "Nabil", "last_name": "Test", "legal_status": "accused"},
    )
    assert response.status_code == expected


ANONYMOUS_CALLS = [
    ("get", "/api/v1/prisons/"),
    ("get", "/api/v1/organisations/"),
    ("get", "/api/v1/life-domains/"),
    ("get", "/api/v1/prisons/{d}/"),
    ("get", "/api/v1/organisations/{d}/"),
    ("get", "/api/v1/life-domains/{d}/"),
    ("get", "/api/v1/detainees/"),
    ("post", "/api/v1/detainees/"),
    ("get", "/api/v1/detainees/{d}/"),
    ("patch", "/api/v1/detainees/{d}/"),
    ("get", "/api/v1/detainees/{d}/listings/"),
    ("get", "/api/v1/detainees/{d}/placements/"),
    ("get", "/api/v1/detainees/{d}/consents/"),
    ("get", "/api/v1/detainees/{d}/network/"),
    ("post", "/api/v1/consents/{c}/withdraw/"),
    ("get", "/api/v1/sessions/"),
    ("post", "/api/v1/sessions/"),
    ("get", "/api/v1/sessions/{s}/"),
    ("post", "/api/v1/imports/detainees/"),
    ("post", "/api/v1/detainees/{d}/merge/"),
    ("get", "/api/v1/detainees/{d}/transfers/"),
    ("post", "/api/v1/detainees/{d}/transfers/"),
]


@pytest.mark.parametrize("method,url", ANONYMOUS_CALLS)
def test_anonymous_gets_nothing(file, method, url):
    url = url.format(d=file["detainee"].pk, c=file["consent"].pk, s=file["session"].pk)
    assert call(None, method, url).status_code in (401, 403)


def test_every_casework_route_is_in_this_matrix():
    listed = {
        url.split("/api/v1/")[1].replace("{d}", "{x}").replace("{c}", "{x}").replace("{s}", "{x}")
        for _method, url in ANONYMOUS_CALLS
    }
    routes = set()
    for pattern in api_urls.router.urls:
        route = str(pattern.pattern).lstrip("^").rstrip("$")
        if "format" in route or not route:
            continue
        for name in ("(?P<pk>\\d+)", "(?P<detainee_pk>\\d+)"):
            route = route.replace(name, "{x}")
        routes.add(route)
    assert routes <= listed, routes - listed
