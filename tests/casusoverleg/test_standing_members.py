"""A prison's standing conference team (ADR 0033): kept by its directors, invited to every periodic conference,
each one through the basis check."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Organisation
from casusoverleg.basis import Access, participants_with_basis
from casusoverleg.models import StandingMember
from casusoverleg.services import standing as services_standing

from .conftest import BRUSSELS
from .factories import schedule


@pytest.fixture
def psd(director, hasselt, partner_without_consent):
    return services_standing.standing_member_add(
        user=director,
        prison=hasselt,
        role="psd",
        name="An PSD",
        organisation=Organisation.objects.get(name="VDAB"),
        email="an.psd@justice.example",
        agreement="Brengt het PSD-advies in.",
    )


@pytest.fixture
def cgg_member(director, hasselt, partner_without_consent):
    return services_standing.standing_member_add(
        user=director, prison=hasselt, role="partner", member_user=partner_without_consent, agreement="Zorgaanbod"
    )


def test_standing_members_join_every_periodic_conference_each_through_the_basis_check(
    now, director, detainee, psd, cgg_member, partner_without_consent
):
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))
    participants = participants_with_basis(
        conference, list(conference.participants.select_related("user", "organisation"))
    )
    by_name = {p.display_name: p for p in participants}
    # VDAB holds the detainee's consent for a conference only with identity and summaries (no minutes): no access.
    assert by_name["An PSD"].basis.access == Access.NONE and by_name["An PSD"].role == "psd"
    assert by_name[str(partner_without_consent)].basis.access == Access.NONE
    assert len(participants) == 4  # chair, lead consultant, two standing members


def test_an_ad_hoc_conference_does_not_invite_the_standing_team(now, director, detainee, psd):
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS), kind="ad_hoc")
    assert not conference.participants.filter(name="An PSD").exists()


def test_a_standing_member_already_on_the_list_is_not_invited_twice(now, director, detainee, hasselt, consultant):
    services_standing.standing_member_add(user=director, prison=hasselt, role="consultant", member_user=consultant)
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))
    assert conference.participants.filter(user=consultant).count() == 1


def test_a_removed_member_is_no_longer_invited(now, director, detainee, psd):
    services_standing.standing_member_remove(user=director, member=psd)
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS))
    assert not conference.participants.filter(name="An PSD").exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"role": "chair", "name": "X", "email": "x@example.org"}, "role"),
        ({"role": "psd"}, "name"),
        ({"role": "psd", "name": "Zonder adres"}, "email"),
        ({"role": "psd", "name": "Te lang", "email": "x@example.org", "agreement": "x" * 1001}, "agreement"),
    ],
)
def test_bad_standing_members_are_refused_with_a_field_error(director, hasselt, data, field):
    with pytest.raises(ValidationError) as error:
        services_standing.standing_member_add(user=director, prison=hasselt, **data)
    assert field in error.value.message_dict
    assert not StandingMember.objects.exists()


def test_only_a_director_of_the_prison_keeps_its_team(other_director, hasselt):
    with pytest.raises(ValidationError):
        services_standing.standing_member_add(
            user=other_director, prison=hasselt, role="psd", name="X", email="x@example.org"
        )


def test_the_same_person_is_a_standing_member_once(director, hasselt, psd):
    with pytest.raises(ValidationError) as error:
        services_standing.standing_member_add(
            user=director, prison=hasselt, role="other", name="An", email="AN.PSD@justice.example"
        )
    assert "email" in error.value.message_dict


def test_the_page_lists_adds_and_removes(client, director, hasselt, psd, partner_with_consent):
    client.force_login(director)
    url = reverse("casusoverleg:standing_members")
    page = client.get(url).content.decode()
    assert "An PSD" in page and "Brengt het PSD-advies in." in page
    response = client.post(
        url,
        {
            "prison": hasselt.pk,
            "role": "other",
            "member_user": partner_with_consent.pk,
            "agreement": "Arbeidsbemiddeling",
        },
    )
    assert response.status_code == 302
    assert StandingMember.objects.filter(user=partner_with_consent, is_active=True).exists()
    response = client.post(url, {"prison": hasselt.pk, "role": "psd"})  # neither a user nor a name
    assert response.status_code == 200 and "externe vaste lid" in response.content.decode()
    client.post(reverse("casusoverleg:standing_member_remove", args=[psd.pk]))
    psd.refresh_from_db()
    assert not psd.is_active


def test_other_roles_and_directors_do_not_reach_the_page(client, consultant, partner_with_consent, other_director, psd):
    for user in (consultant, partner_with_consent):
        client.force_login(user)
        assert client.get(reverse("casusoverleg:standing_members")).status_code == 404
    client.force_login(other_director)
    assert "An PSD" not in client.get(reverse("casusoverleg:standing_members")).content.decode()
    assert client.post(reverse("casusoverleg:standing_member_remove", args=[psd.pk])).status_code == 404


def test_the_page_costs_the_same_with_one_or_five_members(client, director, hasselt, psd):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(director)
    url = reverse("casusoverleg:standing_members")
    client.get(url)
    counts = []
    for size in (1, 5):
        while StandingMember.objects.filter(is_active=True).count() < size:
            index = StandingMember.objects.count()
            services_standing.standing_member_add(
                user=director, prison=hasselt, role="other", name=f"Lid {index}", email=f"lid{index}@example.org"
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
