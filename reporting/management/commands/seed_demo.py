"""Load the fictional demo dataset: `python manage.py seed_demo`.

Reproducible (fixed seed) and idempotent: run it as often as you like, it only adds what is missing.
Each app contributes its part through a `seed(rng=..., stdout=...)` function in its `demo.py`; the list below
runs them in dependency order (casework ← diary ← trajectories ← casusoverleg ← reporting). To add an app's demo
data, add its module here.
"""

from __future__ import annotations

import importlib
import random

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_MODULES = [
    "casework.demo",
    "diary.demo",
    "trajectories.demo",
    "casusoverleg.demo",
]
DEFAULT_SEED = 20250101
# The generated datasets (reporting/generator/national.py): `national` is docs/design.md §1's size; `small` is a tenth of it, for
# running the benchmark end to end in a minute on a busy machine (`BENCH_SCALE=small make bench`).
SCALES = {
    "national": {},
    "small": {"detainees": 1_200, "sessions": 100_000, "conferences": 6_000, "consultants": 40},
}


class Command(BaseCommand):
    help = "Load the fictional demo dataset (users for every role, ~40 detainee files). Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default: %(default)s)")
        parser.add_argument("--quiet-accounts", action="store_true", help="do not print the demo accounts")
        parser.add_argument(
            "--scale",
            choices=["demo", *SCALES],
            default="demo",
            help="demo: the small demo dataset; national: ~12,000 detainees, ~1,000,000 sessions (reporting/generator/national.py); "
            "small: a tenth of national, for a quick benchmark run",
        )

    def handle(self, *args, seed: int, quiet_accounts: bool, scale: str = "demo", **options):
        if scale in SCALES:
            from reporting.generator.national import seed as seed_national

            seed_national(seed=seed, stdout=self.stdout, **SCALES[scale])
            return
        rng = random.Random(seed)  # noqa: S311 - reproducible fiction, not security
        for path in DEMO_MODULES:
            module = importlib.import_module(path)
            # Each app draws from its own generator, so adding an app never changes another app's data.
            with transaction.atomic():
                module.seed(rng=random.Random(f"{rng.random()}-{path}"), stdout=self.stdout)  # noqa: S311
        if not quiet_accounts:
            self.print_accounts()

    def print_accounts(self) -> None:
        from casework.demo import ACCOUNTS, DEMO_PASSWORD

        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for each: {DEMO_PASSWORD})")
        for spec in ACCOUNTS:
            where = f", director of {spec.prison.title()}" if spec.prison else ""
            self.stdout.write(f"  {spec.role:<11} {spec.username:<16} {spec.organisation}{where}")
