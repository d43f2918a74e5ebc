"""Referrals to partners (ADR 0034): refused without a consent with purpose referral, answered and closed by the
partner, visible to the case team with status and waiting time, ended for the partner by a withdrawn consent."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation
from casework.models import Consent, Disclosure
from notifications.models import Reminder
from tests.factories import ConsentFactory, DetaineeFactory, UserFactory
from trajectories.models import PartnerReferral
from trajectories.services import referrals as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral_consent(detainee):
    """The VDAB consent of the file, with purpose referral added."""
    consent = detainee.consents.get()
    Consent.objects.filter(pk=consent.pk).update(purposes=["conference", "referral"])
    consent.refresh_from_db()
    return consent


def _refer(client, detainee, organisation, **extra):
    data = {
        "organisation": organisation.pk,
        "service": "Trajectbegeleiding werk",
        "question": "Kan hij starten?",
        **extra,
    }
    return client.post(f"/trajecten/dossier/{detainee.pk}/doorverwijzen/", data)


def test_without_a_referral_consent_the_referral_is_refused_clearly_and_nothing_is_written(
    client, consultant, detainee, partner_org
):
    client.force_login(consultant)
    response = _refer(client, detainee, partner_org)
    assert response.status_code == 400
    assert (
        "geen geldende toestemming van de gedetineerde met doel doorverwijzing voor VDAB" in response.content.decode()
    )
    assert not PartnerReferral.objects.exists() and not Disclosure.objects.exists()
    # The API says the same, field by field.
    response = client.post(
        "/api/v1/partner-referrals/",
        {"detainee": detainee.pk, "organisation": partner_org.pk, "service": "Werk", "question": "?"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "organisation" in response.json()


def test_a_referral_consent_without_identity_is_refused(client, consultant, detainee):
    cgg = Organisation.objects.get(name="CGG")
    ConsentFactory(
        detainee=detainee,
        organisation=cgg,
        explained_by=consultant,
        purposes=["referral"],
        scopes=["session_summaries"],
    )
    client.force_login(consultant)
    response = _refer(client, detainee, cgg)
    assert response.status_code == 400 and "omvat de identiteit niet" in response.content.decode()


def test_the_consultant_refers_and_the_partner_is_notified_and_answers(
    client, consultant, detainee, partner_org, referral_consent, partner_with_consent, partner_without_consent
):
    client.force_login(consultant)
    assert _refer(client, detainee, partner_org).status_code == 302
    referral = PartnerReferral.objects.get()
    assert referral.consent == referral_consent and referral.status == "requested"
    disclosure = Disclosure.objects.get(object_kind="partner_referral")
    assert disclosure.purpose == "referral" and disclosure.consent == referral_consent
    # One content-free notification for the partner organisation's people, none for another organisation.
    reminder = Reminder.objects.get(kind="partner_referral", recipient=partner_with_consent)
    assert "Youssef" not in reminder.text and reminder.link == f"/trajecten/doorverwijzingen/{referral.pk}/"
    assert not Reminder.objects.filter(recipient=partner_without_consent).exists()
    # A second open referral to the same organisation is refused.
    assert "Er loopt al een doorverwijzing" in _refer(client, detainee, partner_org).content.decode()

    client.force_login(partner_with_consent)
    page = client.get("/trajecten/doorverwijzingen/").content.decode()
    assert referral.reference in page and "Youssef" in page
    response = client.post(f"/trajecten/doorverwijzingen/{referral.pk}/antwoord/", {"decision": "decline"})
    assert response.status_code == 400 and "Geef de reden" in response.content.decode()
    response = client.post(f"/trajecten/doorverwijzingen/{referral.pk}/antwoord/", {"decision": "accept"})
    assert response.status_code == 302
    response = client.post(f"/trajecten/doorverwijzingen/{referral.pk}/afsluiten/", {"outcome": ""})
    assert response.status_code == 400 and "Kies het resultaat" in response.content.decode()
    response = client.post(
        f"/trajecten/doorverwijzingen/{referral.pk}/afsluiten/", {"outcome": "completed", "note": "Opleiding afgerond"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (
        referral.status == "closed" and referral.outcome == "completed" and referral.closed_by == partner_with_consent
    )
    # The referrer is told; answered and closed on the same day is one notification (one per object and day).
    assert Reminder.objects.filter(kind="partner_referral", recipient=consultant).count() == 1
    # The case team sees status and outcome on the file's tab.
    client.force_login(consultant)
    tab = client.get(f"/trajecten/dossier/{detainee.pk}/doorverwijzingen/").content.decode()
    assert referral.reference in tab and "Afgesloten" in tab and "Begeleiding afgerond" in tab


def test_the_partner_sees_only_his_organisations_referrals_and_loses_them_with_the_consent(
    client, consultant, detainee, partner_org, referral_consent, partner_with_consent, partner_without_consent
):
    referral = services.partner_referral_create(
        detainee=detainee, user=consultant, organisation=partner_org, service="Werk", question="Vraag"
    )
    client.force_login(partner_without_consent)
    assert referral.reference not in client.get("/trajecten/doorverwijzingen/").content.decode()
    assert client.get(f"/trajecten/doorverwijzingen/{referral.pk}/").status_code == 404
    assert client.get("/api/v1/partner-referrals/").json()["count"] == 0

    client.force_login(partner_with_consent)
    assert client.get(f"/trajecten/doorverwijzingen/{referral.pk}/").status_code == 200
    Consent.objects.filter(pk=referral_consent.pk).update(withdrawn_on=timezone.localdate())
    assert client.get(f"/trajecten/doorverwijzingen/{referral.pk}/").status_code == 404
    assert client.get(f"/api/v1/partner-referrals/{referral.pk}/").status_code == 404
    assert referral.reference not in client.get("/trajecten/doorverwijzingen/").content.decode()
    assert (
        client.post(f"/trajecten/doorverwijzingen/{referral.pk}/antwoord/", {"decision": "accept"}).status_code == 404
    )
    # The pending notification is withdrawn, not delivered.
    from notifications import services as engine

    engine.reminders_sweep()
    assert set(Reminder.objects.filter(recipient=partner_with_consent).values_list("status", flat=True)) == {
        "withdrawn"
    }


def test_waiting_time_on_the_managers_dashboard(client, consultant, manager, detainee, partner_org, referral_consent):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        services.partner_referral_create(
            detainee=detainee, user=consultant, organisation=partner_org, service="Werk", question="Vraag"
        )
        traveller.move_to(dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC))
        client.force_login(manager)
        from django.urls import reverse

        page = client.get(reverse("reporting:manager_dashboard")).content.decode()
        assert "Doorverwijzingen naar partners" in page and "VDAB" in page
        listing = client.get("/trajecten/doorverwijzingen/").content.decode()
        assert "10 dagen" in listing


def test_the_api_follows_the_same_rules(
    client, consultant, detainee, partner_org, referral_consent, partner_with_consent
):
    client.force_login(consultant)
    response = client.post(
        "/api/v1/partner-referrals/",
        {"detainee": detainee.pk, "organisation": partner_org.pk, "service": "Werk", "question": "Vraag"},
        content_type="application/json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    client.force_login(partner_with_consent)
    response = client.post(
        f"/api/v1/partner-referrals/{pk}/respond/", {"decision": "decline"}, content_type="application/json"
    )
    assert response.status_code == 400 and "response_note" in response.json()
    response = client.post(
        f"/api/v1/partner-referrals/{pk}/respond/", {"decision": "accept"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"


def test_the_referral_list_costs_the_same_with_one_or_ten(
    client, consultant, caw, hasselt, detainee, partner_org, referral_consent, partner_with_consent
):
    services.partner_referral_create(
        detainee=detainee, user=consultant, organisation=partner_org, service="W", question="V"
    )
    counts = []
    for size in (1, 10):
        if size == 10:
            for _ in range(9):
                other = DetaineeFactory(organisation=caw, current_prison=hasselt, lead_consultant=consultant)
                ConsentFactory(
                    detainee=other,
                    organisation=partner_org,
                    explained_by=consultant,
                    purposes=["referral"],
                    scopes=["identity"],
                )
                services.partner_referral_create(
                    detainee=other, user=consultant, organisation=partner_org, service="W", question="V"
                )
        row = []
        for user in (consultant, partner_with_consent):
            client.force_login(user)
            client.get("/trajecten/doorverwijzingen/")
            with CaptureQueriesContext(connection) as ctx:
                assert client.get("/trajecten/doorverwijzingen/").status_code == 200
            row.append(len(ctx.captured_queries))
        counts.append(row)
    assert counts[0] == counts[1] and max(counts[0]) <= 15, counts


def test_only_the_partner_answers_and_only_the_team_withdraws(
    consultant, detainee, partner_org, referral_consent, partner_with_consent
):
    from django.core.exceptions import ValidationError

    referral = services.partner_referral_create(
        detainee=detainee, user=consultant, organisation=partner_org, service="Werk", question="Vraag"
    )
    with pytest.raises(ValidationError):
        services.partner_referral_respond(referral=referral, user=consultant, accept=True)
    with pytest.raises(ValidationError):
        services.partner_referral_withdraw(referral=referral, user=partner_with_consent)
    with pytest.raises(ValidationError):
        services.partner_referral_close(referral=referral, user=partner_with_consent, outcome="completed")
    services.partner_referral_withdraw(referral=referral, user=consultant)
    referral.refresh_from_db()
    assert referral.status == "withdrawn"
    with pytest.raises(ValidationError):
        services.partner_referral_respond(referral=referral, user=partner_with_consent, accept=True)
    assert UserFactory  # the factory module is shared with the other tests
