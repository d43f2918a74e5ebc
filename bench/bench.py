# ruff: noqa: S603, S607, S608 - a developer tool running our own commands and SQL on names from its own constants
"""`make bench`: the national dataset under gunicorn, measured page by page (docs/design.md §11).

1. The database `disengage_bench` (override with BENCH_DB) is created, migrated and filled once with
   `seed_demo --scale national`; it is reused while the generator is unchanged (its fingerprint is kept
   as the database comment) and rebuilt when it changed. `BENCH_SCALE=small` runs the same benchmark on a
   tenth of the data in its own database (`disengage_bench_small`) with a 20-second load: a quick check
   that everything works end to end, not figures to compare with the targets.
2. For every page and endpoint: the number of queries (one request through Django's test client,
   in-process) and the SQL floor (the best hand-written SQL fetching the same data, bench/floors.py,
   median of repeated runs).
3. gunicorn serves the app on 127.0.0.1 only; locust (headless, bounded in time) loads every page at
   once with a few concurrent users; p50/p95 come from its statistics.
4. A table is printed (ratio = p50 / floor) and everything is written to bench/results.json
   (bench/results-small.json for the small scale).

Traffic goes to the loopback address only, and every loop is bounded (locust -t, fixed repeats).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PY = str(ROOT / ".venv" / "bin" / "python")
SCALE = os.environ.get("BENCH_SCALE", "national")
if SCALE not in ("national", "small"):
    raise SystemExit(f"BENCH_SCALE must be national or small, not {SCALE!r}")
SMALL = SCALE == "small"
DB = os.environ.get("BENCH_DB", "disengage_bench_small" if SMALL else "disengage_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
USERS = int(os.environ.get("BENCH_USERS", "6"))
DURATION = os.environ.get("BENCH_DURATION", "20s" if SMALL else "60s")
RESULTS = ROOT / "bench" / ("results-small.json" if SMALL else "results.json")
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
FLOOR_REPEATS = 15

ENV = {
    **os.environ,
    "DATABASE_URL": f"{PG}/{DB}",
    "DJANGO_SETTINGS_MODULE": "config.settings.local",
    "DJANGO_DEBUG": "False",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    # The benchmark users log in through a prepared session; a second factor is not part of what is measured.
    "DISENGAGE_MFA_REQUIRED": "False",
    "PYTHONPATH": str(ROOT),
}

TARGETS = {  # name: (kind, target in docs/design.md §11 in ms)
    "caseload list": ("page", 150), "caseload search": ("page", 150), "detainee file": ("page", 150),
    "session save": ("page", 150),
    "trajectory page": ("page", 150), "conference page": ("page", 150),
    "manager dashboard": ("dashboard", 300), "director dashboard": ("dashboard", 300), "yearly report": ("dashboard", 300),
    "api detainees": ("page", 150), "api sessions": ("page", 150), "api trajectories": ("page", 150),
    "api conferences": ("page", 150),
}


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def generator_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted((ROOT / "reporting" / "generator").glob("*.py")):
        digest.update(path.read_bytes())
    if SMALL:
        digest.update(repr(scale_arguments()).encode())
    return f"{SCALE}:" + digest.hexdigest()[:16]


def scale_arguments() -> dict:
    """The generator's sizes for this scale (seed_demo's SCALES), without setting Django up."""
    import ast

    source = (ROOT / "reporting" / "management" / "commands" / "seed_demo.py").read_text()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "SCALES" for t in node.targets):
            return ast.literal_eval(node.value)[SCALE]
    raise SystemExit("SCALES not found in reporting/management/commands/seed_demo.py")


def psql(sql: str, db: str = "postgres") -> str:
    return subprocess.run(["psql", f"{PG}/{db}", "-tAc", sql], check=True, capture_output=True, text=True).stdout.strip()


def prepare_database() -> None:
    fingerprint = generator_fingerprint()
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB}'") == "1"
    if exists and psql(f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{DB}'") != fingerprint:
        log(f"the generator changed: rebuilding {DB}")
        psql(f'DROP DATABASE "{DB}" WITH (FORCE)')
        exists = False
    if not exists:
        psql(f'CREATE DATABASE "{DB}"')
    log("migrating")
    subprocess.run([PY, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=ENV, check=True)
    started = time.monotonic()
    subprocess.run([PY, "manage.py", "seed_demo", "--scale", SCALE], cwd=ROOT, env=ENV, check=True)
    if not exists:
        log(f"{SCALE} dataset generated in {time.monotonic() - started:.0f} s")
        psql(f"COMMENT ON DATABASE \"{DB}\" IS '{fingerprint}'")


def in_process_measurements() -> dict:
    """Pick the actors and objects, log them in, count queries per endpoint and time the SQL floors."""
    os.environ.update(ENV)
    import django

    django.setup()
    from bench import floors, scenario

    plan = scenario.build()
    results = {}
    for name, request in plan["requests"].items():
        results[name] = {"queries": scenario.count_queries(request), "solo_ms": scenario.solo_ms(request),
                         "path": request["path"], "method": request["method"], "as": request["as"]}
        floor = floors.FLOORS[name]
        timings = []
        for _ in range(FLOOR_REPEATS):
            timings.append(floors.run(floor, plan["context"]))
        results[name]["floor_ms"] = round(statistics.median(timings), 2)
    (VAR / "plan.json").write_text(json.dumps({"cookies": plan["cookies"], "requests": plan["requests"]}, default=str))
    return results


def start_gunicorn() -> subprocess.Popen:
    cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", str(WORKERS),
           "--log-level", "warning", "--timeout", "60"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=(VAR / "gunicorn.log").open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    for _ in range(60):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
            return proc
        except OSError:
            time.sleep(0.5)
    stop(proc)
    raise SystemExit("gunicorn did not come up; see var/bench/gunicorn.log")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def run_locust() -> dict:
    prefix = VAR / "locust"
    cmd = [str(ROOT / ".venv" / "bin" / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
           "-u", str(USERS), "-r", str(USERS), "-t", DURATION, "--host", f"http://127.0.0.1:{PORT}",
           "--csv", str(prefix), "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"]
    subprocess.run(cmd, cwd=ROOT, env={**ENV, "BENCH_PLAN": str(VAR / "plan.json")}, check=False, timeout=600)
    stats = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                continue
            stats[row["Name"]] = {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                                  "p50_ms": float(row["50%"]), "p95_ms": float(row["95%"]),
                                  "avg_ms": round(float(row["Average Response Time"]), 1)}
    return stats


def report(results: dict, load: dict) -> None:
    header = (f"{'page / endpoint':<20} {'p50':>7} {'p95':>7} {'target':>7} {'queries':>8} {'solo':>7} {'floor':>8} "
              f"{'p50/floor':>10} {'solo/floor':>10}  ok")
    lines = [header, "-" * len(header)]
    for name, row in results.items():
        row.update(load.get(name, {}))
        kind, target = TARGETS[name]
        row["target_p95_ms"] = target
        p50, p95 = row.get("p50_ms"), row.get("p95_ms")
        row["ratio"] = round(p50 / row["floor_ms"], 1) if p50 and row["floor_ms"] else None
        row["meets_targets"] = bool(p95 is not None and p95 <= target and row["queries"] <= 15
                                    and row["ratio"] is not None and row["ratio"] <= 3)
        row["solo_ratio"] = round(row["solo_ms"] / row["floor_ms"], 1) if row["floor_ms"] else None
        lines.append(f"{name:<20} {p50 or 0:>6.0f}  {p95 or 0:>6.0f}  {target:>6}  {row['queries']:>7}  "
                     f"{row['solo_ms']:>6.0f}  {row['floor_ms']:>7.1f}  {row['ratio'] or 0:>9.1f}  "
                     f"{row['solo_ratio'] or 0:>9.1f}  {'yes' if row['meets_targets'] else 'NO'}")
    print(f"scale: {SCALE} (database {DB})")
    print("\n".join(lines))
    load = os.getloadavg()
    print(f"load average during the run: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores "
          "(figures are only comparable on an otherwise idle machine)")
    out = {"generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "scale": SCALE, "database": DB,
           "users": USERS,
           "duration": DURATION, "gunicorn_workers": WORKERS,
           "machine": {"cpus": os.cpu_count(), "load_average_1_5_15": [round(x, 1) for x in os.getloadavg()]},
           "note": "p50/p95 in ms under concurrent load (locust); solo: median ms of one request alone, in-process; "
                   "floor: median ms of the hand-written SQL; ratio = p50 / floor; queries: one request, "
                   "in-process, report cache off.",
           "results": results}
    RESULTS.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    log(f"written to {RESULTS.relative_to(ROOT)}")


def main() -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    prepare_database()
    results = in_process_measurements()
    proc = start_gunicorn()
    try:
        load = run_locust()
    finally:
        stop(proc)
    report(results, load)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
