"""Reconciliation after an import: people followed as in scope but absent from the new list are listed for review,
never changed by the import, and the manager records a delisting from that list in one action."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from casework.models import Detainee, Listing
from tests.factories import DetaineeFactory, ListingFactory, OrganisationFactory

LIST = b"Referentie;Naam;Voornaam;Gevangenis;Statuut\nEPI-1;Janssens;Tom;Hasselt;Veroordeelde\n"


def test_people_absent_from_the_new_list_are_listed_and_left_alone(manager, caw):
    DetaineeFactory(organisation=caw, external_ref="EPI-1", first_name="Tom", last_name="Janssens")
    gone = DetaineeFactory(organisation=caw, external_ref="EPI-2", first_name="An", last_name="Peeters")
    ListingFactory(detainee=gone)
    DetaineeFactory(organisation=caw, external_ref="EPI-3", in_scope=False)  # not followed any more: not listed
    DetaineeFactory(organisation=OrganisationFactory(name="CAW Gent"), external_ref="EPI-9")  # not ours
    client = APIClient()
    client.force_authenticate(manager)
    body = client.post(
        "/api/v1/imports/detainees/", {"file": SimpleUploadedFile("l.csv", LIST)}, format="multipart"
    ).json()
    assert [row["external_ref"] for row in body["absent"]] == ["EPI-2"]
    gone.refresh_from_db()
    assert gone.in_scope and gone.listings.get().delisted_on is None


def test_the_report_page_lists_them_and_one_action_records_the_delisting(client, manager, caw):
    gone = DetaineeFactory(organisation=caw, external_ref="EPI-2", first_name="An", last_name="Peeters")
    listing = ListingFactory(detainee=gone, listed_on=dt.date(2022, 5, 1))
    client.force_login(manager)
    page = client.post("/gedetineerden/import/", {"file": SimpleUploadedFile("l.csv", LIST)})
    choices = {f"column-{c.index}": c.field for c in page.context["columns"]}
    report = client.post("/gedetineerden/import/controleren/", {"token": page.context["token"], **choices})
    html = report.content.decode()
    assert "staat niet in dit bestand" in html and f"/gedetineerden/{gone.pk}/uit-in-scopelijst/" in html
    response = client.post(f"/gedetineerden/{gone.pk}/uit-in-scopelijst/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Geschrapt" in response.content.decode()
    gone.refresh_from_db()
    listing.refresh_from_db()
    assert not gone.in_scope
    assert listing.delisted_on is not None
    assert gone.events.order_by("-pgh_id").first().pgh_context.metadata["reason"] == "delisted_after_import"


def test_only_the_manager_of_the_file_may_delist(client, consultant, caw):
    detainee = DetaineeFactory(organisation=caw, external_ref="EPI-2")
    client.force_login(consultant)
    assert client.post(f"/gedetineerden/{detainee.pk}/uit-in-scopelijst/").status_code == 403
    other = DetaineeFactory(organisation=OrganisationFactory(name="CAW Gent"))
    from tests.factories import UserFactory

    client.force_login(UserFactory(manager=True, organisation=caw))
    assert client.post(f"/gedetineerden/{other.pk}/uit-in-scopelijst/").status_code == 404
    assert Detainee.objects.get(pk=other.pk).in_scope
    assert not Listing.objects.filter(delisted_on__isnull=False).exists()
