"""Import of the in-scope list: the checks, the all-or-nothing rule, idempotent upserts, API and UI."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from casework.models import Detainee, Listing, Placement
from casework.services_import import detainees_import
from tests.factories import DetaineeFactory, OrganisationFactory

FIXTURES = Path(__file__).parent / "fixtures"
NOW = dt.datetime(2026, 3, 10, 14, 0, tzinfo=ZoneInfo("Europe/Brussels"))
HEADER = (
    "external_ref;last_name;first_name;date_of_birth;national_number;prison;legal_status;incarcerated_on;"
    "leave_eligible_on;conditional_release_eligible_on;sentence_ends_on;listing_category;threat_level;listed_on"
)
ROW = "EPI-9;Janssens;Tom;1991-05-05;;gent;convicted;2024-01-01;;;;ftf;2;2023-12-01"
URL = "/api/v1/imports/detainees/"


@pytest.fixture(autouse=True)
def fixed_now():
    with time_machine.travel(NOW, tick=False):
        yield


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode()


def post(user, content: bytes, **params):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    upload = SimpleUploadedFile("lijst.csv", content, content_type="text/csv")
    return client.post(URL, {"file": upload, **params}, format="multipart")


def errors_of(response) -> set[tuple]:
    return {(error["row"], error["column"]) for error in response.json()["errors"]}


# --- A valid file ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["in_scope_valid.csv", "in_scope_valid_comma.csv"])
def test_a_valid_file_creates_the_files(manager, caw, name):
    response = post(manager, fixture_bytes(name))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["applied"], body["created"], body["updated"], body["unchanged"]) == (True, 3, 0, 0)
    assert body["errors"] == []
    ilias = Detainee.objects.get(external_ref="EPI-0001")
    assert ilias.organisation == caw
    assert ilias.national_number == "90010100123"
    assert ilias.current_prison.code == "hasselt"
    assert ilias.leave_eligible_on == dt.date(2026, 9, 1)
    assert ilias.in_scope
    listing = ilias.listings.get()
    assert (listing.category, listing.threat_level, listing.listed_on) == ("terrorism_convict", 2, dt.date(2022, 2, 10))
    assert ilias.placements.get().from_date == dt.date(2022, 3, 15)
    # Names with accents are searchable without them.
    assert Detainee.objects.search("omer celik").get().external_ref == "EPI-0003"


def test_the_import_is_recorded_in_the_change_history(manager):
    post(manager, fixture_bytes("in_scope_valid.csv"))
    event = Detainee.objects.get(external_ref="EPI-0001").events.get()
    assert event.pgh_context.metadata["user"] == manager.pk


def test_reimporting_the_same_file_changes_nothing(manager):
    post(manager, fixture_bytes("in_scope_valid.csv"))
    stamps = dict(Detainee.objects.values_list("external_ref", "updated_at"))
    counts = (Detainee.objects.count(), Listing.objects.count(), Placement.objects.count())
    events = sum(detainee.events.count() for detainee in Detainee.objects.all())
    # The same list exported with commas and ISO dates is the same data.
    for name in ("in_scope_valid.csv", "in_scope_valid_comma.csv"):
        body = post(manager, fixture_bytes(name)).json()
        assert (body["created"], body["updated"], body["unchanged"]) == (0, 0, 3)
    assert dict(Detainee.objects.values_list("external_ref", "updated_at")) == stamps
    assert (Detainee.objects.count(), Listing.objects.count(), Placement.objects.count()) == counts
    assert sum(detainee.events.count() for detainee in Detainee.objects.all()) == events


def test_a_changed_row_updates_the_file(manager):
    post(manager, csv_bytes(ROW))
    changed = (
        ROW.replace("gent", "brugge").replace(";ftf;2;", ";ftf;3;").replace("2024-01-01;;", "2024-01-01;2027-01-01;")
    )
    body = post(manager, csv_bytes(changed)).json()
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 1, 0)
    tom = Detainee.objects.get(external_ref="EPI-9")
    assert tom.leave_eligible_on == dt.date(2027, 1, 1)
    # A new threat level updates the listing fact instead of adding a second one.
    assert list(tom.listings.values_list("threat_level", flat=True)) == [3]
    # A different prison is a transfer: the old placement is closed, the new one opens today.
    assert tom.current_prison.code == "brugge"
    assert list(tom.placements.order_by("from_date").values_list("prison__code", "to_date")) == [
        ("gent", dt.date(2026, 3, 10)),
        ("brugge", None),
    ]


def test_an_empty_optional_cell_does_not_erase_known_data(manager):
    post(manager, csv_bytes(ROW.replace("1991-05-05;;", "1991-05-05;91050500149;")))
    body = post(manager, csv_bytes(ROW)).json()
    assert body["unchanged"] == 1
    assert Detainee.objects.get(external_ref="EPI-9").national_number == "91050500149"


def test_a_file_out_of_scope_comes_back_in_scope(manager, caw):
    DetaineeFactory(
        organisation=caw,
        external_ref="EPI-9",
        first_name="Tom",
        last_name="Janssens",
        in_scope=False,
        date_of_birth=dt.date(1991, 5, 5),
        current_prison=None,
        incarcerated_on=dt.date(2024, 1, 1),
    )
    body = post(manager, csv_bytes(ROW)).json()
    assert body["updated"] == 1
    assert Detainee.objects.get(external_ref="EPI-9").in_scope


def test_dry_run_reports_without_writing(manager):
    response = post(manager, fixture_bytes("in_scope_valid.csv"), dry_run="true")
    assert response.status_code == 200
    body = response.json()
    assert (body["applied"], body["dry_run"], body["created"]) == (False, True, 3)
    assert not Detainee.objects.exists()
    assert not Listing.objects.exists()


# --- Refusals: nothing written --------------------------------------------------------------------------


def test_a_file_with_bad_rows_is_refused_as_a_whole_with_a_per_row_report(manager):
    response = post(manager, fixture_bytes("in_scope_with_errors.csv"))
    assert response.status_code == 400
    body = response.json()
    assert body["applied"] is False
    assert (body["rows"], body["valid_rows"], body["invalid_rows"]) == (6, 2, 4)
    assert errors_of(response) == {
        (3, "date_of_birth"),
        (4, "prison"),
        (5, "listing_category"),
        (5, "threat_level"),
        (6, "external_ref"),
    }
    reasons = {(e["row"], e["column"]): e["reason"] for e in body["errors"]}
    assert "31/02/1988" in reasons[(3, "date_of_birth")]
    assert "atlantis" in reasons[(4, "prison")]
    assert "rij 2" in reasons[(6, "external_ref")]
    assert not Detainee.objects.exists()


def test_valid_rows_only_imports_the_valid_rows_and_reports_the_rest(manager):
    response = post(manager, fixture_bytes("in_scope_with_errors.csv"), mode="valid_rows_only")
    assert response.status_code == 200
    body = response.json()
    assert (body["applied"], body["created"], body["invalid_rows"]) == (True, 2, 4)
    assert set(Detainee.objects.values_list("external_ref", flat=True)) == {"EPI-0001", "EPI-0006"}
    assert len(body["errors"]) == 5


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"", "leeg"),
        (b"   \r\n", "leeg"),
        (HEADER.encode() + b"\n", "geen gedetineerden"),
        (HEADER.encode() + b"\n;;;;;;;;;;;;;\n", "geen gedetineerden"),
        (b"\x00\x01\x02binary", "geen CSV- of XLSX-bestand"),
        (csv_bytes(ROW, header=HEADER.replace(";prison", ";kamer")), "Ontbrekende kolom(men): Gevangenis (prison)"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(manager, content, reason):
    response = post(manager, content)
    assert response.status_code == 400
    body = response.json()
    assert all(error["row"] is None for error in body["errors"])
    assert any(reason in error["reason"] for error in body["errors"]), body["errors"]
    assert not Detainee.objects.exists()


def test_too_many_rows_are_refused(manager, settings):
    settings.CASEWORK_IMPORT_MAX_ROWS = 2
    rows = [ROW.replace("EPI-9", f"EPI-{n}") for n in range(3)]
    response = post(manager, csv_bytes(*rows))
    assert response.status_code == 400
    assert "Te veel rijen: 3" in response.json()["errors"][0]["reason"]
    assert not Detainee.objects.exists()


def test_an_oversized_file_is_refused(manager, settings):
    settings.CASEWORK_IMPORT_MAX_BYTES = 100
    response = post(manager, csv_bytes(ROW))
    assert response.status_code == 400
    assert "te groot" in response.json()["errors"][0]["reason"]


@pytest.mark.parametrize(
    "row,column",
    [
        (ROW.replace("EPI-9", ""), "external_ref"),
        (ROW.replace("EPI-9", "E" * 41), "external_ref"),
        (ROW.replace("Janssens", ""), "last_name"),
        (ROW.replace("Tom", "T" * 101), "first_name"),
        (ROW.replace("1991-05-05;;", "1991-05-05;91050500148;"), "national_number"),
        (ROW.replace("1991-05-05", "2027-01-01"), "date_of_birth"),
        (ROW.replace("1991-05-05", "31.02.1991"), "date_of_birth"),
        (ROW.replace("convicted", "guilty"), "legal_status"),
        (ROW.replace(";2;", ";0;"), "threat_level"),
        (ROW.replace(";2;", ";hoog;"), "threat_level"),
        (ROW.replace("2023-12-01", ""), "listed_on"),
        (ROW + ";extra", ""),
    ],
)
def test_each_bad_cell_is_reported_with_row_and_column(manager, row, column):
    response = post(manager, csv_bytes(ROW.replace("EPI-9", "EPI-1"), row))
    assert response.status_code == 400
    assert (3, column) in errors_of(response)
    assert not Detainee.objects.exists()


def test_a_reference_of_another_organisations_file_is_refused(manager):
    other = DetaineeFactory(
        organisation=OrganisationFactory(name="CAW Antwerpen", kind="caw"),
        external_ref="EPI-9",
        first_name="Ander",
        last_name="Dossier",
    )
    response = post(manager, csv_bytes(ROW), mode="valid_rows_only")
    assert response.status_code == 400
    assert errors_of(response) == {(2, "external_ref")}
    other.refresh_from_db()
    assert other.first_name == "Ander"


def test_an_unknown_mode_is_a_field_error(manager):
    response = post(manager, csv_bytes(ROW), mode="whatever")
    assert response.status_code == 400
    assert "mode" in response.json()


def test_a_request_without_file_is_a_field_error(manager):
    client = APIClient()
    client.force_authenticate(manager)
    response = client.post(URL, {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()


def test_the_service_refuses_a_row_the_model_refuses_and_rolls_back(manager, caw):
    # Released before the new incarceration date: only the service's date checks know this.
    DetaineeFactory(
        organisation=caw, external_ref="EPI-9", released_on=dt.date(2023, 6, 1), incarcerated_on=dt.date(2023, 1, 1)
    )
    result = detainees_import(user=manager, content=csv_bytes(ROW, ROW.replace("EPI-9", "EPI-10")))
    assert not result.applied
    assert [(e.row, e.column) for e in result.errors] == [(2, "released_on")]
    assert not Detainee.objects.filter(external_ref="EPI-10").exists()


# --- Who may import ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["consultant", "colleague", "director", "partner_with_consent", "admin", "dpo"])
def test_only_managers_may_import_through_the_api(personas, persona):
    assert post(personas[persona], csv_bytes(ROW)).status_code == 403
    assert not Detainee.objects.exists()


def test_anonymous_may_not_import(db):
    assert post(None, csv_bytes(ROW)).status_code in (401, 403)


@pytest.mark.parametrize("persona", ["consultant", "director", "partner_with_consent", "admin", "dpo"])
def test_only_managers_see_the_import_page(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get("/gedetineerden/import/").status_code == 403
    assert client.post("/gedetineerden/import/bevestigen/", {"token": "x"}).status_code == 403


def test_anonymous_is_sent_to_the_login_page(client, db):
    response = client.get("/gedetineerden/import/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- The two-step import in the browser ------------------------------------------------------------------------


def upload(client, content: bytes, name="lijst.csv"):
    """Upload, then confirm the proposed column mapping: the check step's response."""
    response = client.post(
        "/gedetineerden/import/", {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    )
    if "columns" not in response.context or "read_as" not in response.context:
        return response
    choices = {f"column-{column.index}": column.field for column in response.context["columns"]}
    return client.post("/gedetineerden/import/controleren/", {"token": response.context["token"], **choices})


def test_ui_checks_first_and_writes_only_after_confirmation(client, manager):
    client.force_login(manager)
    page = client.get("/gedetineerden/import/")
    assert page.status_code == 200
    assert "listing_category" in page.content.decode()
    response = upload(client, fixture_bytes("in_scope_valid.csv"))
    html = response.content.decode()
    assert "Alle rijen zijn in orde" in html
    assert "3 rijen importeren" in html
    assert not Detainee.objects.exists()
    token = response.context["token"]
    response = client.post("/gedetineerden/import/bevestigen/", {"token": token, "mode": "all_or_nothing"})
    assert response.status_code == 200
    assert "Import voltooid: 3 nieuw, 0 bijgewerkt, 0 ongewijzigd." in response.content.decode()
    assert Detainee.objects.count() == 3
    # The pending file is gone: confirming twice does not import twice.
    again = client.post("/gedetineerden/import/bevestigen/", {"token": token})
    assert again.status_code == 302


def test_ui_shows_the_error_table_and_offers_the_valid_rows(client, manager):
    client.force_login(manager)
    response = upload(client, fixture_bytes("in_scope_with_errors.csv"))
    html = response.content.decode()
    assert "4 rijen bevatten fouten" in html
    assert "Enkel de 2 geldige rijen importeren" in html
    assert "Onbekende gevangenis &#x27;atlantis&#x27;" in html or "Onbekende gevangenis 'atlantis'" in html
    assert not Detainee.objects.exists()
    response = client.post(
        "/gedetineerden/import/bevestigen/", {"token": response.context["token"], "mode": "valid_rows_only"}
    )
    assert "Import voltooid: 2 nieuw" in response.content.decode()
    assert Detainee.objects.count() == 2


def test_ui_refuses_an_unreadable_file_without_a_confirm_button(client, manager):
    client.force_login(manager)
    response = upload(client, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", name="lijst.csv")
    html = response.content.decode()
    assert "geen CSV- of XLSX-bestand" in html
    assert "import/bevestigen" not in html
    assert response.context["token"] == ""


def test_ui_upload_form_requires_a_file(client, manager):
    client.force_login(manager)
    response = client.post("/gedetineerden/import/", {})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_an_unknown_token_asks_to_upload_again(client, manager):
    client.force_login(manager)
    upload(client, fixture_bytes("in_scope_valid.csv"))
    response = client.post("/gedetineerden/import/bevestigen/", {"token": "forged"})
    assert response.status_code == 302
    assert not Detainee.objects.exists()


def test_the_sample_file_imports_cleanly(client, manager):
    client.force_login(manager)
    sample = client.get("/gedetineerden/import/voorbeeld.csv")
    assert sample["Content-Type"].startswith("text/csv")
    body = post(manager, sample.content).json()
    assert body["errors"] == [] and body["created"] == 1


def test_the_caseload_links_to_the_import_for_managers_only(client, manager, consultant):
    client.force_login(manager)
    assert "/gedetineerden/import/" in client.get("/gedetineerden/").content.decode()
    client.force_login(consultant)
    assert "/gedetineerden/import/" not in client.get("/gedetineerden/").content.decode()
