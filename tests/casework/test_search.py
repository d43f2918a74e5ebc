"""The detainee search: diacritics, particles, typos, dates of birth, references and national numbers; ranking;
the same search in the caseload page, the API, the DPO's subject-access lookup and the conference planner."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from casework.models import Detainee
from casework.search import rank_order
from config.crypto import blind_index
from tests.factories import DetaineeFactory, OrganisationFactory

NAMES = [
    ("Jérôme", "Van den Broeck", dt.date(1990, 7, 3), "EPI-2024-0117"),
    ("Ömer", "Çelik", dt.date(1988, 12, 24), "EPI-2024-0200"),
    ("Zoë", "D'Hondt", dt.date(1995, 1, 15), "EPI-2023-0001"),
    ("Youssef", "El Amrani", dt.date(1995, 3, 14), "EPI-2022-0042"),
    ("Elif", "Yıldız", dt.date(2001, 5, 5), "EPI-2022-0043"),
    ("An", "Peeters", dt.date(1985, 2, 2), None),
    ("Anouk", "Meijer", dt.date(1992, 8, 8), None),
    ("Jan", "Vandenbroucke", dt.date(1979, 11, 30), None),
    ("Ilias", "Bakkali", dt.date(1990, 1, 1), None),
]


@pytest.fixture
def people(caw):
    return {
        last: DetaineeFactory(first_name=first, last_name=last, date_of_birth=born, external_ref=ref, organisation=caw)
        for first, last, born, ref in NAMES
    }


def found(text: str, **kwargs) -> list[str]:
    qs = Detainee.objects.search(text, **kwargs).order_by(*rank_order("last_name", "first_name", "pk"))
    return [detainee.last_name for detainee in qs]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("vandenbroeck", "Van den Broeck"),
        ("van den broeck", "Van den Broeck"),
        ("VAN DEN BROECK", "Van den Broeck"),
        ("jerome", "Van den Broeck"),
        ("celik", "Çelik"),
        ("ÇELIK ömer", "Çelik"),
        ("dhondt", "D'Hondt"),
        ("d'hondt", "D'Hondt"),
        ("hondt", "D'Hondt"),
        ("zoe", "D'Hondt"),
        ("yildiz", "Yıldız"),
        ("elamrani", "El Amrani"),
        ("amrani youssef", "El Amrani"),
    ],
)
def test_accents_case_spaces_and_particles_are_forgiven(people, query, expected):
    assert found(query)[0] == expected


@pytest.mark.parametrize(
    "query,expected",
    [
        ("vandenbroek", "Van den Broeck"),
        ("van den broek", "Van den Broeck"),
        ("bakali", "Bakkali"),
        ("meijr", "Meijer"),
        ("peters", "Peeters"),
        ("yildis", "Yıldız"),
    ],
)
def test_typos_are_tolerated(people, query, expected):
    assert expected in found(query)


def test_the_exact_name_ranks_before_the_similar_one(people):
    assert found("vandenbroeck")[:2] == ["Van den Broeck", "Vandenbroucke"]
    assert found("vandenbroucke")[0] == "Vandenbroucke"


def test_word_prefixes_match(people):
    assert found("bak") == ["Bakkali"]
    assert found("van den")[0] == "Van den Broeck"


def test_a_short_query_ranks_whole_words_first_and_does_not_match_inside_names(people):
    # "an" is An Peeters's whole first name and the start of Anouk; Jan and Amrani merely contain it.
    result = found("an")
    assert result[0] == "Peeters"
    assert "Meijer" in result
    assert "Vandenbroucke" not in result and "El Amrani" not in result
    result = found("el")
    assert result[0] == "El Amrani"
    assert "Yıldız" in result  # Elif
    assert "Çelik" not in result


def test_date_of_birth_in_the_usual_formats(people):
    assert found("03/07/1990") == ["Van den Broeck"]
    assert found("3/7/1990") == ["Van den Broeck"]
    assert found("1990-07-03") == ["Van den Broeck"]
    assert sorted(found("14/03/1995")) == ["El Amrani"]
    assert found("01/01/1990 bakkali") == ["Bakkali"]
    assert found("01/01/1990 peeters") == []


def test_external_reference_by_prefix(people):
    assert found("EPI-2024-0117") == ["Van den Broeck"]
    assert sorted(found("epi-2024")) == ["Van den Broeck", "Çelik"]
    assert sorted(found("EPI-2022")) == ["El Amrani", "Yıldız"]


def test_national_number_exact_and_only_for_whom_may_see_it(people):
    celik = people["Çelik"]
    Detainee.objects.filter(pk=celik.pk).update(
        national_number="88122404503", national_number_index=blind_index("88122404503")
    )
    assert found("88.12.24-045.03") == ["Çelik"]
    assert found("88122404503") == ["Çelik"]
    assert found("88122404504") == []
    assert found("88.12.24-045.03", national_number=False) == []


def test_nobody_is_found_for_nonsense(people):
    assert found("xqzwv") == []


# --- The same search everywhere ------------------------------------------------------------------------


def test_the_caseload_page_searches_and_ranks(client, consultant, people):
    client.force_login(consultant)
    response = client.get("/gedetineerden/", {"q": "vandenbroek"})
    names = [detainee.last_name for detainee in response.context["page"].object_list]
    assert names[:2] == ["Van den Broeck", "Vandenbroucke"]
    assert "Bakkali" not in names


def test_the_caseload_search_costs_the_same_queries_as_the_plain_list(client, consultant, people):
    client.force_login(consultant)
    client.get("/gedetineerden/")
    with CaptureQueriesContext(connection) as plain:
        client.get("/gedetineerden/")
    with CaptureQueriesContext(connection) as searching:
        response = client.get("/gedetineerden/", {"q": "van den broek 03/07/1990"})
    assert [d.last_name for d in response.context["page"].object_list] == ["Van den Broeck"]
    assert len(searching.captured_queries) == len(plain.captured_queries)


def test_the_api_search_is_the_same_and_ranked(consultant, people):
    client = APIClient()
    client.force_authenticate(consultant)
    body = client.get("/api/v1/detainees/", {"search": "vandenbroeck"}).json()
    results = body["results"] if isinstance(body, dict) else body
    assert [row["last_name"] for row in results][:2] == ["Van den Broeck", "Vandenbroucke"]
    body = client.get("/api/v1/detainees/", {"search": "3/7/1990"}).json()
    results = body["results"] if isinstance(body, dict) else body
    assert [row["last_name"] for row in results] == ["Van den Broeck"]


def test_the_api_search_never_reaches_other_organisations(consultant, people):
    DetaineeFactory(first_name="Jérôme", last_name="Van den Broeck", organisation=OrganisationFactory(name="CAW Gent"))
    client = APIClient()
    client.force_authenticate(consultant)
    body = client.get("/api/v1/detainees/", {"search": "van den broeck"}).json()
    results = body["results"] if isinstance(body, dict) else body
    assert [row["id"] for row in results if row["last_name"] == "Van den Broeck"] == [people["Van den Broeck"].pk]


def test_a_director_cannot_confirm_a_national_number_through_the_search(director, people):
    Detainee.objects.filter(pk=people["Çelik"].pk).update(
        national_number="88122404503", national_number_index=blind_index("88122404503")
    )
    client = APIClient()
    client.force_authenticate(director)
    body = client.get("/api/v1/detainees/", {"search": "88122404503"}).json()
    results = body["results"] if isinstance(body, dict) else body
    assert results == []
    assert client.get("/api/v1/detainees/", {"search": "celik"}).json()


def test_the_dpo_finds_a_subject_by_name_and_birth_date(client, dpo, people):
    client.force_login(dpo)
    url = "/privacy/inzage/"
    response = client.get(url, {"reference": "van den broek 03/07/1990"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{people['Van den Broeck'].pk}/")
    response = client.get(url, {"reference": "vandenbro"})
    assert response.status_code == 200
    candidates = [c.last_name for c in response.context["form"].candidates]
    assert sorted(candidates) == ["Van den Broeck", "Vandenbroucke"]
    assert "Meerdere dossiers" in response.content.decode()


def test_the_conference_planner_narrows_the_detainee_list_with_the_search(client, director, people):
    client.force_login(director)
    response = client.get("/casusoverleg/nieuw/", {"zoek": "vandenbroek"})
    assert response.status_code == 200
    choices = list(response.context["form"].fields["detainee"].queryset)
    assert [d.last_name for d in choices][:2] == ["Van den Broeck", "Vandenbroucke"]
    response = client.get("/casusoverleg/nieuw/", {"zoek": "3/7/1990"})
    assert response.context["form"].initial["detainee"] == people["Van den Broeck"].pk
