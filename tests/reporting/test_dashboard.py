"""Every manager-dashboard figure against the hand-computed world of conftest.py (today = 15/06/2026)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from reporting import selectors
from trajectories.models import Status, TrajectoryStatusChange

pytestmark = pytest.mark.django_db
D = dt.date
URL = "/rapportering/dashboard/"


def figures(manager):
    return selectors.manager_dashboard(manager, dt.date(2026, 6, 15))


def test_caseload_per_consultant_by_status(world, manager, consultant, colleague):
    rows = {row.consultant_id: row for row in figures(manager)["caseload"]}
    # consultant: T3 referred, T4 intake, T1 + T7 active; colleague: T5 aftercare (T6 declined is not caseload)
    assert (
        rows[consultant.pk].referred,
        rows[consultant.pk].intake,
        rows[consultant.pk].active,
        rows[consultant.pk].aftercare,
    ) == (1, 1, 2, 0)
    assert (
        rows[colleague.pk].referred,
        rows[colleague.pk].intake,
        rows[colleague.pk].active,
        rows[colleague.pk].aftercare,
    ) == (0, 0, 0, 1)
    assert rows[consultant.pk].total == 4
    # the outsider (other organisation) is not a row; T2 is unassigned
    assert set(rows) == {consultant.pk, colleague.pk}
    assert figures(manager)["trajectories"].open_unassigned == {"referred": 1, "intake": 0, "active": 0, "aftercare": 0}


def test_waiting_referrals_and_days_waiting(world, manager):
    t = figures(manager)["trajectories"]
    # T2 waits since 01/06 (14 days), T3 since 16/05 (30 days)
    assert (t.waiting, t.waiting_unassigned, t.waiting_avg_days, t.waiting_max_days) == (2, 1, 22, 30)


def test_sessions_per_month_and_attendance_mix(world, manager):
    months, mix = selectors.sessions_by_month(manager, D(2026, 6, 15))
    assert [m.month for m in months] == [
        D(2025, 7, 1),
        D(2025, 8, 1),
        D(2025, 9, 1),
        D(2025, 10, 1),
        D(2025, 11, 1),
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
        D(2026, 3, 1),
        D(2026, 4, 1),
        D(2026, 5, 1),
        D(2026, 6, 1),
    ]
    by_month = {m.month: (m.attended, m.not_attended) for m in months}
    assert by_month[D(2026, 6, 1)] == (1, 1)
    assert by_month[D(2026, 5, 1)] == (1, 0)
    assert by_month[D(2026, 1, 1)] == (0, 1)
    assert by_month[D(2025, 7, 1)] == (1, 0)  # 01/07 00:30 Brussels is in; 30/06 23:30 is not
    assert sum(a + n for a, n in by_month.values()) == 5  # the other organisation's session is not counted
    assert mix == {"attended": 3, "refused": 0, "no_show": 1, "cancelled_by_prison": 1, "cancelled_by_consultant": 0}


def test_overdue_actions(world, manager):
    # due 01/06 open: overdue; due 01/07: not yet; done: no; the other organisation's: not counted
    assert figures(manager)["overdue"] == {"count": 1, "oldest": D(2026, 6, 1)}


def test_conferences_next_30_days_and_without_approved_minutes(world, manager):
    # upcoming: D1 on 20/06 (D4 on 20/07 is beyond 30 days, D3's is cancelled, D8 is another organisation's)
    # without approved minutes: D5 (held 01/06) and D7 (pre-leave, held 01/06)
    assert figures(manager)["conferences"] == {"upcoming": 1, "without_minutes": 2}


def test_aftercare_ending_within_30_days(world, manager):
    # T5: released 01/01/2026, aftercare ends 01/07/2026
    assert figures(manager)["trajectories"].aftercare_ending == 1


def test_life_domain_coverage(world, manager):
    rows = {d.code: d for d in figures(manager)["domains"]}
    # active trajectories of CAW Limburg: T1 (education, psychosocial) and T7 (housing)
    assert {code: (d.covered, d.active, d.percent) for code, d in rows.items() if d.covered} == {
        "education_employment": (1, 2, 50),
        "psychosocial": (1, 2, 50),
        "housing": (1, 2, 50),
    }
    assert rows["mental_health"].covered == 0 and rows["mental_health"].uncovered == 2
    assert len(rows) == 9


def test_consent_coverage(world, manager):
    # files with an open trajectory: D1, D2, D3, D4, D5, D7; active consent: D1 (VDAB), D5 (VDAB); D3's is withdrawn
    assert figures(manager)["consent"] == {"files": 6, "with_consent": 2, "percent": 33}


def test_success_indicator(world, manager):
    # referred 15/06/2025-15/06/2026 and past intake: T1 (active + agreed goal), T5 (idem), T6 (declined)
    # T7 (referred 01/03/2025) falls outside; T2, T3 (referred) and T4 (intake) are undecided
    assert figures(manager)["success"] == {"decided": 3, "successes": 2, "percent": 67}


def test_success_needs_both_active_and_an_agreed_goal(world, manager):
    # T4 becomes active without any agreed goal: decided, but not a success
    TrajectoryStatusChange.objects.create(
        trajectory=world["t4"],
        from_status="intake",
        to_status="active",
        changed_at=dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC),
    )
    world["t4"].status = Status.ACTIVE
    world["t4"].save(update_fields=["status"])
    assert figures(manager)["success"] == {"decided": 4, "successes": 2, "percent": 50}


def test_dashboard_page_renders_every_figure_with_links(world, client, manager, consultant):
    client.force_login(manager)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for figure in ("waiting", "overdue", "conferences", "minutes", "aftercare", "consent", "success"):
        assert reverse("reporting:figure_list", args=[figure]) in html
    assert f"?consultant={consultant.pk}&amp;status=active" in html
    assert "?month=2026-06&amp;attendance=attended" in html
    assert "67&nbsp;%" in html and "33&nbsp;%" in html
    assert 'id="dashboard-data"' in html and "vendor/chartjs/chart.umd.min.js" in html
    assert "<script>" not in html.replace('<script id="dashboard-data" type="application/json">', "")


def test_dashboard_query_count_is_constant(world, more_data, client, manager, django_assert_num_queries):
    client.force_login(manager)
    client.get(URL)  # warm the session row

    def count():
        # 1 session, 2 user, 3 caseload per consultant, 4 trajectory figures (waiting, active, aftercare, consent
        # coverage, success), 5 sessions per month, 6 overdue actions, 7 life domains with coverage, 8 conference
        # figures, 9 the manager's organisation (page title), 10 referrals to partners per organisation (ADR 0034,
        # live, not cached). The role checks and the menu ask the rules only, and the session is not written again
        # within a minute of the last recorded activity.
        with django_assert_num_queries(10):
            assert client.get(URL).status_code == 200

    count()
    more_data()
    count()


@pytest.mark.parametrize(
    ("figure", "query", "expected"),
    [
        ("waiting", "", ["Bakkali", "Chaouki"]),
        ("caseload", "?consultant=none&status=referred", ["Bakkali"]),
        ("overdue", "", ["El Amrani"]),
        ("aftercare", "", ["El Idrissi"]),
        ("consent", "?with=0", ["Bakkali", "Chaouki", "Daoudi", "Mertens"]),
        ("success", "?outcome=success", ["El Amrani", "El Idrissi"]),
        ("success", "?outcome=other", ["Aerts"]),
        ("domain", "?domain=housing&covered=1", ["Mertens"]),
        ("sessions", "?month=2026-06&attendance=not_attended", ["El Amrani"]),
        ("attendance", "?attendance=cancelled_by_prison", ["Mertens"]),
        ("conferences", "", ["El Amrani"]),
        ("minutes", "", ["El Idrissi", "Mertens"]),
    ],
)
def test_each_figure_links_to_the_rows_behind_it(world, client, manager, figure, query, expected):
    client.force_login(manager)
    response = client.get(reverse("reporting:figure_list", args=[figure]) + query)
    assert response.status_code == 200
    rows = response.context["page"].object_list
    names = sorted({(getattr(r, "detainee", None) or r).last_name for r in rows})
    assert names == sorted(expected)
    assert "ZEROUALI" not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "lijst/unknown/",
        "lijst/caseload/?status=bogus&consultant=1",
        "lijst/sessions/?month=1999-01",
        "lijst/sessions/?month=junk",
        "lijst/domain/?domain=nope",
    ],
)
def test_malformed_figure_filters_are_404_not_500(world, client, manager, path):
    client.force_login(manager)
    assert client.get(URL + path).status_code == 404


def test_caseload_of_another_organisations_consultant_is_404(world, client, manager, outsider):
    client.force_login(manager)
    assert client.get(URL + f"lijst/caseload/?consultant={outsider.pk}&status=active").status_code == 404


def test_figure_list_query_count_is_constant(world, more_data, client, manager, django_assert_num_queries):
    client.force_login(manager)
    url = URL + "lijst/waiting/"
    client.get(url)

    def count():
        # 1 session, 2 user, 3 count for the pager, 4 the page of rows (detainee, prison, lead joined)
        with django_assert_num_queries(4):
            client.get(url)

    count()
    more_data()
    count()


def test_empty_organisation_shows_empty_states(client, manager, today):
    client.force_login(manager)
    html = client.get(URL).content.decode()
    assert "Geen actieve trajecten" in html


def test_figures_are_cached_per_organisation(world, client, manager, outsider, settings, django_assert_num_queries):
    from django.core.cache import cache

    from tests.factories import UserFactory

    settings.REPORTING_CACHE_SECONDS = 300
    cache.clear()
    client.force_login(manager)
    client.get(URL)
    # cached, the sessions per month only: 1 session, 2 user, 3 trajectory figures (consent coverage), 4 caseload,
    # 5 overdue actions, 6 life domains, 7 conferences, 8 organisation (title), 9 referrals to partners
    with django_assert_num_queries(9):
        assert client.get(URL).context["trajectories"].active == 2
    other = UserFactory(username="other_manager", manager=True, organisation=outsider.organisation)
    client.force_login(other)
    assert client.get(URL).context["trajectories"].active == 1  # its own organisation's figures, not the cache's
    cache.clear()


def test_a_withdrawn_consent_leaves_the_cached_dashboard_at_once(world, client, manager, consultant, settings):
    """The figures are cached for five minutes, but none that a consent decides: the withdrawal shows on the next
    visit, and the cached entry holds sessions per month only (no consent figure, no file, no name)."""
    from django.core.cache import cache

    from casework import services
    from casework.models import Consent

    settings.REPORTING_CACHE_SECONDS = 300
    cache.clear()
    client.force_login(manager)
    assert client.get(URL).context["consent"] == {"files": 6, "with_consent": 2, "percent": 33}
    consent = Consent.objects.active().get(detainee=world["d1"])
    services.consent_withdraw(consent=consent, user=consultant)
    response = client.get(URL)
    assert response.context["consent"] == {"files": 6, "with_consent": 1, "percent": 17}
    assert response.context["trajectories"].consent["with_consent"] == 1
    key = f"reporting:manager:sessions:{manager.organisation_id}:2026-06-15"
    months, mix = cache.get(key)
    assert [type(m).__name__ for m in months] == ["MonthRow"] * 12 and set(mix) == {
        "attended",
        "refused",
        "no_show",
        "cancelled_by_prison",
        "cancelled_by_consultant",
    }
    cache.clear()


def test_the_cached_sessions_per_month_are_those_of_the_organisation(world, client, manager, outsider, settings):
    from django.core.cache import cache

    from tests.factories import UserFactory

    settings.REPORTING_CACHE_SECONDS = 300
    cache.clear()
    client.force_login(manager)
    ours = sum(m.total for m in client.get(URL).context["months"])
    other = UserFactory(username="other_manager_months", manager=True, organisation=outsider.organisation)
    client.force_login(other)
    assert sum(m.total for m in client.get(URL).context["months"]) != ours
    cache.clear()
