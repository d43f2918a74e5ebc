"""A transfer to another prison takes the prison-bound work along (ADR 0040): the placement and the file's prison,
the conferences planned at the old prison (flagged to both directors, then cancelled, moved or kept as a handover
conference), director access from the transfer date, the cadence of the new prison, the reminders and the
calendar feeds; every path (service, form, API, placement, the file's form, the in-scope list import) the same."""

from __future__ import annotations

import datetime as dt

import pghistory.models
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from casework import services as casework_services
from casework.models import AccessLog, Detainee, Placement, Prison
from casework.services_transfer import detainee_transfer
from casework.transfers import TransferPart, register_transfer_part, transfer_parts
from casusoverleg import selectors, services
from casusoverleg.models import CadenceRule, Conference, Participant, TransferFlag
from casusoverleg.services.transfer import transfer_flag_resolve
from notifications.models import Notification, Reminder
from notifications.services import reminders_sweep
from tests.factories import UserFactory

from .conftest import BRUSSELS
from .factories import schedule

TRANSFER_DAY = dt.date(2026, 3, 2)


@pytest.fixture
def gent():
    return Prison.objects.get(code="gent")


@pytest.fixture
def placed(now, detainee, consultant, hasselt):
    """The detainee's placement in Hasselt since his incarceration."""
    return casework_services.placement_record(
        detainee=detainee, user=consultant, prison=hasselt, from_date=detainee.incarcerated_on
    )


@pytest.fixture
def held(now, director, detainee):
    """A conference held in Hasselt last month."""
    now.move_to(dt.datetime(2026, 2, 2, 9, 0, tzinfo=BRUSSELS))
    conference = schedule(director, detainee, starts_at=dt.datetime(2026, 2, 3, 10, 0, tzinfo=BRUSSELS))
    now.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=BRUSSELS))
    services.attendance_record(
        conference=conference, user=director, attended={p.pk: True for p in conference.participants.all()}
    )
    conference.refresh_from_db()
    return conference


@pytest.fixture
def planned(now, director, detainee, placed):
    """Planned in Hasselt for next week, before the transfer is known; the invitations went out."""
    conference = schedule(
        director, detainee, starts_at=dt.datetime(2026, 3, 9, 10, 0, tzinfo=BRUSSELS), location="Zaal B"
    )
    services.conference_invitations_send(conference_id=conference.pk)
    mail.outbox.clear()
    return conference


def _cancels(message) -> bool:
    content = message.attachments[0][1]
    return "METHOD:CANCEL" in (content.decode() if isinstance(content, bytes) else content)


def transfer(detainee, user, prison, day=TRANSFER_DAY, **extra) -> Placement:
    return detainee_transfer(detainee=detainee, user=user, prison=prison, transferred_on=day, **extra)


# --- The service ------------------------------------------------------------------------------------------------


def test_a_transfer_moves_the_file_and_keeps_the_team(now, detainee, consultant, placed, gent, hasselt):
    placement = transfer(detainee, consultant, gent, regime=Placement.Regime.SATELLITE)
    detainee.refresh_from_db()
    placed.refresh_from_db()
    assert detainee.current_prison == gent and detainee.lead_consultant == consultant
    assert placed.to_date == TRANSFER_DAY
    assert (placement.prison, placement.transferred_from, placement.from_date, placement.to_date, placement.regime) == (
        gent,
        hasselt,
        TRANSFER_DAY,
        None,
        "satellite",
    )


def test_the_transfer_is_in_the_change_history_with_its_reason(now, detainee, consultant, placed, gent):
    transfer(detainee, consultant, gent)
    contexts = pghistory.models.Context.objects.filter(metadata__reason="detainee_transfer")
    assert contexts.exists() and contexts.first().metadata["user"] == consultant.pk
    assert Placement.pgh_event_model.objects.filter(pgh_context__in=contexts, prison=gent).exists()


@pytest.mark.parametrize(
    "day, prison_code, field",
    [
        (TRANSFER_DAY + dt.timedelta(days=1), "gent", "transferred_on"),  # in the future
        (dt.date(2022, 12, 31), "gent", "transferred_on"),  # before the incarceration / placement
        (TRANSFER_DAY, "hasselt", "prison"),  # the prison he is in
        (None, "gent", "transferred_on"),
    ],
)
def test_an_impossible_transfer_is_refused_with_a_field_error(
    now, detainee, consultant, placed, day, prison_code, field
):
    with pytest.raises(ValidationError) as caught:
        transfer(detainee, consultant, Prison.objects.get(code=prison_code), day=day)
    assert field in caught.value.message_dict
    detainee.refresh_from_db()
    assert detainee.current_prison.code == "hasselt" and detainee.placements.count() == 1


def test_a_transfer_is_all_or_nothing(now, detainee, consultant, planned, gent):
    def broken(**_kwargs):
        raise RuntimeError("a part failed")

    before = dict((part.name, part) for part in transfer_parts())
    register_transfer_part(TransferPart(name="zz_broken", apply=broken, order=99))
    try:
        with pytest.raises(RuntimeError):
            transfer(detainee, consultant, gent)
    finally:
        from casework import transfers

        transfers._parts.pop("zz_broken")
    assert set(before) == {part.name for part in transfer_parts()}
    detainee.refresh_from_db()
    assert detainee.current_prison.code == "hasselt" and detainee.placements.count() == 1
    assert not TransferFlag.objects.exists() and not Reminder.objects.filter(kind__startswith="transfer_").exists()


# --- Flagged conferences and who is told ------------------------------------------------------------------------


def test_conferences_planned_at_the_old_prison_are_flagged_to_both_directors(
    now, detainee, consultant, colleague, director, other_director, planned, held, gent
):
    detainee.co_consultants.add(colleague)
    placement = transfer(detainee, consultant, gent)
    (flag,) = TransferFlag.objects.all()
    assert (flag.conference, flag.placement, flag.resolution) == (planned, placement, "pending")
    flagged = Reminder.objects.filter(kind="transfer_conference_flagged")
    assert set(flagged.values_list("recipient__username", flat=True)) == {"director", "other_director"}
    assert flagged.get(recipient=other_director).link == reverse("casusoverleg:transfer_resolve", args=[planned.pk])
    told = Reminder.objects.filter(kind="transfer_recorded")
    assert set(told.values_list("recipient__username", flat=True)) == {
        "consultant",
        "colleague",
        "director",
        "other_director",
    }
    # Stored as meaning: the text names the prisons and the day, never the detainee.
    assert all("El Amrani" not in r.text and "Gent" in r.text for r in [*told, *flagged])


def test_the_sweep_delivers_the_transfer_notices_in_each_readers_language(
    now, detainee, consultant, other_director, planned, gent
):
    other_director.language = "fr-be"
    other_director.save(update_fields=["language"])
    transfer(detainee, consultant, gent)
    reminders_sweep(now=timezone.now())
    lines = Notification.objects.filter(recipient=other_director)
    assert {line.kind for line in lines} == {"transfer_recorded", "transfer_conference_flagged"}
    french = lines.get(kind="transfer_conference_flagged").text
    assert "Gent" in french and "gepland" not in french


def test_nothing_is_flagged_for_conferences_before_the_transfer_or_already_cancelled(
    now, detainee, consultant, director, planned, gent
):
    services.conference_cancel(conference=planned, user=director, reason="Ziek")
    transfer(detainee, consultant, gent)
    assert not TransferFlag.objects.exists()


def test_a_backdated_transfer_flags_only_what_was_planned_from_its_date(
    now, detainee, consultant, director, placed, gent
):
    earlier = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 3, 10, 0, tzinfo=BRUSSELS))
    later = schedule(director, detainee, starts_at=dt.datetime(2026, 3, 20, 10, 0, tzinfo=BRUSSELS))
    now.move_to(dt.datetime(2026, 3, 10, 9, 0, tzinfo=BRUSSELS))
    transfer(detainee, consultant, gent, day=dt.date(2026, 3, 5))
    assert list(TransferFlag.objects.values_list("conference", flat=True)) == [later.pk]
    assert earlier.pk


# --- Director access before and after ---------------------------------------------------------------------------


def _sees(user, detainee) -> bool:
    return Detainee.objects.visible_to(user).filter(pk=detainee.pk).exists() and user.has_perm(
        "casework.view_detainee", detainee
    )


def _sees_conference(user, conference) -> bool:
    return Conference.objects.visible_to(user).filter(pk=conference.pk).exists() and user.has_perm(
        "casusoverleg.view_conference", conference
    )


def test_director_access_follows_the_placement(
    now, detainee, consultant, director, other_director, planned, held, gent
):
    assert _sees(director, detainee) and not _sees(other_director, detainee)
    assert not _sees_conference(other_director, planned)
    transfer(detainee, consultant, gent)
    detainee = Detainee.objects.get(pk=detainee.pk)
    # The new prison's director sees the file from the transfer, and the conference flagged to him.
    assert _sees(other_director, detainee)
    assert _sees_conference(other_director, planned) and not _sees_conference(other_director, held)
    # The old one keeps what he had: the conferences of his prison (with their minutes), not the file.
    assert not _sees(director, detainee)
    assert _sees_conference(director, held) and _sees_conference(director, planned)
    assert director.has_perm("casusoverleg.view_draft_minutes", held)
    assert not other_director.has_perm("casusoverleg.change_conference", planned)


def test_the_old_director_gets_a_404_on_the_file_and_the_refusal_is_logged(
    now, detainee, consultant, director, placed, gent
):
    transfer(detainee, consultant, gent)
    client = Client()
    client.force_login(director)
    assert client.get(reverse("casework:detainee_detail", args=[detainee.pk])).status_code == 404
    from casework.models import AccessRefusal

    assert AccessRefusal.objects.filter(user=director).exists()


# --- The decision -------------------------------------------------------------------------------------------------


def test_cancel_sends_the_cancellation_and_tells_the_others(
    now, detainee, consultant, director, other_director, planned, gent, django_capture_on_commit_callbacks
):
    transfer(detainee, consultant, gent)
    flag = TransferFlag.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transfer_flag_resolve(flag=flag, user=other_director, resolution="cancelled")
    planned.refresh_from_db()
    assert planned.status == "cancelled" and "Gent" in planned.cancel_reason
    assert {m.to[0] for m in mail.outbox} == {director.email, consultant.email}
    assert all(_cancels(m) for m in mail.outbox)
    told = set(
        Reminder.objects.filter(kind="transfer_conference_resolved").values_list("recipient__username", flat=True)
    )
    assert told == {"director", "consultant"}  # not the one who decided
    # The question is answered: its notices not yet delivered are withdrawn by the sweep, not sent.
    reminders_sweep(now=timezone.now())
    assert not Notification.objects.filter(kind="transfer_conference_flagged").exists()
    assert Notification.objects.filter(kind="transfer_conference_resolved", recipient=director).exists()


def test_move_hands_the_conference_to_the_new_prison(
    now, detainee, consultant, director, other_director, planned, gent, django_capture_on_commit_callbacks
):
    transfer(detainee, consultant, gent)
    flag = TransferFlag.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transfer_flag_resolve(flag=flag, user=other_director, resolution="moved")  # he chairs it himself
    planned.refresh_from_db()
    assert (planned.prison, planned.chair, planned.location, planned.status) == (gent, other_director, "", "planned")
    assert planned.participants.get(role=Participant.Role.CHAIR).user == other_director
    assert not planned.participants.filter(user=director).exists()
    methods = {m.to[0]: _cancels(m) for m in mail.outbox}
    assert methods == {director.email: True, other_director.email: False, consultant.email: False}
    # The old director no longer sees it; the new one runs it.
    assert not _sees_conference(director, planned)
    assert other_director.has_perm("casusoverleg.change_conference", planned)
    assert Reminder.objects.get(kind="transfer_conference_resolved", recipient=director).link == reverse(
        "casusoverleg:transfers"
    )


def test_move_needs_a_director_of_the_new_prison_as_chair(now, detainee, consultant, director, planned, gent):
    transfer(detainee, consultant, gent)
    with pytest.raises(ValidationError) as caught:
        transfer_flag_resolve(flag=TransferFlag.objects.get(), user=director, resolution="moved", chair=director)
    assert "chair" in caught.value.message_dict
    assert TransferFlag.objects.get().is_pending and Conference.objects.get(pk=planned.pk).prison.code == "hasselt"


def test_handover_keeps_it_at_the_old_prison_with_the_new_director(
    now, detainee, consultant, director, other_director, planned, gent, django_capture_on_commit_callbacks
):
    transfer(detainee, consultant, gent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        transfer_flag_resolve(flag=TransferFlag.objects.get(), user=director, resolution="handover")
    planned.refresh_from_db()
    assert (planned.kind, planned.prison.code, planned.chair) == ("handover", "hasselt", director)
    assert planned.participants.filter(user=other_director, role="other").exists()
    assert [m.to[0] for m in mail.outbox] == [other_director.email]
    assert _sees_conference(director, planned) and _sees_conference(other_director, planned)


@pytest.mark.parametrize("who", ["consultant", "stranger"])
def test_only_a_director_of_either_prison_decides(now, detainee, consultant, planned, gent, who):
    transfer(detainee, consultant, gent)
    user = consultant if who == "consultant" else UserFactory(director=True)
    with pytest.raises(ValidationError):
        transfer_flag_resolve(flag=TransferFlag.objects.get(), user=user, resolution="cancelled")
    assert TransferFlag.objects.get().is_pending


def test_a_decision_is_taken_once(now, detainee, consultant, director, other_director, planned, gent):
    transfer(detainee, consultant, gent)
    transfer_flag_resolve(flag=TransferFlag.objects.get(), user=director, resolution="handover")
    with pytest.raises(ValidationError) as caught:
        transfer_flag_resolve(flag=TransferFlag.objects.get(), user=other_director, resolution="cancelled")
    assert "resolution" in caught.value.message_dict


# --- Cadence, reminders, calendar -----------------------------------------------------------------------------------


def test_the_cadence_follows_the_new_prisons_rule(now, detainee, consultant, director, held, gent, hasselt):
    CadenceRule.objects.create(prison=hasselt, months=2)
    CadenceRule.objects.create(prison=gent, months=4)
    services.cadence_set(user=director, months=6, detainee=detainee)
    assert selectors.cadence_months(Detainee.objects.get(pk=detainee.pk)) == 6
    transfer(detainee, consultant, gent)
    moved = Detainee.objects.get(pk=detainee.pk)
    assert selectors.cadence_months(moved) == 4
    assert not CadenceRule.objects.filter(detainee=detainee).exists()
    periodic = {p.kind: p for p in selectors.conference_proposals_recompute(detainee=moved)[0]}["periodic"]
    assert periodic.proposed_for == dt.date(2026, 6, 3)  # the held conference of 3 February + Gent's 4 months


def test_pre_leave_reminders_go_to_the_new_prisons_director(
    now, detainee, consultant, director, other_director, placed, gent
):
    from notifications.services import reminders_plan

    transfer(detainee, consultant, gent)
    Detainee.objects.filter(pk=detainee.pk).update(leave_eligible_on=dt.date(2026, 7, 2))
    reminders_plan(now=timezone.now())
    recipients = set(
        Reminder.objects.filter(kind="pre_leave_not_planned").values_list("recipient__username", flat=True)
    )
    assert recipients == {"consultant", "other_director"}


def _feed(user) -> list[str]:
    feed = services.calendar_feed_rotate(user=user)
    body = Client().get(reverse("casusoverleg:feed", args=[feed.token])).content
    return [str(event["UID"]) for event in Calendar.from_ical(body).walk("VEVENT")]


def test_calendar_feeds_follow_the_decision(now, detainee, consultant, director, other_director, planned, gent):
    transfer(detainee, consultant, gent)
    assert planned.ical_uid in _feed(director) and planned.ical_uid not in _feed(other_director)
    transfer_flag_resolve(flag=TransferFlag.objects.get(), user=other_director, resolution="moved")
    assert planned.ical_uid not in _feed(director) and planned.ical_uid in _feed(other_director)
    assert planned.ical_uid in _feed(consultant)


def test_a_handover_conference_reaches_the_new_directors_calendar(
    now, detainee, consultant, director, other_director, planned, gent, django_capture_on_commit_callbacks
):
    transfer(detainee, consultant, gent)
    transfer_flag_resolve(flag=TransferFlag.objects.get(), user=director, resolution="handover")
    assert planned.ical_uid in _feed(other_director) and planned.ical_uid in _feed(director)
    client = Client()
    client.force_login(other_director)
    events = client.get(
        reverse("casusoverleg:events"), {"start": "2026-03-01T00:00:00", "end": "2026-04-01T00:00:00"}
    ).json()
    assert planned.pk in {item.get("id") for item in events}


# --- Every path: placement, the file's form, the import -------------------------------------------------------------


def test_a_placement_in_another_prison_is_the_same_transfer(now, detainee, consultant, planned, gent):
    casework_services.placement_record(detainee=detainee, user=consultant, prison=gent, from_date=TRANSFER_DAY)
    assert TransferFlag.objects.get().conference == planned
    assert Placement.objects.get(detainee=detainee, to_date__isnull=True).transferred_from.code == "hasselt"
    with pytest.raises(ValidationError) as caught:
        casework_services.placement_record(
            detainee=detainee,
            user=consultant,
            prison=Prison.objects.get(code="brugge"),
            from_date=TRANSFER_DAY + dt.timedelta(days=3),
        )
    assert "from_date" in caught.value.message_dict


def test_changing_the_prison_on_the_files_form_is_a_transfer_as_of_today(now, detainee, consultant, planned, gent):
    casework_services.detainee_update(
        detainee=detainee, user=consultant, current_prison=gent, sentence_ends_on=dt.date(2030, 1, 1)
    )
    detainee.refresh_from_db()
    assert detainee.current_prison == gent and detainee.sentence_ends_on == dt.date(2030, 1, 1)
    assert TransferFlag.objects.get().placement.from_date == timezone.localdate()


def test_the_in_scope_list_import_flags_the_conferences_too(now, detainee, manager, consultant, planned):
    from casework.services_import import detainees_import

    Detainee.objects.filter(pk=detainee.pk).update(external_ref="EPI-77")
    header = "external_ref;last_name;first_name;date_of_birth;national_number;prison;legal_status;incarcerated_on"
    row = f"EPI-77;El Amrani;Youssef;;;gent;convicted;{detainee.incarcerated_on.isoformat()}"
    dry = detainees_import(user=manager, content=f"{header}\n{row}".encode(), dry_run=True)
    assert dry.updated == 1 and not TransferFlag.objects.exists()
    result = detainees_import(user=manager, content=f"{header}\n{row}".encode())
    assert result.updated == 1
    flag = TransferFlag.objects.get()
    assert (flag.conference, flag.placement.prison.code, flag.placement.from_date) == (
        planned,
        "gent",
        timezone.localdate(),
    )
    assert pghistory.models.Context.objects.filter(metadata__reason="in_scope_import").exists()


# --- Pages ----------------------------------------------------------------------------------------------------------------


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_transfer_form_records_a_transfer(now, detainee, consultant, planned, gent):
    client = _client(consultant)
    url = reverse("casework:transfer_create", args=[detainee.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'value="2026-03-02"' in page.content
    assert f'value="{detainee.current_prison_id}"'.encode() not in page.content  # his own prison is not offered
    response = client.post(url, {"prison": gent.pk, "regime": "regular", "transferred_on": "2026-03-02"})
    assert response.status_code == 302
    assert Detainee.objects.get(pk=detainee.pk).current_prison == gent and TransferFlag.objects.exists()


def test_the_transfer_form_shows_errors_and_writes_nothing(now, detainee, consultant, placed, gent):
    response = _client(consultant).post(
        reverse("casework:transfer_create", args=[detainee.pk]),
        {"prison": gent.pk, "regime": "regular", "transferred_on": "2026-03-05"},
    )
    assert response.status_code == 400 and "in de toekomst" in response.content.decode()
    assert Detainee.objects.get(pk=detainee.pk).current_prison.code == "hasselt"


def test_the_resolution_page_decides_and_logs_the_read(
    now, detainee, consultant, director, other_director, planned, gent
):
    transfer(detainee, consultant, gent)
    client = _client(other_director)
    url = reverse("casusoverleg:transfer_resolve", args=[planned.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Beslissing registreren" in page.content.decode()
    assert AccessLog.objects.filter(user=other_director, object_kind="conference", object_id=str(planned.pk)).exists()
    assert client.post(url, {"resolution": "moved", "chair": ""}).status_code == 302
    assert Conference.objects.get(pk=planned.pk).chair == other_director
    listing = client.get(reverse("casusoverleg:transfers")).content.decode()
    assert "Verplaatst naar de nieuwe gevangenis" in listing


def test_the_resolution_page_refuses_a_bad_choice_with_a_message(now, detainee, consultant, director, planned, gent):
    transfer(detainee, consultant, gent)
    response = _client(director).post(
        reverse("casusoverleg:transfer_resolve", args=[planned.pk]), {"resolution": "moved"}
    )
    assert response.status_code == 400 and "Kies als voorzitter" in response.content.decode()
    assert TransferFlag.objects.get().is_pending


def test_the_case_team_reads_the_decision_page_but_does_not_decide(now, detainee, consultant, planned, gent):
    transfer(detainee, consultant, gent)
    client = _client(consultant)
    url = reverse("casusoverleg:transfer_resolve", args=[planned.pk])
    page = client.get(url).content.decode()
    assert "Beslissing registreren" not in page
    assert client.post(url, {"resolution": "cancelled"}).status_code == 403
    assert TransferFlag.objects.get().is_pending


@pytest.mark.parametrize("language, words", [("fr-be", "Décision"), ("en", "Decision")])
def test_the_pages_speak_french_and_english(now, detainee, consultant, director, planned, gent, language, words):
    transfer(detainee, consultant, gent)
    director.language = language
    director.save(update_fields=["language"])
    client = _client(director)
    client.cookies["django_language"] = language
    page = client.get(
        reverse("casusoverleg:transfer_resolve", args=[planned.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert words in page and "Beslissing registreren" not in page and "overgeplaatst" not in page


# --- API ---------------------------------------------------------------------------------------------------------------


def _api(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_records_a_transfer_and_lists_it(now, detainee, consultant, planned, gent):
    api = _api(consultant)
    url = f"/api/v1/detainees/{detainee.pk}/transfers/"
    response = api.post(url, {"prison": "gent", "regime": "regular", "transferred_on": "2026-03-02"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["prison"], body["transferred_from"], body["transferred_on"]) == ("gent", "hasselt", "2026-03-02")
    assert [row["id"] for row in api.get(url).json()["results"]] == [body["id"]]
    placements = api.get(f"/api/v1/detainees/{detainee.pk}/placements/").json()["results"]
    assert {row["transferred_from"] for row in placements} == {"hasselt", None}
    assert TransferFlag.objects.get().conference == planned


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"prison": "gent", "transferred_on": "2026-04-01"}, "transferred_on"),
        ({"prison": "hasselt", "transferred_on": "2026-03-01"}, "prison"),
        ({"prison": "nowhere", "transferred_on": "2026-03-01"}, "prison"),
        ({"prison": "gent", "transferred_on": "gisteren"}, "transferred_on"),
        ({"prison": "gent", "regime": "cell", "transferred_on": "2026-03-01"}, "regime"),
    ],
)
def test_a_bad_transfer_is_a_400_with_field_errors(now, detainee, consultant, placed, payload, field):
    response = _api(consultant).post(f"/api/v1/detainees/{detainee.pk}/transfers/", payload, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert Detainee.objects.get(pk=detainee.pk).current_prison.code == "hasselt"


def test_a_director_decides_through_the_api(now, detainee, consultant, director, other_director, planned, gent):
    transfer(detainee, consultant, gent)
    api = _api(other_director)
    url = f"/api/v1/conferences/{planned.pk}/transfer/"
    (flag,) = api.get(url).json()
    assert (flag["resolution"], flag["transferred_from"], flag["transferred_to"]) == ("pending", "hasselt", "gent")
    assert api.get("/api/v1/transfer-flags/", {"pending": "1"}).json()["count"] == 1
    bad = api.post(url, {"resolution": "moved", "chair": director.pk}, format="json")
    assert bad.status_code == 400 and "chair" in bad.json()
    response = api.post(url, {"resolution": "handover"}, format="json")
    assert response.status_code == 200 and response.json()["resolution"] == "handover"
    assert api.get("/api/v1/transfer-flags/", {"pending": "1"}).json()["count"] == 0
    assert api.post(url, {"resolution": "cancelled"}, format="json").status_code == 404  # nothing left to decide
