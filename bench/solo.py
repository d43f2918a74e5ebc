# ruff: noqa: T201 - a developer tool printing its table
"""Solo timings, in-process, with the split of every request (bench/split.py): `make bench-solo`.

Runs on the benchmark database `bench/bench.py` prepared (BENCH_SCALE, BENCH_DB as there), without gunicorn
or load: the figures that stay readable on a busy machine. `calls` (Python function calls per request) does not
depend on the machine's load at all. Prints the table and writes var/bench/solo-<scale>.json.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = (
    f"{'page / endpoint':<20} {'queries':>7} {'solo':>7} {'sql':>7} {'render':>7} {'view':>7} {'middlew.':>8} "
    f"{'calls':>8}"
)


def rows(plan: dict, repeats: int = 7) -> dict:
    from django.test import override_settings

    from bench import scenario, split

    out = {}
    with override_settings(ROOT_URLCONF="bench.urls"):
        for name, request in {**plan["requests"], **scenario.floor_requests()}.items():
            out[name] = {
                "queries": scenario.count_queries(request),
                **split.measure(lambda request=request: scenario.send(request), repeats=repeats),
            }
    return out


def table(results: dict) -> str:
    lines = [HEADER, "-" * len(HEADER)]
    for name, row in results.items():
        lines.append(
            f"{name:<20} {row['queries']:>7} {row['handler_ms']:>7.1f} {row['sql_ms']:>7.1f} "
            f"{row['render_ms']:>7.1f} {row['view_ms']:>7.1f} {row['middleware_ms']:>8.1f} {row['calls']:>8}"
        )
    return "\n".join(lines)


def main() -> None:
    from bench.bench import ENV, SCALE, VAR

    os.environ.update(ENV)
    import django

    django.setup()
    from bench import scenario

    plan = scenario.build()
    results = rows(plan, repeats=int(os.environ.get("BENCH_SOLO_REPEATS", "7")))
    print(f"scale: {SCALE}; ms are medians of in-process runs (handler time); calls: Python function calls")
    print(table(results))
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / f"solo-{SCALE}.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
