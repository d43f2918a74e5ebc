"""Draft minutes are not the minutes yet (ADR 0005, "Who reads a draft"): until the chair approves them they stay
with the prison's directors and the case staff of the file's organisation. An invited partner — with scope
minutes or on an art. 458ter basis — reads the approved versions only, on the page, in the API and as PDF; an
invisible version is a 404, like an invisible conference."""

import datetime as dt

import pytest
from django.urls import reverse

from casework.models import Basis
from casusoverleg import services
from casusoverleg.models import Minutes, MinutesCopy, Participant
from casusoverleg.services import minutes as services_minutes

from .conftest import BRUSSELS
from .factories import schedule

pytestmark = pytest.mark.django_db

# Who reads what of a conference in the organisation's own file: the draft, the approved versions only, nothing.
DRAFT_READERS = ("consultant", "colleague", "manager", "director")
APPROVED_ONLY = ("partner_with_consent",)
NOTHING = ("outsider", "other_director", "partner_without_consent", "admin", "dpo")


@pytest.fixture
def held(conference, now, director, partner_with_consent, minutes_consent):
    """The conference took place; the VDAB partner (scope minutes) is invited; a draft is saved."""
    services.participant_add(
        conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner_with_consent
    )
    now.move_to(dt.datetime(2026, 3, 9, 13, 0, tzinfo=BRUSSELS))
    _save(conference.minutes_versions.get(), director, "DRAFT-ONE")
    return conference


def _save(minutes, user, marker):
    item = minutes.conference.agenda_items.first()
    return services_minutes.minutes_save(
        minutes=minutes,
        user=user,
        revision=minutes.revision,
        general_notes=f"{marker} algemeen",
        notes={item.pk: f"{marker} agendapunt"},
        decisions=[{"text": f"{marker} beslissing", "consensus": True}],
    )


def _read(client, conference) -> dict:
    page = client.get(reverse("casusoverleg:detail", args=[conference.pk]))
    html = page.content.decode() if page.status_code == 200 else ""
    editor = reverse("casusoverleg:minutes_editor", args=[conference.pk])
    if editor in html:
        # An editor of the draft reads it in the editor the page loads (htmx).
        html += client.get(editor).content.decode()
    api = client.get(f"/api/v1/conferences/{conference.pk}/minutes/")
    pdf = client.get(reverse("casusoverleg:minutes_pdf", args=[conference.pk]))
    return {
        "page": page.status_code,
        "html": html,
        "api": api.status_code,
        "minutes": api.json() if api.status_code == 200 else None,
        "pdf": pdf.status_code,
    }


def test_a_draft_is_read_only_by_the_organisations_staff_and_the_director(client, held, personas):
    for name, user in personas.items():
        client.force_login(user)
        seen = _read(client, held)
        if name in DRAFT_READERS:
            assert (
                seen["page"] == 200 and "DRAFT-ONE algemeen" in seen["html"] and "DRAFT-ONE beslissing" in seen["html"]
            ), name
            assert seen["api"] == 200 and seen["minutes"]["status"] == "draft", name
            assert "DRAFT-ONE agendapunt" in seen["minutes"]["notes"][0]["text"], name
        elif name in APPROVED_ONLY:
            assert seen["page"] == 200, name
            assert "DRAFT-ONE" not in seen["html"], name
            assert "Nog geen goedgekeurd verslag" in seen["html"], name
            assert seen["api"] == 404, name
        else:
            assert (seen["page"], seen["api"]) == (404, 404), name
        assert seen["pdf"] == 404, name  # no approved version yet: there is no PDF for anyone


def test_after_approval_the_partner_reads_the_approved_version_and_never_the_correction(
    client, held, personas, director
):
    services_minutes.minutes_approve(minutes=held.minutes_versions.get(), user=director)
    correction = services_minutes.minutes_correct(
        minutes=held.minutes_versions.get(number=1), user=director, reason="REASON-CORRECTION tikfout"
    )
    _save(correction, director, "DRAFT-TWO")
    for name, user in personas.items():
        client.force_login(user)
        seen = _read(client, held)
        if name in NOTHING:
            assert (seen["page"], seen["api"], seen["pdf"]) == (404, 404, 404), name
            continue
        assert seen["pdf"] == 200, name  # the PDF is always an approved version
        if name in DRAFT_READERS:
            assert seen["minutes"]["number"] == 2 and seen["minutes"]["status"] == "draft", name
            assert "DRAFT-TWO algemeen" in seen["html"] and "REASON-CORRECTION" in seen["html"], name
        else:
            assert seen["minutes"]["number"] == 1 and seen["minutes"]["status"] == "approved", name
            assert seen["minutes"]["general_notes"] == "DRAFT-ONE algemeen", name
            assert "DRAFT-ONE algemeen" in seen["html"] and "DRAFT-ONE beslissing" in seen["html"], name
            for hidden in ("DRAFT-TWO", "REASON-CORRECTION", "Versie 2"):
                assert hidden not in seen["html"], (name, hidden)
            assert held.minutes_versions.get(number=1).fingerprint in seen["html"], name


def test_on_an_art458ter_basis_too_the_partner_waits_for_approval(
    client, now, director, detainee, partner_without_consent
):
    conference = schedule(
        director,
        detainee,
        starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS),
        basis=Basis.ART458TER,
        authorisation_reference="PK-2026-17",
    )
    services.participant_add(
        conference=conference, user=director, role=Participant.Role.PARTNER, participant_user=partner_without_consent
    )
    now.move_to(dt.datetime(2026, 3, 9, 13, 0, tzinfo=BRUSSELS))
    minutes = _save(conference.minutes_versions.get(), director, "DRAFT-458")
    client.force_login(partner_without_consent)
    seen = _read(client, conference)
    assert seen["page"] == 200 and "DRAFT-458" not in seen["html"] and seen["api"] == 404
    services_minutes.minutes_approve(minutes=minutes, user=director)
    seen = _read(client, conference)
    assert "DRAFT-458 algemeen" in seen["html"] and seen["minutes"]["status"] == "approved" and seen["pdf"] == 200


def test_the_partner_cannot_write_or_approve_a_draft(client, held, partner_with_consent):
    client.force_login(partner_with_consent)
    minutes = held.minutes_versions.get()
    assert client.get(reverse("casusoverleg:minutes_editor", args=[held.pk])).status_code == 404
    response = client.put(
        f"/api/v1/conferences/{held.pk}/minutes/",
        {"revision": minutes.revision, "general_notes": "X"},
        content_type="application/json",
    )
    assert response.status_code == 404
    client.post(reverse("casusoverleg:minutes_approve", args=[held.pk]), {"revision": minutes.revision})
    assert Minutes.objects.get(pk=minutes.pk).status == Minutes.Status.DRAFT


def test_the_minutes_queryset_says_the_same(held, personas, director):
    services_minutes.minutes_approve(minutes=held.minutes_versions.get(), user=director)
    services_minutes.minutes_correct(minutes=held.minutes_versions.get(number=1), user=director, reason="Tikfout")
    for name, user in personas.items():
        numbers = sorted(Minutes.objects.visible_to(user).filter(conference=held).values_list("number", flat=True))
        expected = [1, 2] if name in DRAFT_READERS else [1] if name in APPROVED_ONLY else []
        assert numbers == expected, name


def test_a_partner_sees_only_his_own_copy_in_the_distribution_list(
    client,
    held,
    director,
    consultant,
    partner_with_consent,
    partner_without_consent,
    django_capture_on_commit_callbacks,
):
    services.participant_add(
        conference=held, user=director, role=Participant.Role.PARTNER, participant_user=partner_without_consent
    )
    with django_capture_on_commit_callbacks(execute=True):
        services_minutes.minutes_approve(minutes=held.minutes_versions.get(), user=director)
    withheld = MinutesCopy.objects.get(minutes__conference=held, participant__user=partner_without_consent)
    assert withheld.outcome == MinutesCopy.Outcome.WITHHELD and withheld.reason
    withheld_label = str(MinutesCopy.Outcome.WITHHELD.label)

    client.force_login(partner_with_consent)
    html = client.get(reverse("casusoverleg:detail", args=[held.pk])).content.decode()
    # Whether another organisation holds consent is not his to know: neither the reason nor the outcome.
    assert withheld.reason not in html and withheld_label not in html

    for staff in (director, consultant):
        client.force_login(staff)
        html = client.get(reverse("casusoverleg:detail", args=[held.pk])).content.decode()
        assert withheld.reason in html and withheld_label in html
