"""The forms of the file: the happy paths, and bad input refused with a clear message and nothing written."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from casework.models import Consent, Detainee, LifeDomain, NetworkPerson, Placement, Prison, Session
from tests.factories import ConsentFactory, SessionFactory

NOW = dt.datetime(2026, 5, 12, 8, 0, tzinfo=dt.UTC)  # 10:00 in Brussels


def session_data(**overrides):
    data = {
        "started_at": "2026-05-12T09:30",
        "duration_minutes": "60",
        "modality": "in_person_prison",
        "attendance": "attended",
        "engagement": "4",
        "summary": "Gesprek over opleiding.",
        "confidential_notes": "",
    }
    data.update(overrides)
    return data


def errors_of(response, field):
    return [str(error) for error in response.context["form"].errors.get(field, [])]


# --- Session log ---------------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_logging_a_session_returns_to_the_timeline_with_a_message(client, consultant, detainee):
    client.force_login(consultant)
    domains = list(LifeDomain.objects.filter(code__in=["psychosocial", "social_context"]).values_list("pk", flat=True))
    response = client.post(
        reverse("casework:session_create", args=[detainee.pk]),
        session_data(domains=domains, confidential_notes="Enkel voor het team."),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("casework:file_sessions", args=[detainee.pk])
    assert "Het contactmoment is opgeslagen." in response.content.decode()
    session = Session.objects.get(detainee=detainee)
    assert session.author == consultant
    assert session.started_at == dt.datetime(2026, 5, 12, 7, 30, tzinfo=dt.UTC)
    assert set(session.domains.values_list("pk", flat=True)) == set(domains)
    assert session.confidential_notes == "Enkel voor het team."


@time_machine.travel(NOW, tick=False)
def test_the_form_defaults_to_now_the_last_modality_an_hour_and_attended(client, consultant, detainee):
    SessionFactory(
        detainee=detainee, author=consultant, modality="video", started_at=timezone.now() - dt.timedelta(days=1)
    )
    client.force_login(consultant)
    response = client.get(reverse("casework:session_create", args=[detainee.pk]))
    form = response.context["form"]
    assert form.initial["modality"] == "video"
    assert form.initial["duration_minutes"] == 60
    assert form.initial["attendance"] == "attended"
    body = response.content.decode()
    assert 'value="12/05/2026 10:00"' in body  # now, in Brussels time, day first
    assert "autofocus" in body and "data-ctrl-enter-submit" in body
    assert "confidential-box" in body and "Enkel voor de hoofdconsulent" in body


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"started_at": "2026-05-13T09:00"}, "started_at", "Een contactmoment kan niet in de toekomst liggen."),
        ({"duration_minutes": "721"}, "duration_minutes", "De duur moet tussen 1 minuut en 12 uur liggen."),
        ({"duration_minutes": "0"}, "duration_minutes", "De duur moet tussen 1 minuut en 12 uur liggen."),
        (
            {"attendance": "no_show", "engagement": "3"},
            "engagement",
            "Betrokkenheid kan enkel gescoord worden als het gesprek doorging.",
        ),
        ({"summary": "x" * 5001}, "summary", "5000"),
        ({"modality": "teleport"}, "modality", "Selecteer een geldige keuze"),
        ({"attendance": "maybe"}, "attendance", "Selecteer een geldige keuze"),
        ({"engagement": "9"}, "engagement", "Selecteer een geldige keuze"),
        ({"started_at": "gisteren"}, "started_at", "dd/mm/jjjj uu:mm"),
    ],
)
def test_bad_session_input_is_refused_and_nothing_is_written(client, consultant, detainee, overrides, field, message):
    client.force_login(consultant)
    response = client.post(reverse("casework:session_create", args=[detainee.pk]), session_data(**overrides))
    assert response.status_code == 400
    assert any(message in error for error in errors_of(response, field)), errors_of(response, field)
    assert "Het contactmoment is niet opgeslagen." in response.content.decode()
    assert not Session.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_an_unknown_life_domain_is_refused(client, consultant, detainee):
    client.force_login(consultant)
    response = client.post(reverse("casework:session_create", args=[detainee.pk]), session_data(domains=["99999"]))
    assert response.status_code == 400 and errors_of(response, "domains")
    assert not Session.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_author_corrects_a_session_and_history_keeps_the_old_text(client, consultant, detainee):
    session = SessionFactory(
        detainee=detainee, author=consultant, summary="Eerste versie", started_at=timezone.now() - dt.timedelta(hours=2)
    )
    client.force_login(consultant)
    url = reverse("casework:session_update", args=[detainee.pk, session.pk])
    assert client.get(url).context["form"].initial["summary"] == "Eerste versie"
    response = client.post(url, session_data(summary="Tweede versie", started_at="2026-05-12T08:00"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.summary == "Tweede versie"
    history = client.get(reverse("casework:file_history", args=[detainee.pk])).context["entries"]
    assert any(c.before == "Eerste versie" and c.after == "Tweede versie" for e in history for c in e.changes)


@time_machine.travel(NOW, tick=False)
def test_a_refused_correction_changes_nothing(client, consultant, detainee):
    session = SessionFactory(
        detainee=detainee,
        author=consultant,
        summary="Origineel",
        attendance="attended",
        started_at=timezone.now() - dt.timedelta(hours=2),
    )
    client.force_login(consultant)
    response = client.post(
        reverse("casework:session_update", args=[detainee.pk, session.pk]),
        session_data(summary="Nieuw", attendance="refused", engagement="2"),
    )
    assert response.status_code == 400
    session.refresh_from_db()
    assert (session.summary, session.attendance) == ("Origineel", "attended")


# --- Detainee ------------------------------------------------------------------------------------------------


def detainee_data(**overrides):
    data = {
        "first_name": "Karim",
        "last_name": "Bouzid",
        "legal_status": "convicted",
        "current_prison": "",
        "date_of_birth": "1990-02-03",
        "national_number": "",
        "languages": "nl, ar",
        "incarcerated_on": "",
        "leave_eligible_on": "",
        "conditional_release_eligible_on": "",
        "sentence_ends_on": "",
        "released_on": "",
        "external_ref": "",
        "in_scope": "on",
    }
    data.update(overrides)
    return data


def test_a_consultant_opens_a_file(client, consultant, hasselt):
    client.force_login(consultant)
    response = client.post(
        reverse("casework:detainee_create"),
        detainee_data(current_prison=hasselt.pk, incarcerated_on="2024-04-01", national_number="85.07.30-033.28"),
    )
    detainee = Detainee.objects.get(last_name="Bouzid")
    assert response["Location"] == reverse("casework:detainee_detail", args=[detainee.pk])
    assert detainee.organisation == consultant.organisation
    assert detainee.national_number == "85073003328"
    assert detainee.languages == ["nl", "ar"]
    assert detainee.search_name == "karim bouzid"
    assert Placement.objects.filter(detainee=detainee, prison=hasselt).exists()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"incarcerated_on": "2024-05-01", "released_on": "2024-04-01"},
            "released_on",
            "De vrijlating kan niet vóór de opsluiting liggen.",
        ),
        ({"national_number": "85073003329"}, "national_number", "Ongeldig rijksregisternummer"),
        ({"national_number": "12345"}, "national_number", "Ongeldig rijksregisternummer"),
        ({"first_name": "x" * 101}, "first_name", "100"),
        ({"legal_status": "suspect"}, "legal_status", "Selecteer een geldige keuze"),
        ({"current_prison": "99999"}, "current_prison", "Selecteer een geldige keuze"),
        ({"languages": "nl, <script>"}, "languages", "taalcodes"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "toekomst"),
    ],
)
def test_bad_detainee_input_is_refused_and_nothing_is_written(client, consultant, overrides, field, message):
    client.force_login(consultant)
    response = client.post(reverse("casework:detainee_create"), detainee_data(**overrides))
    assert response.status_code == 400
    assert any(message in error for error in errors_of(response, field)), response.context["form"].errors
    assert not Detainee.objects.filter(last_name="Bouzid").exists()


def test_a_refused_edit_leaves_the_file_as_it_was(client, consultant, detainee):
    client.force_login(consultant)
    data = detainee_data(
        first_name="Gewijzigd",
        last_name=detainee.last_name,
        incarcerated_on="2023-01-10",
        released_on="2022-01-01",
        current_prison=detainee.current_prison_id,
        leave_eligible_on="2027-06-01",
        date_of_birth="1995-03-14",
    )
    response = client.post(reverse("casework:detainee_update", args=[detainee.pk]), data)
    assert response.status_code == 400
    detainee.refresh_from_db()
    assert (detainee.first_name, detainee.released_on) == ("Youssef", None)


def test_an_edit_saves_and_says_so(client, consultant, detainee):
    client.force_login(consultant)
    data = detainee_data(
        first_name="Youssef",
        last_name="El Amrani",
        incarcerated_on="2023-01-10",
        sentence_ends_on="2029-01-09",
        current_prison=detainee.current_prison_id,
        leave_eligible_on="2027-06-01",
        date_of_birth="1995-03-14",
        languages="",
    )
    response = client.post(reverse("casework:detainee_update", args=[detainee.pk]), data, follow=True)
    assert "De gegevens zijn bijgewerkt." in response.content.decode()
    detainee.refresh_from_db()
    assert detainee.sentence_ends_on == dt.date(2029, 1, 9)


def test_the_manager_sets_the_case_team(client, manager, consultant, colleague, detainee):
    client.force_login(manager)
    response = client.post(
        reverse("casework:detainee_case_team", args=[detainee.pk]),
        {"lead_consultant": colleague.pk, "co_consultants": [consultant.pk]},
    )
    assert response.status_code == 302
    detainee.refresh_from_db()
    assert detainee.lead_consultant == colleague
    assert list(detainee.co_consultants.all()) == [consultant]


def test_the_case_team_only_offers_consultants_of_the_organisation(client, manager, outsider, detainee):
    client.force_login(manager)
    response = client.post(reverse("casework:detainee_case_team", args=[detainee.pk]), {"lead_consultant": outsider.pk})
    assert response.status_code == 400 and errors_of(response, "lead_consultant")
    detainee.refresh_from_db()
    assert detainee.lead_consultant != outsider


# --- Placements, listings, network ----------------------------------------------------------------------------


def test_a_placement_ending_before_it_starts_is_refused(client, consultant, detainee, hasselt):
    client.force_login(consultant)
    before = Placement.objects.count()
    response = client.post(
        reverse("casework:placement_create", args=[detainee.pk]),
        {"prison": hasselt.pk, "regime": "regular", "from_date": "2024-05-01", "to_date": "2024-04-01"},
    )
    assert response.status_code == 400
    assert "Een plaatsing kan niet eindigen vóór ze begint." in errors_of(response, "to_date")
    assert Placement.objects.count() == before


def test_a_transfer_closes_the_previous_placement_and_moves_the_file(client, consultant, detainee, hasselt):
    Placement.objects.create(detainee=detainee, prison=hasselt, from_date=dt.date(2023, 1, 10))
    client.force_login(consultant)
    brugge = Prison.objects.get(code="brugge")
    response = client.post(
        reverse("casework:placement_create", args=[detainee.pk]),
        {"prison": brugge.pk, "regime": "satellite", "from_date": "2025-02-01", "to_date": ""},
    )
    assert response.status_code == 302
    detainee.refresh_from_db()
    assert detainee.current_prison == brugge
    assert Placement.objects.get(detainee=detainee, prison=hasselt).to_date == dt.date(2025, 2, 1)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"threat_level": "5"}, "threat_level"),
        ({"category": "spy"}, "category"),
        ({"listed_on": "2024-05-01", "delisted_on": "2024-01-01"}, "delisted_on"),
    ],
)
def test_bad_listing_input_is_refused(client, consultant, detainee, overrides, field):
    client.force_login(consultant)
    data = {"category": "ftf", "threat_level": "3", "listed_on": "2024-01-01", "delisted_on": "", "source": "OCAD 2024"}
    data.update(overrides)
    response = client.post(reverse("casework:listing_create", args=[detainee.pk]), data)
    assert response.status_code == 400 and errors_of(response, field)
    assert not detainee.listings.exists()


def test_adding_a_network_person(client, consultant, detainee):
    client.force_login(consultant)
    response = client.post(
        reverse("casework:network_create", args=[detainee.pk]),
        {
            "name": "Imam Yilmaz",
            "relation": "religious_figure",
            "influence": "positive",
            "involved": "on",
            "notes": "",
            "phone": "",
        },
    )
    assert response.status_code == 302
    assert NetworkPerson.objects.get(detainee=detainee).relation == "religious_figure"


def test_network_notes_over_the_limit_are_refused(client, consultant, detainee):
    client.force_login(consultant)
    response = client.post(
        reverse("casework:network_create", args=[detainee.pk]),
        {"name": "X", "relation": "friend", "influence": "negative", "notes": "n" * 2001, "phone": ""},
    )
    assert response.status_code == 400 and errors_of(response, "notes")
    assert not NetworkPerson.objects.exists()


# --- Consent -------------------------------------------------------------------------------------------------------


def test_recording_a_consent_with_checkboxes(client, consultant, detainee):
    client.force_login(consultant)
    justice_house = Organisation.objects.get(name="CGG")
    response = client.post(
        reverse("casework:consent_create", args=[detainee.pk]),
        {
            "organisation": justice_house.pk,
            "purposes": ["conference", "referral"],
            "scopes": ["identity", "minutes"],
            "given_on": "2025-03-01",
            "explained_by": consultant.pk,
            "language": "Arabisch",
            "interpreter": "on",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(detainee=detainee, organisation=justice_house)
    assert consent.scopes == ["identity", "minutes"] and consent.interpreter


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"scopes": []}, "scopes"),
        ({"scopes": ["everything"]}, "scopes"),
        ({"given_on": "2999-01-01"}, "given_on"),
    ],
)
def test_bad_consent_input_is_refused(client, consultant, detainee, overrides, field):
    client.force_login(consultant)
    before = Consent.objects.count()
    data = {
        "organisation": Organisation.objects.get(name="CGG").pk,
        "purposes": ["conference"],
        "scopes": ["identity"],
        "given_on": "2025-03-01",
        "explained_by": consultant.pk,
        "language": "nl",
    }
    data.update(overrides)
    response = client.post(reverse("casework:consent_create", args=[detainee.pk]), data)
    assert response.status_code == 400 and errors_of(response, field)
    assert Consent.objects.count() == before


def test_withdrawing_a_consent_ends_it(client, consultant, detainee, partner_with_consent):
    consent = detainee.consents.get(organisation=partner_with_consent.organisation)
    client.force_login(consultant)
    response = client.post(
        reverse("casework:consent_withdraw", args=[detainee.pk, consent.pk]),
        {"withdrawn_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "De toestemming is ingetrokken" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()


def test_withdrawing_before_the_consent_was_given_is_refused(client, consultant, detainee):
    consent = ConsentFactory(
        detainee=detainee,
        explained_by=consultant,
        given_on=dt.date(2025, 1, 1),
        organisation=Organisation.objects.get(name="CGG"),
    )
    client.force_login(consultant)
    response = client.post(
        reverse("casework:consent_withdraw", args=[detainee.pk, consent.pk]),
        {"withdrawn_on": "2024-12-01"},
        follow=True,
    )
    assert "Intrekken kan niet vóór de datum van toestemming." in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
