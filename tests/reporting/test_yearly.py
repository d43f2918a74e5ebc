"""Yearly figures: hand-computed tables, small-cell suppression in every copy that leaves the team, API."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from casework.models import AccessLog
from reporting import yearly

from .factories import trajectory

pytestmark = pytest.mark.django_db
D = dt.date
PAGE = "/rapportering/jaarcijfers/"
API = "/api/v1/reports/yearly/"


def table(rows, suppressed=False):
    return [row.cells(suppressed=suppressed) for row in rows]


def test_five_years_of_trajectories(world, manager):
    report = yearly.yearly_report(manager, 2025)
    # label, started, declined, successes, success %, aftercare started, aftercare completed
    assert table(report.by_year) == [
        ["2021", 0, 0, 0, None, 0, 0],
        ["2022", 0, 0, 0, None, 0, 0],
        ["2023", 0, 0, 0, None, 0, 0],
        ["2024", 1, 0, 1, 100, 1, 0],   # T9: active with an agreed goal, aftercare from 01/09/2024
        ["2025", 3, 1, 1, 33, 0, 1],    # T7, T5 (success), T6 (declined); T9's aftercare completed 01/03/2025
    ]


def test_per_prison_at_referral_and_per_listing_category(world, manager):
    report = yearly.yearly_report(manager, 2025)
    assert table(report.by_prison) == [["Gent", 1, 1, 0, 0], ["Hasselt", 2, 0, 1, 50], ["Totaal", 3, 1, 1, 33]]
    assert table(report.by_category) == [
        ["Potentieel gewelddadige extremist (PGE)", 1, 1, 0, 0],
        ["Terrorismeveroordeelde", 1, 0, 1, 100],
        ["—", 1, 0, 0, 0],            # D7 has no OCAD listing on record
        ["Totaal", 3, 1, 1, 33],
    ]


def test_other_organisations_are_not_counted(world, manager):
    report = yearly.yearly_report(manager, 2026)
    # 2026: T1, T2, T3, T4 of CAW Limburg (T8 belongs to CAW Antwerpen); T5 went into aftercare on 01/01/2026
    assert table(report.by_year)[-1] == ["2026", 4, 0, 1, 25, 1, 0]


def test_small_cells_are_suppressed_when_they_leave_the_team(world, manager, caw, consultant):
    from .conftest import _detainee

    for i in range(6):
        person = _detainee(caw, consultant, f"Jaar{i}", f"Groot{i}")
        steps = [("referred", D(2023, 2, 1))] + ([("declined", D(2023, 2, 10))] if i < 2 else [("intake", D(2023, 3, 1))])
        trajectory(person, steps)
    rows = {row[0]: row for row in table(yearly.yearly_report(manager, 2025).by_year, suppressed=True)}
    assert rows["2023"] == ["2023", 6, "<5", 0, 0, 0, 0]          # 6 stays, 2 declined becomes <5, zeros stay
    assert rows["2025"] == ["2025", "<5", "<5", "<5", "<5", 0, "<5"]  # a share of small numbers is hidden too
    assert rows["2021"] == ["2021", 0, 0, 0, None, 0, 0]


def test_suppress():
    assert [yearly.suppress(n) for n in (0, 1, 4, 5, 120)] == [0, "<5", "<5", 5, 120]
    assert yearly.suppressed_percent(3, 10) == "<5"
    assert yearly.suppressed_percent(5, 10) == 50


def test_page_shows_exact_numbers_to_the_manager(world, client, manager):
    client.force_login(manager)
    response = client.get(PAGE + "?jaar=2025")
    assert response.status_code == 200
    assert response.context["tables"][0][2][-1] == ["2025", 3, 1, 1, 33, 0, 1]
    assert "export.xlsx?jaar=2025" in response.content.decode()


def test_csv_export_is_suppressed_and_logged(world, client, manager):
    client.force_login(manager)
    response = client.get(PAGE + "export.csv?jaar=2025")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="jaarcijfers-2025.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["2025", "<5", "<5", "<5", "<5", "0", "<5"] in rows
    assert ["Hasselt", "<5", "0", "<5", "<5"] in rows
    assert not any(cell == "3" for row in rows for cell in row)
    log = AccessLog.objects.get(user=manager, action=AccessLog.Action.EXPORT)
    assert (log.object_kind, log.object_id, log.detainee) == ("yearly_report", "2025.csv", None)


def test_xlsx_export_is_suppressed(world, client, manager):
    client.force_login(manager)
    response = client.get(PAGE + "export.xlsx?jaar=2025")
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 3
    values = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert ["2025", "<5", "<5", "<5", "<5", 0, "<5"] in values
    assert ["2021", 0, 0, 0, None, 0, 0] in values


def test_pdf_export_is_suppressed(world, client, manager):
    client.force_login(manager)
    response = client.get(PAGE + "export.pdf?jaar=2025")
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Jaarcijfers disengagementtrajecten 2025" in text
    assert "<5" in text and "Hasselt" in text
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT, object_id="2025.pdf").count() == 1


def test_api_returns_suppressed_figures(world, client, manager):
    client.force_login(manager)
    response = client.get(API + "?year=2025")
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2025
    assert body["by_year"][-1] == {"label": "2025", "started": "<5", "declined": "<5", "successes": "<5",
                                   "success_percent": "<5", "aftercare_started": 0, "aftercare_completed": "<5"}
    assert body["by_prison"][-1]["label"] == "Totaal"
    assert AccessLog.objects.filter(user=manager, action=AccessLog.Action.API, object_kind="yearly_report").exists()


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
        # 1 session, 2 user, 3 per year, 4 aftercare uptake, 5 aftercare completed, 6 per prison, 7 per category,
        # 8 organisation (report title)
        with django_assert_num_queries(8):
            client.get(PAGE + "?jaar=2025")

    count()
    more_data()
    count()
