# ruff: noqa: S608 - a developer tool
"""`make bench`, part two: the minutes PDF on the national dataset (docs/design.md §11: ≤ 1 s per copy).

Picks the approved minutes with the most content (decisions, actions, participants) in the benchmark
database that `bench/bench.py` prepared, renders one warm-up copy and then REPEATS personal copies (a
different recipient each, as the Celery task does), and prints p50 / p95 / max next to the target.
Written to var/bench/minutes_pdf.json. Rendering only: no e-mail, no disclosure rows.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REPEATS = int(os.environ.get("BENCH_PDF_REPEATS", "15"))
TARGET_MS = 1000


def main() -> None:
    from bench.bench import DB, ENV, VAR

    os.environ.update(ENV)
    import django

    django.setup()
    from django.db.models import Count

    from casusoverleg.models import Minutes
    from casusoverleg.pdf import render_minutes_pdf

    minutes = (
        Minutes.objects.filter(status=Minutes.Status.APPROVED)
        .annotate(
            size=Count("decisions", distinct=True)
            + Count("actions", distinct=True)
            + Count("conference__participants", distinct=True)
        )
        .order_by("-size", "pk")
        .first()
    )
    if minutes is None:
        sys.exit(f"no approved minutes in {DB}: run `make bench` first (it seeds the national dataset)")
    if not minutes.snapshot.get("conference"):
        # The generator bulk-inserts minutes without their frozen content: freeze it here, in memory only.
        from casusoverleg.services.minutes import minutes_snapshot

        minutes.snapshot = minutes_snapshot(
            minutes,
            approved_by=minutes.approved_by or minutes.conference.chair,
            approved_at=minutes.approved_at or minutes.updated_at,
        )
    render_minutes_pdf(minutes, recipient="warm-up")
    timings, sizes = [], []
    for copy in range(REPEATS):
        started = time.perf_counter()
        data = render_minutes_pdf(minutes, recipient=f"Ontvanger {copy}", organisation="VDAB")
        timings.append((time.perf_counter() - started) * 1000)
        sizes.append(len(data))
    timings.sort()
    result = {
        "minutes_id": minutes.pk,
        "content_items": minutes.size,
        "copies": REPEATS,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[min(len(timings) - 1, int(0.95 * len(timings)))], 1),
        "max_ms": round(timings[-1], 1),
        "target_ms": TARGET_MS,
        "bytes": max(sizes),
    }
    result["meets_target"] = result["p95_ms"] <= TARGET_MS
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "minutes_pdf.json").write_text(json.dumps(result, indent=2))
    print(
        f"\nminutes PDF ({minutes.size} decisions+actions+participants, {REPEATS} personal copies): "
        f"p50 {result['p50_ms']} ms · p95 {result['p95_ms']} ms · max {result['max_ms']} ms "
        f"(target ≤ {TARGET_MS} ms: {'met' if result['meets_target'] else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
