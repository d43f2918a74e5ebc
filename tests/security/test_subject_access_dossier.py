"""The subject-access export is a dossier one can hand over: in the language chosen when it is made, with a
cover page, sections per part of the file, labels instead of field names, local dates, translated codes,
page numbers, nothing outside the page — and the machine-readable JSON beside it."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from casework.privacy.services import subject_access_export
from tests.factories import NetworkPersonFactory, SessionFactory
from tests.pdfcheck import ink_at_the_edges, page_sizes, text_of, words_outside_the_page
from tests.trajectories.factories import ActionFactory, GoalFactory, TrajectoryFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
EXPECTED = {
    "nl-be": {
        "cover": "Inzage in persoonsgegevens",
        "for": "Opgemaakt voor Youssef El Amrani",
        "page": "Pagina 1 /",
        "labels": ("Vertrouwelijke notities", "Onderdelen", "Identiteit en detentie", "Traject en doelen"),
        "yes": "Ja",
    },
    "fr-be": {
        "cover": "Accès aux données à caractère",
        "for": "Établi pour Youssef El Amrani",
        "page": "Page 1 /",
        "labels": ("Notes confidentielles", "Identité et détention", "Trajet et objectifs", "Le dossier"),
        "yes": "Oui",
    },
    "en": {
        "cover": "Access to personal data",
        "for": "Prepared for Youssef El Amrani",
        "page": "Page 1 /",
        "labels": ("Confidential notes", "Identity and detention", "Trajectory and goals", "The file"),
        "yes": "Yes",
    },
}
# Field names and codes of the JSON that a reader must never meet in the PDF.
RAW = (
    "confidential_notes",
    "started_at",
    "trajectory_goals",
    "session_summaries",
    "True",
    "False",
    "None",
    "agreed_with_detainee",
    "in_scope",
    "2026-03-10",
)


@pytest.fixture
def full_file(detainee, consultant):
    SessionFactory(
        detainee=detainee,
        author=consultant,
        summary="Samenvatting A",
        confidential_notes="Notitie B",
        started_at=dt.datetime(2026, 3, 10, 14, 30, tzinfo=BRUSSELS),
    )
    # A long text without spaces and a long text with them: both must wrap inside the page.
    SessionFactory(
        detainee=detainee,
        author=consultant,
        summary="X" * 400,
        confidential_notes="lang " * 300,
        started_at=dt.datetime(2026, 3, 11, 9, 0, tzinfo=BRUSSELS),
    )
    NetworkPersonFactory(detainee=detainee, name="Karim El Amrani", notes="Broer, steunfiguur")
    trajectory = TrajectoryFactory(detainee=detainee, lead_consultant=consultant, status="active")
    GoalFactory(
        trajectory=trajectory,
        description="Opleiding lassen afronden",
        agreed_with_detainee=True,
        agreed_on=dt.date(2026, 2, 1),
        status="agreed",
    )
    ActionFactory(
        detainee=detainee,
        trajectory=trajectory,
        owner_user=consultant,
        description="Attest opvragen",
        due_on=dt.date(2026, 4, 1),
    )
    return detainee


@pytest.mark.parametrize("language", EXPECTED)
def test_the_dossier_reads_in_the_chosen_language(full_file, dpo, language, tmp_path):
    export = subject_access_export(detainee=full_file, user=dpo, path="/x", ip_address=None, language=language)
    text = text_of(export.pdf_bytes)
    expected = EXPECTED[language]
    assert expected["cover"] in text and expected["for"] in text and expected["page"] in text
    for label in expected["labels"]:
        assert label in text, label
    # Local dates, typed text as typed, yes/no in words.
    assert "10/03/2026 14:30" in text and "Samenvatting A" in text and "Notitie B" in text
    assert "Opleiding lassen afronden" in text and "01/02/2026" in text and f"\n{expected['yes']}\n" in text
    for raw in RAW:
        assert raw not in text, raw
    # Every page A4 portrait, numbered, nothing outside the page, in the text nor on the rendered page.
    sizes = page_sizes(export.pdf_bytes)
    assert len(sizes) >= 3 and all(abs(w - 595.3) < 1 and abs(h - 841.9) < 1 for w, h in sizes)
    assert f"/ {len(sizes)}" in text
    assert words_outside_the_page(export.pdf_bytes) == []
    assert ink_at_the_edges(export.pdf_bytes, tmp_path) == []


def test_the_cover_says_what_it_holds_and_for_whom(full_file, dpo):
    text = text_of(
        subject_access_export(detainee=full_file, user=dpo, path="/x", ip_address=None, language="en").pdf_bytes
    )
    cover = text.split("\f")[0]
    assert "Prepared for Youssef El Amrani" in cover and f"#{full_file.pk}" in cover
    assert "data protection officer" in cover and "GDPR art. 15" in cover and "English" in cover
    assert "Sessions (2)" in cover and "Goals (1)" in cover and "JSON" in cover


def test_the_download_offers_the_language_and_refuses_a_bad_one(client, full_file, dpo):
    client.force_login(dpo)
    page = client.get(reverse("privacy:subject_access_detail", args=[full_file.pk])).content.decode()
    assert 'name="language"' in page and 'value="fr-be"' in page
    response = client.post(reverse("privacy:subject_access_download", args=[full_file.pk]), {"language": "fr-be"})
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    pdf_name = next(name for name in archive.namelist() if name.endswith(".pdf"))
    json_name = next(name for name in archive.namelist() if name.endswith(".json"))
    assert "Établi pour Youssef El Amrani" in text_of(archive.read(pdf_name))
    assert json.loads(archive.read(json_name))["sections"]["casework"]["identity"]["last_name"] == "El Amrani"
    bad = client.post(reverse("privacy:subject_access_download", args=[full_file.pk]), {"language": "xx"})
    assert bad.status_code == 400


def test_an_earlier_export_is_listed_in_the_readers_language(full_file, dpo):
    """The disclosure an export writes is stored in the default language (its own code) and read in each
    reader's: a French dpo's export reads in English in an English export."""
    dpo.language = "fr-be"
    dpo.save(update_fields=["language"])
    subject_access_export(detainee=full_file, user=dpo, path="/x", ip_address=None, language="fr-be")
    text = text_of(
        subject_access_export(detainee=full_file, user=dpo, path="/x", ip_address=None, language="en").pdf_bytes
    )
    assert "Full access export (JSON and PDF)" in text and "The data subject (access request)" in text
    assert "Volledige inzage-export" not in text and "Export d'accès complet" not in text
