"""The case file's write services: validation, history context and nothing half-written."""

import datetime as dt

import pghistory.models
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Organisation
from casework import services
from casework.models import Consent, Detainee, Placement, Prison, Session
from casework.validators import national_number_is_valid
from tests.factories import NetworkPersonFactory, UserFactory


def _with_check_digits(body: str, *, born_after_2000: bool = False) -> str:
    check = 97 - int(("2" if born_after_2000 else "") + body) % 97
    return f"{body}{check:02d}"


# --- National number ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, valid",
    [
        ("85073003328", True),
        ("85.07.30-033.28", True),
        ("85073003329", False),  # wrong check digits
        ("8507300332", False),  # ten digits
        ("8507300332A", False),
        (_with_check_digits("010203123", born_after_2000=True), True),  # born in 2001: prefixed with a 2
        (_with_check_digits("010203123"), True),  # the same digits read as 1901 are valid too
        (_with_check_digits("010203123", born_after_2000=True)[:9] + "00", False),
    ],
)
def test_national_number_check_digits(value, valid):
    assert national_number_is_valid(value) is valid


# --- Detainee ---------------------------------------------------------------------------------------------------


def test_detainee_create_normalises_and_opens_the_first_placement(consultant, hasselt):
    detainee = services.detainee_create(
        user=consultant,
        first_name="Zoë",
        last_name="Öztürk",
        legal_status="accused",
        national_number="85.07.30-033.28",
        current_prison=hasselt,
        incarcerated_on=dt.date(2024, 1, 5),
        external_ref="  EPI-17 ",
    )
    assert detainee.search_name == "zoe ozturk"
    assert detainee.national_number == "85073003328"
    assert detainee.external_ref == "EPI-17"
    assert Placement.objects.get(detainee=detainee).from_date == dt.date(2024, 1, 5)


def test_detainee_create_refuses_release_before_incarceration_and_writes_nothing(consultant):
    with pytest.raises(ValidationError) as error:
        services.detainee_create(
            user=consultant,
            first_name="A",
            last_name="B",
            legal_status="convicted",
            incarcerated_on=dt.date(2024, 5, 1),
            released_on=dt.date(2024, 4, 1),
        )
    assert "released_on" in error.value.message_dict
    assert not Detainee.objects.filter(last_name="B").exists()


def test_detainee_update_records_who_and_why(consultant, detainee):
    services.detainee_update(
        detainee=detainee, user=consultant, sentence_ends_on=dt.date(2030, 1, 1), reason="vonnis ontvangen"
    )
    event = (
        pghistory.models.Events.objects.tracks(detainee).filter(pgh_label="update").order_by("-pgh_created_at").first()
    )
    assert event.pgh_context["reason"] == "vonnis ontvangen"
    assert int(event.pgh_context["user"]) == consultant.pk


def test_detainee_update_rejects_unknown_fields(consultant, detainee):
    with pytest.raises(TypeError):
        services.detainee_update(detainee=detainee, user=consultant, organisation=None)


def test_case_team_takes_only_consultants_of_the_organisation(manager, consultant, colleague, outsider, detainee):
    services.detainee_set_case_team(
        detainee=detainee, user=manager, lead=colleague, co_consultants=[consultant, colleague]
    )
    assert detainee.lead_consultant == colleague
    assert list(detainee.co_consultants.all()) == [consultant]  # the lead is not also a co-consultant
    for wrong in (outsider, manager):
        with pytest.raises(ValidationError):
            services.detainee_set_case_team(detainee=detainee, user=manager, lead=wrong)
    detainee.refresh_from_db()
    assert detainee.lead_consultant == colleague


# --- Placements ----------------------------------------------------------------------------------------------------


def test_a_transfer_closes_the_open_placement(consultant, detainee, hasselt):
    first = services.placement_record(
        detainee=detainee, user=consultant, prison=hasselt, from_date=dt.date(2023, 1, 10)
    )
    brugge = Prison.objects.get(code="brugge")
    services.placement_record(detainee=detainee, user=consultant, prison=brugge, from_date=dt.date(2024, 3, 1))
    first.refresh_from_db()
    detainee.refresh_from_db()
    assert first.to_date == dt.date(2024, 3, 1)
    assert detainee.current_prison == brugge
    assert detainee.lead_consultant == consultant  # the same consultant follows the transfer


def test_a_placement_ending_before_it_starts_is_refused(consultant, detainee, hasselt):
    with pytest.raises(ValidationError):
        services.placement_record(
            detainee=detainee,
            user=consultant,
            prison=hasselt,
            from_date=dt.date(2024, 3, 1),
            to_date=dt.date(2024, 2, 1),
        )
    assert not detainee.placements.exists()


# --- Sessions --------------------------------------------------------------------------------------------------------


def log(detainee, author, **overrides):
    fields = {"started_at": timezone.now() - dt.timedelta(hours=1), "duration_minutes": 45, "modality": "phone"}
    fields.update(overrides)
    return services.session_log(detainee=detainee, author=author, **fields)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"started_at": timezone.now() + dt.timedelta(days=1)}, "started_at"),
        ({"duration_minutes": 12 * 60 + 1}, "duration_minutes"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"attendance": "cancelled_by_prison", "engagement": 3}, "engagement"),
        ({"modality": "carrier_pigeon"}, "modality"),
        ({"summary": "s" * 5001}, "summary"),
        ({"confidential_notes": "c" * 10001}, "confidential_notes"),
    ],
)
def test_session_log_refuses_bad_input_and_writes_nothing(consultant, detainee, overrides, field):
    with pytest.raises(ValidationError) as error:
        log(detainee, consultant, **overrides)
    assert field in error.value.message_dict
    assert not Session.objects.exists()


def test_session_participants_must_be_in_the_detainees_network(consultant, detainee):
    stranger = NetworkPersonFactory()
    with pytest.raises(ValidationError):
        log(detainee, consultant, participants=[stranger])
    assert not Session.objects.exists()


def test_session_update_keeps_the_earlier_text_in_history(consultant, detainee):
    session = log(detainee, consultant, summary="eerst")
    services.session_update(session=session, user=consultant, summary="daarna")
    event = pghistory.models.Events.objects.tracks(session).filter(pgh_label="update").get()
    assert event.pgh_diff["summary"] == ["eerst", "daarna"]


# --- Consent ----------------------------------------------------------------------------------------------------------


def consent(detainee, user, **overrides):
    fields = {
        "organisation": Organisation.objects.get(name="CGG"),
        "purposes": ["conference"],
        "scopes": ["identity"],
        "given_on": dt.date(2025, 1, 1),
        "explained_by": user,
        "language": "nl",
    }
    fields.update(overrides)
    return services.consent_record(detainee=detainee, user=user, **fields)


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"scopes": []}, "scopes"),
        ({"scopes": ["identity", "everything"]}, "scopes"),
        ({"purposes": ["marketing"]}, "purposes"),
        ({"given_on": dt.date(2999, 1, 1)}, "given_on"),
    ],
)
def test_consent_refuses_bad_input(consultant, detainee, overrides, field):
    before = Consent.objects.count()
    with pytest.raises(ValidationError) as error:
        consent(detainee, consultant, **overrides)
    assert field in error.value.message_dict
    assert Consent.objects.count() == before


def test_a_new_consent_version_supersedes_the_old_one(consultant, detainee):
    first = consent(detainee, consultant)
    second = consent(detainee, consultant, scopes=["identity", "minutes"], previous=first)
    first.refresh_from_db()
    assert not first.is_active and second.is_active and second.previous == first


def test_withdrawing_twice_is_refused(consultant, detainee):
    given = consent(detainee, consultant)
    services.consent_withdraw(consent=given, user=consultant, withdrawn_on=dt.date(2025, 2, 1))
    with pytest.raises(ValidationError):
        services.consent_withdraw(consent=given, user=consultant)


def test_a_partner_loses_the_file_when_consent_is_withdrawn(consultant, detainee, partner_with_consent):
    assert Detainee.objects.visible_to(partner_with_consent).filter(pk=detainee.pk).exists()
    for active in Consent.objects.active().filter(detainee=detainee, organisation=partner_with_consent.organisation):
        services.consent_withdraw(consent=active, user=consultant)
    assert not Detainee.objects.visible_to(partner_with_consent).filter(pk=detainee.pk).exists()


def test_factories_user_default_is_a_consultant(db):
    assert UserFactory().is_consultant
