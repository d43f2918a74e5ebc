"""The documents tell the truth about the code: every file, module, URL name and make target they name exists.

A path (`casework/compartments.py`), a dotted name (`ops.beat.HeartbeatScheduler`), a URL name
(`casework:session_create`) or a make target (`make audit`) written in backticks in one of the checked
documents must be found in the code; a rename that forgets the docs fails here. Placeholders (`<app>/…`,
`NNNN`) and generic layer names (`models.py`) are not checked.
"""

import importlib
import re
import subprocess
from pathlib import Path

import pytest
import rules
from django.apps import apps
from django.urls import get_resolver

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ["docs/architecture.md", "docs/design.md", "docs/conventions.md", "docs/security.md", "README.md"]
PROJECT_PACKAGES = {
    "accounts",
    "casework",
    "notifications",
    "diary",
    "trajectories",
    "casusoverleg",
    "reporting",
    "ops",
    "config",
    "bench",
    "tests",
}
TOP_LEVEL = {p.name for p in ROOT.iterdir()} | {"var"}
PLACEHOLDER = re.compile(r"[<>{}*…]|NNNN|\.\.\.")


def _inline_code(path: Path) -> list[str]:
    """Inline `code` spans of a Markdown file, fenced blocks left out."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)
    return re.findall(r"`([^`\n]+)`", text)


def _url_names() -> set[str]:
    names: set[str] = set()

    def walk(resolver, prefix):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern, f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix)
            elif pattern.name:
                names.add(f"{prefix}{pattern.name}")

    walk(get_resolver(), "")
    return names


def _make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, flags=re.M))


def _generated(name: str) -> bool:
    """Runtime output (`var/…`, benchmark results) is ignored by git and appears only when the code runs."""
    return subprocess.run(["git", "check-ignore", "-q", "--no-index", name], cwd=ROOT).returncode == 0


def _dotted_exists(name: str) -> bool:
    if rules.perm_exists(name):  # a django-rules permission such as `casework.view_confidential`
        return True
    if name.count(".") == 1:  # a model as `app.Model`, e.g. `ops.OutboxMessage`
        try:
            apps.get_model(name)
            return True
        except (LookupError, ValueError):
            pass
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(obj, attribute):
                return False
            obj = getattr(obj, attribute)
        return True
    return False


def _problems(doc: str) -> list[str]:
    url_names = _url_names()
    targets = _make_targets()
    problems = []
    for span in _inline_code(ROOT / doc):
        span = span.strip()
        if PLACEHOLDER.search(span):
            continue
        if span.startswith("make "):
            target = span.split()[1]
            if target not in targets:
                problems.append(f"make target {target!r} is not in the Makefile")
            continue
        if " " in span or span.startswith(("/", "http", ".", "-")):
            continue
        name = re.sub(r"\(.*\)$", "", span)
        if "/" in name:
            # A path in the repository: its first part is a top-level file or directory.
            if name.split("/")[0] in TOP_LEVEL and not (ROOT / name).exists() and not _generated(name):
                problems.append(f"path {name!r} does not exist")
        elif re.fullmatch(r"[a-z_]+:[a-z_-]+", name):
            if name.split(":")[0] in PROJECT_PACKAGES and name not in url_names:
                problems.append(f"URL name {name!r} is not routed")
        elif re.fullmatch(r"[A-Za-z_][\w]*(\.[A-Za-z_]\w*)+", name) and name.split(".")[0] in PROJECT_PACKAGES:
            if not _dotted_exists(name):
                problems.append(f"module or name {name!r} does not exist")
    return problems


@pytest.mark.parametrize("doc", CHECKED)
def test_every_file_module_and_target_named_in_the_docs_exists(doc):
    assert not _problems(doc), "\n".join(_problems(doc))


# Spelled in two halves so that this file does not match itself.
OUTSIDE_REFERENCES = ("../" + "shared", "DESIGN" + ".md", "CONVENTIONS" + ".md")
SKIPPED_DIRS = {".git", ".venv", "var", "node_modules", "__pycache__"}


def _project_texts():
    """(path, text) of every text file of the project, installed and generated trees left out."""
    for path in ROOT.rglob("*"):
        if not path.is_file() or SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
            continue
        try:
            yield path, path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue


def test_nothing_points_outside_the_repository():
    """The repository stands alone: the product design and the conventions are docs/design.md and
    docs/conventions.md, never files elsewhere."""
    found = []
    for path, text in _project_texts():
        found += [f"{path.relative_to(ROOT)}: {ref}" for ref in OUTSIDE_REFERENCES if ref in text]
    assert not found, "\n".join(found)


def test_every_decision_record_has_a_number_of_its_own_and_its_title_says_it():
    records = sorted((ROOT / "docs" / "adr").glob("[0-9][0-9][0-9][0-9]-*.md"))
    numbers = [path.name[:4] for path in records]
    assert len(numbers) == len(set(numbers)), sorted({n for n in numbers if numbers.count(n) > 1})
    for path in records:
        title = path.read_text(encoding="utf-8").splitlines()[0]
        assert title.startswith(f"# {path.name[:4]} "), (path.name, title)


def test_every_decision_record_a_file_names_by_path_exists():
    named = set()
    for _path, text in _project_texts():
        named |= set(re.findall(r"docs/adr/(\d{4}-[a-z0-9-]+\.md)", text))
    missing = sorted(name for name in named if not (ROOT / "docs" / "adr" / name).exists())
    assert not missing, missing
