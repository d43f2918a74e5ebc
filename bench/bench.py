# ruff: noqa: S603, S607, S608, T201 - a developer tool running our own commands and SQL on names from its own constants
"""`make bench`: every page at two scales, where its time goes, how its cost grows (docs/design.md §11, ADR 0045).

For each scale (`small`: a tenth of the data, then `national`), in a process of its own:

1. The scale's database (`disengage_bench_small`, `disengage_bench`; BENCH_DB_SMALL / BENCH_DB_NATIONAL) is
   created, migrated and filled once with `seed_demo --scale …`; it is reused while the generator is unchanged
   (its fingerprint is kept as the database comment) and rebuilt when it changed.
2. For every page and endpoint, in-process: the number of queries, the solo time (one request alone) split into
   SQL, template/serializer, view code and middleware (bench/split.py), the Python function calls (a count that
   does not move with the machine's load), and the SQL floor (bench/floors.py: the best hand-written SQL for
   the same data). Two more rows give the floor of our own stack: an empty authenticated page (the layout
   alone) and an empty response (the middleware alone), bench/urls.py.
3. gunicorn serves the app on 127.0.0.1 only; locust (headless, bounded in time) loads every page at once with
   a few concurrent users; p50/p95 come from its statistics.
4. The minutes PDF (bench/minutes_pdf.py) and the reminder sweep (bench/reminder_sweep.py, 60,000 conferences
   at national scale, 6,000 at small, in a database of its own kept while its generator is unchanged).

Then one table: per page the national figures against the targets, the ratio national/small of the solo time
(a page must not slow down as the data grows: ≤ 1.3), whether the query count stayed the same, and the change
against the committed bench/baseline.json (`make bench-baseline` copies a quiet run's results there). The
results go to bench/results.json. `BENCH_SCALE=small` (or `national`) runs one scale only, into
bench/results-<scale>.json. Traffic goes to the loopback address only; every loop is bounded.
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
PY = str(ROOT / ".venv" / "bin" / "python")
MODE = os.environ.get("BENCH_SCALE", "both")
if MODE not in ("both", "national", "small"):
    raise SystemExit(f"BENCH_SCALE must be both, national or small, not {MODE!r}")
SCALES = ("small", "national") if MODE == "both" else (MODE,)
SCALE = MODE if MODE != "both" else "national"  # the scale this process measures (a child names its own)
SMALL = SCALE == "small"
DEFAULT_DB = {"small": "disengage_bench_small", "national": "disengage_bench"}
DB = os.environ.get("BENCH_DB") or os.environ.get(f"BENCH_DB_{SCALE.upper()}", DEFAULT_DB[SCALE])
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
USERS = int(os.environ.get("BENCH_USERS", "6"))
DURATION = os.environ.get("BENCH_DURATION", "20s" if SMALL else "60s")
VAR = ROOT / "var" / "bench" / SCALE
RESULTS = ROOT / "bench" / ("results.json" if MODE == "both" else f"results-{MODE}.json")
BASELINE = ROOT / "bench" / "baseline.json"
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
FLOOR_REPEATS = 15
SOLO_REPEATS = int(os.environ.get("BENCH_SOLO_REPEATS", "7"))
# The reminder sweep's dataset per scale (bench/reminder_sweep.py's options).
SWEEP = {
    "national": {"conferences": 60_000, "actions": 100_000, "detainees": 12_000, "backlog": 20_000},
    "small": {"conferences": 6_000, "actions": 10_000, "detainees": 1_200, "backlog": 2_000},
}
SWEEP_DB = os.environ.get("BENCH_SWEEP_DB", f"{DB}_sweep")
MAX_RATIO = 1.3
SOLO_TARGET_MS = 25
SOLO_FLOOR_RATIO = 5
MAX_QUERIES = 15

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

TARGETS = {  # name: (kind, p95 target in docs/design.md §11 in ms)
    "caseload list": ("page", 150),
    "caseload search": ("page", 150),
    "detainee file": ("page", 150),
    "session save": ("page", 150),
    "trajectory page": ("page", 150),
    "conference page": ("page", 150),
    "manager dashboard": ("dashboard", 300),
    "director dashboard": ("dashboard", 300),
    "yearly report": ("dashboard", 300),
    "api detainees": ("page", 150),
    "api sessions": ("page", 150),
    "api trajectories": ("page", 150),
    "api conferences": ("page", 150),
}
# Not pages: the batch and the document, rows of the same table with their own targets (ms).
JOBS = {"reminder sweep": 10_000, "minutes PDF": 1_000}
FLOOR_ROWS = ("empty page", "empty response")


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
    return subprocess.run(
        ["psql", f"{PG}/{db}", "-tAc", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def prepare_database() -> None:
    fingerprint = generator_fingerprint()
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB}'") == "1"
    if (
        exists
        and psql(f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{DB}'") != fingerprint
    ):
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
    """Pick the actors and objects, log them in, then per endpoint: queries, solo split, calls, SQL floor."""
    os.environ.update(ENV)
    import django

    django.setup()
    from django.test import override_settings

    from bench import floors, scenario, split

    plan = scenario.build()
    results = {}
    with override_settings(ROOT_URLCONF="bench.urls"):
        for name, request in {**plan["requests"], **scenario.floor_requests()}.items():
            row = {
                "queries": scenario.count_queries(request),
                "path": request["path"],
                "method": request["method"],
                "as": request["as"],
            }
            row.update(split.measure(lambda request=request: scenario.send(request), repeats=SOLO_REPEATS))
            row["solo_ms"] = row.pop("handler_ms")
            if name in floors.FLOORS:
                timings = [floors.run(floors.FLOORS[name], plan["context"]) for _ in range(FLOOR_REPEATS)]
                row["floor_ms"] = round(statistics.median(timings), 2)
            results[name] = row
    (VAR / "plan.json").write_text(json.dumps({"cookies": plan["cookies"], "requests": plan["requests"]}, default=str))
    return results


def run_minutes_pdf() -> dict:
    """bench/minutes_pdf.py on this scale's database: p50/p95 of personal copies of the fullest minutes."""
    subprocess.run(
        [PY, str(ROOT / "bench" / "minutes_pdf.py")],
        cwd=ROOT,
        env={**ENV, "BENCH_SCALE": SCALE, "BENCH_DB": DB},
        check=True,
        timeout=900,
    )
    return json.loads((VAR / "minutes_pdf.json").read_text())


def sweep_fingerprint() -> str:
    digest = hashlib.sha256((ROOT / "bench" / "reminder_sweep.py").read_bytes()).hexdigest()[:16]
    return f"sweep:{SCALE}:{digest}"


def run_sweep() -> dict:
    """bench/reminder_sweep.py over this scale's conferences, in its own database (kept while unchanged)."""
    sizes = SWEEP[SCALE]
    fingerprint = sweep_fingerprint()
    keep = (
        psql(f"SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '{SWEEP_DB}'")
        == fingerprint
    )
    out = VAR / "reminder_sweep.json"
    cmd = [
        PY,
        str(ROOT / "bench" / "reminder_sweep.py"),
        "--db",
        SWEEP_DB,
        "--json",
        str(out),
        *(f"--{key}={value}" for key, value in sizes.items()),
        *(["--keep"] if keep else []),
    ]
    host = PG.rsplit("@", 1)[-1].split(":")[0]
    subprocess.run(
        [*cmd, "--host", host],
        cwd=ROOT,
        env={k: v for k, v in ENV.items() if k != "DATABASE_URL"},
        check=True,
        timeout=1800,
    )
    if not keep:
        psql(f"COMMENT ON DATABASE \"{SWEEP_DB}\" IS '{fingerprint}'")
    return json.loads(out.read_text())


def start_gunicorn() -> subprocess.Popen:
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi",
        "-b",
        f"127.0.0.1:{PORT}",
        "-w",
        str(WORKERS),
        "--log-level",
        "warning",
        "--timeout",
        "60",
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=ENV,
        stdout=(VAR / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
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
    cmd = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "-u",
        str(USERS),
        "-r",
        str(USERS),
        "-t",
        DURATION,
        "--host",
        f"http://127.0.0.1:{PORT}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    subprocess.run(cmd, cwd=ROOT, env={**ENV, "BENCH_PLAN": str(VAR / "plan.json")}, check=False, timeout=600)
    stats = {}
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                continue
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "avg_ms": round(float(row["Average Response Time"]), 1),
            }
    return stats


def measure_scale() -> dict:
    """Everything for one scale (this process's SCALE); written to var/bench/<scale>/result.json."""
    VAR.mkdir(parents=True, exist_ok=True)
    prepare_database()
    pages = in_process_measurements()
    proc = start_gunicorn()
    try:
        load = run_locust()
    finally:
        stop(proc)
    for name, row in pages.items():
        row.update(load.get(name, {}))
    pdf = run_minutes_pdf()
    sweep = run_sweep()
    jobs = {
        "minutes PDF": {
            "p50_ms": pdf["p50_ms"],
            "p95_ms": pdf["p95_ms"],
            "max_ms": pdf["max_ms"],
            "content_items": pdf["content_items"],
            "copies": pdf["copies"],
        },
        "reminder sweep": {
            "ms": round(sweep["first_sweep_s"] * 1000),
            "conferences": sweep["conferences"],
            "steady_ms": round(sweep["steady_s"] * 1000),
            "queries_per_batch": sweep["queries_per_batch"],
        },
    }
    result = {
        "scale": SCALE,
        "database": DB,
        "users": USERS,
        "duration": DURATION,
        "gunicorn_workers": WORKERS,
        "load_average_1_5_15": [round(x, 1) for x in os.getloadavg()],
        "pages": pages,
        "jobs": jobs,
    }
    (VAR / "result.json").write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    return result


def _value(scale: dict, name: str) -> float | None:
    """The figure a row is judged and compared by: a page's solo ms, the sweep's ms, the PDF's p95."""
    if name in scale.get("pages", {}):
        return scale["pages"][name].get("solo_ms")
    job = scale.get("jobs", {}).get(name, {})
    return job.get("ms", job.get("p95_ms"))


def judge(scales: dict) -> dict:
    """Per row: the figures of the largest scale measured, the ratio national/small, the verdict."""
    main = scales.get("national") or scales["small"]
    small = scales.get("small") if "national" in scales else None
    rows = {}
    for name, row in main["pages"].items():
        out = dict(row)
        small_row = small["pages"].get(name) if small else None
        out["ratio_national_small"] = (
            round(row["solo_ms"] / small_row["solo_ms"], 2) if small_row and small_row.get("solo_ms") else None
        )
        out["queries_constant"] = small_row["queries"] == row["queries"] if small_row else None
        if name in FLOOR_ROWS:
            out["kind"] = "floor"
            rows[name] = out
            continue
        kind, target = TARGETS[name]
        floor = row.get("floor_ms")
        out.update(
            kind=kind, target_p95_ms=target, solo_floor_ratio=round(row["solo_ms"] / floor, 1) if floor else None
        )
        checks = {
            "p95": row.get("p95_ms") is not None and row["p95_ms"] <= target,
            "queries": row["queries"] <= MAX_QUERIES and out["queries_constant"] is not False,
            "solo": row["solo_ms"] <= SOLO_TARGET_MS,
            "solo/floor": out["solo_floor_ratio"] is not None and out["solo_floor_ratio"] <= SOLO_FLOOR_RATIO,
            "national/small": out["ratio_national_small"] is None or out["ratio_national_small"] <= MAX_RATIO,
        }
        out["missed"] = [check for check, ok in checks.items() if not ok]
        out["meets_targets"] = not out["missed"]
        rows[name] = out
    for name, target in JOBS.items():
        job = dict(main["jobs"][name])
        value = _value(main, name)
        job.update(
            kind="job",
            target_ms=target,
            value_ms=value,
            ratio_national_small=round(value / _value(small, name), 2) if small and _value(small, name) else None,
        )
        job["missed"] = [] if value is not None and value <= target else ["target"]
        job["meets_targets"] = not job["missed"]
        rows[name] = job
    return rows


def change(name: str, rows: dict, baseline: dict | None) -> str:
    if not baseline:
        return "—"
    before = baseline.get("results", {}).get(name, {})
    base_value = before.get("solo_ms", before.get("value_ms"))
    value = rows[name].get("solo_ms", rows[name].get("value_ms"))
    if not base_value or value is None:
        return "—"
    return f"{100 * (value - base_value) / base_value:+.0f}%"


def report(scales: dict) -> None:
    rows = judge(scales)
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else None
    measured = "national" if "national" in scales else "small"
    header = (
        f"{'page / endpoint':<20} {'p50':>6} {'p95':>6} {'target':>6} {'queries':>7} {'solo':>6} {'floor':>6} "
        f"{'solo/fl':>7} {'sql':>6} {'render':>6} {'view':>6} {'midw':>5} {'calls':>7} {'nat/sml':>7} "
        f"{'vs base':>7}  ok"
    )
    lines = [
        f"scale: {' + '.join(scales)} (figures of {measured}; nat/sml = solo national / solo small)",
        header,
        "-" * len(header),
    ]
    for name, row in rows.items():
        ratio = f"{row['ratio_national_small']:.2f}" if row.get("ratio_national_small") is not None else "—"
        if row["kind"] == "job":
            extra = (
                f"{row['conferences']:,} conferences, steady {row['steady_ms']} ms"
                if name == "reminder sweep"
                else f"p50 {row['p50_ms']} ms, {row['content_items']} items, {row['copies']} copies"
            )
            lines.append(
                f"{name:<20} {'':>6} {row['value_ms']:>6.0f} {row['target_ms']:>6} {'':>7} {'':>6} {'':>6} "
                f"{'':>7} {extra:<44} {ratio:>7} {change(name, rows, baseline):>7}  "
                f"{'yes' if row['meets_targets'] else 'NO'}"
            )
            continue
        verdict = (
            "" if row["kind"] == "floor" else ("yes" if row["meets_targets"] else "NO: " + ", ".join(row["missed"]))
        )
        floor = row.get("floor_ms")
        lines.append(
            f"{name:<20} {row.get('p50_ms') or 0:>6.0f} {row.get('p95_ms') or 0:>6.0f} {row.get('target_p95_ms', ''):>6} "
            f"{row['queries']:>7} {row['solo_ms']:>6.1f} {floor if floor is not None else '':>6} "
            f"{row.get('solo_floor_ratio') or '':>7} {row['sql_ms']:>6.1f} {row['render_ms']:>6.1f} {row['view_ms']:>6.1f} "
            f"{row['middleware_ms']:>5.1f} {row['calls']:>7} {ratio:>7} {change(name, rows, baseline):>7}  {verdict}"
        )
    print("\n".join(lines))
    load = os.getloadavg()
    print(
        f"load average now: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} on {os.cpu_count()} cores "
        "(milliseconds are only comparable on an otherwise idle machine; calls are comparable anywhere)"
    )
    if baseline is None:
        print("no bench/baseline.json yet: after a run on a quiet machine, `make bench-baseline` keeps it")
    out = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "scales": list(scales),
        "machine": {"cpus": os.cpu_count(), "load_average_1_5_15": [round(x, 1) for x in load]},
        "note": "p50/p95 in ms under concurrent load (locust); solo: median ms of one request alone, in-process "
        "(handler time), split into sql, render (templates, serializers, JSON), view (its own Python) "
        "and middleware; calls: Python function calls of one request; floor: median ms of the "
        "hand-written SQL; ratio_national_small: solo national / solo small; reminder sweep: first "
        "sweep of the day; minutes PDF: p95 of personal copies.",
        "results": rows,
        "per_scale": scales,
    }
    RESULTS.write_text(json.dumps(out, indent=2, ensure_ascii=False, default=str) + "\n")
    log(f"written to {RESULTS.relative_to(ROOT)}")


def run_child(env: dict, var: Path) -> None:
    """One scale in its own process; its JSON log lines (one per measured request) go to var/bench/<scale>/run.log,
    the rest is shown."""
    var.mkdir(parents=True, exist_ok=True)
    with (var / "run.log").open("w") as logfile:
        proc = subprocess.Popen(
            [PY, str(ROOT / "bench" / "bench.py")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for line in proc.stdout:
            logfile.write(line)
            if not line.startswith('{"ts"'):
                print(line, end="", flush=True)
        if proc.wait() != 0:
            raise SystemExit(f"the {env['BENCH_SCALE']} scale failed: see {(var / 'run.log').relative_to(ROOT)}")


def main() -> None:
    if os.environ.get("BENCH_CHILD"):
        measure_scale()
        return
    scales = {}
    for scale in SCALES:
        log(f"scale {scale}")
        env = {
            **os.environ,
            "BENCH_SCALE": scale,
            "BENCH_CHILD": "1",
            "BENCH_DB": os.environ.get(f"BENCH_DB_{scale.upper()}", DEFAULT_DB[scale]) if MODE == "both" else DB,
        }
        run_child(env, ROOT / "var" / "bench" / scale)
        scales[scale] = json.loads((ROOT / "var" / "bench" / scale / "result.json").read_text())
    report(scales)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
