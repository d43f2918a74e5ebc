"""The DPO finds the subject of an access request by name, date of birth or reference (privacy:subject_access):
among all files, whoever follows them, with the caseload's own search (docs/adr/0022: accents and typos
forgiven); only the DPO reaches it, every search is on record, and it costs the same whatever the data size."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework import search
from casework.models import AccessLog, Detainee
from casework.privacy.selectors import SUBJECT_CANDIDATES, subject_lookup
from tests.factories import DetaineeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = reverse("privacy:subject_access")
NON_DPO = [
    "consultant",
    "colleague",
    "outsider",
    "manager",
    "director",
    "other_director",
    "partner_with_consent",
    "partner_without_consent",
    "admin",
]


@pytest.fixture
def people(caw, hasselt, consultant):
    """Files of two organisations, one with nobody following it: the DPO answers for all of them."""
    antwerp = OrganisationFactory(name="CAW Antwerpen", kind="caw")
    return {
        "broeck": DetaineeFactory(
            first_name="Jérôme",
            last_name="Van den Broeck",
            date_of_birth=dt.date(1990, 7, 3),
            external_ref="EPI-2024-0117",
            organisation=caw,
            current_prison=hasselt,
            lead_consultant=consultant,
        ),
        "celik": DetaineeFactory(
            first_name="Ömer",
            last_name="Çelik",
            date_of_birth=dt.date(1988, 12, 24),
            external_ref="EPI-2024-0200",
            organisation=antwerp,
        ),
        "celik_twin": DetaineeFactory(
            first_name="Emre", last_name="Çelik", date_of_birth=dt.date(1988, 12, 24), organisation=antwerp
        ),
        "yildiz": DetaineeFactory(
            first_name="Elif",
            last_name="Yıldız",
            date_of_birth=dt.date(2001, 5, 5),
            organisation=antwerp,
            lead_consultant=None,
        ),
    }


def lookup(client, text: str):
    return client.get(URL, {"reference": text})


# --- Who reaches it ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NON_DPO)
def test_only_the_dpo_searches_for_a_subject(client, personas, people, persona):
    client.force_login(personas[persona])
    for text in ("celik", "Van den Broeck 03/07/1990", str(people["celik"].pk), "EPI-2024-0117"):
        assert lookup(client, text).status_code == 404
    assert client.get(reverse("privacy:subject_access_detail", args=[people["celik"].pk])).status_code == 404
    assert not AccessLog.objects.filter(object_kind="subject_lookup").exists()


def test_anonymous_is_sent_to_the_login(client, people):
    response = lookup(client, "celik")
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


# --- What the DPO finds ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("jerome vandenbroek", "broeck"),  # no accents, a letter dropped, the particle run together
        ("VAN DEN BROECK", "broeck"),
        ("van den broek 03/07/1990", "broeck"),  # a typo, and the date of birth
        ("EPI-2024-0117", "broeck"),  # the list's reference, exactly
        ("epi-2024-02", "celik"),  # a reference prefix
        ("yildiz", "yildiz"),  # ı is folded like i
        ("elif yıldız 5/5/2001", "yildiz"),
        ("omer celik", "celik"),
    ],
)
def test_the_dpo_finds_one_subject_in_any_organisation(client, dpo, people, text, expected):
    client.force_login(dpo)
    response = lookup(client, text)
    assert response.status_code == 302, text
    assert response["Location"] == reverse("privacy:subject_access_detail", args=[people[expected].pk])
    assert client.get(response["Location"]).status_code == 200


def test_several_matches_are_listed_best_first_with_what_tells_them_apart(client, dpo, people):
    client.force_login(dpo)
    response = lookup(client, "celik")
    assert response.status_code == 200
    candidates = response.context["form"].candidates
    assert {c.pk for c in candidates} == {people["celik"].pk, people["celik_twin"].pk}
    html = response.content.decode()
    assert "Meerdere dossiers gevonden" in html and "24/12/1988" in html and "EPI-2024-0200" in html
    # The date of birth alone narrows down to the two as well.
    assert {c.pk for c in lookup(client, "24/12/1988").context["form"].candidates} == {
        people["celik"].pk,
        people["celik_twin"].pk,
    }


def test_nobody_found_is_said_plainly(client, dpo, people):
    client.force_login(dpo)
    response = lookup(client, "zzz-niemand")
    assert response.status_code == 200
    assert "Geen dossier gevonden met deze gegevens." in response.content.decode()


def test_the_lookup_is_the_caseload_search(people):
    """One search for people (docs/adr/0022): the lookup calls it, it has none of its own."""
    with mock.patch("casework.search.search_detainees", wraps=search.search_detainees) as searched:
        found = subject_lookup("vandenbroek")
    assert found.detainee == people["broeck"]
    searched.assert_called_once()
    assert searched.call_args.args[1] == "vandenbroek"
    # The queryset it searched is every file, not the reader's visible ones.
    assert set(searched.call_args.args[0].values_list("pk", flat=True)) == set(
        Detainee.objects.values_list("pk", flat=True)
    )


def test_at_most_twenty_candidates(caw):
    for index in range(SUBJECT_CANDIDATES + 3):
        DetaineeFactory(first_name=f"Naam{index}", last_name="Peeters", organisation=caw)
    found = subject_lookup("peeters")
    assert found.detainee is None and len(found.candidates) == SUBJECT_CANDIDATES


def test_every_search_is_on_record_without_the_query(client, dpo, people):
    client.force_login(dpo)
    lookup(client, "celik")
    lookup(client, "Van den Broeck 03/07/1990")
    rows = list(AccessLog.objects.filter(user=dpo, object_kind="subject_lookup").order_by("pk"))
    assert [row.detainee_id for row in rows] == [None, people["broeck"].pk]
    assert all("celik" not in row.path and "Broeck" not in row.path for row in rows)


# --- Query budget --------------------------------------------------------------------------------------------


def test_the_lookup_costs_the_same_whatever_the_number_of_files(client, dpo, people, caw):
    client.force_login(dpo)
    lookup(client, "celik")  # warm-up: content types, the session's first write

    def count(text: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert lookup(client, text).status_code in (200, 302)
        return len(queries)

    few_list, few_one = count("celik"), count("jerome vandenbroek")
    for index in range(30):
        DetaineeFactory(first_name=f"Naam{index}", last_name="Çelik", organisation=caw)
        DetaineeFactory(first_name=f"Ander{index}", last_name="Janssens", organisation=caw)
    assert count("celik") == few_list
    assert count("jerome vandenbroek") == few_one
    # 1 session, 2 user, 3 the exact try on the list reference (a name is no file or national number),
    # 4 the search with each candidate's prison, 5 the access-log row (pghistory's context in the same statement).
    assert few_list == few_one == 5
