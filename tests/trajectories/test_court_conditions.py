"""The sentence enforcement court's conditions on a release (ADR 0042): recorded with their reporting deadlines,
each deadline reminded by the one engine, and the report for the justice house written from the file as far as
the consent or the court's mandate allows, as a PDF (read back with pdftotext) recorded as a disclosure."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Organisation
from casework.models import Disclosure
from notifications import services as engine
from notifications.models import Notification, Reminder
from tests.factories import ConsentFactory, SessionFactory
from tests.pdfcheck import text_of
from tests.trajectories.factories import GoalFactory
from tests.trajectories.test_release import release
from trajectories.models_court import CourtCondition, CourtReport, ReportingDeadline
from trajectories.services import court as services_court

BRUSSELS = ZoneInfo("Europe/Brussels")
CASE_STAFF = ["consultant", "colleague", "manager"]
NOT_CASE_STAFF = [
    "outsider",
    "director",
    "other_director",
    "partner_with_consent",
    "partner_without_consent",
    "admin",
    "dpo",
]


def organisation(name, kind="other"):
    return Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]


@pytest.fixture
def justice_house(db):
    return organisation("Justitiehuis", "justice_house")


@pytest.fixture
def ceapire(db):
    return organisation("Ceapire")


@pytest.fixture
def released(active_trajectory, consultant):
    return release(active_trajectory, consultant)


def record(released, user, supervising, **overrides):
    fields = {
        "kind": "disengagement",
        "text": "Een disengagementtraject volgen bij Ceapire.",
        "court": "SURB Antwerpen",
        "decided_on": dt.date(2025, 5, 20),
        "judgment_reference": "VI/2025/123",
        "starts_on": dt.date(2025, 6, 1),
        "ends_on": dt.date(2027, 6, 1),
        "supervising_organisation": supervising,
        "reporting_mandate": True,
        "deadlines": [dt.date(2025, 9, 1), dt.date(2025, 12, 1)],
    }
    fields.update(overrides)
    return services_court.court_condition_record(release=released, user=user, **fields)


def test_a_condition_is_recorded_with_its_deadlines_in_the_history(released, consultant, justice_house):
    condition = record(released, consultant, justice_house)
    assert [(d.due_on, d.recipient_organisation_id, d.status) for d in condition.deadlines.all()] == [
        (dt.date(2025, 9, 1), justice_house.pk, "planned"),
        (dt.date(2025, 12, 1), justice_house.pk, "planned"),
    ]
    event = CourtCondition.pgh_event_model.objects.get(pgh_obj=condition)
    assert event.pgh_context.metadata["reason"] == "court_condition_record"
    assert ReportingDeadline.pgh_event_model.objects.filter(pgh_obj__condition=condition).count() == 2
    # Nothing is due yet: no reminder at once.
    assert not Reminder.objects.filter(kind="court_report_due").exists()


def test_deadlines_can_go_to_ceapire(released, consultant, justice_house, ceapire):
    condition = record(released, consultant, justice_house, report_to=ceapire)
    assert set(condition.deadlines.values_list("recipient_organisation_id", flat=True)) == {ceapire.pk}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": "  "}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"court": ""}, "court"),
        ({"kind": "curfew"}, "kind"),
        ({"decided_on": dt.date(2025, 7, 1)}, "decided_on"),
        ({"starts_on": dt.date(2025, 5, 1)}, "starts_on"),
        ({"ends_on": dt.date(2025, 5, 31)}, "ends_on"),
        ({"deadlines": [dt.date(2028, 1, 1)]}, "deadlines"),
        ({"deadlines": [dt.date(2025, 6, 1) + dt.timedelta(days=n) for n in range(25)]}, "deadlines"),
        ({"supervising_organisation": None}, "supervising_organisation"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(released, consultant, justice_house, change, field):
    with pytest.raises(ValidationError) as refused:
        record(released, consultant, justice_house, **change)
    assert field in refused.value.message_dict
    assert not CourtCondition.objects.exists() and not ReportingDeadline.objects.exists()


def test_a_condition_needs_a_trajectory_in_aftercare(released, consultant, justice_house):
    from trajectories.services.release import aftercare_close

    aftercare_close(trajectory=released.trajectory, user=consultant, closure_reason="aftercare_ended")
    with pytest.raises(ValidationError) as refused:
        record(released, consultant, justice_house)
    assert "trajectory" in refused.value.message_dict


def received(user):
    return sorted(
        (n.created_at.astimezone(BRUSSELS).date(), n.kind)
        for n in Notification.objects.filter(recipient=user, kind="court_report_due")
    )


def test_each_deadline_is_reminded_a_week_before_and_on_the_day_once(frozen, released, consultant, justice_house):
    record(released, consultant, justice_house, deadlines=[dt.date(2025, 6, 20)])
    day = dt.date(2025, 6, 2)
    while day <= dt.date(2025, 6, 25):
        frozen.move_to(dt.datetime.combine(day, dt.time(12, 0), tzinfo=BRUSSELS))
        engine.reminders_sweep()
        engine.reminders_sweep()
        day += dt.timedelta(days=1)
    assert received(consultant) == [
        (dt.date(2025, 6, 13), "court_report_due"),
        (dt.date(2025, 6, 20), "court_report_due"),
    ]
    texts = list(Notification.objects.filter(recipient=consultant).values_list("text", flat=True))
    assert any("Justitiehuis" in t and "20/06/2025" in t for t in texts)


def test_a_deadline_already_due_is_reminded_at_once_and_never_twice(frozen, released, consultant, justice_house):
    condition = record(released, consultant, justice_house, deadlines=[dt.date(2025, 6, 1)])
    reminder = Reminder.objects.get(kind="court_report_due")
    assert reminder.object_id == condition.deadlines.get().pk and "01/06/2025" in reminder.text
    engine.reminders_sweep()
    engine.reminders_sweep()
    assert Notification.objects.filter(kind="court_report_due").count() == 1


def test_a_report_withdraws_the_deadlines_reminders(frozen, released, consultant, justice_house):
    condition = record(released, consultant, justice_house, deadlines=[dt.date(2025, 6, 5)])
    frozen.move_to(dt.datetime(2025, 6, 5, 6, 0, tzinfo=BRUSSELS))
    engine.reminders_plan()
    deadline = condition.deadlines.get()
    services_court.court_report_write(condition=condition, user=consultant, deadline=deadline)
    frozen.move_to(dt.datetime(2025, 6, 5, 12, 0, tzinfo=BRUSSELS))
    engine.reminders_sweep()
    assert not Notification.objects.filter(kind="court_report_due").exists()
    assert ReportingDeadline.objects.get(pk=deadline.pk).status == "reported"


def test_a_cancelled_deadline_is_not_reminded(frozen, released, consultant, justice_house):
    condition = record(released, consultant, justice_house, deadlines=[dt.date(2025, 6, 5)])
    services_court.reporting_deadline_cancel(deadline=condition.deadlines.get(), user=consultant)
    frozen.move_to(dt.datetime(2025, 6, 5, 12, 0, tzinfo=BRUSSELS))
    engine.reminders_sweep()
    assert not Notification.objects.filter(kind="court_report_due").exists()


def _pdf_text(report) -> str:
    report.file.open("rb")
    try:
        return " ".join(text_of(report.file.read()).split())
    finally:
        report.file.close()


def test_under_the_mandate_the_report_holds_the_facts_and_nothing_of_the_content(
    released, consultant, detainee, justice_house
):
    SessionFactory(
        detainee=detainee,
        author=consultant,
        summary="Sprak over zijn broer in Syrië",
        confidential_notes="Heel vertrouwelijk",
        started_at=dt.datetime(2025, 6, 2, 9, tzinfo=BRUSSELS),
    )
    GoalFactory(trajectory=released.trajectory, description="Een opleiding lassen starten")
    condition = record(released, consultant, justice_house)
    deadline = condition.deadlines.first()
    report = services_court.court_report_write(condition=condition, user=consultant, deadline=deadline)
    text = _pdf_text(report)
    assert "Verslag over een voorwaarde van de strafuitvoeringsrechtbank" in text
    assert detainee.full_name in text and "SURB Antwerpen" in text and "VI/2025/123" in text
    assert "Doorgegaan" in text and "02/06/2025" in text
    for secret in ("Syrië", "vertrouwelijk Heel", "Heel vertrouwelijk", "lassen"):
        assert secret not in text
    disclosure = report.disclosure
    assert (disclosure.basis, disclosure.purpose, disclosure.consent_id) == ("legal_obligation", "supervision", None)
    assert disclosure.legal_reference == "SURB Antwerpen, 2025-05-20 (VI/2025/123)"
    assert disclosure.object_kind == "court_report" and disclosure.object_id == str(report.pk)
    assert disclosure.file_sha256 == report.file_sha256 and f"#{report.pk}" in text
    assert ReportingDeadline.objects.get(pk=deadline.pk).status == "reported"
    assert (report.period_from, report.period_to) == (dt.date(2025, 6, 1), dt.date(2025, 6, 2))


def test_with_consent_the_report_adds_what_its_scopes_allow(released, consultant, detainee, justice_house):
    consent = ConsentFactory(
        detainee=detainee,
        organisation=justice_house,
        explained_by=consultant,
        purposes=["handover"],
        scopes=["session_summaries", "trajectory_goals"],
    )
    SessionFactory(
        detainee=detainee,
        author=consultant,
        summary="Werkt mee aan zijn plan",
        confidential_notes="Heel vertrouwelijk",
        started_at=dt.datetime(2025, 6, 2, 9, tzinfo=BRUSSELS),
    )
    GoalFactory(trajectory=released.trajectory, description="Een opleiding lassen starten")
    condition = record(released, consultant, justice_house, reporting_mandate=False)
    report = services_court.court_report_write(condition=condition, user=consultant)
    text = _pdf_text(report)
    assert "Werkt mee aan zijn plan" in text and "lassen" in text and "Heel vertrouwelijk" not in text
    # No scope identity and no mandate: no name, the reference instead.
    assert detainee.full_name not in text and detainee.last_name not in text
    assert (report.disclosure.basis, report.disclosure.purpose, report.disclosure.consent_id) == (
        "consent",
        "handover",
        consent.pk,
    )
    assert report.scopes == ["session_summaries", "trajectory_goals"]


def test_without_consent_or_mandate_nothing_is_written_or_disclosed(released, consultant, justice_house, ceapire):
    condition = record(released, consultant, justice_house, reporting_mandate=False)
    with pytest.raises(ValidationError) as refused:
        services_court.court_report_write(condition=condition, user=consultant)
    assert "recipient_organisation" in refused.value.message_dict
    # The mandate covers the supervising body and the bodies of the deadlines, no one else.
    mandated = record(released, consultant, justice_house)
    with pytest.raises(ValidationError):
        services_court.court_report_write(condition=mandated, user=consultant, recipient_organisation=ceapire)
    assert not CourtReport.objects.exists() and not Disclosure.objects.exists()


def test_a_deadline_is_reported_once(released, consultant, justice_house):
    condition = record(released, consultant, justice_house)
    deadline = condition.deadlines.first()
    services_court.court_report_write(condition=condition, user=consultant, deadline=deadline)
    with pytest.raises(ValidationError) as refused:
        services_court.court_report_write(condition=condition, user=consultant, deadline=deadline)
    assert "deadline" in refused.value.message_dict
    assert CourtReport.objects.count() == 1 and Disclosure.objects.count() == 1


def test_the_next_report_covers_the_period_since_the_last(frozen, released, consultant, justice_house):
    condition = record(released, consultant, justice_house)
    services_court.court_report_write(condition=condition, user=consultant)
    frozen.move_to(dt.datetime(2025, 9, 1, 10, tzinfo=BRUSSELS))
    second = services_court.court_report_write(condition=condition, user=consultant)
    assert (second.period_from, second.period_to) == (dt.date(2025, 6, 2), dt.date(2025, 9, 1))


EXPECTED = {
    "fr-be": (
        "Rapport sur une condition du tribunal de l'application des peines",
        "Page 2 /",
        "Établi le",
        "A eu lieu",
    ),
    "en": ("Report on a condition of the sentence enforcement court", "Page 2 /", "Prepared on", "Took place"),
}


@pytest.mark.parametrize("language", EXPECTED)
def test_the_report_reads_in_the_chosen_language(released, consultant, detainee, justice_house, language):
    SessionFactory(detainee=detainee, author=consultant, started_at=dt.datetime(2025, 6, 2, 9, tzinfo=BRUSSELS))
    condition = record(released, consultant, justice_house)
    report = services_court.court_report_write(condition=condition, user=consultant, language=language)
    text = _pdf_text(report)
    title, page, made, attended = EXPECTED[language]
    assert title in text and page in text and made in text and attended in text
    for dutch in (
        "Voorwaarde",
        "Opgemaakt",
        "Strafuitvoeringsrechtbank",
        "Disengagementtraject",
        "Doorgegaan",
        "Pagina",
        "nazorg",
        "Geldt",
    ):
        assert dutch not in text, dutch
    assert report.language == language


# --- Pages and API -------------------------------------------------------------------------------------------

PAYLOAD = {
    "kind": "disengagement",
    "text": "Disengagementtraject volgen",
    "court": "SURB Gent",
    "decided_on": "2025-05-20",
    "starts_on": "2025-06-01",
    "ends_on": "2027-06-01",
    "reporting_mandate": True,
    "deadlines": ["2025-09-01"],
}


@pytest.mark.parametrize("role", CASE_STAFF)
def test_case_staff_record_a_condition_and_write_a_report_through_the_api(
    client, personas, released, justice_house, role
):
    client.force_login(personas[role])
    url = f"/api/v1/trajectories/{released.trajectory_id}/court-conditions/"
    response = client.post(
        url, {**PAYLOAD, "supervising_organisation": justice_house.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [d["due_on"] for d in body["deadlines"]] == ["2025-09-01"]
    response = client.post(
        f"/api/v1/court-conditions/{body['id']}/reports/",
        {"deadline": body["deadlines"][0]["id"], "language": "en"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    report = response.json()
    assert report["basis"] == "legal_obligation" and report["language"] == "en"
    listed = client.get(url).json()
    assert listed[0]["deadlines"][0]["status"] == "reported" and listed[0]["reports"][0]["id"] == report["id"]
    download = client.get(report["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("role", NOT_CASE_STAFF)
def test_everyone_else_gets_a_404_and_nothing_changes(client, personas, released, consultant, justice_house, role):
    condition = record(released, consultant, justice_house)
    report = services_court.court_report_write(condition=condition, user=consultant)
    client.force_login(personas[role])
    trajectory_id = released.trajectory_id
    assert client.get(f"/api/v1/trajectories/{trajectory_id}/court-conditions/").status_code == 404
    assert (
        client.post(
            f"/api/v1/trajectories/{trajectory_id}/court-conditions/",
            {**PAYLOAD, "supervising_organisation": justice_house.pk},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/court-conditions/{condition.pk}/reports/", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/court-conditions/{condition.pk}/deadlines/",
            {"due_on": "2025-10-01"},
            content_type="application/json",
        ).status_code
        == 404
    )
    deadline = condition.deadlines.first()
    assert client.post(f"/api/v1/reporting-deadlines/{deadline.pk}/cancel/").status_code == 404
    assert client.get(reverse("trajectories:court_conditions", args=[trajectory_id])).status_code == 404
    assert client.get(reverse("trajectories:court_report_download", args=[report.pk])).status_code == 404
    assert CourtCondition.objects.count() == 1 and CourtReport.objects.count() == 1
    assert ReportingDeadline.objects.filter(status="planned").count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"decided_on": "gisteren"}, "decided_on"),
        ({"ends_on": "2025-05-01"}, "ends_on"),
        ({"kind": "curfew"}, "kind"),
        ({"deadlines": ["2030-01-01"]}, "deadlines"),
        ({"text": ""}, "text"),
        ({"supervising_organisation": 999999}, "supervising_organisation"),
    ],
)
def test_bad_api_input_is_a_400_with_field_errors(client, consultant, released, justice_house, change, field):
    client.force_login(consultant)
    response = client.post(
        f"/api/v1/trajectories/{released.trajectory_id}/court-conditions/",
        {**PAYLOAD, "supervising_organisation": justice_house.pk, **change},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not CourtCondition.objects.exists()


def test_a_report_without_basis_is_a_400_in_the_readers_language(client, consultant, released, justice_house):
    condition = record(released, consultant, justice_house, reporting_mandate=False)
    consultant.language = "fr-be"
    consultant.save(update_fields=["language"])
    client.force_login(consultant)
    response = client.post(
        f"/api/v1/court-conditions/{condition.pk}/reports/",
        {},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr-be",
    )
    assert response.status_code == 400
    assert "consentement" in str(response.json()["recipient_organisation"])
    assert not Disclosure.objects.exists()


def test_the_page_records_a_condition_and_writes_the_report(client, consultant, released, justice_house):
    client.force_login(consultant)
    url = reverse("trajectories:court_conditions", args=[released.trajectory_id])
    assert client.get(url).status_code == 200
    form = {
        **PAYLOAD,
        "deadlines": "01/09/2025, 2025-12-01",
        "supervising_organisation": justice_house.pk,
        "reporting_mandate": "on",
    }
    bad = client.post(url, {**form, "deadlines": "volgende week"})
    assert bad.status_code == 400 and "geen datum" in bad.content.decode()
    response = client.post(url, form)
    assert response.status_code == 302
    condition = CourtCondition.objects.get()
    assert list(condition.deadlines.values_list("due_on", flat=True)) == [dt.date(2025, 9, 1), dt.date(2025, 12, 1)]
    page = client.get(url).content.decode()
    assert "SURB Gent" in page and "01/09/2025" in page and "opdracht van de rechtbank" in page
    response = client.post(
        reverse("trajectories:court_report_create", args=[released.trajectory_id, condition.pk]),
        {"recipient_organisation": justice_house.pk, "language": "nl-be", "deadline": condition.deadlines.first().pk},
    )
    assert response.status_code == 302
    report = CourtReport.objects.get()
    assert "PDF downloaden" in client.get(url).content.decode()
    download = client.get(reverse("trajectories:court_report_download", args=[report.pk]))
    assert download.status_code == 200
    from casework.models import AccessLog

    assert AccessLog.objects.filter(object_kind="court_report", object_id=str(report.pk), action="pdf").exists()
    assert AccessLog.objects.filter(object_kind="court_conditions").exists()


def test_a_report_on_a_withdrawn_consent_is_not_handed_out_again(client, consultant, detainee, released, justice_house):
    consent = ConsentFactory(
        detainee=detainee,
        organisation=justice_house,
        explained_by=consultant,
        purposes=["handover"],
        scopes=["identity"],
    )
    condition = record(released, consultant, justice_house, reporting_mandate=False)
    report = services_court.court_report_write(condition=condition, user=consultant)
    from casework.models import Consent

    Consent.objects.filter(pk=consent.pk).update(withdrawn_on=dt.date(2025, 6, 2))
    client.force_login(consultant)
    response = client.get(reverse("trajectories:court_report_download", args=[report.pk]))
    assert response.status_code == 302


def test_the_page_costs_the_same_whatever_the_number_of_conditions(
    client, consultant, released, justice_house, django_assert_max_num_queries
):
    client.force_login(consultant)
    url = reverse("trajectories:court_conditions", args=[released.trajectory_id])
    for n in range(4):
        condition = record(released, consultant, justice_house, deadlines=[dt.date(2025, 9, 1 + n)])
        services_court.court_report_write(condition=condition, user=consultant)
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("language", ["fr-be", "en"])
def test_the_page_reads_without_dutch_in_french_and_english(client, consultant, released, justice_house, language):
    from tests.i18n.dutch import database_names, dutch_in

    condition = record(released, consultant, justice_house)
    services_court.court_report_write(condition=condition, user=consultant, deadline=condition.deadlines.first())
    consultant.language = language
    consultant.save(update_fields=["language"])
    client.force_login(consultant)
    body = client.get(
        reverse("trajectories:court_conditions", args=[released.trajectory_id]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    # What the consultant typed (the condition's text, the court's name) stays as written.
    typed = (condition.text, condition.court, *database_names())
    assert dutch_in(body, language, allowed=typed) == []
