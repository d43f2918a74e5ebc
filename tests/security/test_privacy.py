"""Data protection: retention (anonymisation, legal hold), disclosure log and access review pages,
subject-access export. Only the dpo reaches the log, retention and export pages; case staff see their
own file's disclosures."""

import datetime as dt
import io
import json
import logging
import zipfile

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from casework.models import AccessLog, Detainee, Disclosure, NetworkPerson, RetentionRecord, Session
from casework.privacy.selectors import retention_overview
from casework.privacy.services import detainee_anonymise, legal_hold_set, retention_run
from casework.services import detainee_update, disclosure_record
from config.security import ContentFreeLogFilter
from tests.factories import DetaineeFactory, NetworkPersonFactory, SessionFactory

TODAY = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
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
def old_file(caw, consultant, settings):
    """A file closed in 2014 (released, out of scope, last session then): due after 10 years."""
    settings.DISENGAGE_RETENTION_YEARS = 10
    with time_machine.travel(dt.datetime(2012, 2, 1, 12, tzinfo=dt.UTC), tick=False):
        person = DetaineeFactory(
            first_name="Karim",
            last_name="Bouzidi",
            organisation=caw,
            lead_consultant=consultant,
            national_number="95031412318",
            date_of_birth=dt.date(1995, 3, 14),
            incarcerated_on=dt.date(2012, 1, 10),
            external_ref="EXT-77",
        )
    with time_machine.travel(dt.datetime(2014, 5, 1, 12, tzinfo=dt.UTC), tick=False):
        SessionFactory(
            detainee=person,
            author=consultant,
            started_at=dt.datetime(2014, 4, 1, 9, tzinfo=dt.UTC),
            summary="Gesprek over Karim zijn broer.",
            confidential_notes="Vertrouwelijk over Karim.",
        )
        NetworkPersonFactory(detainee=person, name="Fatima Bouzidi", notes="Moeder van Karim.", phone="0470 12 34 56")
        detainee_update(detainee=person, user=consultant, in_scope=False, released_on=dt.date(2014, 4, 30))
    return person


def test_a_closed_file_past_its_term_is_due(old_file):
    with time_machine.travel(TODAY, tick=False):
        overview = retention_overview()
    assert [s.detainee_id for s in overview["due"]] == [old_file.pk]
    assert overview["due"][0].closed_on == dt.date(2014, 4, 30)
    assert overview["due"][0].due_on == dt.date(2024, 4, 30)


def test_anonymisation_removes_identity_free_text_and_history(old_file, dpo):
    with time_machine.travel(TODAY, tick=False):
        record = detainee_anonymise(detainee_id=old_file.pk, user=dpo)
    old_file.refresh_from_db()
    assert old_file.anonymised_at is not None
    assert "Karim" not in old_file.first_name and "Bouzidi" not in old_file.last_name
    assert old_file.national_number == "" and old_file.external_ref is None
    assert old_file.date_of_birth == dt.date(1995, 1, 1)
    session = Session.objects.get(detainee=old_file)
    assert session.summary == "" and session.confidential_notes == ""
    person = NetworkPerson.objects.get(detainee=old_file)
    assert "Bouzidi" not in person.name and person.notes == "" and person.phone == ""
    # No table (history included) still holds the names or the national number.
    with connection.cursor() as cursor:
        for table in (
            "casework_detainee",
            "casework_detaineeevent",
            "casework_networkperson",
            "casework_networkpersonevent",
            "casework_session",
            "casework_sessionevent",
        ):
            cursor.execute(
                f"SELECT count(*) FROM {table} WHERE CAST({table}.* AS text) ILIKE %s OR CAST({table}.* AS text) LIKE %s",
                ["%bouzidi%", "%95031412318%"],
            )
            assert cursor.fetchone()[0] == 0, table
    assert record.closed_on == dt.date(2014, 4, 30) and record.retention_years == 10 and record.run_by == dpo
    assert record.changes["casework"]["sessions"] == 1
    # The facts the yearly figures need stay.
    assert old_file.incarcerated_on == dt.date(2012, 1, 10) and old_file.released_on == dt.date(2014, 4, 30)


def test_anonymising_twice_is_refused(old_file, dpo):
    with time_machine.travel(TODAY, tick=False):
        detainee_anonymise(detainee_id=old_file.pk, user=dpo)
        with pytest.raises(ValidationError):
            detainee_anonymise(detainee_id=old_file.pk, user=dpo)
    assert RetentionRecord.objects.filter(detainee=old_file).count() == 1


def test_a_legal_hold_wins(old_file, dpo):
    with pytest.raises(ValidationError) as error:
        legal_hold_set(detainee=old_file, user=dpo, hold=True, reason="  ")
    assert "reason" in error.value.message_dict
    legal_hold_set(detainee=old_file, user=dpo, hold=True, reason="Lopende procedure hof van beroep")
    with time_machine.travel(TODAY, tick=False):
        assert retention_run(user=dpo).anonymised == []
        with pytest.raises(ValidationError):
            detainee_anonymise(detainee_id=old_file.pk, user=dpo)
        assert [s.detainee_id for s in retention_overview()["held"]] == [old_file.pk]
    old_file.refresh_from_db()
    assert old_file.first_name == "Karim"


def test_not_yet_due_and_in_scope_files_are_kept(old_file, caw, dpo):
    recent = DetaineeFactory(
        organisation=caw, in_scope=False, incarcerated_on=dt.date(2018, 1, 1), released_on=dt.date(2020, 1, 1)
    )
    followed = DetaineeFactory(
        organisation=caw, in_scope=True, incarcerated_on=dt.date(2008, 1, 1), released_on=dt.date(2010, 1, 1)
    )
    with time_machine.travel(TODAY, tick=False):
        run = retention_run(user=dpo)
        overview = retention_overview()
    assert [r.detainee_id for r in run.anonymised] == [old_file.pk]
    assert Detainee.objects.get(pk=recent.pk).anonymised_at is None
    assert Detainee.objects.get(pk=followed.pk).anonymised_at is None
    assert followed.pk not in {s.detainee_id for s in overview["due"] + overview["upcoming"]}


def test_an_open_trajectory_keeps_the_file(old_file, dpo):
    from tests.trajectories.factories import TrajectoryFactory

    TrajectoryFactory(detainee=old_file, referred_on=dt.date(2014, 1, 6))
    with time_machine.travel(TODAY, tick=False):
        assert retention_overview()["due"] == []
        with pytest.raises(ValidationError):
            detainee_anonymise(detainee_id=old_file.pk, user=dpo)


def test_the_closing_date_of_the_last_trajectory_counts(old_file):
    from tests.trajectories.factories import TrajectoryFactory

    trajectory = TrajectoryFactory(detainee=old_file, referred_on=dt.date(2014, 1, 6))
    trajectory_model = apps.get_model("trajectories", "Trajectory")
    trajectory_model.objects.filter(pk=trajectory.pk).update(
        status="closed", closed_on=dt.date(2017, 3, 1), closure_reason="goals_reached"
    )
    with time_machine.travel(TODAY, tick=False):
        upcoming = retention_overview()
    assert upcoming["due"] == []
    with time_machine.travel(dt.datetime(2027, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        assert [s.due_on for s in retention_overview()["due"]] == [dt.date(2027, 3, 1)]


def test_the_management_command(old_file):
    out = io.StringIO()
    with time_machine.travel(TODAY, tick=False):
        call_command("retention_run", "--dry-run", stdout=out)
        assert "1 file(s) due" in out.getvalue()
        assert Detainee.objects.get(pk=old_file.pk).anonymised_at is None
        call_command("retention_run", stdout=out)
    assert Detainee.objects.get(pk=old_file.pk).anonymised_at is not None
    assert RetentionRecord.objects.get(detainee=old_file).run_by is None


# --- Pages: who may reach them ---------------------------------------------------------------------------

DPO_PAGES = ["privacy:disclosure_log", "privacy:access_review", "privacy:retention", "privacy:subject_access"]


@pytest.mark.parametrize("name", DPO_PAGES)
def test_dpo_pages_are_for_the_dpo_only(client, personas, name):
    url = reverse(name)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for persona in NON_DPO:
        client.force_login(personas[persona])
        assert client.get(url).status_code == 404, persona
    client.force_login(personas["dpo"])
    assert client.get(url).status_code == 200


def test_retention_page_and_run(client, dpo, old_file, django_assert_max_num_queries):
    client.force_login(dpo)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("privacy:retention"))
        assert f"#{old_file.pk}" in page.content.decode()
        assert "Karim" not in page.content.decode()  # the dpo sees file numbers, not names
        response = client.post(reverse("privacy:retention_run"))
    assert response.status_code == 302
    assert Detainee.objects.get(pk=old_file.pk).anonymised_at is not None


def test_legal_hold_from_the_page(client, dpo, old_file):
    client.force_login(dpo)
    client.post(reverse("privacy:legal_hold", args=[old_file.pk]), {"hold": "1", "reason": "Procedure"})
    old_file.refresh_from_db()
    assert old_file.legal_hold and old_file.legal_hold_reason == "Procedure"
    client.post(reverse("privacy:legal_hold", args=[old_file.pk]), {"hold": "1", "reason": ""})  # refused, no 500
    client.post(reverse("privacy:legal_hold", args=[old_file.pk]), {"hold": "0"})
    old_file.refresh_from_db()
    assert not old_file.legal_hold


def test_only_the_dpo_can_run_retention(client, personas, old_file):
    with time_machine.travel(TODAY, tick=False):
        for persona in NON_DPO:
            client.force_login(personas[persona])
            assert client.post(reverse("privacy:retention_run")).status_code == 404
            assert client.post(reverse("privacy:retention_anonymise", args=[old_file.pk])).status_code == 404
    assert Detainee.objects.get(pk=old_file.pk).anonymised_at is None


# --- Disclosure log -----------------------------------------------------------------------------------------


@pytest.fixture
def disclosure(detainee, consultant, partner_org):
    consent = detainee.consents.get()
    return disclosure_record(
        detainee=detainee,
        user=consultant,
        recipient_name="Jan VDAB",
        purpose="conference",
        basis="consent",
        consent=consent,
        recipient_organisation=partner_org,
        what="Verslag casusoverleg 12/05",
    )


def test_the_file_tab_lists_its_disclosures(client, personas, detainee, disclosure):
    url = reverse("privacy:file_disclosures", args=[detainee.pk])
    expected = {
        "consultant": 200,
        "colleague": 200,
        "manager": 200,
        "outsider": 404,
        "director": 404,
        "other_director": 404,
        "partner_with_consent": 404,
        "partner_without_consent": 404,
        "admin": 404,
        "dpo": 404,
    }
    for persona, status in expected.items():
        client.force_login(personas[persona])
        response = client.get(url)
        assert response.status_code == status, persona
    client.force_login(personas["consultant"])
    html = client.get(url).content.decode()
    assert "Jan VDAB" in html and "Verslag casusoverleg 12/05" in html
    assert AccessLog.objects.filter(user=personas["consultant"], detainee=detainee, object_kind="disclosures").exists()


def test_the_dpo_disclosure_log_filters_and_exports(client, dpo, detainee, disclosure, partner_org):
    client.force_login(dpo)
    html = client.get(reverse("privacy:disclosure_log"), {"organisation": partner_org.pk}).content.decode()
    assert "Jan VDAB" in html and "El Amrani" not in html
    assert "Jan VDAB" not in client.get(reverse("privacy:disclosure_log"), {"purpose": "handover"}).content.decode()
    assert (
        client.get(reverse("privacy:disclosure_log"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}).status_code
        == 200
    )
    response = client.get(reverse("privacy:disclosure_log"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "Jan VDAB" in body and "Toestemming" in body
    assert AccessLog.objects.filter(user=dpo, object_kind="disclosure_log", action="export").exists()


def test_the_disclosure_log_runs_a_fixed_number_of_queries(
    client, dpo, detainee, consultant, partner_org, django_assert_num_queries
):
    consent = detainee.consents.get()
    client.force_login(dpo)

    def add(count):
        for number in range(count):
            disclosure_record(
                detainee=detainee,
                user=consultant,
                recipient_name=f"Ontvanger {number}",
                purpose="conference",
                basis="consent",
                consent=consent,
                recipient_organisation=partner_org,
                what="Verslag",
            )

    for size in (3, 30):
        add(size)
        # 1 session, 1 user, 1 access log insert, 1 count, 1 organisations for the filter select,
        # 1 page of disclosures with organisation and user
        with django_assert_num_queries(6):
            assert client.get(reverse("privacy:disclosure_log")).status_code == 200


# --- Access review ----------------------------------------------------------------------------------------------


def test_the_access_review_shows_who_read_what_and_is_logged(client, dpo, consultant, detainee):
    client.force_login(consultant)
    client.get(reverse("casework:detainee_detail", args=[detainee.pk]))
    client.force_login(dpo)
    html = client.get(reverse("privacy:access_review"), {"detainee_id": detainee.pk}).content.decode()
    assert "consultant" in html and f"#{detainee.pk}" in html
    assert "El Amrani" not in html
    assert (
        "consultant"
        not in client.get(reverse("privacy:access_review"), {"user": dpo.pk}).content.decode().split("<tbody>")[-1]
    )
    body = b"".join(client.get(reverse("privacy:access_review"), {"format": "csv"}).streaming_content).decode()
    assert "consultant" in body and "access_review" in body
    kinds = set(AccessLog.objects.filter(user=dpo).values_list("object_kind", "action"))
    assert ("access_review", "view") in kinds and ("access_review", "export") in kinds


def test_the_access_review_runs_a_fixed_number_of_queries(client, dpo, consultant, detainee, django_assert_num_queries):
    client.force_login(dpo)
    for size in (3, 40):
        AccessLog.objects.bulk_create(
            [
                AccessLog(user=consultant, detainee=detainee, object_kind="sessions", action="view", path="/x/")
                for _ in range(size)
            ]
        )
        # 1 session, 1 user, 1 access log insert, 1 users for the filter select,
        # 1 keyset page of entries with user and organisation (no count: ADR 0036)
        with django_assert_num_queries(5):
            assert client.get(reverse("privacy:access_review")).status_code == 200


# --- Subject-access export --------------------------------------------------------------------------------------


def test_the_subject_access_export(client, dpo, consultant, detainee):
    SessionFactory(detainee=detainee, author=consultant, summary="Samenvatting A", confidential_notes="Notitie B")
    client.force_login(dpo)
    lookup = client.get(reverse("privacy:subject_access"), {"reference": str(detainee.pk)})
    assert lookup["Location"] == reverse("privacy:subject_access_detail", args=[detainee.pk])
    assert client.get(reverse("privacy:subject_access"), {"reference": "does-not-exist"}).status_code == 200
    response = client.post(reverse("privacy:subject_access_download", args=[detainee.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = sorted(archive.namelist())
    assert names[0].endswith(".json") and names[1].endswith(".pdf")
    data = json.loads(archive.read(names[0]))
    casework = data["sections"]["casework"]
    assert casework["identity"]["last_name"] == "El Amrani"
    assert casework["sessions"][0]["confidential_notes"] == "Notitie B"
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read(names[1]))).pages)
    assert "El Amrani" in pdf_text and "Samenvatting A" in pdf_text and "VERTROUWELIJK" in pdf_text
    disclosure = Disclosure.objects.get(detainee=detainee, object_kind="subject_access")
    assert (
        disclosure.purpose == "subject_access"
        and disclosure.basis == "legal_obligation"
        and disclosure.disclosed_by == dpo
    )
    assert len(disclosure.file_sha256) == 64
    assert AccessLog.objects.filter(user=dpo, detainee=detainee, object_kind="subject_access", action="export").exists()


def test_nobody_but_the_dpo_exports(client, personas, detainee):
    for persona in NON_DPO:
        client.force_login(personas[persona])
        assert client.post(reverse("privacy:subject_access_download", args=[detainee.pk])).status_code == 404
        assert client.get(reverse("privacy:subject_access_detail", args=[detainee.pk])).status_code == 404
    assert not Disclosure.objects.filter(object_kind="subject_access").exists()


# --- Logs without content -----------------------------------------------------------------------------------------


def test_failed_logins_are_logged_without_the_username(client, consultant, caplog):
    with caplog.at_level(logging.INFO):
        client.post(reverse("account_login"), {"login": "consultant", "password": "wrong-password"})
    messages = " ".join(record.getMessage() for record in caplog.records)
    assert "login failed: account" in messages
    assert "consultant" not in messages.replace("disengage", "")


def test_the_log_filter_masks_national_numbers_and_email():
    record = logging.LogRecord(
        "django.security",
        logging.WARNING,
        __file__,
        1,
        "bad value %s for %s",
        ("95.03.14-123.45", "jan@example.org"),
        None,
    )
    ContentFreeLogFilter().filter(record)
    assert "95.03.14" not in record.getMessage() and "jan@example.org" not in record.getMessage()
