"""Trajectories of the national dataset: lifecycle with status history, explorations, goals, reviews, actions.

Each detainee gets zero to three trajectories one after the other (never overlapping, at most the last one
open). A trajectory walks the lifecycle of docs/design.md §3 with realistic delays: referred → intake (1-6 weeks)
→ active (3-13 weeks) → aftercare at release → closed six months later; some are declined at referral or
intake, some closed early. Every step is a dated `TrajectoryStatusChange`, as the transition service writes.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from casework.models import LifeDomain
from trajectories.models import Action, DomainExploration, Goal, GoalReview, Trajectory, TrajectoryStatusChange

from . import bulkcopy

AFTERCARE_DAYS = 183  # aftercare ends at release + 6 months

COUNT = [0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]  # two on average; later ones are cut short by release
REFERRED_BY = (["psd"] * 10) + (["director"] * 3) + (["conference"] * 3) + (["self"] * 2) + (["other"] * 2)
GUIDANCE = (["disengagement_consultant"] * 8) + ["jww_integral", "cgg_second_line"]
EARLY_CLOSE_REASONS = ["transferred_to_other_service", "other", "left_country", "reoffended"]
LATER_CLOSE_REASONS = ["goals_reached"] * 5 + ["transferred_to_other_service", "reoffended", "other", "deceased"]
NEEDS = ["need", "need", "no_need", "declined"]
ENDED_GOAL = ["achieved", "achieved", "partly_achieved", "not_achieved", "dropped"]
GOAL_TEXT = {
    "psychosocial": "Wekelijks gesprek houden over de eigen keuzes en de gevolgen ervan.",
    "education_employment": "Een opleiding starten via het centrum voor volwassenenonderwijs.",
    "mental_health": "Een intake bij het CGG plannen en opvolgen.",
    "social_context": "Het contact met de familie herstellen via begeleid bezoek.",
    "alternative_discourse": "Gesprekken met de moslimconsulent over geloofsbeleving.",
    "housing": "Een woning zoeken voor na de vrijlating.",
    "finances": "Een afbetalingsplan opstellen voor de schulden.",
    "administration": "Identiteitskaart en bankrekening in orde brengen.",
    "leisure": "Deelnemen aan de sportactiviteiten op de afdeling.",
}


@dataclass
class TrajectoryPlan:
    id: int
    detainee_id: int
    lead_id: int | None
    status: str
    referred_on: dt.date
    closed_on: dt.date | None
    steps: list[tuple[str, str, dt.date]] = field(default_factory=list)


def trajectory_models() -> list:
    return [Trajectory, TrajectoryStatusChange, DomainExploration, Goal, GoalReview, Action]


def _days(rng: random.Random, lo: int, hi: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(lo, hi))


def _walk(rng: random.Random, start: dt.date, anchor: dt.date, released: dt.date | None, is_last: bool):
    """The dated steps of one trajectory and where it stands at `anchor`: (steps, status, closed_on, reason)."""
    steps = [("", "referred", start)]
    fate = rng.random()
    intake = start + _days(rng, 7, 45)
    if released and released <= min(intake, anchor):  # released before the intake: the referral lapses
        steps.append(("referred", "closed", released))
        return steps, "closed", released, "other"
    if fate < 0.07 or intake > anchor:  # declined at referral, or still waiting
        if fate < 0.07 and intake <= anchor:
            steps.append(("referred", "declined", intake))
            return steps, "declined", intake, "declined"
        return steps, "referred", None, ""
    steps.append(("referred", "intake", intake))
    active = intake + _days(rng, 21, 90)
    if fate < 0.13 and active <= anchor:
        steps.append(("intake", "declined", active))
        return steps, "declined", active, "declined"
    if fate < 0.17 and active <= anchor:
        steps.append(("intake", "closed", active))
        return steps, "closed", active, rng.choice(EARLY_CLOSE_REASONS)
    if active > anchor or (released and released < active):
        if released and released < active and released <= anchor:
            steps.append(("intake", "closed", released))
            return steps, "closed", released, "other"
        return steps, "intake", None, ""
    steps.append(("intake", "active", active))
    closing = active + _days(rng, 120, 900)
    if released and active <= released < closing:
        steps.append(("active", "aftercare", released))
        ends = released + dt.timedelta(days=AFTERCARE_DAYS)
        if ends <= anchor:
            steps.append(("aftercare", "closed", ends))
            return steps, "closed", ends, "aftercare_ended"
        return steps, "aftercare", None, ""
    if closing <= anchor and (not is_last or rng.random() < 0.35):
        steps.append(("active", "closed", closing))
        return steps, "closed", closing, rng.choice(LATER_CLOSE_REASONS)
    return steps, "active", None, ""


def write_trajectories(rng: random.Random, counts: dict, anchor: dt.date, plans: list, staff: dict) -> list:
    """Write every trajectory table; return the spans (detainee, author, from, to, released) sessions fill."""
    domains = list(LifeDomain.objects.order_by("order").values_list("pk", "code", "required"))
    required = [(pk, code) for pk, code, req in domains if req]
    next_traj = bulkcopy.next_id(Trajectory)
    next_goal = bulkcopy.next_id(Goal)
    traj_rows, change_rows, expl_rows, goal_rows, review_rows, action_rows = [], [], [], [], [], []
    spans = []
    for det in plans:
        n = rng.choice(COUNT)
        start = det.incarcerated_on + _days(rng, 14, 120)
        for k in range(n):
            if start > anchor or (det.released_on and start >= det.released_on):
                break
            steps, status, closed_on, reason = _walk(rng, start, anchor, det.released_on, is_last=(k == n - 1))
            if k < n - 1 and closed_on is None:
                # Only the last trajectory may stay open: close this one where it stands.
                closed_on = max(steps[-1][2], min(anchor, steps[-1][2] + _days(rng, 30, 400)))
                status, reason = "closed", rng.choice(EARLY_CLOSE_REASONS)
                steps.append((steps[-1][1], "closed", closed_on))
            pk = next_traj
            next_traj += 1
            reached = {to for _, to, _ in steps}
            lead = det.lead_id if ("intake" in reached or rng.random() < 0.5) else None
            stamp = dt.datetime.combine(start, dt.time(9, 0))
            last_change = dt.datetime.combine(steps[-1][2], dt.time(11, 0))
            traj_rows.append(
                (
                    pk,
                    stamp,
                    last_change,
                    det.id,
                    status,
                    last_change,
                    start,
                    rng.choice(REFERRED_BY),
                    None,
                    "Aanmelding via de psychosociale dienst.",
                    rng.choice(GUIDANCE),
                    lead,
                    dt.datetime.combine(steps[1][2], dt.time(10, 0)) if lead and len(steps) > 1 else None,
                    reason,
                    closed_on,
                    lead,
                )
            )
            for frm, to, day in steps:
                change_rows.append((pk, frm, to, dt.datetime.combine(day, dt.time(11, 0)), lead, ""))
            plan = TrajectoryPlan(pk, det.id, lead, status, start, closed_on, steps)
            det.trajectories.append(plan)
            end = closed_on or anchor
            spans.append((det.id, lead or det.lead_id, start, end, det.released_on))
            day_of = {to: day for _, to, day in steps}
            if "intake" in reached:
                intake = day_of["intake"]
                active = day_of.get("active")
                for d_pk, _code in required:
                    if active or rng.random() < 0.5:
                        explored = intake + dt.timedelta(
                            days=rng.randint(0, max(((active or anchor) - intake).days, 0))
                        )
                        expl_rows.append((stamp, stamp, pk, d_pk, rng.choice(NEEDS), explored, "", "", lead))
                    else:
                        expl_rows.append((stamp, stamp, pk, d_pk, "not_yet_explored", None, "", "", lead))
            if "active" in reached:
                active = day_of["active"]
                chosen = rng.sample(domains, k=rng.randint(1, 4))
                agreed_any = rng.random() < 0.88
                for j, (d_pk, code, _req) in enumerate(chosen):
                    agreed = agreed_any and (j == 0 or rng.random() < 0.7)
                    agreed_on = active - _days(rng, 0, 20) if agreed else None
                    if agreed_on and agreed_on < day_of["intake"]:
                        agreed_on = day_of["intake"]
                    gstatus = rng.choice(ENDED_GOAL) if closed_on else ("agreed" if agreed else "proposed")
                    goal_pk = next_goal
                    next_goal += 1
                    goal_rows.append(
                        (
                            goal_pk,
                            stamp,
                            stamp,
                            pk,
                            d_pk,
                            GOAL_TEXT[code],
                            agreed,
                            agreed_on,
                            gstatus,
                            active + _days(rng, 90, 400),
                            None,
                            lead,
                        )
                    )
                    if agreed:
                        for r in range(rng.randint(0, 3)):
                            reviewed = agreed_on + dt.timedelta(days=60 * (r + 1))
                            if reviewed <= end:
                                review_rows.append((stamp, stamp, goal_pk, reviewed, rng.randint(0, 4), "", lead))
                    if rng.random() < 0.6:
                        due = active + _days(rng, 14, 400)
                        if closed_on:
                            astatus = rng.choice(["done", "done", "cancelled"])
                        else:
                            astatus = "done" if due < anchor and rng.random() < 0.6 else "open"
                        completed = None if astatus == "open" else dt.datetime.combine(min(due, anchor), dt.time(15, 0))
                        action_rows.append(
                            (
                                stamp,
                                stamp,
                                det.id,
                                pk,
                                "Opvolgen: " + GOAL_TEXT[code][:60].lower(),
                                lead or det.lead_id,
                                None,
                                "",
                                due,
                                astatus,
                                "goal",
                                goal_pk,
                                lead,
                                completed,
                            )
                        )
            start = end + _days(rng, 30, 365)
    counts["trajectories"] = bulkcopy.copy_rows(
        Trajectory,
        [
            "id",
            "created_at",
            "updated_at",
            "detainee_id",
            "status",
            "status_changed_at",
            "referred_on",
            "referred_by",
            "referring_organisation_id",
            "referral_reason",
            "guidance_type",
            "lead_consultant_id",
            "assigned_at",
            "closure_reason",
            "closed_on",
            "created_by_id",
        ],
        traj_rows,
    )
    counts["status changes"] = bulkcopy.copy_rows(
        TrajectoryStatusChange,
        ["trajectory_id", "from_status", "to_status", "changed_at", "changed_by_id", "reason"],
        change_rows,
    )
    counts["explorations"] = bulkcopy.copy_rows(
        DomainExploration,
        [
            "created_at",
            "updated_at",
            "trajectory_id",
            "domain_id",
            "need",
            "explored_on",
            "deferral_reason",
            "note",
            "recorded_by_id",
        ],
        expl_rows,
    )
    counts["goals"] = bulkcopy.copy_rows(
        Goal,
        [
            "id",
            "created_at",
            "updated_at",
            "trajectory_id",
            "domain_id",
            "description",
            "agreed_with_detainee",
            "agreed_on",
            "status",
            "target_date",
            "responsible_organisation_id",
            "created_by_id",
        ],
        goal_rows,
    )
    counts["goal reviews"] = bulkcopy.copy_rows(
        GoalReview,
        ["created_at", "updated_at", "goal_id", "reviewed_on", "progress", "note", "reviewed_by_id"],
        review_rows,
    )
    counts["actions"] = bulkcopy.copy_rows(
        Action,
        [
            "created_at",
            "updated_at",
            "detainee_id",
            "trajectory_id",
            "description",
            "owner_user_id",
            "owner_organisation_id",
            "owner_name",
            "due_on",
            "status",
            "source_kind",
            "goal_id",
            "created_by_id",
            "completed_at",
        ],
        action_rows,
    )
    return spans
