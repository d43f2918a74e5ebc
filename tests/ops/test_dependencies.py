"""The lock files are what gets installed (`make venv`, the Dockerfile): they must say what the requirements say."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s\\;#]+)", re.M)


def _pins(path: Path) -> dict[str, str]:
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in PIN.findall(path.read_text())}


def _hashed(path: Path) -> bool:
    """Every pinned package of the lock file carries at least one sha256 hash."""
    blocks = re.split(r"\n(?=[A-Za-z0-9])", path.read_text())
    return all("--hash=sha256:" in block for block in blocks if PIN.match(block))


def test_each_direct_dependency_is_locked_at_its_pinned_version():
    for requirements, lock in (
        ("requirements.txt", "requirements.lock"),
        ("requirements-dev.txt", "requirements-dev.lock"),
    ):
        wanted, locked = _pins(ROOT / requirements), _pins(ROOT / lock)
        assert wanted, requirements
        wrong = {name: (version, locked.get(name)) for name, version in wanted.items() if locked.get(name) != version}
        assert not wrong, f"{lock} is out of date (`make lock`): {wrong}"


def test_the_development_lock_installs_the_same_runtime_packages():
    runtime, development = _pins(ROOT / "requirements.lock"), _pins(ROOT / "requirements-dev.lock")
    differ = {
        name: (version, development.get(name)) for name, version in runtime.items() if development.get(name) != version
    }
    assert not differ, f"the tests would run other versions than production installs: {differ}"


def test_every_locked_package_has_its_hash():
    for lock in ("requirements.lock", "requirements-dev.lock"):
        assert _hashed(ROOT / lock), lock
        assert "--index-url" not in (ROOT / lock).read_text(), "a lock file names no machine's package index"


def test_installs_go_through_the_lock_files():
    assert "--require-hashes -r requirements-dev.lock" in (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements.lock" in (ROOT / "Dockerfile").read_text()
