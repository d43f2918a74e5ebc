"""The diary's services: who may plan with whom, plausible dates, logging a plan as a session."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from casework.models import Session
from diary import services
from diary.models import PlannedContact
from tests.factories import DetaineeFactory

from .conftest import NOW, at, plan

pytestmark = pytest.mark.django_db


def test_a_consultant_plans_a_visit_in_the_detainees_prison(contact, detainee, hasselt):
    assert contact.prison == hasselt == detainee.current_prison
    assert contact.is_open and not contact.is_overdue
    assert contact.events.get().pgh_context.metadata["reason"] == "planned_contact_plan"


def test_it_refuses_a_contact_in_the_past(frozen, consultant, detainee):
    with pytest.raises(ValidationError) as error:
        plan(consultant, detainee, NOW - dt.timedelta(hours=1))
    assert "starts_at" in error.value.message_dict


def test_it_allows_the_minutes_of_filling_in_the_form(frozen, consultant, detainee):
    assert plan(consultant, detainee, NOW - dt.timedelta(minutes=2)).pk


def test_it_refuses_a_contact_more_than_a_year_ahead(frozen, consultant, detainee):
    with pytest.raises(ValidationError) as error:
        plan(consultant, detainee, NOW + dt.timedelta(days=400))
    assert "starts_at" in error.value.message_dict


@pytest.mark.parametrize("minutes", [0, 4, 721])
def test_it_refuses_an_implausible_duration(frozen, consultant, detainee, minutes):
    with pytest.raises(ValidationError) as error:
        plan(consultant, detainee, at(2026, 3, 3, 10, 0), duration_minutes=minutes)
    assert "duration_minutes" in error.value.message_dict


def test_it_refuses_a_visit_in_prison_to_a_released_detainee(frozen, consultant, detainee):
    detainee.released_on = dt.date(2026, 2, 1)
    detainee.save(update_fields=["released_on"])
    with pytest.raises(ValidationError) as error:
        plan(consultant, detainee, at(2026, 3, 3, 10, 0))
    assert "kind" in error.value.message_dict
    assert plan(consultant, detainee, at(2026, 3, 3, 10, 0), kind="call").pk


@pytest.mark.parametrize("persona", ["colleague", "outsider", "manager", "director", "partner_with_consent", "dpo"])
def test_only_the_case_team_plans_with_a_detainee(frozen, personas, detainee, persona):
    with pytest.raises(ValidationError) as error:
        plan(personas[persona], detainee, at(2026, 3, 3, 10, 0))
    assert "detainee" in error.value.message_dict
    assert not PlannedContact.objects.exists()


def test_a_co_consultant_plans_too(frozen, colleague, detainee):
    detainee.co_consultants.add(colleague)
    assert plan(colleague, detainee, at(2026, 3, 3, 10, 0)).consultant == colleague


def test_moving_a_contact_keeps_the_rules(contact, consultant):
    services.planned_contact_update(
        contact=contact,
        user=consultant,
        starts_at=at(2026, 3, 4, 10, 0),
        kind="call",
        duration_minutes=30,
        prison=None,
        place="",
    )
    contact.refresh_from_db()
    assert (contact.kind, contact.duration_minutes, contact.prison) == ("call", 30, None)
    with pytest.raises(ValidationError):
        services.planned_contact_update(
            contact=contact, user=consultant, starts_at=at(2026, 3, 1, 10, 0), kind="call", duration_minutes=30
        )


def test_only_the_planner_moves_or_cancels_it(contact, colleague):
    detainee = contact.detainee
    detainee.co_consultants.add(colleague)
    with pytest.raises(ValidationError):
        services.planned_contact_cancel(contact=contact, user=colleague)
    with pytest.raises(ValidationError):
        services.planned_contact_update(
            contact=contact, user=colleague, starts_at=at(2026, 3, 4, 10, 0), kind="call", duration_minutes=30
        )


def test_logging_a_plan_makes_a_session_and_links_it(contact, consultant, frozen):
    frozen.move_to(at(2026, 3, 2, 15, 0))
    session = services.planned_contact_log(
        contact=contact,
        user=consultant,
        started_at=contact.starts_at,
        duration_minutes=45,
        modality=Session.Modality.IN_PERSON_PRISON,
        summary="Bezoek verliep rustig.",
    )
    contact.refresh_from_db()
    assert contact.session == session and not contact.is_open
    assert session.detainee == contact.detainee and session.author == consultant
    with pytest.raises(ValidationError, match="al geregistreerd"):
        services.planned_contact_log(
            contact=contact,
            user=consultant,
            started_at=contact.starts_at,
            duration_minutes=45,
            modality=Session.Modality.IN_PERSON_PRISON,
        )
    assert Session.objects.count() == 1


def test_logging_keeps_the_session_rules(contact, consultant):
    # At 09:00 the visit of 14:00 has not taken place: a session is never in the future.
    with pytest.raises(ValidationError) as error:
        services.planned_contact_log(
            contact=contact,
            user=consultant,
            started_at=contact.starts_at,
            duration_minutes=45,
            modality=Session.Modality.IN_PERSON_PRISON,
        )
    assert "started_at" in error.value.message_dict
    contact.refresh_from_db()
    assert contact.session is None and not Session.objects.exists()


def test_a_cancelled_contact_is_not_logged(contact, consultant):
    services.planned_contact_cancel(contact=contact, user=consultant)
    with pytest.raises(ValidationError, match="geannuleerd"):
        services.planned_contact_log(
            contact=contact,
            user=consultant,
            started_at=contact.starts_at,
            duration_minutes=45,
            modality=Session.Modality.IN_PERSON_PRISON,
        )


def test_visible_to_the_planner_on_his_own_caseload_and_his_manager(contact, personas, consultant, detainee, caw):
    visible = {name for name, user in personas.items() if PlannedContact.objects.visible_to(user).exists()}
    assert visible == {"consultant", "manager"}
    # Taken off the case team, the consultant no longer sees the plans on that file.
    detainee.lead_consultant = DetaineeFactory(organisation=caw).lead_consultant
    detainee.save(update_fields=["lead_consultant"])
    assert not PlannedContact.objects.visible_to(consultant).exists()
