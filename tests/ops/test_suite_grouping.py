"""The suite's `--dist loadgroup` (ADR 0046): a module with a module-scoped fixture of its own runs on one worker,
so its setup (a demo dataset, a scratch database, a live server) is paid once, not once per worker."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_module_with_a_module_fixture_stays_on_one_worker(tmp_path):
    out = tmp_path / "probe"
    # A database name of its own, so that the inner run's session guard (tests/session_guard.py) never looks at,
    # rebuilds or kills anything of this run's.
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/disengage")
    probe_url = f"{url.rsplit('?', 1)[0]}_grouping_probe"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "-n",
            "2",
            "--dist",
            "loadgroup",
            "-o",
            "python_files=grouping_probe.py",
            "tests/ops/grouping_probe.py",
        ],
        cwd=ROOT,
        env={**os.environ, "GROUPING_PROBE_OUT": str(out), "DATABASE_URL": probe_url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    runs = [path.read_text().split() for path in sorted(out.glob("*.txt"))]
    assert len(runs) == 6
    workers = {worker for _, worker in runs}
    assert len(workers) == 1 and workers <= {"gw0", "gw1"}, runs
    assert all(fixture_worker == worker for fixture_worker, worker in runs)
