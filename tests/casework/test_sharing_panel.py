"""The partner's file view says what is shared and why (ADR 0034): his organisation's consents, every item he may
open, and for what is not shared one sentence, never the content and never a count."""

import datetime as dt

import pytest
from django.utils import timezone

from casework.models import Consent
from tests.factories import SessionFactory
from trajectories import services as trajectory_services
from trajectories.models import AssessmentTemplate

pytestmark = pytest.mark.django_db


def _file(client, user, detainee):
    client.force_login(user)
    return client.get(f"/gedetineerden/{detainee.pk}/plaatsingen/")


def test_the_panel_lists_consents_items_and_what_is_not_shared(client, detainee, consultant, partner_with_consent):
    Consent.objects.filter(detainee=detainee).update(
        scopes=["identity", "session_summaries", "assessments"], purposes=["conference", "referral"]
    )
    trajectory = trajectory_services.trajectory_refer(
        detainee=detainee,
        user=consultant,
        referred_on=dt.date(2025, 1, 6),
        referred_by="psd",
        referral_reason="Aangemeld",
    )
    template = AssessmentTemplate.objects.order_by("pk").first()
    assessment = trajectory_services.assessment_start(
        trajectory=trajectory, user=consultant, template=template, assessed_on=dt.date(2025, 3, 1)
    )
    page = _file(client, partner_with_consent, detainee).content.decode()
    assert "Wat gedeeld wordt met VDAB, en waarom" in page
    assert "uitgelegd door Sara Peeters, geldig tot ze wordt ingetrokken." in page
    assert "Doorverwijzing" in page and "Casusoverleg" in page  # the purposes
    assert f"/trajecten/inschattingen/{assessment.pk}/" in page  # assessments linked
    assert f"/gedetineerden/{detainee.pk}/contactmomenten/" in page
    assert "Gezondheid: niet gedeeld met jouw organisatie." in page
    assert "Traject en doelen: niet gedeeld met jouw organisatie." in page
    assert "Verslagen casusoverleg: niet gedeeld met jouw organisatie." in page


def test_what_is_not_shared_reads_the_same_whether_there_is_content_or_not(
    client, detainee, consultant, partner_with_consent
):
    Consent.objects.filter(detainee=detainee).update(scopes=["identity"])

    def panel():
        page = _file(client, partner_with_consent, detainee).content.decode()
        start = page.index("sharing-title")
        return page[start : page.index("</section>", start)]

    before = panel()
    for index in range(3):
        SessionFactory(detainee=detainee, author=consultant, summary=f"Vertrouwelijk gesprek {index}")
    after = panel()
    assert before == after
    assert "Samenvattingen van gesprekken: niet gedeeld met jouw organisatie." in after
    assert "Vertrouwelijk gesprek" not in after


def test_case_staff_and_directors_do_not_get_the_partner_panel(client, detainee, consultant, director):
    assert "sharing-title" not in _file(client, consultant, detainee).content.decode()
    assert "sharing-title" not in _file(client, director, detainee).content.decode()


def test_without_identity_consent_the_file_does_not_exist(
    client, detainee, partner_without_consent, partner_with_consent
):
    assert _file(client, partner_without_consent, detainee).status_code == 404
    Consent.objects.filter(detainee=detainee).update(withdrawn_on=timezone.localdate())
    assert _file(client, partner_with_consent, detainee).status_code == 404
