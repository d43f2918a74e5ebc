"""The notification centre: list, bell, mark read (htmx and plain), API; everyone sees only their own."""

import pytest
from django.urls import reverse

from notifications.models import Notification

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


def notify(user, count=1, **fields):
    return Notification.objects.bulk_create(
        Notification(recipient=user, kind="test", text=fields.get("text", f"Item {n}"), link=fields.get("link", ""))
        for n in range(count)
    )


@pytest.mark.parametrize("role", PERSONAS)
def test_every_role_sees_only_its_own_notifications(client, personas, role):
    user = personas[role]
    for other in personas.values():
        notify(other, text=f"voor {other.username}")
    client.force_login(user)
    page = client.get(reverse("notifications:list")).content.decode()
    api = client.get("/api/v1/notifications/").json()
    assert f"voor {user.username}<" in page
    assert [row["text"] for row in api["results"]] == [f"voor {user.username}"]
    assert api["count"] == 1
    someone_else = next(u for u in personas.values() if u != user)
    theirs = someone_else.notifications.get()
    # Someone else's notification is a 404 everywhere, and stays unread.
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("notifications:list")).status_code == 302
    assert client.get("/api/v1/notifications/").status_code in (401, 403)


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_runs_a_constant_number_of_queries(client, consultant, count, django_assert_num_queries):
    notify(consultant, count)
    client.force_login(consultant)
    # 1 session, 1 user, 1 keyset page of notifications (no count), 1 unread count
    with django_assert_num_queries(4):
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200


def test_empty_list_says_what_comes_here(client, consultant):
    client.force_login(consultant)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Nog geen meldingen." in page
    assert "Je bent helemaal bij." in client.get(reverse("notifications:list") + "?filter=unread").content.decode()


def test_bell_shows_the_unread_count(client, consultant):
    notify(consultant, 3)
    Notification.objects.filter(pk=consultant.notifications.first().pk).update(read_at="2026-01-01T00:00:00Z")
    client.force_login(consultant)
    bell = client.get(reverse("notifications:bell")).content.decode()
    assert 'data-unread="2"' in bell and "2 ongelezen meldingen" in bell
    # The base layout only carries the slot: the count is fetched after the page by htmx.
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'hx-get="/meldingen/bel/"' in page


def test_mark_read_with_htmx_returns_the_row_and_refreshes_the_bell(client, consultant):
    (item,) = notify(consultant)
    client.force_login(consultant)
    response = client.post(reverse("notifications:read", args=[item.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "notifications-changed"
    assert "Gelezen" in response.content.decode()
    item.refresh_from_db()
    assert item.read_at is not None


def test_mark_all_read(client, consultant, colleague):
    notify(consultant, 4)
    notify(colleague, 2)
    client.force_login(consultant)
    assert client.post(reverse("notifications:read_all")).status_code == 302
    assert not consultant.notifications.filter(read_at__isnull=True).exists()
    assert colleague.notifications.filter(read_at__isnull=True).count() == 2


def test_open_marks_read_and_follows_only_local_links(client, consultant):
    (local,) = notify(consultant, link="/trajecten/12/")
    (external,) = notify(consultant, link="https://evil.example.com/")
    client.force_login(consultant)
    assert client.post(reverse("notifications:open", args=[local.pk]))["Location"] == "/trajecten/12/"
    assert client.post(reverse("notifications:open", args=[external.pk]))["Location"] == reverse("notifications:list")
    local.refresh_from_db()
    assert local.read_at is not None


def test_get_does_not_mark_read(client, consultant):
    (item,) = notify(consultant)
    client.force_login(consultant)
    assert client.get(reverse("notifications:read", args=[item.pk])).status_code == 405


def test_api_list_read_and_read_all(client, consultant):
    first, second, third = notify(consultant, 3)
    client.force_login(consultant)
    response = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert client.get("/api/v1/notifications/?unread=1").json()["count"] == 2
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    assert client.post("/api/v1/notifications/abc/read/").status_code == 404
