"""Re-incarceration within 12 and 24 months of release in the yearly figures (docs/adr/0043): the denominator
(releases whose window ended in the reporting year, before today), what counts as a new detention, the three
disjoint parts, the list behind each cell, the same disclosure control as every figure, and the figures read
back from the API, CSV, XLSX and PDF (today = 15 June 2026)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting import yearly
from reporting.yearly import key

from .auditor import leaks
from .factories import released

pytestmark = pytest.mark.django_db
D = dt.date
PAGE = "/rapportering/jaarcijfers/"
API = "/api/v1/reports/yearly/"
LIST = "/rapportering/dashboard/lijst/yearly/"


@pytest.fixture
def cohort(today, caw, consultant, outsider):
    """The 2025 report's windows: 12 months for releases of 2024, 24 months for those of 2023."""
    t = {
        # 12 months
        "a": released(caw, consultant, 1, D(2024, 3, 1), placed_on=D(2024, 11, 1)),  # new placement
        "b": released(caw, consultant, 2, D(2024, 5, 10), review=(D(2025, 8, 1), "yes", D(2025, 3, 1))),
        "c": released(caw, consultant, 3, D(2024, 6, 1), review=(D(2025, 7, 1), "no", None)),  # after the end
        "d": released(caw, consultant, 4, D(2024, 7, 1), review=(D(2025, 3, 1), "no", None)),  # before the end
        "e": released(caw, consultant, 5, D(2024, 2, 1), placed_on=D(2025, 6, 1)),  # after the window
        "f": released(caw, consultant, 6, D(2024, 8, 1), placed_on=D(2024, 9, 1), modality="leave"),
        "g": released(caw, consultant, 7, D(2024, 12, 31), review=(D(2026, 1, 10), "no", None)),
        "h": released(caw, consultant, 8, D(2025, 1, 1), placed_on=D(2025, 2, 1)),  # window ends 2026
        # 24 months
        "i": released(caw, consultant, 9, D(2023, 4, 1), incarcerated_on=D(2024, 10, 1)),  # on the file
        "j": released(caw, consultant, 10, D(2023, 9, 1), review=(D(2024, 6, 1), "yes", D(2024, 5, 1))),
        "k": released(caw, consultant, 11, D(2023, 10, 1), review=(D(2025, 12, 1), "unknown", None)),
        # another organisation's release is never counted
        "x": released(outsider.organisation, outsider, 12, D(2024, 4, 1), placed_on=D(2024, 5, 1)),
        # the current year: windows ending 1 January 2026 .. yesterday
        "l": released(caw, consultant, 13, D(2025, 6, 14), review=(D(2026, 6, 14), "no", None)),
        "m": released(caw, consultant, 14, D(2025, 6, 15)),  # ends today
    }
    return t


def _parts(values, measure, year):
    return [values[key(measure, year)]] + [values[key(measure, year, outcome=o)] for o in yearly.RETURN_OUTCOMES]


def test_the_windows_that_ended_in_the_year_and_what_is_known(cohort, manager):
    values = yearly.yearly_report(manager, 2025).values
    # a, b, c, d, e, g; f was a penitentiary leave, h's window ends in 2026
    assert _parts(values, "released_12m", 2025) == [6, 2, 2, 2]  # a b | c g | d e
    # i (incarceration date on the file), j (review); k's review does not know
    assert _parts(values, "released_24m", 2025) == [3, 2, 0, 1]


def test_the_current_year_counts_only_windows_that_have_elapsed(cohort, manager):
    values = yearly.yearly_report(manager, 2026).values
    # h (ended 1 January) and l (ended yesterday); m's window ends today and is not over yet
    assert _parts(values, "released_12m", 2026) == [2, 1, 1, 0]
    # 24 months, windows ended in 2026 before today: releases of 1 January - 14 June 2024: a, b, e re-incarcerated
    # (e's placement of June 2025 is within 24 months), c's "no" was said before its 24 months were over
    assert _parts(values, "released_24m", 2026) == [4, 3, 0, 1]


def test_each_cell_lists_the_releases_behind_it(cohort, client, manager):
    client.force_login(manager)
    response = client.get(LIST, {"measure": "released_12m", "year": 2025, "outcome": "reincarcerated"})
    assert response.status_code == 200
    assert {t.pk for t in response.context["page"].object_list} == {cohort["a"].pk, cohort["b"].pk}
    response = client.get(LIST, {"measure": "released_12m", "year": 2025})
    assert response.context["page"].paginator.count == 6
    response = client.get(LIST, {"measure": "released_24m", "year": 2025, "outcome": "no_information"})
    assert [t.pk for t in response.context["page"].object_list] == [cohort["k"].pk]
    assert client.get(LIST, {"measure": "released_12m", "year": 2025, "outcome": "open"}).status_code == 404
    assert client.get(LIST, {"measure": "released_12m", "year": 2025, "prison": "gent"}).status_code == 404


def test_small_counts_are_suppressed_and_cannot_be_worked_back(cohort, client, manager):
    client.force_login(manager)
    body = client.get(API, {"year": 2025}).json()
    rows = {row["code"]: row for row in body["reincarceration"]}
    assert set(rows) == {"12", "24"}
    twelve = rows["12"]
    assert [twelve[p] for p in ("reincarcerated", "not_reincarcerated", "no_information")] == ["<5", "<5", "<5"]
    # 6 = three parts of 1 to 4: each can still be any of 1..4 (4 + 1 + 1), so the total may stay
    assert twelve["released"] == 6
    assert twelve["reincarcerated_percent"] == "n.b."
    assert not leaks(body)
    assert "reincarceration" in body["definitions"]


@pytest.fixture
def big_cohort(today, caw, consultant):
    """12 months: 9 re-incarcerated, 6 not, 5 without information (20 releases of 2024); no 24-month window."""
    n = 0
    for count, review, placed in ((9, None, D(2024, 9, 1)), (6, (D(2026, 1, 5), "no", None), None), (5, None, None)):
        for i in range(count):
            n += 1
            released(caw, consultant, 100 + n, D(2024, 1 + i % 8, 3), placed_on=placed, review=review)


def test_the_figures_read_back_from_every_file(big_cohort, client, manager):
    client.force_login(manager)
    body = client.get(API, {"year": 2025}).json()
    twelve = next(row for row in body["reincarceration"] if row["code"] == "12")
    assert [
        twelve[f]
        for f in ("released", "reincarcerated", "reincarcerated_percent", "not_reincarcerated", "no_information")
    ] == [20, 9, 45, 6, 5]
    line = ["Binnen 12 maanden", "20", "9", "45", "6", "5"]

    rows = list(
        csv.reader(io.StringIO(client.get(PAGE + "export.csv?jaar=2025").content.decode("utf-8-sig")), delimiter=";")
    )
    assert line in rows
    assert any("Opnieuw gedetineerd binnen 12 en 24 maanden" in cell for row in rows for cell in row)

    book = load_workbook(io.BytesIO(client.get(PAGE + "export.xlsx?jaar=2025").content))
    sheet = book["Heropsluiting 2025"]
    header = [c.value for c in sheet[4]]
    assert header == [
        "Termijn",
        "Vrijlatingen",
        "Opnieuw gedetineerd",
        "Opnieuw gedetineerd %",
        "Niet opnieuw gedetineerd",
        "Geen informatie",
    ]
    values = [c.value for c in sheet[5]]
    assert values[:3] == ["Binnen 12 maanden", 20, 9] and values[4:] == [6, 5]
    assert values[3] == pytest.approx(0.45) and sheet[5][3].number_format == "0%"

    pdf = client.get(PAGE + "export.pdf?jaar=2025").content
    text = re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "Binnen 12 maanden 20 9 45 % 6 5" in text
    assert "Binnen 24 maanden 0 0 — 0 0" in text


@pytest.mark.parametrize(
    "language, label, heading",
    [
        ("fr-be", "Dans les 12 mois", "Réincarcérés dans les 12 et 24 mois"),
        ("en", "Within 12 months", "Re-incarcerated within 12 and 24 months"),
    ],
)
def test_the_table_in_french_and_english(big_cohort, client, manager, language, label, heading):
    manager.language = language
    manager.save(update_fields=["language"])
    client.force_login(manager)
    response = client.get(PAGE, {"jaar": 2025}, HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert label in html and heading in html
    assert "Binnen 12 maanden" not in html and "Heropsluiting" not in html
