"""Case conferences of the national dataset: ~60,000 with participants and minutes.

Each detainee's time in prison gets periodic conferences (every three months on average, the default
cadence), a pre-leave conference three months before leave eligibility, a handover conference at
release; past ones mostly have approved minutes, a few are held without approved minutes yet or were
cancelled; the next three months hold the planned ones. The chair is a director of the prison; the
lead consultant is invited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random

from casusoverleg.models import Conference, Minutes, Participant

from . import bulkcopy

HORIZON_DAYS = 90  # planned conferences reach three months ahead


def conference_models() -> list:
    return [Conference, Participant, Minutes]


def write_conferences(rng: random.Random, counts: dict, anchor: dt.date, plans: list, staff: dict, target: int) -> None:
    Conference, Participant, Minutes = conference_models()
    K, S = Conference.Kind, Conference.Status
    chairs: dict[int, list[int]] = {}
    for user in staff["users"]:
        if user.role == "director":
            code = user.username.split(".")[2]
            chairs.setdefault(staff["prisons"][code].pk, []).append(user.pk)
    horizon = anchor + dt.timedelta(days=HORIZON_DAYS)
    spans = [(p, p.incarcerated_on, min(p.released_on or horizon, horizon)) for p in plans]
    per_day = target / (sum(max((end - start).days, 1) for _, start, end in spans) or 1)
    next_conf = bulkcopy.next_id(Conference)
    conf_rows, part_rows, minutes_rows = [], [], []
    for plan, start, end in spans:
        days = max((end - start).days, 1)
        n = int(days * per_day + rng.random())
        dates = sorted(start + dt.timedelta(days=int(rng.random() * days)) for _ in range(n))
        kinds = [K.PERIODIC] * len(dates)
        if dates and plan.released_on and plan.released_on <= horizon:
            kinds[-1] = K.HANDOVER
        if len(dates) > 2 and rng.random() < 0.5:
            kinds[len(dates) // 2] = K.PRE_LEAVE
        chair_pool = chairs.get(plan.prison_id) or [u for pool in chairs.values() for u in pool]
        for day, kind in zip(dates, kinds, strict=True):
            if rng.random() < 0.05:
                kind = K.AD_HOC
            pk = next_conf
            next_conf += 1
            starts = dt.datetime.combine(day, dt.time(9 + rng.randint(0, 6), rng.choice((0, 30))))
            past = day < anchor
            roll = rng.random()
            if past:
                status = (
                    S.CANCELLED
                    if roll < 0.07
                    else S.HELD
                    if roll < 0.10
                    else S.MINUTES_DRAFT
                    if roll < 0.15
                    else S.MINUTES_APPROVED
                )
            else:
                status = S.CANCELLED if roll < 0.05 else S.PLANNED
            chair = rng.choice(chair_pool)
            stamp = dt.datetime.combine(day - dt.timedelta(days=14), dt.time(9, 0))
            conf_rows.append(
                (
                    pk,
                    stamp,
                    stamp,
                    plan.id,
                    plan.prison_id,
                    chair,
                    kind,
                    starts,
                    starts + dt.timedelta(minutes=90),
                    "Vergaderzaal PSD",
                    "",
                    status,
                    "consent",
                    "",
                    None,
                    f"nat-{pk}@disengage.invalid",
                    0,
                    "Overgeplaatst" if status == S.CANCELLED else "",
                    chair,
                )
            )
            part_rows.append(
                (stamp, stamp, pk, chair, "", None, "", "chair", stamp, "accepted", True if past else None)
            )
            part_rows.append(
                (
                    stamp,
                    stamp,
                    pk,
                    plan.lead_id,
                    "",
                    None,
                    "",
                    "consultant",
                    stamp,
                    "accepted" if rng.random() < 0.9 else "none",
                    (rng.random() < 0.9) if past else None,
                )
            )
            if status in (S.MINUTES_DRAFT, S.MINUTES_APPROVED):
                notes = "Overleg over de voortgang van de doelen en de komende data."
                approved = status == S.MINUTES_APPROVED
                snapshot = json.dumps({"general_notes": notes, "decisions": [], "actions": []}) if approved else None
                approved_at = starts + dt.timedelta(days=3) if approved else None
                minutes_rows.append(
                    (
                        stamp,
                        stamp,
                        pk,
                        1,
                        "approved" if approved else "draft",
                        1,
                        notes,
                        "",
                        None,
                        chair,
                        chair if approved else None,
                        approved_at,
                        snapshot,
                        hashlib.sha256(snapshot.encode()).hexdigest() if approved else "",
                    )
                )
    counts["conferences"] = bulkcopy.copy_rows(
        Conference,
        [
            "id",
            "created_at",
            "updated_at",
            "detainee_id",
            "prison_id",
            "chair_id",
            "kind",
            "starts_at",
            "ends_at",
            "location",
            "video_link",
            "status",
            "basis",
            "authorisation_reference",
            "proposed_for",
            "ical_uid",
            "ical_sequence",
            "cancel_reason",
            "created_by_id",
        ],
        conf_rows,
    )
    counts["conference participants"] = bulkcopy.copy_rows(
        Participant,
        [
            "created_at",
            "updated_at",
            "conference_id",
            "user_id",
            "name",
            "organisation_id",
            "email",
            "role",
            "invited_at",
            "response",
            "attended",
        ],
        part_rows,
    )
    counts["minutes"] = bulkcopy.copy_rows(
        Minutes,
        [
            "created_at",
            "updated_at",
            "conference_id",
            "number",
            "status",
            "revision",
            "general_notes",
            "correction_reason",
            "previous_id",
            "last_edited_by_id",
            "approved_by_id",
            "approved_at",
            "snapshot",
            "fingerprint",
        ],
        minutes_rows,
    )
