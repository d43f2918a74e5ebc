"""Run by tests/ops/test_suite_grouping.py only (its name is not test_*): a module-scoped fixture and tests that
write down which xdist worker ran them."""

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def paid_once():
    return os.environ.get("PYTEST_XDIST_WORKER", "")


@pytest.mark.parametrize("n", range(6))
def test_records_its_worker(paid_once, n):
    out = Path(os.environ["GROUPING_PROBE_OUT"])
    out.mkdir(exist_ok=True)
    (out / f"{n}.txt").write_text(f"{paid_once} {os.environ.get('PYTEST_XDIST_WORKER', '')}")
