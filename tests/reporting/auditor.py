"""An attacker's audit of a published yearly release, independent of the code that suppressed it.

It reads only what leaves the team (the API's JSON, the same cells as CSV, XLSX and PDF) and what anybody knows
about how the tables are built: prisons, categories, reasons and guidance types add up to the year's total; the
five-year series repeat the per-year and per-prison figures; declined and successful trajectories are parts of the
started ones and never overlap; a person reached had a session, and the people reached per prison or module
are among all people reached; goal outcomes per domain add up by row and by column; the releases of a
re-incarceration window are re-incarcerated, not re-incarcerated or without information; a published percentage
pins the ratio of its two counts to within half a point. Then, for every hidden cell, it minimises and maximises
the cell by linear programming (HiGHS through scipy) over everything published, with "<5" meaning 1 to 4 and any
other marker meaning "some count, 0 or more". A "<5" cell is protected when that interval is at least [1, 4]:
the release says nothing about it beyond the suppression band.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

SUPPRESSED = "<5"
BAND = (1, 4)
PARTS_OF_STARTED = ("declined", "successes")
RETURN_PARTS = ("reincarcerated", "not_reincarcerated", "no_information")
GOAL_OUTCOMES = ("achieved", "partly_achieved", "not_achieved", "dropped", "open")


@dataclass
class Interval:
    key: tuple
    marker: str
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


def _key(measure, year, *dims):
    return (measure, int(year), tuple(sorted(dims)))


def _ingest(body: dict) -> tuple[dict, list]:
    """{cell key: published value or marker}, and the published percentages [(num key, den key, percent)]."""
    year = body["year"]
    cells: dict = {}
    shares: list = []

    def put(key, value):
        if value is None or value == "":
            return
        if key in cells and cells[key] != value:
            raise AssertionError(f"one cell published twice with different values: {key} {cells[key]!r} {value!r}")
        cells[key] = value

    def breakdown(rows, dim, measures, *, y=year, code_field="label"):
        for row in rows:
            member = row.get("code") or row[code_field]
            # today's tables name the total row "Totaal"; the release marks it
            dims = () if row.get("total") or row["label"] in ("Totaal", "Total") else ((dim, member),)
            for measure in measures:
                if measure in row:
                    put(_key(measure, y, *dims), row[measure])
            if "success_percent" in row:
                shares.append((_key("successes", y, *dims), _key("started", y, *dims), row["success_percent"]))

    for row in body.get("by_year", []):
        y = int(row["label"])
        for measure in ("started", "declined", "successes", "aftercare_started"):
            if measure in row:
                put(_key(measure, y), row[measure])
        if "aftercare_completed" in row:
            put(_key("closed", y, ("reason", "aftercare_ended")), row["aftercare_completed"])
        shares.append((_key("successes", y), _key("started", y), row.get("success_percent")))
    breakdown(body.get("by_prison", []), "prison", ("started", "declined", "successes"))
    breakdown(body.get("by_category", []), "category", ("started", "declined", "successes"))
    for name, dim in (("series_by_prison", "prison"), ("series_by_category", "category")):
        for row in body.get(name, []):
            member = row.get("code") or row["label"]
            dims = () if row.get("total") else ((dim, member),)
            for y, value in row.items():
                if y.isdigit():
                    put(_key("started", y, *dims), value)
    breakdown(body.get("closure_reasons", []), "reason", ("closed",))
    breakdown(body.get("guidance", []), "guidance", ("started",))
    breakdown(body.get("gender", []), "gender", ("started",))
    for row in body.get("goals_by_domain", []):
        domain = () if row.get("total") else (("domain", row["code"]),)
        for outcome in GOAL_OUTCOMES:
            put(_key("goals", year, *domain, ("outcome", outcome)), row[outcome])
        put(_key("goals", year, *domain), row["all"])
    for row in body.get("reach_by_prison", []):
        dims = () if row.get("total") else (("prison", row["code"]),)
        put(_key("sessions", year, *dims), row["sessions"])
        put(_key("reached", year, *dims), row["reached"])
    for row in body.get("reach_by_module", []):
        put(_key("module_sessions", year, ("module", row["code"])), row["module_sessions"])
        put(_key("module_reached", year, ("module", row["code"])), row["module_reached"])
    for row in body.get("outreach", []):
        put(_key(row["code"], year), row["count"])
    # re-incarceration: per window, the releases, and three disjoint parts that add up to them
    for row in body.get("reincarceration", []):
        cohort = _key(f"released_{row['code']}m", year)
        put(cohort, row["released"])
        for part in RETURN_PARTS:
            put(_key(cohort[0], year, ("outcome", part)), row[part])
        shares.append((_key(cohort[0], year, ("outcome", "reincarcerated")), cohort, row["reincarcerated_percent"]))
    return cells, [s for s in shares if s[2] is not None]


# People reached per prison or per module may overlap (a transfer; a session on two modules): no sums.
OVERLAPPING = {"reached", "module_sessions", "module_reached"}


def _relations(cells: dict) -> tuple[list, list]:
    """Equalities (total, [parts]) and inequalities {cell: coefficient} ≤ 0 anybody can read off the tables."""
    by_parent: dict = defaultdict(list)
    for key in cells:
        measure, year, dims = key
        if measure in OVERLAPPING:
            continue
        for i, (dim, _member) in enumerate(dims):
            parent = (measure, year, dims[:i] + dims[i + 1 :])
            by_parent[(parent, dim)].append(key)
    equalities = [(parent, parts) for (parent, _dim), parts in by_parent.items() if parent in cells]
    inequalities = []
    years = {k[1] for k in cells}
    for key in cells:
        measure, year, dims = key
        if measure == "started":
            parts = {(m, year, dims): 1 for m in PARTS_OF_STARTED if (m, year, dims) in cells}
            if parts:
                inequalities.append({**parts, key: -1})
        if measure == "reached":
            inequalities.append({key: 1, ("sessions", year, dims): -1})  # a person reached had a session
            if dims:
                inequalities.append({key: 1, ("reached", year, ()): -1})
        if measure == "module_reached":
            inequalities.append({key: 1, ("module_sessions", year, dims): -1})
            inequalities.append({key: 1, ("reached", year, ()): -1})
        if measure == "module_sessions":
            inequalities.append({key: 1, ("sessions", year, ()): -1})
    for year in years:
        per_prison = {k: -1 for k in cells if k[0] == "reached" and k[1] == year and k[2]}
        if per_prison:
            inequalities.append({("reached", year, ()): 1, **per_prison})
        inequalities.append({("outreach", year, ()): 1, ("without_trajectory", year, ()): -1})
        inequalities.append({("without_trajectory", year, ()): 1, ("in_scope", year, ()): -1})
        inequalities.append({("outreach", year, ()): 1, ("reached", year, ()): -1})
    inequalities = [r for r in inequalities if all(k in cells for k in r)]
    return equalities, inequalities


def audit(body: dict) -> list[Interval]:
    """The interval of values consistent with the whole release, for every hidden cell."""
    cells, shares = _ingest(body)
    keys = list(cells)
    index = {k: i for i, k in enumerate(keys)}
    bounds = []
    for key in keys:
        value = cells[key]
        if isinstance(value, int | float):
            bounds.append((value, value))
        elif value == SUPPRESSED:
            bounds.append(BAND)
        else:
            bounds.append((0, None))
    equalities, inequalities = _relations(cells)
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for parent, parts in equalities:
        row = np.zeros(len(keys))
        row[index[parent]] = -1
        for part in parts:
            row[index[part]] += 1
        a_eq.append(row)
        b_eq.append(0)
    for relation in inequalities:
        row = np.zeros(len(keys))
        for cell, coefficient in relation.items():
            row[index[cell]] += coefficient
        a_ub.append(row)
        b_ub.append(0)
    for num, den, percent in shares:
        if not isinstance(percent, int | float) or num not in index or den not in index:
            continue
        # round(100 * num / den) == percent  <=>  (percent - .5) den <= 100 num <= (percent + .5) den
        low, high = np.zeros(len(keys)), np.zeros(len(keys))
        low[index[num]], low[index[den]] = -100, percent - 0.5
        high[index[num]], high[index[den]] = 100, -(percent + 0.5)
        a_ub += [low, high]
        b_ub += [0, 0]
    problem = {
        "A_eq": np.array(a_eq) if a_eq else None,
        "b_eq": np.array(b_eq) if b_eq else None,
        "A_ub": np.array(a_ub) if a_ub else None,
        "b_ub": np.array(b_ub) if b_ub else None,
        "bounds": bounds,
        "method": "highs",
    }
    result = []
    for key in keys:
        if isinstance(cells[key], int | float):
            continue
        c = np.zeros(len(keys))
        c[index[key]] = 1
        low = linprog(c, **problem)
        high = linprog(-c, **problem)
        assert low.status == 0, f"the published release is inconsistent: {low.message}"
        upper = -high.fun if high.status == 0 else float("inf")
        result.append(Interval(key, cells[key], low.fun, upper))
    return result


def leaks(body: dict) -> list[Interval]:
    """The "<5" cells whose interval is narrower than the suppression band."""
    tolerance = 1e-6
    return [
        i
        for i in audit(body)
        if i.marker == SUPPRESSED and (i.low > BAND[0] + tolerance or i.high < BAND[1] - tolerance)
    ]
