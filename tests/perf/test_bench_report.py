"""`make bench`'s verdicts at two scales (bench/bench.py), on made-up figures: the national path is checked
without the national run."""

from __future__ import annotations

import json

from bench import bench


def _page(solo, queries=8, p95=100.0, floor=5.0):
    return {
        "queries": queries,
        "solo_ms": solo,
        "sql_ms": 2.0,
        "render_ms": 3.0,
        "view_ms": 1.0,
        "middleware_ms": 1.0,
        "calls": 1000,
        "floor_ms": floor,
        "p50_ms": p95 / 2,
        "p95_ms": p95,
    }


def _scale(pages, sweep_ms, pdf_p95):
    rows = {name: _page(**figures) for name, figures in pages.items()}
    rows["empty page"] = {**_page(3.0), "floor_ms": None, "p95_ms": None}
    rows["empty response"] = {**_page(1.0), "floor_ms": None, "p95_ms": None}
    return {
        "pages": rows,
        "jobs": {
            "reminder sweep": {"ms": sweep_ms, "conferences": 60_000, "steady_ms": 40, "queries_per_batch": [9, 9]},
            "minutes PDF": {
                "p50_ms": pdf_p95 / 2,
                "p95_ms": pdf_p95,
                "max_ms": pdf_p95,
                "content_items": 30,
                "copies": 15,
            },
        },
    }


SMALL = _scale(
    {
        "caseload list": {"solo": 10.0},
        "api sessions": {"solo": 10.0},
        "yearly report": {"solo": 10.0},
        "detainee file": {"solo": 10.0, "queries": 10},
    },
    900,
    400,
)
NATIONAL = _scale(
    {
        "caseload list": {"solo": 12.0},
        "api sessions": {"solo": 20.0},
        "yearly report": {"solo": 30.0, "p95": 280},
        "detainee file": {"solo": 11.0, "queries": 11},
    },
    8000,
    700,
)


def test_the_verdict_names_each_missed_target():
    rows = bench.judge({"small": SMALL, "national": NATIONAL})
    assert rows["caseload list"]["ratio_national_small"] == 1.2 and rows["caseload list"]["meets_targets"]
    assert rows["api sessions"]["missed"] == ["national/small"]  # twice as slow with ten times the data
    assert rows["yearly report"]["missed"] == ["solo", "solo/floor", "national/small"]  # dashboards: p95 ≤ 300
    assert rows["detainee file"]["missed"] == ["queries"] and rows["detainee file"]["queries_constant"] is False
    assert rows["reminder sweep"]["meets_targets"] and rows["reminder sweep"]["ratio_national_small"] == 8.89
    assert rows["minutes PDF"]["value_ms"] == 700 and rows["minutes PDF"]["meets_targets"]
    assert rows["empty page"]["kind"] == "floor" and "meets_targets" not in rows["empty page"]


def test_one_scale_has_no_ratio():
    rows = bench.judge({"small": SMALL})
    assert rows["api sessions"]["ratio_national_small"] is None and rows["api sessions"]["meets_targets"]


def test_the_report_compares_with_the_baseline(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(bench, "RESULTS", tmp_path / "results.json")
    monkeypatch.setattr(bench, "ROOT", tmp_path)
    monkeypatch.setattr(bench, "BASELINE", tmp_path / "baseline.json")
    bench.report({"small": SMALL, "national": NATIONAL})
    assert "no bench/baseline.json yet" in capsys.readouterr().out
    (tmp_path / "baseline.json").write_text((tmp_path / "results.json").read_text())
    slower = json.loads(json.dumps(NATIONAL))
    slower["pages"]["caseload list"]["solo_ms"] = 18.0
    slower["jobs"]["reminder sweep"]["ms"] = 4000
    bench.report({"small": SMALL, "national": slower})
    out = capsys.readouterr().out
    caseload = next(line for line in out.splitlines() if line.startswith("caseload list"))
    sweep = next(line for line in out.splitlines() if line.startswith("reminder sweep"))
    assert "+50%" in caseload and "1.80" in caseload and "NO: national/small" in caseload
    assert "-50%" in sweep and "yes" in sweep
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["scales"] == ["small", "national"] and saved["results"]["caseload list"]["solo_ms"] == 18.0
