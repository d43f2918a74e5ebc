"""The research extract's file: pseudonymised, generalised until every combination of quasi-identifiers holds
at least k people, the rest withheld (docs/adr/0015).

Rows: every file of the organisation with a consent in force, for purpose `research`, to the recipient
organisation. No name, no national number, no date, no free text. The id is a keyed hash (HMAC-SHA256) whose key
is derived from the project's secret and the extract: the same person has another id in every extract, and
nobody without the secret can link an id back to a file.

Quasi-identifiers and their generalisation steps (full-domain, Sweeney's Datafly: the attribute with the most
distinct values is generalised one step until at most WITHHELD_SHARE of the rows are in classes smaller than k,
which are then withheld):
- birth: 5-year band → 10-year band → withheld ("*");
- region (of the prison) → "*";
- referral year → 5-year period → "*";
- OCAD category → "*".
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from casework.models import Consent, Detainee, Listing, Purpose, Session
from config.csv_export import csv_text
from trajectories.models import Goal, Status, Trajectory

WITHHELD_SHARE = 0.1
STAR = "*"
QUASI = ("birth_period", "region", "referral_year", "ocad_category")
COLUMNS = (
    "research_id",
    *QUASI,
    "trajectory_status",
    "success_indicator",
    "guidance_type",
    "sessions_attended",
    "goals_agreed",
    "goals_achieved",
)


def _pseudonym(extract, detainee_id: int) -> str:
    key = hmac.new(settings.SECRET_KEY.encode(), f"research-extract:{extract.pk}".encode(), hashlib.sha256).digest()
    return hmac.new(key, str(detainee_id).encode(), hashlib.sha256).hexdigest()[:20]


def _band(year: int | None, width: int) -> str:
    if not year:
        return STAR
    start = year - year % width
    return f"{start}-{start + width - 1}"


GENERALISE = {
    "birth_period": [lambda r: _band(r["birth_year"], 5), lambda r: _band(r["birth_year"], 10), lambda r: STAR],
    "region": [lambda r: r["region"] or STAR, lambda r: STAR],
    "referral_year": [
        lambda r: str(r["referral_year"] or STAR),
        lambda r: _band(r["referral_year"], 5),
        lambda r: STAR,
    ],
    "ocad_category": [lambda r: r["category"] or STAR, lambda r: STAR],
}


def source_rows(extract) -> list[dict]:
    """One raw row per consenting file (4 queries)."""
    consents = Consent.objects.active().filter(organisation=extract.recipient, purposes__contains=[Purpose.RESEARCH])
    people = (
        Detainee.objects.filter(organisation=extract.organisation, anonymised_at__isnull=True)
        .filter(Exists(consents.filter(detainee=OuterRef("pk"))))
        .select_related("current_prison")
        .annotate(
            sessions_attended=Count(
                "sessions", filter=Q(sessions__attendance=Session.Attendance.ATTENDED), distinct=True
            )
        )
        .prefetch_related(
            Prefetch(
                "trajectories",
                queryset=Trajectory.objects.with_success()
                .order_by("-referred_on")
                .annotate(
                    goals_agreed=Count("goals", filter=Q(goals__agreed_with_detainee=True)),
                    goals_achieved=Count("goals", filter=Q(goals__status=Goal.GoalStatus.ACHIEVED)),
                ),
            ),
            Prefetch("listings", queryset=Listing.objects.order_by("-listed_on", "-pk")),
        )
        .order_by("pk")
    )
    consent_of = dict(
        consents.filter(detainee__in=[p.pk for p in people])
        .order_by("detainee_id", "-given_on")
        .values_list("detainee_id", "pk")
        .distinct("detainee_id")
    )
    rows = []
    for person in people:
        trajectory = next(iter(person.trajectories.all()), None)
        listing = next(iter(person.listings.all()), None)
        rows.append(
            {
                "detainee_id": person.pk,
                "consent_id": consent_of[person.pk],
                "birth_year": person.date_of_birth.year if person.date_of_birth else None,
                "region": person.current_prison.region if person.current_prison else "",
                "referral_year": trajectory.referred_on.year if trajectory else None,
                "category": listing.category if listing else "",
                "trajectory_status": trajectory.status if trajectory else "none",
                "success_indicator": int(bool(trajectory and trajectory.is_success)) if trajectory else "",
                "guidance_type": trajectory.guidance_type if trajectory else "",
                "sessions_attended": person.sessions_attended,
                "goals_agreed": trajectory.goals_agreed if trajectory else 0,
                "goals_achieved": trajectory.goals_achieved if trajectory else 0,
            }
        )
    return rows


def generalise(rows: list[dict], k: int) -> tuple[list[dict], list[dict], dict]:
    """(published rows with generalised quasi-identifiers, withheld rows, the level of each quasi-identifier)."""
    levels = dict.fromkeys(QUASI, 0)

    def classes():
        keys = [tuple(GENERALISE[q][levels[q]](r) for q in QUASI) for r in rows]
        return keys, Counter(keys)

    while True:
        keys, counts = classes()
        small = sum(1 for key in keys if counts[key] < k)
        if small <= WITHHELD_SHARE * len(rows):
            break
        candidates = [q for q in QUASI if levels[q] < len(GENERALISE[q]) - 1]
        if not candidates:
            break
        distinct = {q: len({GENERALISE[q][levels[q]](r) for r in rows}) for q in candidates}
        levels[max(candidates, key=lambda q: (distinct[q], -QUASI.index(q)))] += 1
    published, withheld = [], []
    for row, key in zip(rows, keys, strict=True):
        if counts[key] < k:
            withheld.append(row)
        else:
            published.append({**row, **dict(zip(QUASI, key, strict=True))})
    return published, withheld, levels


def build(extract) -> dict:
    """The files and figures of `extract`, computed now."""
    rows = source_rows(extract)
    published, withheld, levels = generalise(rows, extract.k)
    data = csv_text(
        [
            COLUMNS,
            *(
                [_pseudonym(extract, row["detainee_id"]), *(row[c] for c in COLUMNS[1:])]
                for row in sorted(published, key=lambda r: _pseudonym(extract, r["detainee_id"]))
            ),
        ]
    )
    return {
        "data_csv": data,
        "codebook_csv": codebook(extract, levels),
        "sha256": hashlib.sha256(data.encode()).hexdigest(),
        "rows_included": len(published),
        "rows_withheld": len(withheld),
        "generalisation": ", ".join(f"{q}={levels[q]}" for q in QUASI),
        "included": [[r["detainee_id"], r["consent_id"]] for r in published],
    }


def codebook(extract, levels: dict) -> str:
    from django.utils.translation import gettext as _

    steps = {
        "birth_period": [
            _("geboortejaar in periodes van 5 jaar"),
            _("geboortejaar in periodes van 10 jaar"),
            _("weggelaten (*)"),
        ],
        "region": [_("gewest van de gevangenis (flanders, brussels, wallonia)"), _("weggelaten (*)")],
        "referral_year": [
            _("jaar van aanmelding van het laatste traject"),
            _("periode van 5 jaar"),
            _("weggelaten (*)"),
        ],
        "ocad_category": [
            _("jongste OCAD-categorie: %(codes)s") % {"codes": ", ".join(Listing.Category.values)},
            _("weggelaten (*)"),
        ],
    }
    rows = [
        (
            "research_id",
            _(
                "pseudoniem: een sleutel-hash (HMAC-SHA256), anders in elk extract; niet terug te "
                "voeren zonder de sleutel van de toepassing"
            ),
        ),
        *((q, steps[q][levels[q]]) for q in QUASI),
        (
            "trajectory_status",
            _("status van het laatste traject: %(codes)s, of none") % {"codes": ", ".join(Status.values)},
        ),
        ("success_indicator", _("1 als het traject actief werd met minstens één samen afgesproken doel, anders 0")),
        ("guidance_type", _("soort begeleiding: %(codes)s") % {"codes": ", ".join(Trajectory.GuidanceType.values)}),
        ("sessions_attended", _("aantal contactmomenten die doorgingen")),
        ("goals_agreed", _("aantal doelen van het laatste traject dat samen werd afgesproken")),
        ("goals_achieved", _("aantal doelen van het laatste traject met status bereikt")),
    ]
    k_anonymity = _(
        "elke combinatie van %(qi)s komt minstens %(k)s keer voor; rijen die niet zo te veralgemenen "
        "waren, zijn weggelaten"
    ) % {"qi": ", ".join(QUASI), "k": extract.k}
    return csv_text(
        [
            [_("variabele"), _("betekenis")],
            *rows,
            [],
            [_("k-anonimiteit"), k_anonymity],
            [_("onderzoek"), extract.study],
        ]
    )
