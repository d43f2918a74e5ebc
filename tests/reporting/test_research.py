"""The research extract: only files with a research consent to the recipient, pseudonymised, k ≥ 5 on the
quasi-identifiers (rows that cannot be generalised withheld), CSV + codebook; the manager asks, the dpo approves
and releases, and the release is a disclosure per person."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter

import pytest

from accounts.models import Organisation
from casework.models import Disclosure
from reporting import research
from reporting.models import ResearchExtract
from tests.factories import ConsentFactory, ListingFactory

from .conftest import _detainee
from .factories import trajectory

pytestmark = pytest.mark.django_db
D = dt.date
PAGE = "/rapportering/onderzoek/"
FILE = "/rapportering/onderzoek/bestand/"


@pytest.fixture
def university(db):
    return Organisation.objects.create(name="Universiteit Gent, Criminologie", kind="other")


@pytest.fixture
def cohort(today, caw, consultant, university):
    """23 files with a research consent to the university (born 1985-1999, Flanders and Brussels, referred
    2021-2025), two outliers (born 1950, in Wallonia), and files without that consent."""
    consenting = []
    for i in range(23):
        prison = "hasselt" if i % 3 else "sint-gillis"
        person = _detainee(
            caw,
            consultant,
            f"Onderzoek{i}",
            f"Deelnemer{i}",
            prison=prison,
            date_of_birth=D(1985 + i % 15, 3, 1),
            national_number="",
        )
        trajectory(person, [("referred", D(2021 + i % 5, 2, 1)), ("intake", D(2021 + i % 5, 3, 1))])
        ListingFactory(detainee=person, listed_on=D(2020, 1, 1))
        ConsentFactory(
            detainee=person,
            organisation=university,
            explained_by=consultant,
            purposes=["research"],
            scopes=["trajectory_goals"],
        )
        consenting.append(person)
    for i in range(2):
        person = _detainee(caw, consultant, f"Uitschieter{i}", "Oud", prison="lantin", date_of_birth=D(1950, 1, 1))
        ConsentFactory(
            detainee=person,
            organisation=university,
            explained_by=consultant,
            purposes=["research"],
            scopes=["trajectory_goals"],
        )
        consenting.append(person)
    # no research consent: another purpose to the university, research to someone else, a withdrawn one
    other = _detainee(caw, consultant, "Geen", "Onderzoek")
    ConsentFactory(
        detainee=other,
        organisation=university,
        explained_by=consultant,
        purposes=["referral"],
        scopes=["trajectory_goals"],
    )
    elsewhere = _detainee(caw, consultant, "Ander", "Onderzoek")
    ConsentFactory(
        detainee=elsewhere,
        organisation=Organisation.objects.get(name="VDAB"),
        explained_by=consultant,
        purposes=["research"],
        scopes=["trajectory_goals"],
    )
    withdrawn = _detainee(caw, consultant, "Ingetrokken", "Onderzoek")
    ConsentFactory(
        detainee=withdrawn,
        organisation=university,
        explained_by=consultant,
        purposes=["research"],
        scopes=["trajectory_goals"],
        withdrawn_on=D(2026, 1, 1),
    )
    return {"consenting": consenting, "others": [other, elsewhere, withdrawn]}


def _flow(client, manager, dpo, university):
    client.force_login(manager)
    assert (
        client.post(
            PAGE, {"action": "request", "recipient": university.pk, "study": "Desistance na vrijlating"}
        ).status_code
        == 302
    )
    extract = ResearchExtract.objects.get()
    client.force_login(dpo)
    assert client.post(PAGE, {"action": "approve", "extract": extract.pk}).status_code == 302
    assert client.post(PAGE, {"action": "release", "extract": extract.pk}).status_code == 302
    extract.refresh_from_db()
    return extract


def _rows(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_the_extract_is_k_anonymous_and_leaves_out_everyone_without_a_research_consent(
    cohort, client, manager, dpo, university
):
    extract = _flow(client, manager, dpo, university)
    assert extract.status == ResearchExtract.Status.RELEASED
    response = client.get(FILE, {"extract": extract.pk, "part": "data"})
    assert response.status_code == 200
    rows = _rows(response.content.decode("utf-8"))
    classes = Counter(tuple(row[q] for q in research.QUASI) for row in rows)
    assert min(classes.values()) >= 5
    # the two outliers (1950, Wallonia) cannot be generalised into a class of five: withheld
    assert extract.rows_included + extract.rows_withheld == 25
    assert len(rows) == extract.rows_included >= 20
    included = {detainee for detainee, _consent in extract.included}
    assert included <= {p.pk for p in cohort["consenting"]}
    assert not included & {p.pk for p in cohort["others"]}
    # no names, no dates, no free text; ids are not the database ids
    body = response.content.decode("utf-8")
    for person in cohort["consenting"]:
        assert person.last_name not in body and person.first_name not in body
    assert all(len(row["research_id"]) == 20 and not row["research_id"].isdigit() for row in rows)
    assert "-03-01" not in body and "2021-02-01" not in body
    assert set(rows[0]) == set(research.COLUMNS)


def test_the_codebook_explains_every_column_and_the_generalisation(cohort, client, manager, dpo, university):
    extract = _flow(client, manager, dpo, university)
    codebook = client.get(FILE, {"extract": extract.pk, "part": "codebook"}).content.decode("utf-8")
    for column in research.COLUMNS:
        assert f"\n{column};" in codebook or codebook.lstrip("\ufeff").startswith(f"{column};")
    assert "k-anonimiteit" in codebook and "Desistance na vrijlating" in codebook


def test_the_release_is_a_disclosure_per_person_on_his_consent(cohort, client, manager, dpo, university):
    extract = _flow(client, manager, dpo, university)
    disclosures = Disclosure.objects.filter(object_kind="research_extract", object_id=str(extract.pk))
    assert disclosures.count() == extract.rows_included
    assert {d.purpose for d in disclosures} == {"research"}
    assert all(d.consent.organisation_id == university.pk and d.file_sha256 == extract.sha256 for d in disclosures)


def test_only_the_manager_requests_and_only_the_dpo_decides(cohort, client, manager, dpo, consultant, university):
    client.force_login(dpo)
    assert client.post(PAGE, {"action": "request", "recipient": university.pk, "study": "x"}).status_code == 403
    client.force_login(manager)
    client.post(PAGE, {"action": "request", "recipient": university.pk, "study": "Studie"})
    extract = ResearchExtract.objects.get()
    for action in ("approve", "release", "refuse"):
        assert client.post(PAGE, {"action": action, "extract": extract.pk}).status_code == 403
    client.force_login(consultant)
    assert client.get(PAGE).status_code == 403
    # nothing can be downloaded before the release
    client.force_login(dpo)
    assert client.get(FILE, {"extract": extract.pk, "part": "data"}).status_code == 404
    extract.refresh_from_db()
    assert extract.status == ResearchExtract.Status.REQUESTED and not extract.data_csv


def test_another_organisations_manager_sees_nothing(cohort, client, manager, dpo, university, outsider):
    extract = _flow(client, manager, dpo, university)
    from tests.factories import UserFactory

    other_manager = UserFactory(username="othermanager", manager=True, organisation=outsider.organisation)
    client.force_login(other_manager)
    assert client.get(FILE, {"extract": extract.pk, "part": "data"}).status_code == 404
    assert list(client.get(PAGE).context["extracts"]) == []


def test_bad_input_is_refused_with_a_message(cohort, client, manager, dpo, university):
    client.force_login(manager)
    response = client.post(PAGE, {"action": "request", "recipient": university.pk, "study": ""})
    assert response.status_code == 400 and "Beschrijf het onderzoek." in response.content.decode()
    vdab = Organisation.objects.get(name="CGG")
    assert client.post(PAGE, {"action": "request", "recipient": vdab.pk, "study": "x"}).status_code == 400
    assert not ResearchExtract.objects.exists()
    client.force_login(dpo)
    assert client.post(PAGE, {"action": "approve", "extract": 999999}).status_code == 404


def test_a_consent_withdrawn_after_approval_stops_the_release(cohort, client, manager, dpo, university):
    client.force_login(manager)
    client.post(PAGE, {"action": "request", "recipient": university.pk, "study": "Studie"})
    extract = ResearchExtract.objects.get()
    client.force_login(dpo)
    client.post(PAGE, {"action": "approve", "extract": extract.pk})
    extract.refresh_from_db()
    detainee, consent = extract.included[0]
    from casework.models import Consent

    Consent.objects.filter(pk=consent).update(withdrawn_on=D(2026, 6, 1))
    response = client.post(PAGE, {"action": "release", "extract": extract.pk})
    assert response.status_code == 400
    assert not Disclosure.objects.filter(object_kind="research_extract").exists()
    extract.refresh_from_db()
    assert extract.status == ResearchExtract.Status.APPROVED


def test_generalisation_reaches_k_and_withholds_the_rest():
    # 2 birth bands × 4 referral years: classes of 3 or 4, so the years are put in periods first
    rows = [
        {"birth_year": 1980 + i % 10, "region": "flanders", "referral_year": 2020 + i % 4, "category": "pve"}
        for i in range(30)
    ] + [{"birth_year": 1940, "region": "wallonia", "referral_year": 2010, "category": "ftf"}]
    published, withheld, levels = research.generalise(rows, 5)
    classes = Counter(tuple(r[q] for q in research.QUASI) for r in published)
    assert min(classes.values()) >= 5
    assert len(withheld) == 1 and withheld[0]["birth_year"] == 1940
    assert levels["referral_year"] == 1 and levels["birth_period"] == 0
    assert {r["referral_year"] for r in published} == {"2020-2024"}


def test_the_page_query_count_is_constant(cohort, client, manager, dpo, university, django_assert_num_queries):
    _flow(client, manager, dpo, university)
    client.force_login(dpo)

    def count():
        # 1 session, 2 user, 3 extracts
        with django_assert_num_queries(3):
            client.get(PAGE)

    count()
    client.force_login(manager)
    client.post(PAGE, {"action": "request", "recipient": university.pk, "study": "Tweede studie"})
    client.force_login(dpo)
    count()
