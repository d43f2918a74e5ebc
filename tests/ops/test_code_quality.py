"""What `make lint` and `make migrations-check` check, as part of `make test` (and so of CI)."""

import ast
import subprocess
import sys
import tempfile
import tomllib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def test_ruff_finds_nothing():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_every_module_is_laid_out_by_ruff_format():
    """One layout for every module (pyproject.toml's [tool.ruff.format]; the migrations keep Django's)."""
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-4000:]


MAX_MODULE_LINES = 600


def test_no_module_outgrows_its_file():
    """A module over 600 lines (migrations aside) wants to become a package or lose what belongs elsewhere."""
    tracked = subprocess.run(["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    too_long = {}
    for name in tracked.stdout.split():
        if "/migrations/" in name or not (ROOT / name).exists():
            continue
        lines = len((ROOT / name).read_text().splitlines())
        if lines > MAX_MODULE_LINES:
            too_long[name] = lines
    assert too_long == {}


def test_imports_keep_the_architecture():
    """The import contracts of pyproject.toml: the apps depend one way, ops and config's helpers on no app."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_templates_pass_djlint():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "djlint"), "templates", "--lint"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_services_selectors_and_permissions_pass_strict_mypy():
    """The files and the strict flags are in pyproject.toml ([tool.mypy]); the cache goes to a temporary
    folder so that the test never trusts a cache of another checkout."""
    with tempfile.TemporaryDirectory() as cache:
        result = subprocess.run(
            [sys.executable, "-m", "mypy", "--cache-dir", cache], cwd=ROOT, capture_output=True, text=True, timeout=600
        )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_mypy_sees_every_services_selectors_and_permissions_module():
    """The globs of [tool.mypy] files reach every such module of every app, also in a sub-package and every
    module of a `services/` package (casusoverleg/services/conferences.py)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    checked = {path for pattern in config["files"] for path in ROOT.glob(pattern)}
    modules = {
        path
        for path in ROOT.glob("*/**/*.py")
        if path.relative_to(ROOT).parts[0] in APPS + ["ops"]
        and any(part.startswith(("services", "selectors", "permissions")) for part in path.relative_to(ROOT).parts[1:])
        and "migrations" not in path.parts
    }
    assert modules and modules <= checked, sorted(str(p.relative_to(ROOT)) for p in modules - checked)


APPS = ["accounts", "casework", "notifications", "diary", "trajectories", "casusoverleg", "reporting"]
# Calls that write through the ORM. `create`/`update` count only on a manager or a queryset (a dict has
# `update` too).
WRITE_CALLS = {"save", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
QUERYSET_WRITES = {"create", "update"}


def _thin_layer_modules():
    """Views, API and task modules: they parse, call a service and answer (docs/architecture.md)."""
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT / app).parts
            if "migrations" in relative:
                continue
            if path.stem.startswith(("views", "api", "tasks")) or {"views", "api"} & set(relative[:-1]):
                yield path


def _orm_writes(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = ast.unparse(node.func.value)
        if receiver == "request.session":
            continue
        if node.func.attr in WRITE_CALLS or (
            node.func.attr in QUERYSET_WRITES and any(m in receiver for m in ("objects", "filter(", "visible_to("))
        ):
            found.append(f"{name}:{node.lineno}: {receiver}.{node.func.attr}(…)")
    return found


def test_views_api_and_tasks_write_only_through_services():
    writes = [
        write
        for path in _thin_layer_modules()
        for write in _orm_writes(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    ]
    assert not writes, "write in a service instead:\n" + "\n".join(writes)


@pytest.mark.parametrize(
    "source, caught",
    [
        ("Session.objects.create(x=1)", True),
        ("obj.save()", True),
        ("qs.filter(a=1).update(b=2)", True),
        ("context.update(a=1)", False),
        ("request.session.delete()", False),
        ("services.session_create(x=1)", False),
    ],
)
def test_the_write_check_sees_orm_writes(source, caught):
    assert bool(_orm_writes(source, "views.py")) is caught


def test_every_model_change_has_its_migration(db):
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        raise AssertionError(f"a model change has no migration:\n{out.getvalue()}") from exit_
