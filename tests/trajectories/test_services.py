"""The trajectory services: lifecycle, explorations, goals, reviews, actions — and the bad input each refuses."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from casework.models import Detainee, LifeDomain
from trajectories import services
from trajectories.models import Action, Goal, GoalReview, Status, Trajectory, TrajectoryStatusChange

from .conftest import explore_required

pytestmark = pytest.mark.django_db


def snapshot(trajectory):
    trajectory.refresh_from_db()
    return (trajectory.status, trajectory.closed_on, trajectory.closure_reason, trajectory.status_changes.count())


# --- lifecycle ----------------------------------------------------------------------------------


def test_referral_starts_the_history(trajectory, consultant):
    change = trajectory.status_changes.get()
    assert (change.from_status, change.to_status, change.changed_by) == ("", "referred", consultant)
    assert trajectory.lead_consultant == consultant


def test_the_full_lifecycle_records_who_when_why(active_trajectory, consultant, frozen):
    services.trajectory_transition(
        trajectory=active_trajectory, user=consultant, to="aftercare", reason="Vrijgelaten", via_release=True
    )
    services.trajectory_transition(
        trajectory=active_trajectory,
        user=consultant,
        to="closed",
        reason="Nazorg voorbij",
        closure_reason="aftercare_ended",
    )
    active_trajectory.refresh_from_db()
    assert active_trajectory.status == "closed"
    assert active_trajectory.closed_on == dt.date(2025, 6, 2)
    history = list(active_trajectory.status_changes.values_list("from_status", "to_status", "reason"))
    assert history == [
        ("", "referred", "Aangemeld door de PSD"),
        ("referred", "intake", "Eerste gesprek"),
        ("intake", "active", "Plan afgesproken"),
        ("active", "aftercare", "Vrijgelaten"),
        ("aftercare", "closed", "Nazorg voorbij"),
    ]
    assert all(c.changed_by == consultant for c in active_trajectory.status_changes.all())


@pytest.mark.parametrize("start", ["referred", "intake"])
def test_referred_and_intake_may_be_declined(trajectory, consultant, start):
    if start == "intake":
        services.trajectory_transition(trajectory=trajectory, user=consultant, to="intake")
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="declined", reason="Wil niet")
    trajectory.refresh_from_db()
    assert (trajectory.status, trajectory.closure_reason) == ("declined", "declined")
    assert trajectory.closed_on is not None


@pytest.mark.parametrize("start", ["referred", "intake", "active", "aftercare"])
def test_any_open_state_may_close_with_a_reason(active_trajectory, trajectory, consultant, start):
    Trajectory.objects.filter(pk=trajectory.pk).update(status=start)
    trajectory.refresh_from_db()
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="closed", closure_reason="left_country")
    assert snapshot(trajectory)[:3] == ("closed", dt.date(2025, 6, 2), "left_country")


@pytest.mark.parametrize(
    ("start", "to"),
    [
        ("referred", "aftercare"),
        ("referred", "active"),
        ("referred", "referred"),
        ("intake", "referred"),
        ("intake", "aftercare"),
        ("active", "intake"),
        ("active", "declined"),
        ("aftercare", "active"),
        ("aftercare", "declined"),
        ("closed", "referred"),
        ("closed", "intake"),
        ("closed", "active"),
        ("closed", "aftercare"),
        ("closed", "closed"),
        ("closed", "declined"),
        ("declined", "intake"),
        ("declined", "closed"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(trajectory, consultant, start, to):
    fields = {"status": start}
    if start in ("closed", "declined"):
        fields.update(closed_on=dt.date(2025, 5, 1), closure_reason="other" if start == "closed" else "declined")
    Trajectory.objects.filter(pk=trajectory.pk).update(**fields)
    before = snapshot(trajectory)
    with pytest.raises(ValidationError) as error:
        services.trajectory_transition(
            trajectory=trajectory, user=consultant, to=to, closure_reason="other", reason="x", via_release=True
        )
    assert "to" in error.value.message_dict
    assert snapshot(trajectory) == before


def test_aftercare_is_refused_without_a_release(active_trajectory, consultant):
    before = snapshot(active_trajectory)
    with pytest.raises(ValidationError) as error:
        services.trajectory_transition(trajectory=active_trajectory, user=consultant, to="aftercare")
    assert "vrijlating" in error.value.message_dict["to"][0]
    assert snapshot(active_trajectory) == before


def test_unknown_status_is_refused(trajectory, consultant):
    with pytest.raises(ValidationError) as error:
        services.trajectory_transition(trajectory=trajectory, user=consultant, to="paused")
    assert "to" in error.value.message_dict


def test_active_needs_every_required_domain_settled(trajectory, consultant):
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="intake")
    required = list(LifeDomain.objects.filter(required=True))
    for d in required[:-1]:
        services.exploration_record(trajectory=trajectory, user=consultant, domain=d, need="no_need")
    before = snapshot(trajectory)
    with pytest.raises(ValidationError) as error:
        services.trajectory_transition(trajectory=trajectory, user=consultant, to="active")
    assert required[-1].name in error.value.message_dict["to"][0]
    assert snapshot(trajectory) == before
    # Deferring the last one with a reason is enough.
    services.exploration_record(
        trajectory=trajectory,
        user=consultant,
        domain=required[-1],
        need="not_yet_explored",
        deferral_reason="Pas bespreekbaar na het proces",
    )
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="active")
    assert snapshot(trajectory)[0] == "active"


def test_deferring_without_a_reason_does_not_count(trajectory, consultant):
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="intake")
    explore_required(trajectory, consultant, need="not_yet_explored")
    with pytest.raises(ValidationError):
        services.trajectory_transition(trajectory=trajectory, user=consultant, to="active")


@pytest.mark.parametrize("closure_reason", ["", "because", None])
def test_closure_without_reason_is_refused(trajectory, consultant, closure_reason):
    before = snapshot(trajectory)
    with pytest.raises(ValidationError) as error:
        services.trajectory_transition(
            trajectory=trajectory, user=consultant, to="closed", closure_reason=closure_reason or ""
        )
    assert "closure_reason" in error.value.message_dict
    assert snapshot(trajectory) == before


def test_closure_reason_other_needs_an_explanation(trajectory, consultant):
    with pytest.raises(ValidationError) as error:
        services.trajectory_transition(trajectory=trajectory, user=consultant, to="closed", closure_reason="other")
    assert "reason" in error.value.message_dict


def test_closing_date_in_the_future_or_before_referral_is_refused(trajectory, consultant):
    for on in (dt.date(2025, 7, 1), dt.date(2024, 12, 1)):
        with pytest.raises(ValidationError) as error:
            services.trajectory_transition(
                trajectory=trajectory, user=consultant, to="closed", closure_reason="deceased", on=on
            )
        assert "on" in error.value.message_dict
    assert snapshot(trajectory)[0] == "referred"


def test_a_second_open_trajectory_is_refused(trajectory, detainee, consultant):
    with pytest.raises(ValidationError) as error:
        services.trajectory_refer(
            detainee=detainee, user=consultant, referred_on=dt.date(2025, 5, 1), referred_by="self"
        )
    assert "detainee" in error.value.message_dict
    assert Trajectory.objects.filter(detainee=detainee).count() == 1


def test_the_database_refuses_a_second_open_trajectory(trajectory, detainee):
    with pytest.raises(IntegrityError), transaction.atomic():
        Trajectory.objects.create(
            detainee=detainee, referred_on=dt.date(2025, 2, 1), referred_by="psd", status="intake"
        )


def test_a_new_trajectory_after_closure_may_not_overlap(trajectory, detainee, consultant):
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="declined", on=dt.date(2025, 3, 1))
    with pytest.raises(ValidationError) as error:
        services.trajectory_refer(
            detainee=detainee, user=consultant, referred_on=dt.date(2025, 2, 1), referred_by="self"
        )
    assert "referred_on" in error.value.message_dict
    second = services.trajectory_refer(
        detainee=detainee, user=consultant, referred_on=dt.date(2025, 4, 1), referred_by="self"
    )
    assert second.status == "referred"


def test_referral_in_the_future_is_refused(detainee, consultant, frozen):
    with pytest.raises(ValidationError) as error:
        services.trajectory_refer(
            detainee=detainee, user=consultant, referred_on=dt.date(2025, 7, 1), referred_by="psd"
        )
    assert "referred_on" in error.value.message_dict
    assert not Trajectory.objects.exists()


def test_unknown_referral_codes_are_refused(detainee, consultant, frozen):
    with pytest.raises(ValidationError) as error:
        services.trajectory_refer(
            detainee=detainee,
            user=consultant,
            referred_on=dt.date(2025, 1, 1),
            referred_by="police",
            guidance_type="nonsense",
        )
    assert {"referred_by", "guidance_type"} <= set(error.value.message_dict)


# --- team ------------------------------------------------------------------------------------------


def test_assignment_moves_the_files_team_along(trajectory, manager, colleague, consultant, detainee):
    services.trajectory_assign(trajectory=trajectory, user=manager, lead=colleague, co_consultants=[consultant])
    detainee.refresh_from_db()
    trajectory.refresh_from_db()
    assert trajectory.lead_consultant == colleague
    assert list(trajectory.co_consultants.all()) == [consultant]
    assert detainee.lead_consultant == colleague
    assert list(detainee.co_consultants.all()) == [consultant]


def test_assignment_refuses_people_outside_the_organisation(trajectory, manager, outsider, detainee, consultant):
    with pytest.raises(ValidationError):
        services.trajectory_assign(trajectory=trajectory, user=manager, lead=outsider)
    with pytest.raises(ValidationError):
        services.trajectory_assign(trajectory=trajectory, user=manager, lead=manager)
    assert Detainee.objects.get(pk=detainee.pk).lead_consultant == consultant


# --- explorations, goals, reviews ---------------------------------------------------------------------


def test_exploration_is_one_row_per_domain(trajectory, consultant):
    d = LifeDomain.objects.get(code="mental_health")
    services.exploration_record(
        trajectory=trajectory, user=consultant, domain=d, need="not_yet_explored", deferral_reason="Later"
    )
    exploration = services.exploration_record(trajectory=trajectory, user=consultant, domain=d, need="need")
    assert trajectory.explorations.count() == 1
    assert (exploration.need, exploration.explored_on, exploration.deferral_reason) == ("need", dt.date(2025, 6, 2), "")


def test_goal_agreed_with_detainee_gets_a_date_and_status(active_trajectory, consultant):
    goal = services.goal_create(
        trajectory=active_trajectory,
        user=consultant,
        domain=LifeDomain.objects.get(code="psychosocial"),
        description="Omgaan met boosheid",
        agreed_with_detainee=True,
    )
    assert (goal.status, goal.agreed_on) == ("agreed", dt.date(2025, 6, 2))


@pytest.mark.parametrize("status", ["closed", "declined"])
def test_goal_or_review_on_a_closed_trajectory_is_refused(active_trajectory, consultant, status):
    goal = services.goal_create(
        trajectory=active_trajectory,
        user=consultant,
        domain=LifeDomain.objects.get(code="psychosocial"),
        description="Omgaan met boosheid",
    )
    Trajectory.objects.filter(pk=active_trajectory.pk).update(
        status=status, closed_on=dt.date(2025, 6, 1), closure_reason="other"
    )
    active_trajectory.refresh_from_db()
    goal.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.goal_create(
            trajectory=active_trajectory, user=consultant, domain=goal.domain, description="Nog een doel"
        )
    assert "trajectory" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.goal_review_add(goal=goal, user=consultant, reviewed_on=dt.date(2025, 6, 1), progress=2)
    with pytest.raises(ValidationError):
        services.goal_update(goal=goal, user=consultant, status="achieved")
    assert Goal.objects.count() == 1
    assert not GoalReview.objects.exists()
    assert Goal.objects.get().status == "proposed"


@pytest.mark.parametrize("progress", [-1, 5, 17, "3", 2.5, None, True])
def test_progress_outside_0_4_is_refused(active_trajectory, consultant, progress):
    goal = services.goal_create(
        trajectory=active_trajectory,
        user=consultant,
        domain=LifeDomain.objects.get(code="psychosocial"),
        description="Omgaan met boosheid",
    )
    with pytest.raises(ValidationError) as error:
        services.goal_review_add(goal=goal, user=consultant, reviewed_on=dt.date(2025, 5, 1), progress=progress)
    assert "progress" in error.value.message_dict
    assert not GoalReview.objects.exists()


def test_the_database_refuses_progress_outside_0_4(active_trajectory, consultant):
    goal = services.goal_create(
        trajectory=active_trajectory,
        user=consultant,
        domain=LifeDomain.objects.get(code="psychosocial"),
        description="Omgaan met boosheid",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalReview.objects.create(goal=goal, reviewed_on=dt.date(2025, 5, 1), progress=5)


def test_empty_goal_and_review_in_the_future_are_refused(active_trajectory, consultant):
    d = LifeDomain.objects.get(code="psychosocial")
    with pytest.raises(ValidationError) as error:
        services.goal_create(trajectory=active_trajectory, user=consultant, domain=d, description="   ")
    assert "description" in error.value.message_dict
    goal = services.goal_create(trajectory=active_trajectory, user=consultant, domain=d, description="Doel")
    with pytest.raises(ValidationError) as error:
        services.goal_review_add(goal=goal, user=consultant, reviewed_on=dt.date(2025, 7, 1), progress=1)
    assert "reviewed_on" in error.value.message_dict


# --- actions --------------------------------------------------------------------------------------------


def test_action_from_a_goal_carries_its_trajectory(active_trajectory, consultant, detainee):
    goal = services.goal_create(
        trajectory=active_trajectory,
        user=consultant,
        domain=LifeDomain.objects.get(code="psychosocial"),
        description="Doel",
    )
    action = services.action_create(
        detainee=detainee,
        user=consultant,
        description="Afspraak CGG maken",
        owner_user=consultant,
        goal=goal,
        due_on=dt.date(2025, 6, 15),
    )
    assert (action.source_kind, action.trajectory, action.status) == ("goal", active_trajectory, "open")
    services.action_set_status(action=action, user=consultant, status="done")
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at is not None


def test_conference_actions_may_be_owned_by_an_organisation(detainee, partner_org):
    action = services.action_create(
        detainee=detainee,
        user=None,
        description="Attest opvragen",
        owner_organisation=partner_org,
        owner_name="An Claes",
        source_kind="conference_decision",
    )
    assert action.owner_display == "An Claes (VDAB)"


def test_action_without_owner_or_description_is_refused(detainee, consultant):
    with pytest.raises(ValidationError) as error:
        services.action_create(detainee=detainee, user=consultant, description=" ")
    assert {"description", "owner_user"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        services.action_create(
            detainee=detainee, user=consultant, description="x", owner_user=consultant, source_kind="goal"
        )
    assert "goal" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.action_set_status(action=Action(), user=consultant, status="later")
    assert not Action.objects.exists()


# Both annotations compute the same indicator: `with_success` for aggregates, `with_success_per_row` for pages.
@pytest.mark.parametrize("annotate", ["with_success", "with_success_per_row"])
def test_success_indicator_is_computed(active_trajectory, trajectory, consultant, annotate):
    assert not getattr(Trajectory.objects, annotate)().get(pk=trajectory.pk).is_success
    services.goal_create(
        trajectory=trajectory,
        user=consultant,
        domain=LifeDomain.objects.get(code="psychosocial"),
        description="Doel",
        agreed_with_detainee=False,
    )
    assert not getattr(Trajectory.objects, annotate)().get(pk=trajectory.pk).is_success
    services.goal_create(
        trajectory=trajectory,
        user=consultant,
        domain=LifeDomain.objects.get(code="psychosocial"),
        description="Doel 2",
        agreed_with_detainee=True,
    )
    assert getattr(Trajectory.objects, annotate)().get(pk=trajectory.pk).is_success
    # Closing later does not undo having reached active.
    services.trajectory_transition(trajectory=trajectory, user=consultant, to="closed", closure_reason="reoffended")
    assert getattr(Trajectory.objects, annotate)().get(pk=trajectory.pk).is_success


@pytest.mark.parametrize("annotate", ["with_success", "with_success_per_row"])
def test_an_agreed_goal_without_reaching_active_is_no_success(trajectory, consultant, annotate):
    services.goal_create(
        trajectory=trajectory,
        user=consultant,
        domain=LifeDomain.objects.get(code="psychosocial"),
        description="Doel",
        agreed_with_detainee=True,
    )
    assert not getattr(Trajectory.objects, annotate)().get(pk=trajectory.pk).is_success
    assert TrajectoryStatusChange.objects.filter(trajectory=trajectory).count() == 1
    assert Status.ACTIVE not in trajectory.allowed_transitions()
