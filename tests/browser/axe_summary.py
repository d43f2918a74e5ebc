"""The axe-core summary of the accessibility journeys (tests/browser/test_accessibility.py), at the end of the run.

Each journey (one role in one language) attaches what axe found on its pages to its test report
(`user_properties`, under ``KEY``). The hooks of tests/conftest.py hand every report to `collect` and call
`write` from pytest's terminal summary: the table of violations per page and language (critical/serious/
moderate/minor) is printed and written to var/axe-report.md, the details to var/axe-details.json. The reports
reach the process that prints the summary whether the journeys ran in it or in pytest-xdist workers, and in
whatever order they ran; a run without journeys prints and writes nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

KEY = "axe"
IMPACTS = ("critical", "serious", "moderate", "minor")
LANGUAGES = ("nl-be", "fr-be", "en")
VAR = Path(__file__).resolve().parents[2] / "var"

# page key -> language -> {impact: count}; (page key, language) -> violations
_results: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
_details: dict[tuple[str, str], list[dict]] = {}


def collect(report) -> None:
    if report.when != "call":
        return
    for name, records in getattr(report, "user_properties", ()):
        if name != KEY:
            continue
        for key, language, counts, found in records:
            previous = _results[key].get(language)
            _results[key][language] = (
                dict(counts) if previous is None else {impact: previous[impact] + counts[impact] for impact in IMPACTS}
            )
            _details.setdefault((key, language), []).extend(found)


def table() -> str:
    seen = {language for by_language in _results.values() for language in by_language}
    languages = [language for language in LANGUAGES if language in seen] + sorted(seen - set(LANGUAGES))
    lines = ["| page | " + " | ".join(languages) + " |", "|---|" + "---|" * len(languages)]
    for key in sorted(_results):
        cells = []
        for language in languages:
            counts = _results[key].get(language)
            cells.append("–" if counts is None else "/".join(str(counts[impact]) for impact in IMPACTS))
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write(terminalreporter) -> None:
    if not _results:
        return
    text = table()
    terminalreporter.write_sep("-", "axe-core violations per page (critical/serious/moderate/minor)")
    terminalreporter.write_line(text)
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "axe-report.md").write_text(text + "\n")
    details = {f"{key} [{language}]": found for (key, language), found in sorted(_details.items()) if found}
    (VAR / "axe-details.json").write_text(json.dumps(details, indent=1, ensure_ascii=False))
    terminalreporter.write_line(f"(written to {VAR.name}/axe-report.md and {VAR.name}/axe-details.json)")
