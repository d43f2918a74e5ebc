"""The yearly figures as a document to hand over, in the language chosen when the file is made: a cover that
says what it holds and for whom, the tables with translated labels (OCAD categories, prisons, closure
reasons), page numbers, tables that fit their page (landscape when too wide) — read back with pdftotext and
pdftoppm in every language."""

from __future__ import annotations

import pytest

from reporting import exports, yearly
from tests.pdfcheck import ink_at_the_edges, page_sizes, text_of, words_outside_the_page

pytestmark = pytest.mark.django_db
EXPORT = "/rapportering/jaarcijfers/export.pdf"
EXPECTED = {
    "nl-be": {
        "title": "Jaarcijfers disengagementtrajecten 2025",
        "page": "Pagina 1 /",
        "language": "Nederlands",
        "read": "Zo leest u deze cijfers",
        "category": "Per OCAD-categorie",
    },
    "fr-be": {
        "title": "Chiffres annuels des trajets de désengagement 2025",
        "page": "Page 1 /",
        "language": "Français",
        "read": "Comment lire ces chiffres",
        "category": "catégorie OCAM",
    },
    "en": {
        "title": "Annual figures for disengagement trajectories 2025",
        "page": "Page 1 /",
        "language": "English",
        "read": "How to read these figures",
        "category": "OCAD category",
    },
}
# Dutch words of the fixed text a French or English file must not hold.
DUTCH = ("Trajecten gestart", "Gevangenis", "Opgemaakt", "Pagina ", "Zo leest u", "Totaal", "Geweigerd")


@pytest.mark.parametrize("language", EXPECTED)
def test_the_yearly_figures_read_in_the_chosen_language_and_fit_their_pages(world, client, manager, language, tmp_path):
    client.force_login(manager)
    response = client.get(EXPORT, {"jaar": 2025, "taal": language})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    pages = text_of(pdf).split("\f")
    cover = " ".join(pages[0].split())
    text = " ".join(" ".join(pages).split())
    expected = EXPECTED[language]
    assert expected["title"] in cover and manager.organisation.name in cover and expected["language"] in cover
    assert manager.get_full_name() in cover
    assert expected["read"] in text and expected["page"] in text
    assert expected["category"].lower() in text.lower(), expected["category"]
    if language != "nl-be":
        for word in DUTCH:
            assert word not in text, word
    sizes = page_sizes(pdf)
    assert len(sizes) >= 3 and f"/ {len(sizes)}" in text
    for width, height in sizes:
        assert {round(width), round(height)} == {595, 842}
    assert words_outside_the_page(pdf) == []
    assert ink_at_the_edges(pdf, tmp_path) == []


def test_a_wide_table_gets_landscape_pages_in_its_place(world, manager):
    """The seven-column tables (per year, goals per life domain) are on landscape pages, in the release's order."""
    pdf = exports.to_pdf(yearly.yearly_report(manager, 2025), made_by=manager)
    sizes = page_sizes(pdf)
    assert sizes[0][1] > sizes[0][0]  # the cover: portrait
    assert any(width > height for width, height in sizes) and any(height > width for width, height in sizes)
    pages = text_of(pdf).split("\f")
    first_table = next(i for i, page in enumerate(pages) if "Trajecten per jaar (laatste vijf jaar)" in page and i > 0)
    assert sizes[first_table][0] > sizes[first_table][1]
    assert words_outside_the_page(pdf) == []


def test_an_unknown_language_is_a_clear_400(world, client, manager):
    client.force_login(manager)
    response = client.get(EXPORT, {"jaar": 2025, "taal": "de"})
    assert response.status_code == 400
    assert "taal" in response.content.decode().lower()


def test_the_page_offers_the_language_of_the_file(world, client, manager):
    client.force_login(manager)
    page = client.get("/rapportering/jaarcijfers/", {"jaar": 2025}).content.decode()
    assert (
        'name="taal"' in page
        and 'value="fr-be"' in page
        and 'formaction="/rapportering/jaarcijfers/export.pdf"' in page
    )
