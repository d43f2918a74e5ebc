"""Consent on handover packages (docs/design.md §4): a package holds only the consented scopes and is a
disclosure; a consent narrowed or withdrawn before rendering or handing out narrows or stops it.
"""

import datetime as dt
import hashlib
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from casework.models import Disclosure
from casework.services import consent_record, consent_withdraw
from tests.factories import OrganisationFactory
from tests.security.consent_surface_fixtures import (
    NAME,
    aftercare,  # noqa: F401
    justice_house,  # noqa: F401
    partner,  # noqa: F401
    person,  # noqa: F401
)
from trajectories.models_release import HandoverPackage
from trajectories.services import release as services_release
from trajectories.services.handover import handover_package_build


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def _handover_consent(person, consultant, organisation, scopes, previous=None):  # noqa: F811
    return consent_record(
        detainee=person,
        user=consultant,
        organisation=organisation,
        purposes=["handover"],
        scopes=scopes,
        given_on=dt.date(2025, 5, 1),
        explained_by=consultant,
        language="nl",
        previous=previous,
    )


def test_a_handover_package_holds_only_the_consented_scopes_and_is_a_disclosure(
    aftercare,  # noqa: F811
    person,  # noqa: F811
    consultant,
    justice_house,  # noqa: F811
):
    consent = _handover_consent(person, consultant, justice_house, ["identity", "trajectory_goals"])
    package = services_release.handover_package_request(
        trajectory=aftercare, user=consultant, recipient_organisation=justice_house
    )
    package = handover_package_build(package_id=package.pk)
    content = package.file.open("rb").read()
    text = pdf_text(content)
    assert NAME in text and "Opleiding lassen afronden" in text and "Genk" in text
    assert "Gedeelde samenvatting" not in text and "Geheime notitie" not in text
    disclosure = Disclosure.objects.get(pk=package.disclosure_id)
    assert disclosure.purpose == "handover" and disclosure.consent == consent
    assert disclosure.recipient_organisation == justice_house
    assert disclosure.file_sha256 == package.file_sha256 == hashlib.sha256(content).hexdigest()


def test_a_consent_narrowed_before_rendering_narrows_the_package(aftercare, person, consultant, justice_house):  # noqa: F811
    consent = _handover_consent(person, consultant, justice_house, ["identity", "trajectory_goals"])
    package = services_release.handover_package_request(
        trajectory=aftercare, user=consultant, recipient_organisation=justice_house
    )
    narrower = _handover_consent(person, consultant, justice_house, ["trajectory_goals"], previous=consent)
    package = handover_package_build(package_id=package.pk)
    assert package.status == HandoverPackage.Status.READY and package.scopes == ["trajectory_goals"]
    assert package.consent == narrower and Disclosure.objects.get(pk=package.disclosure_id).consent == narrower
    text = pdf_text(package.file.open("rb").read())
    assert NAME not in text and "Samir" not in text and "Genk" not in text
    assert "Opleiding lassen afronden" in text


def test_a_consent_withdrawn_before_rendering_stops_the_package(aftercare, person, consultant, justice_house):  # noqa: F811
    consent = _handover_consent(person, consultant, justice_house, ["identity", "trajectory_goals"])
    package = services_release.handover_package_request(
        trajectory=aftercare, user=consultant, recipient_organisation=justice_house
    )
    consent_withdraw(consent=consent, user=consultant)
    package = handover_package_build(package_id=package.pk)
    # Withheld, not failed: nothing broke, the detainee said no.
    assert package.status == HandoverPackage.Status.WITHHELD and not package.file and package.disclosure_id is None
    assert not Disclosure.objects.filter(purpose="handover").exists()
    # A redelivered task leaves it withheld (a new consent calls for a new request).
    _handover_consent(person, consultant, justice_house, ["identity"])
    assert handover_package_build(package_id=package.pk).status == HandoverPackage.Status.WITHHELD


def _packages_api(client, trajectory) -> dict[int, dict]:
    response = client.get(f"/api/v1/trajectories/{trajectory.pk}/handover-packages/")
    assert response.status_code == 200
    return {row["id"]: row for row in response.json()["results"]}


def test_a_withheld_package_is_shown_as_withheld_on_the_page_and_in_the_api(
    client,
    aftercare,  # noqa: F811
    person,  # noqa: F811
    consultant,
    justice_house,  # noqa: F811
    monkeypatch,  # noqa: F811
):
    from trajectories.tasks import handover_package_render

    consent = _handover_consent(person, consultant, justice_house, ["identity"])
    handed_out, withheld, broken = (
        services_release.handover_package_request(
            trajectory=aftercare, user=consultant, recipient_organisation=justice_house
        )
        for _ in range(3)
    )
    handover_package_build(package_id=handed_out.pk)

    # A rendering that breaks is a failure, and says so.
    def broken_pdf(html):
        raise RuntimeError("WeasyPrint broke")

    monkeypatch.setattr("trajectories.services.handover.render_pdf", broken_pdf)
    with pytest.raises(RuntimeError):
        handover_package_render.apply(args=[broken.pk], throw=True)
    client.force_login(consultant)
    page_url = reverse("trajectories:aftercare", args=[aftercare.pk])
    download = reverse("trajectories:handover_download", args=[handed_out.pk])
    rows = _packages_api(client, aftercare)
    assert rows[handed_out.pk]["status"] == "ready" and rows[handed_out.pk]["shareable"] is True
    assert rows[handed_out.pk]["download_url"] == download
    assert download in client.get(page_url).content.decode()

    consent_withdraw(consent=consent, user=consultant)
    handover_package_build(package_id=withheld.pk)
    statuses = dict(HandoverPackage.objects.values_list("pk", "status"))
    assert statuses == {handed_out.pk: "ready", withheld.pk: "withheld", broken.pk: "failed"}

    html = client.get(page_url).content.decode()
    assert html.count("Ingehouden: toestemming ingetrokken") == 2  # the withheld one and the one no longer shared
    assert html.count("Mislukt") == 1  # only the broken rendering
    assert "er werd niets aangemaakt of gedeeld" in html and "het pakket wordt niet meer gedeeld" in html
    assert download not in html

    rows = _packages_api(client, aftercare)
    assert (
        rows[withheld.pk]
        | {
            "status": "withheld",
            "status_display": "Ingehouden: toestemming ingetrokken",
            "consent_in_force": False,
            "shareable": False,
            "download_url": None,
        }
        == rows[withheld.pk]
    )
    assert rows[handed_out.pk]["status"] == "ready" and rows[handed_out.pk]["shareable"] is False
    assert rows[handed_out.pk]["download_url"] is None
    assert rows[broken.pk]["status"] == "failed" and rows[broken.pk]["status_display"] == "Mislukt"
    assert all(row["recipient_organisation_name"] == "Justitiehuis Hasselt" for row in rows.values())


def test_the_withheld_migration_reclassifies_refused_renders_and_is_reversible(
    aftercare,  # noqa: F811
    person,  # noqa: F811
    consultant,
    justice_house,  # noqa: F811
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("trajectories.migrations.0005_handover_package_withheld")
    consent = _handover_consent(person, consultant, justice_house, ["identity"])
    still_covered, refused = (
        services_release.handover_package_request(
            trajectory=aftercare, user=consultant, recipient_organisation=justice_house
        )
        for _ in range(2)
    )
    ceapire = OrganisationFactory(name="Ceapire", kind="other")
    other_consent = _handover_consent(person, consultant, ceapire, ["identity"])
    services_release.handover_package_request(trajectory=aftercare, user=consultant, recipient_organisation=ceapire)
    consent_withdraw(consent=other_consent, user=consultant)
    # As before the migration: both were marked failed, one because of a PDF error, one because of the consent.
    HandoverPackage.objects.update(status="failed")
    refused_ceapire = HandoverPackage.objects.get(recipient_organisation=ceapire)
    migration.failed_to_withheld(apps, None)
    statuses = dict(HandoverPackage.objects.values_list("pk", "status"))
    assert statuses == {still_covered.pk: "failed", refused.pk: "failed", refused_ceapire.pk: "withheld"}
    migration.withheld_to_failed(apps, None)
    assert set(HandoverPackage.objects.values_list("status", flat=True)) == {"failed"}
    assert consent.is_active


def test_a_ready_package_is_not_handed_out_after_withdrawal(client, aftercare, person, consultant, justice_house):  # noqa: F811
    consent = _handover_consent(person, consultant, justice_house, ["identity"])
    package = services_release.handover_package_request(
        trajectory=aftercare, user=consultant, recipient_organisation=justice_house
    )
    package = handover_package_build(package_id=package.pk)
    client.force_login(consultant)
    url = reverse("trajectories:handover_download", args=[package.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    consent_withdraw(consent=consent, user=consultant)
    response = client.get(url)
    assert response.status_code == 302 and response["Content-Type"] != "application/pdf"


def test_no_handover_package_without_a_handover_consent(aftercare, person, consultant, justice_house):  # noqa: F811
    from django.core.exceptions import ValidationError

    # A consent for conferences, or a handover consent for another organisation, is no basis.
    consent_record(
        detainee=person,
        user=consultant,
        organisation=justice_house,
        purposes=["conference"],
        scopes=["identity"],
        given_on=dt.date(2025, 5, 1),
        explained_by=consultant,
        language="nl",
    )
    _handover_consent(person, consultant, OrganisationFactory(name="Ceapire", kind="other"), ["identity"])
    with pytest.raises(ValidationError):
        services_release.handover_package_request(
            trajectory=aftercare, user=consultant, recipient_organisation=justice_house
        )
    assert not HandoverPackage.objects.exists()
