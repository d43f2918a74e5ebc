"""Per-request answers about the user (accounts/memo.py): asked once per request, never carried beyond it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.memo import MEMO, remembered
from casework.models import Prison
from casework.permissions import consent_scopes, directed_prison_ids

pytestmark = pytest.mark.django_db


def test_without_a_request_every_call_asks_the_database(director, hasselt):
    assert directed_prison_ids(director) == {hasselt.pk}
    gent = Prison.objects.get(code="gent")
    gent.directors.add(director)
    assert directed_prison_ids(director) == {hasselt.pk, gent.pk}  # nothing remembered outside a request


def test_a_request_user_asks_once_per_question(director, detainee, consultant, partner_with_consent):
    setattr(director, MEMO, {})
    setattr(partner_with_consent, MEMO, {})
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(3):
            directed_prison_ids(director)
            consent_scopes(partner_with_consent, detainee.pk)
    assert len(ctx.captured_queries) == 2
    assert consent_scopes(partner_with_consent, detainee.pk) == {"identity", "session_summaries", "trajectory_goals"}
    assert remembered(director, ("x",), lambda: 1) == 1
    assert remembered(director, ("x",), lambda: 2) == 1


def test_each_request_starts_with_a_fresh_memo(client, director, detainee, consultant):
    client.force_login(director)
    url = f"/gedetineerden/{detainee.pk}/"
    assert client.get(url).status_code == 200
    Prison.objects.get(code="hasselt").directors.remove(director)
    assert client.get(url).status_code == 404  # the next request no longer sees the prison he left


def test_a_page_asks_for_the_directors_prisons_once(client, director, detainee, consultant):
    client.force_login(director)
    client.get(f"/casusoverleg/dossier/{detainee.pk}/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/casusoverleg/dossier/{detainee.pk}/").status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    # Six rules ask whether he runs the detainee's prison (file tabs, conferences tab, header): one look-up.
    assert sum(q.startswith('SELECT "casework_prison_directors"."prison_id"') for q in sql) == 1
    assert not any('INNER JOIN "casework_prison_directors"' in q and q.startswith('SELECT 1 AS "a"') for q in sql)
