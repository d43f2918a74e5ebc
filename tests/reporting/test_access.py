"""Who may open which report, per persona (docs/design.md §4, §8): the role's page or a 403; anonymous to login."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

PAGES = {
    "/rapportering/dashboard/": {"manager"},
    "/rapportering/dashboard/lijst/waiting/": {"manager"},
    "/rapportering/directie/": {"director", "other_director"},
    "/rapportering/jaarcijfers/?jaar=2025": {"manager"},
    "/rapportering/jaarcijfers/export.csv?jaar=2025": {"manager"},
    "/rapportering/jaarcijfers/export.xlsx?jaar=2025": {"manager"},
    "/api/v1/reports/yearly/?year=2025": {"manager"},
}
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


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", list(PAGES))
def test_each_role_gets_its_own_reports_only(client, personas, detainee, today, url, persona):
    client.force_login(personas[persona])
    expected = 200 if persona in PAGES[url] else 403
    assert client.get(url).status_code == expected


@pytest.mark.parametrize("url", [u for u in PAGES if not u.startswith("/api/")])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymous_api_is_refused(client):
    assert client.get("/api/v1/reports/yearly/").status_code in (401, 403)


def test_manager_counts_only_his_own_organisation(client, world, outsider):
    from tests.factories import UserFactory

    other_manager = UserFactory(username="other_manager", manager=True, organisation=outsider.organisation)
    client.force_login(other_manager)
    response = client.get("/rapportering/dashboard/")
    assert response.context["trajectories"].active == 1  # T8 only
    assert response.context["trajectories"].waiting == 0
