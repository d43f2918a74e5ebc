"""Yearly figures: hand-computed cells, one protected release in every copy (page, API, CSV, XLSX, PDF), the
notes on how to read them, percentages of hidden counts, and the team's list behind each cell."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from casework.models import AccessLog
from reporting import yearly
from reporting.yearly import key
from trajectories.models import Goal

pytestmark = pytest.mark.django_db
PAGE = "/rapportering/jaarcijfers/"
API = "/api/v1/reports/yearly/"
MARKERS = {"<5", "x", "n.b."}


def test_five_years_of_trajectories(world, manager):
    values = yearly.yearly_report(manager, 2025).values
    rows = [
        [values[key(m, y)] for m in ("started", "declined", "successes", "aftercare_started")]
        + [values[key("closed", y, reason="aftercare_ended")]]
        for y in range(2021, 2026)
    ]
    assert rows == [
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
        [1, 0, 1, 1, 0],  # T9: active with an agreed goal, aftercare from 01/09/2024
        [3, 1, 1, 0, 1],  # T7, T5 (success), T6 (declined); T9's aftercare completed 01/03/2025
    ]


def test_per_prison_and_category_at_referral(world, manager):
    values = yearly.yearly_report(manager, 2025).values
    assert [values[key(m, 2025, prison="gent")] for m in ("started", "declined", "successes")] == [1, 1, 0]
    assert [values[key(m, 2025, prison="hasselt")] for m in ("started", "declined", "successes")] == [2, 0, 1]
    assert values[key("started", 2025, category="pve")] == 1  # T6
    assert values[key("successes", 2025, category="terrorism_convict")] == 1  # T5
    assert values[key("started", 2025, category="unknown")] == 1  # D7 has no OCAD listing on record
    # the five-year series: T9 referred in 2024, placed nowhere on record (no placement on 10/01/2024)
    assert values[key("started", 2024, prison="unknown")] == 1


def test_closure_reasons_guidance_and_goal_outcomes(world, manager):
    t9 = world["t9"]
    Goal.objects.filter(trajectory=t9).update(status=Goal.GoalStatus.ACHIEVED)
    Goal.objects.create(
        trajectory=t9,
        domain=Goal._meta.get_field("domain").related_model.objects.get(code="housing"),
        description="Woning",
        status=Goal.GoalStatus.DROPPED,
    )
    values = yearly.yearly_report(manager, 2025).values
    assert values[key("closed", 2025)] == 1  # T9, closed 01/03/2025
    assert values[key("closed", 2025, reason="aftercare_ended")] == 1
    assert values[key("closed", 2025, reason="reoffended")] == 0
    assert values[key("started", 2025, guidance="disengagement_consultant")] == 3
    assert values[key("started", 2025, guidance="jww_integral")] == 0
    assert values[key("started", 2025, gender="unknown")] == 3  # nobody's gender was recorded
    assert values[key("goals", 2025, domain="psychosocial", outcome="achieved")] == 1
    assert values[key("goals", 2025, domain="housing", outcome="dropped")] == 1
    assert values[key("goals", 2025, outcome="open")] == 0
    assert values[key("goals", 2025)] == 2


def test_gender_is_optional_and_counted_at_referral(world, manager, client):
    from casework.models import Detainee

    Detainee.objects.filter(pk__in=[world["d6"].pk, world["d7"].pk]).update(gender=Detainee.Gender.MALE)
    Detainee.objects.filter(pk=world["d5"].pk).update(gender=Detainee.Gender.FEMALE)
    values = yearly.yearly_report(manager, 2025).values
    assert [values[key("started", 2025, gender=g)] for g in ("female", "male", "x", "unknown")] == [1, 2, 0, 0]
    client.force_login(manager)
    listed = client.get("/rapportering/dashboard/lijst/yearly/?measure=started&year=2025&gender=male")
    assert sorted(t.detainee.last_name for t in listed.context["page"].object_list) == ["Aerts", "Mertens"]


def test_other_organisations_are_not_counted(world, manager):
    values = yearly.yearly_report(manager, 2026).values
    # 2026: T1, T2, T3, T4 of CAW Limburg (T8 belongs to CAW Antwerpen); T5 went into aftercare on 01/01/2026
    assert [values[key(m, 2026)] for m in ("started", "declined", "successes", "aftercare_started")] == [4, 0, 1, 1]


def test_small_cells_never_leave_the_team(world, manager):
    report = yearly.yearly_report(manager, 2025)
    for table in yearly.tables(report):
        for row in table.rows:
            for cell in row.cells:
                if cell.kind == "count" and isinstance(cell.value, int):
                    assert not 1 <= cell.value <= 4, (table.id, row.label, cell.value)


def test_a_percentage_of_a_hidden_count_is_not_published_and_never_reads_as_small(world, manager):
    report = yearly.yearly_report(manager, 2025)
    by_year = yearly.tables(report)[0]
    row_2025 = by_year.rows[-1]
    assert [c.value for c in row_2025.cells][:4] == ["<5", "<5", "<5", "n.b."] or row_2025.cells[3].value == "n.b."
    shares = [c.value for t in yearly.tables(report) for r in t.rows for c in r.cells if c.kind == "percent"]
    assert "<5" not in shares and "x" not in shares
    assert "n.b." in shares
    notes = dict(yearly.notes())
    assert "n.b." in notes and "<5" in notes and "x" in notes


def _api_tables(client):
    body = client.get(API, {"year": 2025}).json()
    out = {}
    for table_id in (
        "by_year",
        "by_prison",
        "by_category",
        "series_by_prison",
        "series_by_category",
        "closure_reasons",
        "guidance",
        "gender",
        "goals_by_domain",
        "reach_by_prison",
        "reach_by_module",
        "outreach",
        "reincarceration",
    ):
        out[table_id] = [[_text(v) for k, v in row.items() if k not in ("code", "total")] for row in body[table_id]]
    return out


def _text(value) -> str:
    return "" if value is None else str(value)


def test_page_api_csv_xlsx_and_pdf_agree_cell_by_cell(world, client, manager):
    client.force_login(manager)
    api = _api_tables(client)
    tables = client.get(PAGE, {"jaar": 2025}).context["tables"]
    page = {
        table.id: [[row.label, *(_text(cell.value) for cell, _url in cells)] for row, cells in rows]
        for table, rows in tables
    }
    assert page == api

    rows = list(
        csv.reader(io.StringIO(client.get(PAGE + "export.csv?jaar=2025").content.decode("utf-8-sig")), delimiter=";")
    )
    for table_id, expected in api.items():
        for line in expected:
            assert line in rows, (table_id, line)

    book = load_workbook(io.BytesIO(client.get(PAGE + "export.xlsx?jaar=2025").content))
    sheets = book.worksheets[1:]
    assert [s.title for s in sheets] == [t.sheet for t, _rows in tables]
    for sheet, (table_id, expected) in zip(sheets, api.items(), strict=True):
        got = []
        for line in sheet.iter_rows(min_row=5, values_only=True):
            got.append([_xlsx_text(v, i) for i, v in enumerate(line)])
        assert got == expected, table_id

    pdf = client.get(PAGE + "export.pdf?jaar=2025").content
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for table_id, expected in api.items():
        for line in expected:
            at = (
                3 if table_id == "reincarceration" else 4 if table_id in ("by_year", "by_prison", "by_category") else -1
            )
            cells = [c + " %" if c.isdigit() and i == at else (c or "—") for i, c in enumerate(line)]
            assert " ".join(cells) in text, (table_id, line)


def _xlsx_text(value, index) -> str:
    if isinstance(value, float):
        return str(round(value * 100))
    return _text(value)


def test_xlsx_is_typed_and_has_a_notes_sheet(world, client, manager):
    client.force_login(manager)
    book = load_workbook(io.BytesIO(client.get(PAGE + "export.xlsx?jaar=2025").content))
    names = book.sheetnames
    assert len(set(names)) == len(names) and all(len(n) <= 31 for n in names)
    notes = [[c for c in row if c] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert any("HiGHS" in str(c) for row in notes for c in row)
    assert any(row and row[0] == "n.b." for row in notes)
    by_year = book["Per jaar"]
    assert [row[0].value for row in by_year.iter_rows(min_row=5)] == [2021, 2022, 2023, 2024, 2025]
    assert [c.value for c in by_year[4]][0] == "Jaar"
    series = book["Reeks per gevangenis"]
    assert [c.value for c in series[4]][1:] == [2021, 2022, 2023, 2024, 2025]
    assert all(isinstance(c.value, int | str) for row in series.iter_rows(min_row=5, min_col=2) for c in row)


def test_xlsx_percentages_are_percent_typed(five_prisons_small, client, manager):
    client.force_login(manager)
    book = load_workbook(io.BytesIO(client.get(PAGE + "export.xlsx?jaar=2025").content))
    percents = [row[4] for row in book["Per jaar"].iter_rows(min_row=5)]
    typed = [c for c in percents if isinstance(c.value, float)]
    assert typed and all(c.number_format == "0%" for c in typed)


@pytest.fixture
def five_prisons_small(today, caw, consultant):
    from .test_disclosure import _build_shape

    return _build_shape(caw, consultant, {"hasselt": [7, 6, 5, 8, 9], "gent": [6, 8, 5, 7, 10]})


def test_exports_are_logged(world, client, manager):
    client.force_login(manager)
    response = client.get(PAGE + "export.csv?jaar=2025")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="jaarcijfers-2025.csv"'
    assert response.content.startswith("\ufeff".encode())
    assert b";" in response.content.splitlines()[0]
    log = AccessLog.objects.get(user=manager, action=AccessLog.Action.EXPORT)
    assert (log.object_kind, log.object_id, log.detainee) == ("yearly_report", "2025.csv", None)


def test_pdf_has_the_notes_and_definitions(world, client, manager):
    client.force_login(manager)
    response = client.get(PAGE + "export.pdf?jaar=2025")
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Jaarcijfers disengagementtrajecten 2025" in text
    assert "Zo leest u deze cijfers" in text and "HiGHS" in text
    assert "Trajecten gestart per gevangenis, vijf jaar" in text
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, object_id="2025.pdf").count() == 1


def test_api_returns_the_protected_release(world, client, manager):
    client.force_login(manager)
    response = client.get(API + "?year=2025")
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2025
    assert body["by_year"][-1]["label"] == "2025"
    assert body["by_prison"][-1]["total"] is True
    assert {n["marker"] for n in body["notes"]} >= MARKERS
    assert set(body["definitions"]) >= {"by_year", "series_by_prison", "goals_by_domain"}
    assert AccessLog.objects.filter(user=manager, action=AccessLog.Action.API, object_kind="yearly_report").exists()


def test_each_cell_opens_the_list_behind_it_for_the_team(world, client, manager):
    client.force_login(manager)
    tables = dict((t.id, rows) for t, rows in client.get(PAGE, {"jaar": 2025}).context["tables"])
    gent = next(cells for row, cells in tables["by_prison"] if row.code == "gent")
    url = gent[0][1]
    assert "measure=started" in url and "prison=gent" in url
    response = client.get(url)
    assert response.status_code == 200
    assert [t.detainee.last_name for t in response.context["page"].object_list] == ["Aerts"]  # T6, exact rows
    declined = client.get(url.replace("measure=started", "measure=declined"))
    assert declined.context["page"].paginator.count == 1
    closed = client.get("/rapportering/dashboard/lijst/yearly/?measure=closed&year=2025&reason=aftercare_ended")
    assert [t.pk for t in closed.context["page"].object_list] == [world["t9"].pk]


@pytest.mark.parametrize(
    "query",
    [
        "measure=nope&year=2025",
        "measure=started&year=abc",
        "measure=started",
        "measure=started&year=2025&colour=red",
        "measure=started&year=2025&outcome=zz",
    ],
)
def test_a_malformed_cell_list_is_404(world, client, manager, query):
    client.force_login(manager)
    assert client.get(f"/rapportering/dashboard/lijst/yearly/?{query}").status_code == 404


def test_the_cell_lists_are_the_managers_only(world, client, consultant):
    client.force_login(consultant)
    assert client.get("/rapportering/dashboard/lijst/yearly/?measure=started&year=2025").status_code == 403


@pytest.mark.parametrize("value", ["abc", "1990", "2999", "20.5"])
def test_api_rejects_a_bad_year_with_a_field_error(client, manager, today, value):
    client.force_login(manager)
    response = client.get(API + f"?year={value}")
    assert response.status_code == 400
    assert "year" in response.json()


def test_bad_year_on_the_page_is_404(client, manager, today):
    client.force_login(manager)
    assert client.get(PAGE + "?jaar=abc").status_code == 404
    assert client.get(PAGE + "export.docx?jaar=2025").status_code == 404


def test_default_year_is_last_year(client, manager, today):
    client.force_login(manager)
    assert client.get(PAGE).context["report"].year == 2025
    assert client.get(API).json()["year"] == 2025


def test_yearly_page_query_count_is_constant(world, more_data, client, manager, django_assert_num_queries):
    client.force_login(manager)
    client.get(PAGE)

    def count():
        # 1 session, 2 user, 3 per year × prison, 4 per year × category, 5 sessions per prison, 6 per module,
        # 7 reach and outreach, 8 prison names, 9 guidance × gender, 10 aftercare uptake, 11 closures per year × reason,
        # 12 goals per domain × outcome, 13 re-incarceration after release, 14 organisation
        with django_assert_num_queries(14):
            client.get(PAGE + "?jaar=2025")

    count()
    more_data()
    count()


def test_reach_and_outreach(world, manager):
    values = yearly.yearly_report(manager, 2025).values
    # 2025 contacts: D1's two attended sessions (30/06 23:30 and 01/07 00:30 Brussels time); D7's was in 2026
    assert values[key("sessions", 2025)] == 2
    assert values[key("reached", 2025)] == 1
    # in scope and detained in 2025: D1-D7 (D9 was released in 2024); without a trajectory open in 2025:
    # D1-D4 (theirs start in 2026); reached without a trajectory: D1
    assert [values[key(m, 2025)] for m in ("in_scope", "without_trajectory", "outreach")] == [7, 4, 1]


def test_reach_per_prison_follows_the_placement_on_the_session_day(world, manager, consultant):
    from casework.models import InterventionModule, Prison
    from tests.factories import PlacementFactory, SessionFactory

    from .factories import at

    d7 = world["d7"]  # placed in Hasselt since 2023
    d7.placements.update(to_date=dt.date(2025, 5, 31))
    PlacementFactory(detainee=d7, prison=Prison.objects.get(code="gent"), from_date=dt.date(2025, 6, 1))
    early = SessionFactory(detainee=d7, author=consultant, started_at=at(dt.date(2025, 3, 3)))
    late = SessionFactory(detainee=d7, author=consultant, started_at=at(dt.date(2025, 9, 3)))
    SessionFactory(
        detainee=d7, author=consultant, started_at=at(dt.date(2025, 9, 4)), engagement=None, attendance="no_show"
    )
    anger, coping = InterventionModule.objects.order_by("code")[:2]
    early.modules.set([anger, coping])
    late.modules.set([anger])
    values = yearly.yearly_report(manager, 2025).values
    assert values[key("sessions", 2025, prison="hasselt")] == 1
    assert values[key("sessions", 2025, prison="gent")] == 1
    assert values[key("reached", 2025, prison="gent")] == 1
    assert values[key("sessions", 2025)] == 4  # D1's two without a placement on record, D7's two
    assert values[key("reached", 2025)] == 2
    assert values[key("module_sessions", 2025, module=anger.code)] == 2
    assert values[key("module_reached", 2025, module=anger.code)] == 1
    assert values[key("module_sessions", 2025, module=coping.code)] == 1
