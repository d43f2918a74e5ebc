"""Yearly figures, what parliament asks (docs/design.md §8): aggregated in SQL, protected as one release.

Every count of the release is a cell named `(measure, year, dims)` (see `reporting.sdc`); a table shows some of
those cells, and a cell shown in two tables (the year's total in the per-prison table and in the five-year
series, say) is one cell. `sdc.protect` suppresses small cells and the complementary cells that keep them from
being worked back, over all tables at once; the page, the API, CSV, XLSX and PDF all show that one protected
release (`tables`). The exact numbers stay inside the team, behind each cell's list (`trajectories_for`).

The definitions are printed beside each table (`TABLES`) and in docs/adr/0014.
"""

from __future__ import annotations

from .figures import (  # noqa: F401
    AFTERCARE,
    CLOSED,
    COMPLEMENTARY,
    DECLINED,
    FIRST_YEAR,
    GOALS,
    IN_SCOPE,
    MODULE_REACHED,
    MODULE_SESSIONS,
    NO_INFORMATION,
    NON_ADDITIVE,
    NOT_PUBLISHED,
    NOT_REINCARCERATED,
    OUTCOMES,
    OUTREACH,
    REACHED,
    REINCARCERATED,
    RELEASED_12,
    RELEASED_24,
    RETURN_OUTCOMES,
    SESSIONS,
    SMALL_CELL,
    STARTED,
    SUCCESS,
    SUCCESSES,
    SUPPRESSED,
    UNKNOWN,
    UNKNOWN_LABEL,
    WINDOWS,
    WITHOUT_TRAJECTORY,
    YEARS,
    Figures,
    cell_list,
    key,
    parse_year,
    relations,
    shown,
    trajectories_for,
    yearly_report,
)
from .publication import (  # noqa: F401
    Cell,
    Column,
    Table,
    TableRow,
    as_dict,
    notes,
    tables,
)
