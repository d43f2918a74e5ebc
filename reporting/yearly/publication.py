"""The yearly figures as they are published: the tables in the reader's language, their notes, and the same
release as a dict for the API. The page, the API, CSV, XLSX and PDF all show these tables (`figures.py` counts them)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from casework.models import Detainee, Listing
from trajectories.models import Trajectory

from .figures import (
    AFTERCARE,
    CLOSED,
    COMPLEMENTARY,
    DECLINED,
    GOALS,
    IN_SCOPE,
    MODULE_REACHED,
    MODULE_SESSIONS,
    NO_INFORMATION,
    NOT_PUBLISHED,
    NOT_REINCARCERATED,
    OUTCOMES,
    OUTREACH,
    REACHED,
    REINCARCERATED,
    RELEASED_12,
    RELEASED_24,
    SESSIONS,
    SMALL_CELL,
    STARTED,
    SUCCESSES,
    SUPPRESSED,
    UNKNOWN_LABEL,
    WINDOWS,
    WITHOUT_TRAJECTORY,
    Figures,
    key,
    shown,
)

# ------------------------------------------------------------------------------------------------------------
# Presenting: the tables in the reader's language, the same for the page, the API and every file.


@dataclass
class Column:
    field: str
    header: str
    kind: str = "count"  # count, percent


@dataclass
class Cell:
    value: int | str | None
    kind: str = "count"
    key: tuple | None = None


@dataclass
class TableRow:
    label: str
    code: str
    cells: list[Cell]
    total: bool = False
    number_label: bool = False  # the label is a year: a number in XLSX


@dataclass
class Table:
    id: str
    sheet: str  # XLSX sheet name: short, distinct, at most 31 characters
    title: str
    definition: str
    columns: list[Column]
    rows: list[TableRow]


def _row(fig: Figures, label, code, year: int, dims: dict, measures, *, total=False, share=True) -> TableRow:
    cells = []
    for measure in measures:
        cell_key = key(measure, year, **dims)
        cells.append(Cell(fig.published(cell_key), key=cell_key))
        if measure == SUCCESSES and share:
            cells.append(Cell(fig.share(cell_key, key(STARTED, year, **dims)), kind="percent"))
    return TableRow(str(label), str(code), cells, total=total)


def _base_columns(first: str) -> list[Column]:
    return [
        Column("label", first),
        Column(STARTED, _("Gestart")),
        Column(DECLINED, _("Geweigerd")),
        Column(SUCCESSES, _("Succes")),
        Column("success_percent", _("Succes %"), "percent"),
    ]


def tables(fig: Figures) -> list[Table]:
    """Every table of the release, as it leaves the team."""
    year = fig.year
    categories = dict(Listing.Category.choices)
    category_rows = [(c, str(categories.get(c, UNKNOWN_LABEL))) for c in fig.categories]
    by_year = []
    for y in fig.years:
        row = _row(fig, y, y, y, {}, (STARTED, DECLINED, SUCCESSES, AFTERCARE))
        completed = key(CLOSED, y, reason=Trajectory.ClosureReason.AFTERCARE_ENDED)
        row.cells.append(Cell(fig.published(completed), key=completed))
        row.number_label = True
        by_year.append(row)
    measures = (STARTED, DECLINED, SUCCESSES)
    total = _("Totaal")
    out = [
        Table(
            "by_year",
            _("Per jaar"),
            _("Trajecten per jaar (laatste vijf jaar)"),
            _(
                "Gestart: trajecten aangemeld in het jaar. Geweigerd: daarvan de trajecten met status 'geweigerd'. "
                "Succes (indicator van de overheid): het traject werd actief met minstens één doel dat samen met "
                "de gedetineerde is afgesproken; Succes %: aandeel van de gestarte trajecten. Nazorg gestart: "
                "trajecten die in het jaar in nazorg gingen (registratie van de vrijlating). Nazorg voltooid: "
                "trajecten afgesloten in het jaar met reden 'nazorg beëindigd'."
            ),
            [
                *_base_columns(_("Jaar")),
                Column(AFTERCARE, _("Nazorg gestart")),
                Column("aftercare_completed", _("Nazorg voltooid")),
            ],
            by_year,
        ),
        Table(
            "by_prison",
            _("Per gevangenis %(year)s") % {"year": year},
            _("Trajecten gestart in %(year)s per gevangenis") % {"year": year},
            _(
                "Gevangenis: de plaatsing op de datum van aanmelding; '—' als er op die dag geen plaatsing "
                "geregistreerd is."
            ),
            _base_columns(_("Gevangenis")),
            [_row(fig, name, code, year, {"prison": code}, measures) for code, name in fig.prisons]
            + [_row(fig, total, "", year, {}, measures, total=True)],
        ),
        Table(
            "by_category",
            _("Per categorie %(year)s") % {"year": year},
            _("Trajecten gestart in %(year)s per OCAD-categorie") % {"year": year},
            _(
                "Categorie: de OCAD-vermelding die op de datum van aanmelding gold (de jongste als er meer "
                "waren); '—' zonder vermelding."
            ),
            _base_columns(_("Categorie")),
            [_row(fig, label, code, year, {"category": code}, measures) for code, label in category_rows]
            + [_row(fig, total, "", year, {}, measures, total=True)],
        ),
    ]
    year_columns = [Column(str(y), str(y)) for y in fig.years]
    for table_id, sheet, title, dim, members in (
        (
            "series_by_prison",
            _("Reeks per gevangenis"),
            _("Trajecten gestart per gevangenis, vijf jaar"),
            "prison",
            fig.prisons,
        ),
        (
            "series_by_category",
            _("Reeks per categorie"),
            _("Trajecten gestart per OCAD-categorie, vijf jaar"),
            "category",
            category_rows,
        ),
    ):
        rows = [
            TableRow(
                label,
                code,
                [Cell(fig.published(k), key=k) for k in (key(STARTED, y, **{dim: code}) for y in fig.years)],
            )
            for code, label in members
        ]
        rows.append(
            TableRow(
                total, "", [Cell(fig.published(key(STARTED, y)), key=key(STARTED, y)) for y in fig.years], total=True
            )
        )
        out.append(
            Table(
                table_id,
                sheet,
                title,
                _(
                    "Gestart per jaar van aanmelding, met de gevangenis of de OCAD-categorie op de datum van "
                    "aanmelding; de rij Totaal is de kolom Gestart van de tabel per jaar."
                ),
                [Column("label", _("Gevangenis") if dim == "prison" else _("Categorie")), *year_columns],
                rows,
            )
        )
    reasons = Trajectory.ClosureReason.choices
    out.append(
        Table(
            "closure_reasons",
            _("Afsluitreden %(year)s") % {"year": year},
            _("Trajecten afgesloten in %(year)s per reden") % {"year": year},
            _(
                "Trajecten met status 'afgesloten' en een afsluitdatum in het jaar, per afsluitreden (geweigerde "
                "trajecten staan in de kolom Geweigerd). 'Nazorg beëindigd' is de kolom Nazorg voltooid."
            ),
            [Column("label", _("Reden")), Column(CLOSED, _("Afgesloten"))],
            [_row(fig, label, code, year, {"reason": code}, (CLOSED,)) for code, label in reasons]
            + [_row(fig, total, "", year, {}, (CLOSED,), total=True)],
        )
    )
    out.append(
        Table(
            "guidance",
            _("Begeleiding %(year)s") % {"year": year},
            _("Trajecten gestart in %(year)s per soort begeleiding") % {"year": year},
            _(
                "Wie begeleidt: de soort begeleiding die op het traject staat (consulent disengagement, integrale "
                "JWW-begeleiding, tweedelijns CGG-begeleiding, andere)."
            ),
            [Column("label", _("Soort begeleiding")), Column(STARTED, _("Gestart"))],
            [
                _row(fig, label, code, year, {"guidance": code}, (STARTED,))
                for code, label in Trajectory.GuidanceType.choices
            ]
            + [_row(fig, total, "", year, {}, (STARTED,), total=True)],
        )
    )
    out.append(
        Table(
            "gender",
            _("Gender %(year)s") % {"year": year},
            _("Trajecten gestart in %(year)s per gender") % {"year": year},
            _(
                "Het gender dat op het dossier van de gedetineerde staat (vrouw, man, X); 'onbekend' als het niet werd "
                "geregistreerd."
            ),
            [Column("label", _("Gender")), Column(STARTED, _("Gestart"))],
            [_row(fig, label, code, year, {"gender": code}, (STARTED,)) for code, label in Detainee.Gender.choices]
            + [_row(fig, total, "", year, {}, (STARTED,), total=True)],
        )
    )
    outcome_columns = [
        Column("achieved", _("Bereikt")),
        Column("partly_achieved", _("Deels bereikt")),
        Column("not_achieved", _("Niet bereikt")),
        Column("dropped", _("Geschrapt")),
        Column("open", _("Open")),
        Column("all", _("Totaal")),
    ]

    def goal_row(label, code, dims, *, is_total=False):
        cells = [
            Cell(fig.published(key(GOALS, year, **dims, outcome=o)), key=key(GOALS, year, **dims, outcome=o))
            for o in OUTCOMES
        ]
        cells.append(Cell(fig.published(key(GOALS, year, **dims)), key=key(GOALS, year, **dims)))
        return TableRow(label, code, cells, total=is_total)

    out.append(
        Table(
            "goals_by_domain",
            _("Doelen %(year)s") % {"year": year},
            _("Doelen van de trajecten afgesloten in %(year)s per levensdomein") % {"year": year},
            _(
                "Elk doel van een traject dat in het jaar werd afgesloten, met zijn laatste status: bereikt, deels "
                "bereikt, niet bereikt, geschrapt; Open: nog voorgesteld of afgesproken bij de afsluiting."
            ),
            [Column("label", _("Levensdomein")), *outcome_columns],
            [goal_row(_(name), code, {"domain": code}) for code, name in fig.domains]
            + [goal_row(total, "", {}, is_total=True)],
        )
    )
    reach_columns = [Column(SESSIONS, _("Contactmomenten")), Column(REACHED, _("Bereikte personen"))]
    out.append(
        Table(
            "reach_by_prison",
            _("Bereik per gevangenis %(year)s") % {"year": year},
            _("Bereik in %(year)s per gevangenis") % {"year": year},
            _(
                "Contactmomenten die doorgingen in het jaar (trajecten en outreach), per gevangenis van de plaatsing op "
                "de dag van het contact; bereikte personen: gedetineerden met minstens één zo'n contact. Wie in twee "
                "gevangenissen werd bereikt, telt in beide: de personen per gevangenis tellen op tot meer dan het "
                "totaal."
            ),
            [Column("label", _("Gevangenis")), *reach_columns],
            [_row(fig, name, code, year, {"prison": code}, (SESSIONS, REACHED)) for code, name in fig.reach_prisons]
            + [_row(fig, total, "", year, {}, (SESSIONS, REACHED), total=True)],
        )
    )
    out.append(
        Table(
            "reach_by_module",
            _("Bereik per module %(year)s") % {"year": year},
            _("Bereik in %(year)s per interventiemodule") % {"year": year},
            _(
                "Contactmomenten die doorgingen in het jaar met die module, en de gedetineerden die ze kregen. Een "
                "contactmoment kan meer modules hebben: de rijen tellen niet op, er is geen totaal."
            ),
            [
                Column("label", _("Module")),
                Column(MODULE_SESSIONS, _("Contactmomenten")),
                Column(MODULE_REACHED, _("Bereikte personen")),
            ],
            [
                _row(fig, _(name), code, year, {"module": code}, (MODULE_SESSIONS, MODULE_REACHED))
                for code, name in fig.modules
            ],
        )
    )
    outreach_rows = [
        (IN_SCOPE, _("In opvolging, gedetineerd in het jaar")),
        (WITHOUT_TRAJECTORY, _("waarvan zonder traject in het jaar")),
        (OUTREACH, _("waarvan bereikt met een contactmoment (outreach)")),
    ]
    out.append(
        Table(
            "outreach",
            _("Outreach %(year)s") % {"year": year},
            _("Gedetineerden in opvolging zonder traject in %(year)s") % {"year": year},
            _(
                "Dossiers in opvolging (in-scopelijst) van gedetineerden die een deel van het jaar opgesloten waren; "
                "zonder traject: geen traject dat in het jaar openstond; bereikt: minstens één contactmoment dat "
                "doorging in het jaar."
            ),
            [Column("label", _("Dossiers")), Column("count", _("Aantal"))],
            [_row(fig, label, measure, year, {}, (measure,)) for measure, label in outreach_rows],
        )
    )

    def return_row(label, measure):
        cohort = key(measure, year)
        returned = key(measure, year, outcome=REINCARCERATED)
        cells = [
            Cell(fig.published(cohort), key=cohort),
            Cell(fig.published(returned), key=returned),
            Cell(fig.share(returned, cohort), kind="percent"),
        ]
        cells += [
            Cell(fig.published(k), key=k)
            for k in (key(measure, year, outcome=o) for o in (NOT_REINCARCERATED, NO_INFORMATION))
        ]
        return TableRow(label, str(WINDOWS[measure]), cells)

    out.append(
        Table(
            "reincarceration",
            _("Heropsluiting %(year)s") % {"year": year},
            _("Opnieuw gedetineerd binnen 12 en 24 maanden na de vrijlating (termijn verstreken in %(year)s)")
            % {"year": year},
            _(
                "Vrijlatingen (geregistreerd bij het traject; geen penitentiair verlof) waarvan de termijn van 12 of 24 "
                "maanden in het jaar afliep: voor 12 maanden de vrijlatingen van %(one)s, voor 24 maanden die van "
                "%(two)s. Opnieuw gedetineerd: een nieuwe detentie binnen de termijn, volgens een evaluatie na "
                "afsluiting (met de datum), een nieuwe plaatsing in een gevangenis of een nieuwe opsluitingsdatum op "
                "het dossier. Niet opnieuw gedetineerd: een evaluatie die na het einde van de termijn werd gehouden "
                "zegt 'nee' en niets wijst op een nieuwe detentie in de termijn. Geen informatie: de rest. "
                "Opnieuw gedetineerd %%: aandeel van de vrijlatingen; wie geen informatie heeft, telt mee in de noemer."
            )
            % {"one": year - 1, "two": year - 2},
            [
                Column("label", _("Termijn")),
                Column("released", _("Vrijlatingen")),
                Column(REINCARCERATED, _("Opnieuw gedetineerd")),
                Column("reincarcerated_percent", _("Opnieuw gedetineerd %"), "percent"),
                Column(NOT_REINCARCERATED, _("Niet opnieuw gedetineerd")),
                Column(NO_INFORMATION, _("Geen informatie")),
            ],
            [return_row(_("Binnen 12 maanden"), RELEASED_12), return_row(_("Binnen 24 maanden"), RELEASED_24)],
        )
    )
    return out


def notes() -> list[tuple[str, str]]:
    """How to read these figures: the markers and the method, on the page and in every file."""
    return [
        (
            SUPPRESSED,
            _("1 tot %(n)s: een klein aantal, niet gepubliceerd (primaire onderdrukking).") % {"n": SMALL_CELL - 1},
        ),
        (
            COMPLEMENTARY,
            _(
                "Verborgen zodat geen cel '<5' uit de andere cijfers, de totalen of de andere tabellen "
                "kan worden afgeleid (secundaire onderdrukking); het aantal kan 0 of groter zijn."
            ),
        ),
        (shown(NOT_PUBLISHED), _("Niet bekendgemaakt: de teller of de noemer van dit percentage is verborgen.")),
        (
            "",
            _(
                "Methode: cellen van 1 tot %(n)s worden onderdrukt; daarna kiest een lineair programma (HiGHS) de "
                "goedkoopste bijkomende cellen zodat elke cel '<5', gegeven alles wat deze tabellen samen "
                "publiceren (rij- en kolomtotalen, het jaartotaal, de reeksen per jaar), elke waarde van 1 tot "
                "%(n)s kan hebben. Zo werkt ook het statistisch geheim van statistiekbureaus (τ-ARGUS, sdcTable). "
                "Nullen worden gepubliceerd."
            )
            % {"n": SMALL_CELL - 1},
        ),
    ]


def as_dict(fig: Figures) -> dict:
    """The protected release as plain data, for the API: every table, its rows with their codes, the notes."""
    body = {
        "year": fig.year,
        "organisation": fig.organisation,
        "small_cells": f'1-{SMALL_CELL - 1} → "{SUPPRESSED}"',
        "notes": [{"marker": marker, "text": text} for marker, text in notes()],
        "definitions": {},
    }
    for table in tables(fig):
        fields = [c.field for c in table.columns[1:]]
        rows = []
        for row in table.rows:
            entry = {"label": row.label, "code": row.code, "total": row.total}
            entry.update({f: cell.value for f, cell in zip(fields, row.cells, strict=True)})
            rows.append(entry)
        body[table.id] = rows
        body["definitions"][table.id] = table.definition
    return body
