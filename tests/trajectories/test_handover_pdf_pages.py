"""The handover package fits its pages in every language: read back with pdftotext (the words of the
language, nothing outside the page) and pdftoppm (no ink in the outer band), like every PDF we hand over."""

import pytest

from tests.factories import SessionFactory
from tests.pdfcheck import ink_at_the_edges, page_sizes, text_of, words_outside_the_page
from tests.trajectories.factories import GoalFactory
from tests.trajectories.test_release import justice_house_consent, release, services_release_request  # noqa: F401

TITLE = {"nl-be": "Overdrachtspakket nazorg", "fr-be": "Paquet de transmission", "en": "Aftercare handover package"}


@pytest.mark.parametrize("language", TITLE)
def test_the_handover_package_fits_its_pages(active_trajectory, consultant, detainee, justice_house_consent,  # noqa: F811
                                             django_capture_on_commit_callbacks, language, tmp_path):
    consultant.language = language
    consultant.save(update_fields=["language"])
    GoalFactory(trajectory=active_trajectory, description="Een opleiding lassen starten " + "Z" * 300)
    SessionFactory(detainee=detainee, author=consultant, summary="Niet gedeeld")
    release(active_trajectory, consultant)
    with django_capture_on_commit_callbacks(execute=True):
        package = services_release_request(active_trajectory, consultant, justice_house_consent.organisation)
    package.refresh_from_db()
    pdf = package.file.read()
    # Wrapped lines join with a space: the words are what counts.
    text = " ".join(text_of(pdf).split())
    assert TITLE[language] in text and "Een opleiding lassen starten" in text
    assert all(abs(w - 595.3) < 1 and abs(h - 841.9) < 1 for w, h in page_sizes(pdf))
    assert words_outside_the_page(pdf) == []
    assert ink_at_the_edges(pdf, tmp_path) == []
