"""Conference actions their owners act on (ADR 0034): "my actions" for a partner, a director or an organisation,
the owner's updates, who sees what, the overdue reminders (owner, then chair) and the next conference's agenda."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Organisation
from casework.models import Consent
from casusoverleg.models import AgendaItem
from casusoverleg.services import minutes as services_minutes
from notifications import services as engine
from notifications.models import Notification, Reminder
from tests.factories import ConsentFactory
from trajectories.models import Action, ActionUpdate

from .factories import schedule

BRUSSELS = ZoneInfo("Europe/Brussels")
pytestmark = pytest.mark.django_db


def _approve_with_actions(now, director, detainee, owners):
    """A conference on 9/3 whose approved minutes give one action to each of `owners` (user or organisation)."""
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))
    minutes = conference.minutes_versions.get(number=1)
    rows = []
    for index, owner in enumerate(owners):
        key = "owner_organisation" if isinstance(owner, Organisation) else "owner_user"
        rows.append({"description": f"Actie {index} voor {owner}", key: owner, "due_on": dt.date(2026, 3, 20)})
    services_minutes.minutes_save(
        minutes=minutes, user=director, revision=minutes.revision, general_notes="Besproken", actions=rows
    )
    now.move_to(dt.datetime(2026, 3, 9, 13, 0, tzinfo=BRUSSELS))
    minutes.refresh_from_db()
    services_minutes.minutes_approve(minutes=minutes, user=director, revision=minutes.revision)
    return conference


@pytest.fixture
def cgg():
    return Organisation.objects.get(name="CGG")


@pytest.fixture
def agreed(now, director, detainee, partner_with_consent, partner_org, consultant):
    """Approved minutes with actions for the VDAB partner, for VDAB as an organisation, for the director and for
    the consultant; and the next periodic conference already planned for June. VDAB's consent shares the minutes
    for a conference (an action is part of them) and the identity."""
    Consent.objects.filter(detainee=detainee, organisation=partner_org).update(scopes=["identity", "minutes"])
    conference = _approve_with_actions(
        now, director, detainee, [partner_with_consent, partner_org, director, consultant]
    )
    following = schedule(director, detainee, starts_at=dt.datetime(2026, 6, 8, 10, 0, tzinfo=BRUSSELS))
    return conference, following


def _action(text):
    return Action.objects.get(description__startswith=text)


def test_a_partner_sees_his_own_and_his_organisations_actions_with_the_conference(client, agreed, partner_with_consent):
    conference, _following = agreed
    client.force_login(partner_with_consent)
    page = client.get("/casusoverleg/mijn-acties/").content.decode()
    assert "Actie 0 voor" in page and "Actie 1 voor VDAB" in page
    assert "Actie 2" not in page and "Actie 3" not in page  # the director's and the consultant's
    assert conference.reference in page and "Youssef" in page  # consent scope identity: the name is shown


def test_a_consent_without_the_minutes_keeps_the_action_from_the_partner(
    client, now, director, detainee, cgg, partner_without_consent, consultant
):
    ConsentFactory(
        detainee=detainee,
        organisation=cgg,
        explained_by=consultant,
        purposes=["conference"],
        scopes=["identity", "session_summaries"],
    )
    _approve_with_actions(now, director, detainee, [partner_without_consent])
    client.force_login(partner_without_consent)
    assert "Actie 0" not in client.get("/casusoverleg/mijn-acties/").content.decode()
    assert client.get("/api/v1/my-actions/").json()["results"] == []


def test_without_identity_consent_the_action_shows_but_not_who_it_is_about(
    client, now, director, detainee, cgg, partner_without_consent, consultant
):
    ConsentFactory(
        detainee=detainee, organisation=cgg, explained_by=consultant, purposes=["conference"], scopes=["minutes"]
    )
    _approve_with_actions(now, director, detainee, [partner_without_consent])
    client.force_login(partner_without_consent)
    page = client.get("/casusoverleg/mijn-acties/").content.decode()
    assert "Actie 0" in page
    assert "Youssef" not in page and "Amrani" not in page
    assert "De identiteit wordt niet gedeeld met jouw organisatie." in page
    data = client.get("/api/v1/my-actions/").json()
    assert data["results"][0]["detainee_name"] is None


def test_without_any_consent_the_action_does_not_exist_for_the_partner(
    client, now, director, detainee, partner_without_consent
):
    _approve_with_actions(now, director, detainee, [partner_without_consent])
    action = _action("Actie 0")
    client.force_login(partner_without_consent)
    assert "Actie 0" not in client.get("/casusoverleg/mijn-acties/").content.decode()
    assert client.get("/api/v1/my-actions/").json()["count"] == 0
    response = client.post(f"/casusoverleg/mijn-acties/{action.pk}/", {f"a{action.pk}-kind": "done"})
    assert response.status_code == 404
    assert client.post(f"/api/v1/my-actions/{action.pk}/updates/", {"kind": "done"}).status_code == 404
    action.refresh_from_db()
    assert action.status == "open" and not ActionUpdate.objects.exists()


def test_withdrawing_the_consent_ends_the_partners_actions_at_once(client, agreed, partner_with_consent, detainee):
    action = _action("Actie 0")
    client.force_login(partner_with_consent)
    assert "Actie 0" in client.get("/casusoverleg/mijn-acties/").content.decode()
    Consent.objects.filter(detainee=detainee).update(withdrawn_on=dt.date(2026, 3, 9))
    assert "Actie 0" not in client.get("/casusoverleg/mijn-acties/").content.decode()
    assert (
        client.post(
            f"/casusoverleg/mijn-acties/{action.pk}/", {f"a{action.pk}-kind": "progress", f"a{action.pk}-note": "x"}
        ).status_code
        == 404
    )


def test_the_owner_closes_his_action_and_the_team_sees_it_on_the_conference_and_the_next_agenda(
    client, agreed, partner_with_consent, consultant, now
):
    conference, following = agreed
    action = _action("Actie 0")
    now.move_to(dt.datetime(2026, 3, 16, 9, 0, tzinfo=BRUSSELS))
    client.force_login(partner_with_consent)
    response = client.post(
        f"/casusoverleg/mijn-acties/{action.pk}/",
        {f"a{action.pk}-kind": "progress", f"a{action.pk}-note": "Intake bij VDAB gepland"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/casusoverleg/mijn-acties/{action.pk}/",
        {f"a{action.pk}-kind": "done", f"a{action.pk}-note": "Gestart met opleiding"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at is not None
    assert list(ActionUpdate.objects.filter(action=action).values_list("kind", "author_id")) == [
        ("progress", partner_with_consent.pk),
        ("done", partner_with_consent.pk),
    ]
    # In the change history, with who did it.
    event = ActionUpdate.pgh_event_model.objects.filter(pgh_obj_id__in=ActionUpdate.objects.values("pk")).first()
    assert event.pgh_context.metadata["user"] == partner_with_consent.pk
    # The next conference's generated agenda carries it (refreshed in the same transaction).
    item = AgendaItem.objects.get(conference=following, source="actions")
    assert "Actie 0" in item.body and "Gestart met opleiding" in item.body and str(partner_with_consent) in item.body
    # The case team sees who did what on the conference page.
    client.force_login(consultant)
    page = client.get(f"/casusoverleg/{conference.pk}/").content.decode()
    assert "Intake bij VDAB gepland" in page and "Gestart met opleiding" in page
    assert "Actie 0" in client.get(f"/casusoverleg/{following.pk}/").content.decode()


def test_bad_updates_are_refused_with_a_message_and_nothing_is_written(client, agreed, partner_with_consent):
    action = _action("Actie 0")
    client.force_login(partner_with_consent)
    url = f"/casusoverleg/mijn-acties/{action.pk}/"
    response = client.post(url, {f"a{action.pk}-kind": "progress", f"a{action.pk}-note": "  "})
    assert response.status_code == 400 and "Schrijf kort wat er gebeurde." in response.content.decode()
    response = client.post(url, {f"a{action.pk}-kind": "progress", f"a{action.pk}-note": "x" * 501})
    assert response.status_code == 400 and "Hoogstens 500 tekens." in response.content.decode()
    response = client.post(url, {f"a{action.pk}-kind": "gedaan"})
    assert response.status_code == 400
    assert not ActionUpdate.objects.exists()
    client.post(url, {f"a{action.pk}-kind": "done"})
    response = client.post(url, {f"a{action.pk}-kind": "progress", f"a{action.pk}-note": "nog iets"})
    # A done action stays on the list a while, but takes no more updates.
    assert response.status_code == 400 and "al afgerond" in response.content.decode()
    api = client.post(
        f"/api/v1/my-actions/{action.pk}/updates/", {"kind": "progress", "note": "nog"}, content_type="application/json"
    )
    assert api.status_code == 400 and "al afgerond" in str(api.json())
    assert ActionUpdate.objects.count() == 1


def test_the_api_lists_and_takes_updates(client, agreed, partner_with_consent):
    action = _action("Actie 0")
    client.force_login(partner_with_consent)
    rows = client.get("/api/v1/my-actions/").json()["results"]
    assert {r["description"][:7] for r in rows} == {"Actie 0", "Actie 1"}
    assert all(r["detainee_name"] == "Youssef El Amrani" for r in rows)
    response = client.post(
        f"/api/v1/my-actions/{action.pk}/updates/", {"kind": "progress", "note": ""}, content_type="application/json"
    )
    assert response.status_code == 400 and "note" in response.json()
    response = client.post(
        f"/api/v1/my-actions/{action.pk}/updates/", {"kind": "done", "note": "Klaar"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["kind"] == "done"


def test_a_director_acts_on_his_action(client, agreed, director):
    action = _action("Actie 2")
    client.force_login(director)
    page = client.get("/casusoverleg/mijn-acties/").content.decode()
    assert "Actie 2" in page and "Youssef" in page and "Actie 0" not in page
    client.post(f"/casusoverleg/mijn-acties/{action.pk}/", {f"a{action.pk}-kind": "done"})
    action.refresh_from_db()
    assert action.status == "done"


def test_my_actions_costs_the_same_with_one_or_five_actions(
    client, now, director, detainee, partner_with_consent, partner_org
):
    from tests.factories import UserFactory

    colleague = UserFactory(username="partner_colleague", partner=True, organisation=partner_org)
    _approve_with_actions(now, director, detainee, [partner_with_consent] + [colleague] * 5)
    for action in Action.objects.filter(owner_user=colleague):
        action.owner_updates.create(author=colleague, kind="progress", note="Bezig")
    counts = []
    for user in (partner_with_consent, colleague):
        client.force_login(user)
        client.get("/casusoverleg/mijn-acties/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/casusoverleg/mijn-acties/").status_code == 200
        counts.append(len(ctx.captured_queries))
    # session, user, the actions (with file, conference and consents as subqueries), their updates, their conferences
    assert counts[0] == counts[1] <= 15, counts


def _sweep(now, start, end):
    day = start
    while day <= end:
        now.move_to(dt.datetime.combine(day, dt.time(12, 0), tzinfo=BRUSSELS))
        engine.reminders_sweep()
        day += dt.timedelta(days=1)


def test_overdue_reaches_the_owner_then_the_chair_exactly_once(agreed, now, partner_with_consent, director, consultant):
    _sweep(now, dt.date(2026, 3, 18), dt.date(2026, 3, 29))
    engine.reminders_plan()  # planning again changes nothing
    partner = Notification.objects.filter(recipient=partner_with_consent, kind="conference_action_overdue")
    # His own action and his organisation's, the day after the due date (20/3), once each.
    assert partner.count() == 2
    assert {n.created_at.astimezone(BRUSSELS).date() for n in partner} == {dt.date(2026, 3, 21)}
    assert all(n.link.startswith("/casusoverleg/mijn-acties/") for n in partner)
    chair = Notification.objects.filter(recipient=director, kind="conference_action_overdue_chair")
    assert chair.count() == 4 and {n.created_at.astimezone(BRUSSELS).date() for n in chair} == {dt.date(2026, 3, 27)}
    # The generic owner reminder no longer sends a partner to a trajectory page he cannot open.
    assert not Notification.objects.filter(recipient=partner_with_consent, kind="action_overdue").exists()
    # The director is an owner outside the case staff too: his own action reminds him as owner.
    assert Notification.objects.filter(recipient=director, kind="conference_action_overdue").count() == 1
    assert Reminder.objects.filter(kind="conference_action_overdue").count() == 3
    texts = " ".join(Notification.objects.values_list("text", flat=True))
    assert "Youssef" not in texts


def test_a_done_action_or_a_withdrawn_consent_withdraws_the_reminder(
    agreed, now, partner_with_consent, detainee, director
):
    own = _action("Actie 0")
    now.move_to(dt.datetime(2026, 3, 21, 6, 0, tzinfo=BRUSSELS))
    engine.reminders_plan()
    from casusoverleg.services.actions import action_owner_update

    action_owner_update(action=own, user=partner_with_consent, kind="done")
    Consent.objects.filter(detainee=detainee).update(withdrawn_on=dt.date(2026, 3, 21))
    _sweep(now, dt.date(2026, 3, 21), dt.date(2026, 3, 22))
    assert (
        not Notification.objects.filter(recipient=partner_with_consent)
        .filter(kind="conference_action_overdue")
        .exists()
    )
    assert set(
        Reminder.objects.filter(kind="conference_action_overdue", recipient=partner_with_consent).values_list(
            "status", flat=True
        )
    ) == {"withdrawn"}
    assert Notification.objects.filter(recipient=director, kind="conference_action_overdue").exists()
