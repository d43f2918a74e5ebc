"""The director dashboard against the world of conftest.py (today = 15/06/2026, director runs Hasselt)."""

from __future__ import annotations

import datetime as dt

import pytest

from reporting import director as director_figures

pytestmark = pytest.mark.django_db
URL = "/rapportering/directie/"


def test_detainees_in_scope_are_those_of_his_prisons_still_detained(world, director):
    rows = list(director_figures.detainee_rows(director))
    # Hasselt: D1, D2, D3, D4, D7 of CAW Limburg and D8 of another organisation; D6 is in Gent, D5 and D9 released
    assert sorted(r.last_name for r in rows) == ["Bakkali", "Chaouki", "Daoudi", "El Amrani", "Mertens", "Zerouali"]
    by_name = {r.last_name: r for r in rows}
    assert by_name["El Amrani"].trajectory_status == "active"
    assert by_name["Daoudi"].trajectory_status == "intake"


def test_last_and_next_conference_per_detainee(world, director):
    by_name = {r.last_name: r for r in director_figures.detainee_rows(director)}
    d1 = by_name["El Amrani"]
    assert d1.last_conference.date() == dt.date(2026, 5, 1)
    assert d1.next_conference.date() == dt.date(2026, 6, 20)
    assert by_name["Chaouki"].next_conference is None  # the only one was cancelled
    assert by_name["Mertens"].last_conference.date() == dt.date(2026, 6, 1)
    assert by_name["Daoudi"].next_conference.date() == dt.date(2026, 7, 20)


def test_pre_leave_deadlines(world, director):
    rows = director_figures.pre_leave_deadlines(director)
    # within 9 months (until 15/03/2027): D1 (01/08/26), D7 (01/09/26), D4 (10/01/27); D2's is in 2028
    assert [r.last_name for r in rows] == ["El Amrani", "Mertens", "Daoudi"]
    d1, d7, d4 = rows
    assert d1.pre_leave_due == dt.date(2026, 5, 1) and d1.pre_leave_overdue  # no pre-leave conference
    assert d7.pre_leave_due == dt.date(2026, 6, 1) and not d7.pre_leave_overdue  # held one on 01/06
    assert d7.pre_leave_planned.date() == dt.date(2026, 6, 1)
    assert d4.pre_leave_due == dt.date(2026, 10, 10) and not d4.pre_leave_overdue


def test_prison_summary(world, director):
    assert [(p.code, p.in_scope) for p in director_figures.prisons_summary(director)] == [("hasselt", 6)]


def test_other_director_sees_only_his_prison(world, other_director):
    assert [r.last_name for r in director_figures.detainee_rows(other_director)] == ["Aerts"]


def test_page_shows_status_and_lead_but_no_content(world, client, director):
    client.force_login(director)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zerouali" in html and "Aerts" not in html  # a person is named "First Last" (accounts/display.py)
    assert "verstreken" in html  # D1's pre-leave conference is overdue
    assert "Doel education_employment" not in html and "Gesprek over opleiding" not in html


def test_filter_by_prison_and_unknown_prison_is_404(world, client, director):
    client.force_login(director)
    assert client.get(URL + "?gevangenis=hasselt").status_code == 200
    assert client.get(URL + "?gevangenis=gent").status_code == 404


def test_director_without_prison_gets_an_explanation(client, today, db):
    from tests.factories import UserFactory

    lonely = UserFactory(username="lonely_director", director=True)
    client.force_login(lonely)
    assert "aan geen gevangenis gekoppeld" in client.get(URL).content.decode()


def test_query_count_is_constant(world, more_data, client, director, django_assert_num_queries):
    client.force_login(director)
    client.get(URL)

    def count():
        # 1 session, 2 user, 3 his prisons with counts, 4 pager count, 5 page rows (status, last and next
        # conference as subqueries; prison and lead joined), 6 pre-leave deadlines
        with django_assert_num_queries(6):
            assert client.get(URL).status_code == 200

    count()
    more_data()
    count()
