"""One file per person: potential duplicates are shown before a second file is opened, by hand or by import."""

import datetime as dt

from casework.models import Detainee
from casework.services_import import detainees_import
from tests.factories import DetaineeFactory, OrganisationFactory

FORM = {
    "first_name": "Jerome",
    "last_name": "Vandenbroeck",
    "date_of_birth": "1990-07-03",
    "legal_status": "convicted",
    "national_number": "",
    "languages": "nl",
}


def test_creating_a_file_for_a_known_person_shows_the_existing_file_and_asks(client, manager, caw):
    existing = DetaineeFactory(
        organisation=caw, first_name="Jérôme", last_name="Van den Broeck", date_of_birth=dt.date(1990, 7, 3)
    )
    client.force_login(manager)
    response = client.post("/gedetineerden/nieuw/", FORM)
    assert response.status_code == 200
    assert response.context["duplicates"] == [existing]
    html = response.content.decode()
    assert "misschien al een dossier" in html and f"/gedetineerden/{existing.pk}/" in html
    assert Detainee.objects.count() == 1
    response = client.post("/gedetineerden/nieuw/", {**FORM, "confirm_not_duplicate": "1"})
    assert response.status_code == 302
    assert Detainee.objects.count() == 2


def test_a_different_birth_date_or_name_is_no_duplicate(client, manager, caw):
    DetaineeFactory(
        organisation=caw, first_name="Jérôme", last_name="Van den Broeck", date_of_birth=dt.date(1991, 7, 3)
    )
    DetaineeFactory(organisation=caw, first_name="Ilias", last_name="Bakkali", date_of_birth=dt.date(1990, 7, 3))
    client.force_login(manager)
    assert client.post("/gedetineerden/nieuw/", FORM).status_code == 302


def test_another_organisations_file_is_never_revealed_as_a_duplicate(client, manager, caw):
    other = DetaineeFactory(
        organisation=OrganisationFactory(name="CAW Gent"),
        first_name="Jérôme",
        last_name="Van den Broeck",
        date_of_birth=dt.date(1990, 7, 3),
    )
    client.force_login(manager)
    response = client.post("/gedetineerden/nieuw/", FORM)
    assert response.status_code == 302
    assert f"/gedetineerden/{other.pk}/" not in response.content.decode()


def test_the_import_check_warns_about_a_new_reference_for_a_known_person(manager, caw):
    existing = DetaineeFactory(
        organisation=caw,
        external_ref="EPI-1",
        first_name="Jérôme",
        last_name="Van den Broeck",
        date_of_birth=dt.date(1990, 7, 3),
    )
    content = (
        "Referentie;Naam;Voornaam;Geboortedatum;Gevangenis;Statuut\n"
        "EPI-1;Van den Broeck;Jérôme;03/07/1990;Hasselt;Veroordeelde\n"
        "EPI-77;Vandenbroeck;Jerome;03/07/1990;Hasselt;Veroordeelde\n"
    ).encode()
    result = detainees_import(user=manager, content=content, dry_run=True)
    assert result.errors == []
    assert [notice for notice in result.parsed.notices if f"#{existing.pk}" in notice and "Rij 3" in notice]
    assert not any("Rij 2" in notice for notice in result.parsed.notices)
