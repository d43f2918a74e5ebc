"""The national-scale generator, run small: counts, referential integrity, lifecycle rules, reproducibility."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.db import connection, transaction
from django.db.models import Count, F

from accounts.models import User
from casework.models import Consent, Detainee, Listing, Placement, Session
from reporting.generator import national
from trajectories.models import OPEN_STATUSES, Goal, Trajectory, TrajectoryStatusChange

pytestmark = pytest.mark.django_db
ANCHOR = dt.date(2026, 6, 15)
SMALL = {"detainees": 80, "sessions": 4000, "consultants": 12, "conferences": 300}


def run(seed=7):
    out = io.StringIO()
    counts = national.seed(seed=seed, stdout=out, anchor=ANCHOR, **SMALL)
    return counts, out.getvalue()


def digest() -> str:
    """A fingerprint of the generated rows, independent of the ids the database handed out."""
    parts = [
        list(
            Detainee.objects.filter(external_ref__startswith="NAT-")
            .order_by("external_ref")
            .values_list(
                "external_ref", "first_name", "last_name", "incarcerated_on", "released_on", "current_prison__code"
            )
        ),
        list(
            Trajectory.objects.order_by("detainee__external_ref", "referred_on").values_list(
                "detainee__external_ref", "status", "referred_on", "closed_on"
            )
        ),
        sorted(Session.objects.values_list("detainee__external_ref", "started_at", "attendance")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def orphans() -> dict:
    """Foreign keys pointing nowhere (the load skips the FK triggers, so check every one)."""
    found = {}
    models = [
        Detainee,
        Listing,
        Placement,
        Consent,
        Session,
        Session.domains.through,
        Session.modules.through,
        Detainee.co_consultants.through,
        *national.trajectory_models(),
        *national.conference_models(),
    ]
    with connection.cursor() as cursor:
        for model in models:
            for f in model._meta.concrete_fields:
                if not f.is_relation:
                    continue
                table, parent = model._meta.db_table, f.related_model._meta.db_table
                cursor.execute(
                    f'SELECT COUNT(*) FROM "{table}" t LEFT JOIN "{parent}" p ON t."{f.column}" = p."id" '  # noqa: S608
                    f'WHERE t."{f.column}" IS NOT NULL AND p."id" IS NULL'
                )
                if n := cursor.fetchone()[0]:
                    found[f"{table}.{f.column}"] = n
    return found


def test_generates_every_table_consistently():
    counts, output = run()
    assert counts["detainees"] == 80
    assert 3000 <= counts["sessions"] <= 5000
    assert counts["trajectories"] >= 80
    assert counts["conferences"] > 0
    assert "sessions" in output
    assert orphans() == {}
    # lifecycle rules: at most one open trajectory per file, every trajectory starts with its referral
    assert (
        not Trajectory.objects.filter(status__in=OPEN_STATUSES)
        .values("detainee")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .exists()
    )
    assert TrajectoryStatusChange.objects.filter(from_status="", to_status="referred").count() == counts["trajectories"]
    # goals agreed with the detainee exist, so the success indicator has something to count
    assert Goal.objects.filter(agreed_with_detainee=True).exists()
    # every role has accounts; directors run a prison
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)
    assert User.objects.filter(role="director", directed_prisons__isnull=False).exists()
    # sessions only for the organisation's own consultants
    assert not Session.objects.exclude(author__organisation=F("detainee__organisation")).exists()


def test_second_run_adds_nothing():
    run()
    before = Session.objects.count()
    counts, output = run()
    assert counts == {} and "already present" in output
    assert Session.objects.count() == before


def test_same_seed_same_data():
    with transaction.atomic():
        run(seed=11)
        first = digest()
        transaction.set_rollback(True)
    with transaction.atomic():
        run(seed=11)
        second = digest()
        transaction.set_rollback(True)
    with transaction.atomic():
        run(seed=12)
        other = digest()
        transaction.set_rollback(True)
    assert first == second != other


def test_the_command_generates_each_scale_with_its_sizes(monkeypatch):
    """`seed_demo --scale small` (the quick benchmark's dataset) hands its sizes to the same generator."""
    from django.core.management import call_command

    from reporting.management.commands import seed_demo

    assert seed_demo.SCALES["national"] == {}  # the generator's defaults: docs/design.md §1's national size
    assert seed_demo.SCALES["small"]["detainees"] * 10 == 12_000
    monkeypatch.setitem(seed_demo.SCALES, "small", SMALL)
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    assert Detainee.objects.filter(external_ref__startswith="NAT-").count() == SMALL["detainees"]
