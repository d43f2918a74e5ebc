"""The handover package is a document to hand over, in the language chosen when it is requested: a cover
saying what it holds and for whom, labels and translated codes instead of field names and scope codes,
local dates, page numbers, and nothing outside the page — read back with pdftotext and pdftoppm in every
language, like every PDF we hand over."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import SessionFactory
from tests.pdfcheck import ink_at_the_edges, page_sizes, text_of, words_outside_the_page
from tests.trajectories.factories import GoalFactory
from tests.trajectories.test_release import justice_house_consent, release  # noqa: F401

EXPECTED = {
    "nl-be": {
        "title": "Overdrachtspakket nazorg",
        "page": "Pagina 1 /",
        "made": "Opgemaakt op",
        "language": "Nederlands",
        "scope": "Traject en doelen",
        "goals": "Doelen",
    },
    "fr-be": {
        "title": "Paquet de transmission",
        "page": "Page 1 /",
        "made": "Établi le",
        "language": "Français",
        "scope": "Trajet et objectifs",
        "goals": "Objectifs",
    },
    "en": {
        "title": "Aftercare handover package",
        "page": "Page 1 /",
        "made": "Prepared on",
        "language": "English",
        "scope": "Trajectory and goals",
        "goals": "Goals",
    },
}
# Codes and field names a reader must never meet.
RAW = ("trajectory_goals", "session_summaries", "identity,", "None", "True", "False", "target_date", "2026-05-01")


def _request(trajectory, user, organisation, language):
    from trajectories.services.release import handover_package_request

    return handover_package_request(
        trajectory=trajectory, user=user, recipient_organisation=organisation, language=language
    )


@pytest.mark.parametrize("language", EXPECTED)
def test_the_handover_package_reads_in_the_chosen_language_and_fits_its_pages(
    active_trajectory,
    consultant,
    detainee,
    justice_house_consent,  # noqa: F811
    django_capture_on_commit_callbacks,
    language,
    tmp_path,
):
    # The requester speaks Dutch: the package follows the language chosen, not his.
    GoalFactory(
        trajectory=active_trajectory,
        description="Een opleiding lassen starten " + "Z" * 300,
        target_date=dt.date(2026, 5, 1),
    )
    SessionFactory(detainee=detainee, author=consultant, summary="Niet gedeeld")
    release(active_trajectory, consultant)
    with django_capture_on_commit_callbacks(execute=True):
        package = _request(active_trajectory, consultant, justice_house_consent.organisation, language)
    package.refresh_from_db()
    assert package.language == language
    pdf = package.file.read()
    pages = text_of(pdf).split("\f")
    cover = " ".join(pages[0].split())
    text = " ".join(" ".join(pages).split())
    expected = EXPECTED[language]
    # The cover: what it is, for whom, about whom, when, in which language, on which scopes, what it holds.
    assert expected["title"] in cover and justice_house_consent.organisation.name in cover
    assert detainee.full_name in cover and expected["made"] in cover and expected["language"] in cover
    assert expected["scope"] in cover and expected["goals"] in cover and f"#{package.pk}" in cover
    assert "Een opleiding lassen starten" in text and "01/05/2026" in text and expected["page"] in text
    for raw in RAW:
        assert raw not in text, raw
    sizes = page_sizes(pdf)
    assert len(sizes) >= 2 and all(abs(w - 595.3) < 1 and abs(h - 841.9) < 1 for w, h in sizes)
    assert f"/ {len(sizes)}" in text
    assert words_outside_the_page(pdf) == []
    assert ink_at_the_edges(pdf, tmp_path) == []


def test_the_disclosure_of_a_package_reads_in_each_readers_language(
    active_trajectory,
    consultant,
    justice_house_consent,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from django.utils import translation

    release(active_trajectory, consultant)
    with django_capture_on_commit_callbacks(execute=True):
        package = _request(active_trajectory, consultant, justice_house_consent.organisation, "fr-be")
    package.refresh_from_db()
    disclosure = package.disclosure
    assert disclosure.what == "Overdrachtspakket (%(scopes)s)"
    with translation.override("en"):
        assert (
            disclosure.display_what.startswith("Handover package (")
            and "trajectory_goals" not in disclosure.display_what
        )
    with translation.override("nl-be"):
        assert "Traject en doelen" in disclosure.display_what


def test_the_package_form_offers_the_three_languages_and_refuses_another(
    client,
    active_trajectory,
    consultant,
    justice_house_consent,  # noqa: F811
):
    release(active_trajectory, consultant)
    client.force_login(consultant)
    page = client.get(reverse("trajectories:aftercare", args=[active_trajectory.pk])).content.decode()
    assert 'name="language"' in page and 'value="fr-be"' in page and 'value="en"' in page
    response = client.post(
        reverse("trajectories:handover_request", args=[active_trajectory.pk]),
        {"recipient_organisation": justice_house_consent.organisation.pk, "language": "de"},
    )
    assert response.status_code == 302
    assert not active_trajectory.handover_packages.exists()
