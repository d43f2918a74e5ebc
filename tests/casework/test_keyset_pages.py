"""Big lists in keyset pages (config/keyset.py, ADR 0036): every row once across the pages, ties on the moment
broken by the id, the same queries on every page, and no count of the whole table."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import AccessLog, Session
from config.keyset import bounded_count, decode_cursor, encode_cursor, keyset_page
from notifications.models import Notification

pytestmark = pytest.mark.django_db

HISTORY_PAGE_LIMIT = 50 * 1024


def _sessions(detainee, author, n: int, *, per_moment: int = 3) -> list[int]:
    """n sessions, `per_moment` of them sharing each start moment (the ties a cursor must not lose)."""
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=2)
    rows = [
        Session(
            detainee=detainee,
            author=author,
            started_at=start - dt.timedelta(hours=i // per_moment),
            duration_minutes=30,
            modality=Session.Modality.IN_PERSON_PRISON,
            attendance=Session.Attendance.ATTENDED,
            engagement=3,
            summary=f"Gesprek {i}",
        )
        for i in range(n)
    ]
    Session.objects.bulk_create(rows, batch_size=500)
    return list(Session.objects.filter(detainee=detainee).order_by("-started_at", "-pk").values_list("pk", flat=True))


def _counts_whole_table(queries) -> list[str]:
    """Every COUNT that is not over a LIMITed subquery."""
    return [q["sql"] for q in queries if "COUNT(" in q["sql"].upper() and "LIMIT" not in q["sql"].upper()]


def test_a_cursor_token_round_trips_and_a_bad_one_is_the_first_page():
    at = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    position = decode_cursor(
        encode_cursor(decode_cursor(encode_cursor(__import__("config.keyset").keyset.Position(at, 17, backwards=True))))
    )
    assert (position.at, position.pk, position.backwards) == (at, 17, True)
    for bad in ("", "%%%", "bm98", "x" * 500, encode_cursor.__name__):
        assert decode_cursor(bad) is None


@pytest.mark.parametrize("key", ["abc", "12abc", "1e3", "-"])
def test_a_token_with_a_text_key_on_a_list_of_ids_is_the_first_page(client, consultant, detainee, key):
    """Seen in a scan: a forged token whose key is not a number answered 500 on the file's sessions page."""
    from config.keyset import Position

    newest = _sessions(detainee, consultant, 30)[0]
    forged = encode_cursor(Position(dt.datetime(2026, 1, 2, tzinfo=dt.UTC), key))
    client.force_login(consultant)
    page = client.get(f"/gedetineerden/{detainee.pk}/contactmomenten/?cursor={forged}")
    assert page.status_code == 200 and "Gesprek 0" in page.content.decode()  # the newest: the first page
    api = client.get(f"/api/v1/sessions/?cursor={forged}")
    assert api.status_code == 200 and api.json()["results"][0]["id"] == newest
    assert keyset_page(Session.objects.all(), time_field="started_at", cursor=forged, size=5).first


def test_the_api_walks_every_session_once_forwards_and_back(client, consultant, detainee):
    expected = _sessions(detainee, consultant, 130)
    client.force_login(consultant)
    url, seen, counts = "/api/v1/sessions/", [], []
    while url:
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).json()
        assert not _counts_whole_table(queries.captured_queries)
        counts.append(len(queries))
        assert body["count"] == 130 and body["count_exact"] is True
        seen += [row["id"] for row in body["results"]]
        last, url = url, body["next"]
    assert seen == expected  # no duplicate, no gap, newest first with the id breaking ties
    assert len(counts) == 3 and len(set(counts)) == 1, counts
    backwards = []
    url = last
    while url:
        body = client.get(url).json()
        backwards = [row["id"] for row in body["results"]] + backwards
        url = body["previous"]
    assert backwards == expected


def test_the_api_keeps_page_numbers_with_a_bounded_count(client, consultant, detainee):
    expected = _sessions(detainee, consultant, 60)
    client.force_login(consultant)
    body = client.get("/api/v1/sessions/?page=2").json()
    assert [row["id"] for row in body["results"]] == expected[50:]
    assert body["next"] is None and body["previous"].endswith("/api/v1/sessions/")
    assert client.get("/api/v1/sessions/?page=3").status_code == 404
    assert client.get("/api/v1/sessions/?page=nul").status_code == 404
    # A token that is not ours is the first page, not an error.
    assert [row["id"] for row in client.get("/api/v1/sessions/?cursor=rommel").json()["results"]] == expected[:50]


def test_the_count_stops_at_its_ceiling(consultant, detainee):
    _sessions(detainee, consultant, 30)
    with CaptureQueriesContext(connection) as queries:
        assert bounded_count(Session.objects.all(), limit=10) == (10, False)
    assert "LIMIT 11" in queries[0]["sql"]
    assert bounded_count(Session.objects.all(), limit=100) == (30, True)


def test_the_file_timeline_pages_by_cursor(client, consultant, detainee):
    expected = _sessions(detainee, consultant, 45)
    client.force_login(consultant)
    url, seen, counts = f"/gedetineerden/{detainee.pk}/contactmomenten/", [], []
    while url:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        assert not _counts_whole_table(queries.captured_queries)
        counts.append(len(queries))
        seen += [int(pk) for pk in re.findall(r'id="session-(\d+)"', html)]
        found = re.search(r'rel="next" href="([^"]+)"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert seen == expected
    assert len(set(counts)) == 1, counts


def test_the_history_of_a_file_with_2000_sessions_is_paged_small(client, consultant, detainee):
    _sessions(detainee, consultant, 2000, per_moment=1)
    client.force_login(consultant)
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(f"/gedetineerden/{detainee.pk}/geschiedenis/")
    assert first.status_code == 200
    assert len(first.content) <= HISTORY_PAGE_LIMIT, len(first.content)
    assert not _counts_whole_table(first_queries.captured_queries)
    html = first.content.decode()
    link = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    with CaptureQueriesContext(connection) as next_queries:
        second = client.get(link)
    assert second.status_code == 200 and len(second.content) <= HISTORY_PAGE_LIMIT
    assert len(next_queries) == len(first_queries)
    assert 'rel="prev"' in second.content.decode()
    # The two pages show different changes: the second starts where the first ended.
    first_times = re.findall(r'class="meta">([^·<]+)', html)
    second_times = re.findall(r'class="meta">([^·<]+)', second.content.decode())
    assert first_times and second_times and first_times[0] >= second_times[0]


def test_history_pages_never_repeat_an_event(consultant, detainee):
    from casework import selectors

    _sessions(detainee, consultant, 60, per_moment=60)  # one bulk insert: every event at one moment
    seen, cursor = [], None
    while True:
        page = selectors.detainee_history(detainee, show_confidential=True, cursor=cursor, size=25)
        seen += [(entry.at, entry.object_label, entry.kind) for entry in page.object_list]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    events = (
        __import__("pghistory.models")
        .models.Events.objects.across(*selectors._event_models())
        .references(detainee)
        .count()
    )
    assert len(seen) == events


def test_the_inbox_and_the_access_review_page_by_cursor(client, consultant, dpo, detainee):
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=consultant, text=f"Melding {i}", link="/", created_at=now - dt.timedelta(minutes=i // 4)
            )
            for i in range(60)
        ]
    )
    client.force_login(consultant)
    api = client.get("/api/v1/notifications/").json()
    ids = [row["id"] for row in api["results"]]
    ids += [row["id"] for row in client.get(api["next"]).json()["results"]]
    assert (
        sorted(ids, reverse=True)
        == sorted(Notification.objects.filter(recipient=consultant).values_list("pk", flat=True), reverse=True)
        and len(ids) == len(set(ids)) == 60
    )
    page = client.get("/meldingen/")
    assert page.status_code == 200 and 'rel="next"' in page.content.decode()

    AccessLog.objects.bulk_create(
        [
            AccessLog(user=consultant, detainee=detainee, object_kind="sessions", at=now - dt.timedelta(seconds=i // 5))
            for i in range(120)
        ]
    )
    client.force_login(dpo)
    with CaptureQueriesContext(connection) as queries:
        review = client.get("/privacy/raadplegingen/")
    assert review.status_code == 200
    assert not _counts_whole_table(queries.captured_queries)
    assert 'rel="next"' in review.content.decode()


def test_keyset_page_of_an_empty_list():
    page = keyset_page(Session.objects.none(), time_field="started_at", cursor=None, size=10)
    assert page.object_list == [] and not page.has_other_pages
