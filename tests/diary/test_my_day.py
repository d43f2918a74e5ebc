""" "Mijn dag" per role answers "what do I do today", each line one click from the work, in a constant number
of queries whatever the data size."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casusoverleg.models import Conference
from diary import services
from notifications import services as reminder_services
from tests.casusoverleg.factories import schedule
from tests.factories import DetaineeFactory

from .conftest import at, plan

pytestmark = pytest.mark.django_db


def panel(response, name):
    return next(item["data"] for item in response.context["panels"] if item["name"] == name)


def names(response) -> list[str]:
    return [item["name"] for item in response.context["panels"]]


def test_the_consultant_sees_todays_plans_and_yesterdays_unlogged_ones(client, consultant, detainee, frozen):
    yesterday = plan(consultant, detainee, at(2026, 3, 2, 9, 2))
    today = plan(consultant, detainee, at(2026, 3, 3, 11, 0))
    cancelled = plan(consultant, detainee, at(2026, 3, 3, 15, 0))
    services.planned_contact_cancel(contact=cancelled, user=consultant)
    frozen.move_to(at(2026, 3, 3, 8, 30))
    client.force_login(consultant)
    response = client.get(reverse("casework:my_day"))
    data = panel(response, "planned_contacts")
    assert [c.pk for c in data["today"]] == [today.pk]
    assert [c.pk for c in data["overdue"]] == [yesterday.pk]
    html = response.content.decode()
    assert "Gepland maar nog niet geregistreerd" in html
    assert reverse("diary:log", args=[yesterday.pk]) + "?vanuit=mijn-dag" in html
    assert reverse("diary:log", args=[today.pk]) + "?vanuit=mijn-dag" in html


def test_an_unlogged_plan_is_a_reminder_the_next_morning_until_logged(consultant, detainee, frozen, client):
    contact = plan(consultant, detainee, at(2026, 3, 2, 10, 0))
    frozen.move_to(at(2026, 3, 3, 8, 5))
    result = reminder_services.reminders_sweep()
    assert result.sent == 1
    notification = consultant.notifications.get(kind="planned_contact_not_logged")
    assert notification.link == reverse("diary:log", args=[contact.pk])
    assert "02/03/2026" in notification.text and "Youssef" not in notification.text
    client.force_login(consultant)
    response = client.get(reverse("casework:my_day"))
    assert [n.pk for n in panel(response, "due_reminders")["notifications"]] == [notification.pk]


def test_a_plan_logged_in_time_is_not_reminded(consultant, detainee, frozen):
    contact = plan(consultant, detainee, at(2026, 3, 2, 10, 0))
    frozen.move_to(at(2026, 3, 2, 18, 0))
    reminder_services.reminders_plan()
    services.planned_contact_log(
        contact=contact, user=consultant, started_at=contact.starts_at, duration_minutes=60, modality="in_person_prison"
    )
    frozen.move_to(at(2026, 3, 3, 8, 5))
    result = reminder_services.reminders_sweep()
    assert result.sent == 0
    assert not consultant.notifications.filter(kind="planned_contact_not_logged").exists()


def test_the_consultant_sees_his_conferences_of_the_week_and_minutes_to_write(
    client, consultant, director, detainee, frozen
):
    soon = schedule(director, detainee, starts_at=at(2026, 3, 5, 10, 0))
    later = schedule(director, detainee, starts_at=at(2026, 3, 20, 10, 0))
    held = schedule(director, detainee, starts_at=at(2026, 3, 2, 9, 30))
    # The lead consultant is invited with the conference; at the held one he takes the minutes.
    assert later.participants.filter(user=consultant).exists()
    held.participants.filter(user=consultant).update(role="minute_taker")
    frozen.move_to(at(2026, 3, 2, 12, 0))
    client.force_login(consultant)
    response = client.get(reverse("casework:my_day"))
    assert [c.pk for c in panel(response, "upcoming_conferences")["conferences"]] == [soon.pk]
    todo = panel(response, "minutes_todo")["conferences"]
    assert [(c.pk, c.to_approve) for c in todo] == [(held.pk, False)]
    html = response.content.decode()
    assert reverse("casusoverleg:detail", args=[soon.pk]) in html
    assert reverse("casusoverleg:minutes_editor", args=[held.pk]) in html
    # The actions due have their own panel (trajectories), loaded after the page.
    assert "my_actions" in names(response)


def test_the_director_sees_his_conferences_and_pre_leave_deadlines_never_of_the_released(
    client, director, consultant, detainee, caw, hasselt, frozen
):
    detainee.leave_eligible_on = dt.date(2026, 5, 1)
    detainee.save(update_fields=["leave_eligible_on"])
    released = DetaineeFactory(
        organisation=caw, current_prison=hasselt, leave_eligible_on=dt.date(2026, 4, 1), released_on=dt.date(2026, 2, 1)
    )
    planned = DetaineeFactory(
        organisation=caw, current_prison=hasselt, leave_eligible_on=dt.date(2026, 9, 1), lead_consultant=consultant
    )
    conference = schedule(director, planned, starts_at=at(2026, 3, 4, 10, 0), kind=Conference.Kind.PRE_LEAVE)
    client.force_login(director)
    response = client.get(reverse("casework:my_day"))
    rows = panel(response, "pre_leave_deadlines")["detainees"]
    assert [d.pk for d in rows] == [detainee.pk, planned.pk]
    assert released.pk not in [d.pk for d in rows]
    first, second = rows
    # Three months before 1 May is 1 February: past, and nothing planned.
    assert first.pre_leave_late and first.pre_leave_id is None
    assert second.pre_leave_id == conference.pk and not second.pre_leave_late
    assert [c.pk for c in panel(response, "upcoming_conferences")["conferences"]] == [conference.pk]
    html = response.content.decode()
    assert f"{reverse('casusoverleg:create')}?detainee={detainee.pk}&amp;kind=pre_leave" in html
    assert reverse("casusoverleg:detail", args=[conference.pk]) in html


def test_the_other_director_sees_no_deadline_of_another_prison(client, other_director, detainee, frozen):
    detainee.leave_eligible_on = dt.date(2026, 5, 1)
    detainee.save(update_fields=["leave_eligible_on"])
    client.force_login(other_director)
    assert panel(client.get(reverse("casework:my_day")), "pre_leave_deadlines")["detainees"] == []


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("consultant", {"planned_contacts", "due_reminders", "upcoming_conferences", "minutes_todo", "my_actions"}),
        ("manager", {"planned_vs_held", "due_reminders", "organisation_figures", "waiting_referrals"}),
        ("director", {"pre_leave_deadlines", "upcoming_conferences", "minutes_todo", "due_reminders"}),
        ("partner_with_consent", {"upcoming_conferences", "due_reminders", "shared_with_me"}),
        ("dpo", {"due_reminders", "dpo_tools"}),
        ("admin_user", {"admin_tools"}),
    ],
)
def test_each_role_gets_its_own_day(client, request, persona, expected, frozen):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("casework:my_day"))
    assert response.status_code == 200
    assert expected <= set(names(response))
    if persona != "consultant":
        assert "planned_contacts" not in names(response)


def _grow(consultant, director, detainee, caw, hasselt, n):
    for index in range(n):
        other = DetaineeFactory(
            organisation=caw,
            current_prison=hasselt,
            lead_consultant=consultant,
            leave_eligible_on=dt.date(2026, 6, 1) + dt.timedelta(days=index),
        )
        plan(consultant, other, at(2026, 3, 2, 10, index))
        plan(consultant, other, at(2026, 3, 3, 10, index))
        schedule(director, other, starts_at=at(2026, 3, 4 + index % 3, 8 + index % 8, 0))


@pytest.mark.parametrize("persona", ["consultant", "director", "manager"])
def test_my_day_costs_the_same_with_one_or_ten_of_everything(
    client,
    persona,
    personas,
    consultant,
    director,
    detainee,
    caw,
    hasselt,
    frozen,
    django_assert_max_num_queries,
    settings,
):
    settings.DISENGAGE_MFA_REQUIRED = False
    counts = []
    for n in (1, 9):
        frozen.move_to(at(2026, 3, 2, 8, 0))
        _grow(consultant, director, detainee, caw, hasselt, n)
        frozen.move_to(at(2026, 3, 3, 9, 0))
        reminder_services.reminders_sweep()
        client.force_login(personas[persona])
        client.get(reverse("casework:my_day"))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("casework:my_day")).status_code == 200
        counts.append(len(ctx.captured_queries))
    # The consultant: 1 session, 1 user, 1 planned contacts (today and overdue), 1 reminders due, 1 conferences
    # of the week, 1 minutes to do, 1 sessions logged today, 1 own caseload; the director: the deadlines instead
    # of the diary and caseload; the manager: the figures per consultant. The same with one or ten of each.
    assert counts[0] == counts[1], counts
    # Within the page budget (docs/design.md §11).
    with django_assert_max_num_queries(15):
        client.get(reverse("casework:my_day"))
