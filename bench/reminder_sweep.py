# ruff: noqa: S603, S607, S311 - a local benchmark: fixed PostgreSQL client tools, a seeded (not secret) RNG
"""Measure the reminder sweep on a national-scale dataset (docs/design.md §11: ≤ 10 s over 60,000 conferences).

Creates a private database (default `dz_remind_bench`, dropped and re-created), migrates it, loads
12,000 files with active trajectories, 60,000 conferences (3 invited users each) spread over two
years, 100,000 open actions spread over ±1 year and 20,000 already-due reminders, then times:

1. the first sweep of the day (plans every kind over the window, delivers everything due);
2. a steady-state sweep five minutes later (nothing new: what beat pays every 5 minutes);
3. the queries per delivery batch at two batch counts (must be constant).

Usage: .venv/bin/python bench/reminder_sweep.py [--conferences 60000] [--actions 100000] [--db NAME]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conferences", type=int, default=60_000)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--detainees", type=int, default=12_000)
    parser.add_argument("--backlog", type=int, default=20_000)
    parser.add_argument("--db", default="dz_remind_bench")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--keep", action="store_true", help="reuse the database if it exists (skip seeding)")
    parser.add_argument("--json", help="also write the figures to this file (for `make bench`)")
    args = parser.parse_args()

    url = f"postgres://postgres@{args.host}:5432/{args.db}"
    if not args.keep:
        subprocess.run(["dropdb", "-h", args.host, "-U", "postgres", "--if-exists", "--force", args.db], check=True)
        subprocess.run(["createdb", "-h", args.host, "-U", "postgres", args.db], check=True)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("DJANGO_LOG_FORMAT", "plain")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command

    if not args.keep:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        seed(args)
        print(f"seed: {time.perf_counter() - started:.1f} s")
    else:
        reset()
    measure(args)


def reset() -> None:
    """--keep: undo the previous measurement (notifications, planned reminders; backlog pending again)."""
    from django.db import connection

    with connection.cursor() as cursor:
        # The mails of the delivered reminders first: they point at the reminders deleted below.
        cursor.execute("DELETE FROM notifications_remindermail")
        cursor.execute("DELETE FROM notifications_notification")
        cursor.execute("DELETE FROM notifications_reminder WHERE object_id < 10000000")
        cursor.execute("UPDATE notifications_reminder SET status = 'pending', sent_at = NULL, withdrawn_at = NULL")


def seed(args) -> None:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Organisation, User
    from casework.models import Detainee, Prison
    from casusoverleg.models import Conference, Participant
    from notifications.models import Reminder
    from trajectories.models import Action, Status, Trajectory

    rng = random.Random(20261122)
    with connection.cursor() as cursor:
        # Seeding only: skip the history triggers and FK re-checks (the rows are generated consistent).
        cursor.execute("SET session_replication_role = replica")
    today = timezone.localdate()
    caw = Organisation.objects.get(name="CAW Limburg")
    prisons = list(Prison.objects.all())
    consultants = User.objects.bulk_create(
        User(username=f"bench-consultant-{n}", role="consultant", organisation=caw, email=f"c{n}@example.org")
        for n in range(250)
    )
    User.objects.bulk_create(
        User(username=f"bench-manager-{n}", role="manager", organisation=caw, email=f"m{n}@example.org")
        for n in range(10)
    )
    directors = User.objects.bulk_create(
        User(username=f"bench-director-{n}", role="director", email=f"d{n}@example.org") for n in range(len(prisons))
    )
    for prison, director in zip(prisons, directors, strict=True):
        prison.directors.add(director)
    director_of = {p.pk: d for p, d in zip(prisons, directors, strict=True)}

    detainees = Detainee.objects.bulk_create(
        (
            Detainee(
                first_name=f"Voornaam{n}",
                last_name=f"Naam{n}",
                search_name=f"voornaam{n} naam{n}",
                legal_status="convicted",
                current_prison=rng.choice(prisons),
                organisation=caw,
                lead_consultant=rng.choice(consultants),
                incarcerated_on=dt.date(2022, 1, 1),
                leave_eligible_on=today + dt.timedelta(days=rng.randint(-200, 900)),
            )
            for n in range(args.detainees)
        ),
        batch_size=2000,
    )
    now = timezone.now()
    Trajectory.objects.bulk_create(
        (
            Trajectory(
                detainee=d,
                status=Status.ACTIVE,
                status_changed_at=now - dt.timedelta(days=rng.randint(1, 400)),
                referred_on=dt.date(2023, 1, 1),
                referred_by="psd",
                lead_consultant=d.lead_consultant,
            )
            for d in detainees
        ),
        batch_size=2000,
    )
    zone = timezone.get_current_timezone()

    def conference(detainee):
        starts_at = dt.datetime.combine(
            today + dt.timedelta(days=rng.randint(-365, 365)), dt.time(rng.choice([9, 10, 13, 14])), tzinfo=zone
        )
        return Conference(
            detainee=detainee,
            prison_id=detainee.current_prison_id,
            chair=director_of[detainee.current_prison_id],
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(minutes=90),
            status=rng.choice(["planned"] * 6 + ["held", "minutes_approved", "cancelled"]),
        )

    conferences = Conference.objects.bulk_create(
        (conference(rng.choice(detainees)) for _ in range(args.conferences)), batch_size=2000
    )

    def participants(conference):
        taker = rng.choice(consultants)
        while taker.pk == conference.detainee.lead_consultant_id:
            taker = rng.choice(consultants)
        yield Participant(conference=conference, user=conference.chair, role="chair")
        yield Participant(conference=conference, user_id=conference.detainee.lead_consultant_id, role="consultant")
        yield Participant(conference=conference, user=taker, role="minute_taker")

    Participant.objects.bulk_create((p for c in conferences for p in participants(c)), batch_size=5000)
    # Invitations went out when each conference was planned (a month ahead), not all today.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE casusoverleg_participant p SET created_at = c.starts_at - interval '30 days' "
            "FROM casusoverleg_conference c WHERE c.id = p.conference_id"
        )
    Action.objects.bulk_create(
        (
            Action(
                detainee=d,
                description="Actie",
                owner_user=d.lead_consultant,
                due_on=today + dt.timedelta(days=rng.randint(-365, 365)),
                status="open",
            )
            for d in (rng.choice(detainees) for _ in range(args.actions))
        ),
        batch_size=5000,
    )
    moment = now - dt.timedelta(hours=1)
    Reminder.objects.bulk_create(
        (
            Reminder(
                kind="action_overdue",
                object_type="trajectories.action",
                object_id=10_000_000 + n,
                due_on=today,
                due_at=moment,
                recipient=rng.choice(consultants),
                text="Item",
            )
            for n in range(args.backlog)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE")


def measure(args) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from casusoverleg.models import Conference
    from notifications import services
    from notifications.models import Notification, Reminder
    from trajectories.models import Action

    print(
        f"data: {Conference.objects.count():,} conferences, {Action.objects.open().count():,} open actions, "
        f"{Reminder.objects.filter(status='pending').count():,} pending reminders"
    )
    # The backlog's fake actions do not exist: they are withdrawn, which costs the same as sending.
    now = timezone.now()
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        planned = services.reminders_plan(now=now)
        plan_s = time.perf_counter() - started
    plan_queries = len(ctx.captured_queries)
    print(
        f"plan (every kind, window of {4} days): {plan_s:.2f} s, {planned:,} due items considered, "
        f"{plan_queries} queries"
    )

    batch_queries = []
    started = time.perf_counter()
    sent = withdrawn = 0
    while True:
        with CaptureQueriesContext(connection) as ctx:
            s, w = services.reminders_deliver_batch(now=now, batch_size=500)
        if not s and not w:
            break
        sent, withdrawn = sent + s, withdrawn + w
        batch_queries.append(len(ctx.captured_queries))
    deliver_s = time.perf_counter() - started
    print(
        f"deliver: {deliver_s:.2f} s, {sent:,} sent + {withdrawn:,} withdrawn in {len(batch_queries)} batches "
        f"of ≤ 500; queries per batch: min {min(batch_queries, default=0)}, max {max(batch_queries, default=0)}"
    )
    print(f"first sweep of the day: {plan_s + deliver_s:.2f} s")
    figures = {
        "conferences": Conference.objects.count(),
        "plan_s": round(plan_s, 3),
        "deliver_s": round(deliver_s, 3),
        "first_sweep_s": round(plan_s + deliver_s, 3),
        "sent": sent,
        "withdrawn": withdrawn,
        "queries_per_batch": [min(batch_queries), max(batch_queries)] if batch_queries else [0, 0],
    }

    later = now + dt.timedelta(minutes=5)
    started = time.perf_counter()
    result = services.reminders_sweep(now=later)
    steady_s = time.perf_counter() - started
    print(f"steady-state sweep 5 minutes later: {steady_s:.2f} s (sent {result.sent}, withdrawn {result.withdrawn})")
    print(
        f"notifications: {Notification.objects.count():,}; "
        f"sent reminders: {Reminder.objects.filter(status='sent').count():,}"
    )
    figures["steady_s"] = round(steady_s, 3)
    if args.json:
        import json

        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
