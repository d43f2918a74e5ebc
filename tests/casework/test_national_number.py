"""The national number: validated with python-stdnum (be.nn and be.bis), encrypted at rest, unique and searchable
through its keyed hash, never shown in lists; the migration of the numbers stored in plaintext before."""

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from rest_framework.test import APIClient

from casework import services
from casework.models import Detainee
from casework.validators import national_number_is_valid
from config.crypto import TOKEN_PREFIX, blind_index
from tests.factories import DetaineeFactory


def with_check(body: str, *, born_2000: bool = False) -> str:
    """The 9 digits `body` with their two check digits."""
    base = int(("2" if born_2000 else "") + body)
    return f"{body}{97 - base % 97:02d}"


NN = with_check("880224045")  # born 24/02/1988
NN_2000S = with_check("050317123", born_2000=True)  # born 17/03/2005
BIS = with_check("884224045")  # BIS: month + 40
BIS_UNKNOWN_SEX = with_check("882224045")  # BIS: month + 20


@pytest.mark.parametrize("number", [NN, NN_2000S, BIS, BIS_UNKNOWN_SEX, f"88.02.24-045.{NN[-2:]}"])
def test_valid_national_and_bis_numbers(number):
    assert national_number_is_valid(number)


@pytest.mark.parametrize(
    "number",
    [
        NN[:-1] + str((int(NN[-1]) + 1) % 10),  # wrong check digits
        with_check("881324045"),  # month 13: check digits right, date part wrong
        with_check("886224045"),  # month + 60: neither a national nor a BIS number
        "1234",
        "abcdefghijk",
        "",
    ],
)
def test_invalid_numbers_are_refused(number):
    assert not national_number_is_valid(number)


def _raw(detainee_id: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT national_number, national_number_index FROM casework_detainee WHERE id = %s", [detainee_id]
        )
        return cursor.fetchone()


def test_it_is_stored_encrypted_with_a_keyed_index(manager, caw):
    detainee = services.detainee_create(
        user=manager,
        first_name="Tom",
        last_name="Janssens",
        legal_status="convicted",
        national_number="88.02.24-045." + NN[-2:],
    )
    stored, index = _raw(detainee.pk)
    assert stored.startswith(TOKEN_PREFIX) and NN not in stored
    assert index == blind_index(NN) and NN not in index
    assert Detainee.objects.get(pk=detainee.pk).national_number == NN
    # The history row holds the ciphertext too.
    with connection.cursor() as cursor:
        cursor.execute("SELECT national_number FROM casework_detaineeevent WHERE pgh_obj_id = %s", [detainee.pk])
        assert all(value.startswith(TOKEN_PREFIX) for (value,) in cursor.fetchall())


def test_the_index_depends_on_the_key(settings):
    first = blind_index(NN)
    settings.NATIONAL_NUMBER_INDEX_KEY = "another key"
    assert blind_index(NN) != first


def test_a_second_file_with_the_same_number_is_refused(manager, caw):
    services.detainee_create(
        user=manager, first_name="Tom", last_name="Janssens", legal_status="convicted", national_number=NN
    )
    with pytest.raises(ValidationError) as error:
        services.detainee_create(
            user=manager, first_name="Thomas", last_name="Janssens", legal_status="convicted", national_number=NN
        )
    assert "national_number" in error.value.message_dict
    assert Detainee.objects.count() == 1


def test_updating_another_field_keeps_the_number_and_its_ciphertext(manager, caw):
    detainee = services.detainee_create(
        user=manager, first_name="Tom", last_name="Janssens", legal_status="convicted", national_number=NN
    )
    before = _raw(detainee.pk)
    services.detainee_update(detainee=detainee, user=manager, first_name="Thomas")
    assert _raw(detainee.pk) == before


def test_it_is_searchable_exactly_through_the_index(manager, caw):
    detainee = services.detainee_create(
        user=manager, first_name="Tom", last_name="Janssens", legal_status="convicted", national_number=NN
    )
    assert list(Detainee.objects.search(NN)) == [detainee]
    assert list(Detainee.objects.search(f"{NN[:2]}.{NN[2:4]}.{NN[4:6]}-{NN[6:9]}.{NN[9:]}")) == [detainee]
    assert list(Detainee.objects.search(BIS)) == []


def test_it_is_never_shown_in_lists(client, consultant, caw):
    detainee = DetaineeFactory(
        organisation=caw, national_number=NN, national_number_index=blind_index(NN), lead_consultant=consultant
    )
    client.force_login(consultant)
    assert NN not in client.get("/gedetineerden/").content.decode()
    api = APIClient()
    api.force_authenticate(consultant)
    body = api.get("/api/v1/detainees/").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert rows and all("national_number" not in row for row in rows)
    # The file's own detail shows it to the case staff.
    assert api.get(f"/api/v1/detainees/{detainee.pk}/").json()["national_number"] == NN


def test_the_import_refuses_a_number_held_by_another_file(manager, caw):
    from casework.services_import import detainees_import

    DetaineeFactory(organisation=caw, external_ref="EPI-1", national_number=NN, national_number_index=blind_index(NN))
    header = "Referentie;Naam;Voornaam;Rijksregisternummer;Gevangenis;Statuut"
    content = "\n".join(
        [
            header,
            f"EPI-1;Janssens;Tom;{NN};Gent;Veroordeelde",
            f"EPI-2;Janssens;Thomas;{NN};Gent;Veroordeelde",
            f"EPI-3;Peeters;An;{BIS};Gent;Veroordeelde",
            f"EPI-4;Peeters;Anna;{BIS};Gent;Veroordeelde",
        ]
    ).encode()
    result = detainees_import(user=manager, content=content, dry_run=True)
    assert {(error.row, error.field) for error in result.errors} == {(3, "national_number"), (5, "national_number")}


def test_the_migration_encrypts_plaintext_numbers_and_indexes_them(caw):
    migration = importlib.import_module("casework.migrations.0010_detainee_national_number_encrypted")
    detainee = DetaineeFactory(organisation=caw)
    with connection.cursor() as cursor:
        # A row as the previous schema stored it: the number in plaintext, no index.
        cursor.execute(
            "UPDATE casework_detainee SET national_number = %s, national_number_index = '' WHERE id = %s",
            [NN, detainee.pk],
        )
    editor = SimpleNamespace(connection=connection)
    migration.encrypt(None, editor)
    stored, index = _raw(detainee.pk)
    assert stored.startswith(TOKEN_PREFIX) and index == blind_index(NN)
    assert Detainee.objects.get(pk=detainee.pk).national_number == NN
    # Running it again changes nothing; the reverse step gives the plaintext back.
    migration.encrypt(None, editor)
    assert _raw(detainee.pk) == (stored, index)
    migration.decrypt(None, editor)
    assert _raw(detainee.pk)[0] == NN


def test_the_migration_stops_on_two_files_with_one_number(caw):
    migration = importlib.import_module("casework.migrations.0010_detainee_national_number_encrypted")
    first, second = DetaineeFactory(organisation=caw), DetaineeFactory(organisation=caw)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE casework_detainee SET national_number = %s, national_number_index = '' WHERE id IN (%s, %s)",
            [NN, first.pk, second.pk],
        )
    with pytest.raises(RuntimeError, match="merge"):
        migration.encrypt(None, SimpleNamespace(connection=connection))


def test_anonymisation_clears_number_and_index(manager, caw):
    detainee = services.detainee_create(
        user=manager,
        first_name="Tom",
        last_name="Janssens",
        legal_status="convicted",
        national_number=NN,
        date_of_birth=dt.date(1988, 2, 24),
    )
    from casework.privacy.casework_part import anonymise_casework

    anonymise_casework(detainee, manager)
    assert _raw(detainee.pk) == ("", "")
