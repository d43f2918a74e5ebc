"""Merging two files of the same person (casework/services_merge.py, ADR 0032): every relation to a detainee
is handled, everything moves in one transaction, clashes are settled by a rule or refuse the merge (nothing
written), the merged-away id points case staff — and only them — to the survivor, the page and the API keep
the access rules."""

from __future__ import annotations

import datetime as dt
import threading

import pghistory.models
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Organisation
from casework.merging import handled_relations
from casework.models import (
    AccessLog,
    Consent,
    Detainee,
    DetaineeMerge,
    Disclosure,
    Listing,
    NetworkPerson,
    Placement,
    RetentionRecord,
    Session,
)
from casework.services_merge import detainee_merge, detainee_merge_preview
from casusoverleg.models import CadenceRule, Conference
from diary.models import PlannedContact
from diary.services import planned_contact_plan
from notifications.models import Reminder
from tests.casusoverleg.factories import schedule
from tests.factories import (
    ConsentFactory,
    DetaineeFactory,
    ListingFactory,
    NetworkPersonFactory,
    PlacementFactory,
    SessionFactory,
)
from tests.trajectories.factories import ActionFactory, TrajectoryFactory
from trajectories.models import Action, PartnerReferral, Status, Trajectory


def relations_to_detainee() -> set[str]:
    """Every foreign key (and the case team's through table) pointing at a detainee, history rows left out:
    those keep what was written, by design."""
    found = set()
    for relation in Detainee._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        model = relation.related_model
        if issubclass(model, pghistory.models.Event):
            continue
        found.add(f"{model._meta.label}.{relation.field.name}")
    return found


def test_every_relation_to_a_detainee_is_handled_by_a_merge_part():
    missing = relations_to_detainee() - handled_relations()
    assert not missing, (
        "Relations to casework.Detainee no MergePart moves (register one in the app's merge.py, "
        f"casework/merging.py): {sorted(missing)}"
    )


@pytest.fixture
def duplicate(detainee, consultant, caw, hasselt):
    """A second file of the same person (Youssef El Amrani), opened by hand in the same organisation."""
    return DetaineeFactory(
        first_name="Youssef",
        last_name="El Amrany",
        organisation=caw,
        current_prison=hasselt,
        lead_consultant=consultant,
        date_of_birth=detainee.date_of_birth,
    )


def _vdab():
    return Organisation.objects.get(name="VDAB")


def _build_on(source, *, consultant, colleague, director, manager, caw):
    """One row of every relation on `source`, by relation; the keys must cover relations_to_detainee()."""
    trajectory = TrajectoryFactory(detainee=source, lead_consultant=consultant)
    third = DetaineeFactory(organisation=caw, first_name="Y.", last_name="El Amrani", external_ref=None)
    earlier = detainee_merge(source=third, target=source, user=manager)
    source.co_consultants.add(colleague)
    cgg = Organisation.objects.get(name="CGG")
    consent = ConsentFactory(
        detainee=source, organisation=cgg, explained_by=consultant, purposes=["conference", "referral"]
    )
    return {
        "casework.Listing.detainee": ListingFactory(detainee=source),
        "casework.Placement.detainee": PlacementFactory(detainee=source),
        "casework.Consent.detainee": consent,
        "casework.Disclosure.detainee": Disclosure.objects.create(
            detainee=source,
            recipient_name="Justitiehuis",
            purpose="conference",
            basis="legal_obligation",
            what="Verslag",
        ),
        "casework.NetworkPerson.detainee": NetworkPersonFactory(detainee=source),
        "casework.Session.detainee": SessionFactory(detainee=source, author=consultant),
        "casework.AccessLog.detainee": AccessLog.objects.create(
            user=consultant, detainee=source, object_kind="detainee", action="view", path="/"
        ),
        "casework.Detainee_co_consultants.detainee": colleague,
        "casework.DetaineeMerge.survivor": earlier,
        "diary.PlannedContact.detainee": planned_contact_plan(
            detainee=source, consultant=consultant, kind="visit", starts_at=timezone.now() + dt.timedelta(days=2)
        ),
        "trajectories.Trajectory.detainee": trajectory,
        "trajectories.Action.detainee": ActionFactory(detainee=source, trajectory=trajectory, owner_user=consultant),
        "trajectories.PartnerReferral.detainee": PartnerReferral.objects.create(
            detainee=source,
            organisation=cgg,
            service="Begeleiding",
            question="Intake",
            consent=consent,
            referred_by=consultant,
        ),
        "casusoverleg.CadenceRule.detainee": CadenceRule.objects.create(detainee=source, months=6),
        "casusoverleg.Conference.detainee": schedule(
            director, source, starts_at=timezone.now().replace(microsecond=0) + dt.timedelta(days=9)
        ),
        # Refuses the merge instead (an anonymised file): tests/…::test_an_anonymised_file_is_never_merged.
        "casework.RetentionRecord.detainee": None,
    }


def test_the_merge_moves_every_related_model(detainee, duplicate, consultant, colleague, director, manager, caw):
    ConsentFactory(detainee=duplicate, organisation=_vdab(), explained_by=consultant, scopes=["identity"])
    built = _build_on(
        duplicate, consultant=consultant, colleague=colleague, director=director, manager=manager, caw=caw
    )
    assert set(built) >= relations_to_detainee(), "a relation without a row in this test: add one to _build_on"
    source_id = duplicate.pk

    merge = detainee_merge(source=duplicate, target=detainee, user=manager)

    assert not Detainee.objects.filter(pk=source_id).exists()
    assert merge.merged_id == source_id and merge.survivor == detainee
    for relation, row in built.items():
        if row is None:
            continue
        if relation == "casework.Detainee_co_consultants.detainee":
            assert row in detainee.co_consultants.all()
        elif relation == "casework.DetaineeMerge.survivor":
            row.refresh_from_db()
            assert row.survivor_id == detainee.pk, relation
        else:
            row.refresh_from_db()
            assert row.detainee_id == detainee.pk, relation
    # What moved is counted per part on the merge record.
    assert merge.moved["casework.session"] == 1 and merge.moved["trajectories.trajectories"] == 1


def test_the_merge_is_in_the_history_and_the_access_log(detainee, duplicate, consultant, manager):
    session = SessionFactory(detainee=duplicate, author=consultant)
    source_id = duplicate.pk
    detainee_merge(source=duplicate, target=detainee, user=manager, path="/gedetineerden/1/samenvoegen/")

    moved = pghistory.models.Events.objects.across(apps_event("SessionEvent")).filter(pgh_obj_id=session.pk)
    assert any((event.pgh_context or {}).get("reason") == "detainee_merge" for event in moved)
    deleted = pghistory.models.Events.objects.across(apps_event("DetaineeEvent")).filter(
        pgh_obj_id=source_id, pgh_label="delete"
    )
    assert [event.pgh_context["user"] for event in deleted] == [manager.pk]
    log = AccessLog.objects.get(object_kind="detainee_merge")
    assert (log.user, log.detainee, log.object_id) == (manager, detainee, str(source_id))
    # The survivor's history tab names the merge as the reason of the session's move.
    client = Client()
    client.force_login(manager)
    page = client.get(reverse("casework:file_history", args=[detainee.pk]))
    assert "dossiers samengevoegd" in page.content.decode()


def apps_event(name):
    from django.apps import apps

    return apps.get_model("casework", name)


def test_identity_blanks_are_filled_from_the_merged_file_and_the_team_follows(detainee, duplicate, colleague, manager):
    from tests.casework.test_national_number import NN

    Detainee.objects.filter(pk=detainee.pk).update(date_of_birth=None, lead_consultant=None)
    detainee.refresh_from_db()
    from casework import services

    services.detainee_update(detainee=duplicate, user=manager, national_number=NN, external_ref="EPI-77")
    duplicate.co_consultants.add(colleague)
    lead = duplicate.lead_consultant

    detainee_merge(source=duplicate, target=detainee, user=manager)

    detainee.refresh_from_db()
    assert detainee.national_number == NN and detainee.national_number_index
    assert detainee.external_ref == "EPI-77" and detainee.date_of_birth == dt.date(1995, 3, 14)
    assert detainee.lead_consultant == lead and colleague in detainee.co_consultants.all()
    assert Detainee.objects.filter(Detainee.national_number_q(NN)).get() == detainee


def _refused(source, target, user, *words):
    sessions_before = Session.objects.filter(detainee=source).count()
    with pytest.raises(ValidationError) as error:
        detainee_merge(source=source, target=target, user=user)
    assert Detainee.objects.filter(pk=source.pk).exists(), "nothing may be written"
    assert Session.objects.filter(detainee=source).count() == sessions_before
    assert not DetaineeMerge.objects.filter(merged_id=source.pk).exists()
    text = " ".join(error.value.messages)
    for word in words:
        assert word in text
    return text


def test_two_open_trajectories_refuse_the_merge(detainee, duplicate, consultant, manager):
    TrajectoryFactory(detainee=detainee)
    TrajectoryFactory(detainee=duplicate)
    SessionFactory(detainee=duplicate, author=consultant)
    _refused(duplicate, detainee, manager, "lopend traject")
    preview = detainee_merge_preview(source=duplicate, target=detainee)
    assert not preview.can_merge


def test_overlapping_trajectories_refuse_the_merge(detainee, duplicate, manager):
    TrajectoryFactory(detainee=detainee, referred_on=dt.date(2025, 1, 6))
    Trajectory.objects.create(
        detainee=duplicate,
        referred_on=dt.date(2024, 6, 1),
        referred_by="psd",
        status=Status.DECLINED,
        closed_on=dt.date(2025, 2, 1),
    )
    _refused(duplicate, detainee, manager, "overlappen")


def test_trajectories_one_after_the_other_move(detainee, duplicate, manager):
    TrajectoryFactory(detainee=detainee, referred_on=dt.date(2025, 1, 6))
    old = Trajectory.objects.create(
        detainee=duplicate,
        referred_on=dt.date(2023, 6, 1),
        referred_by="psd",
        status=Status.DECLINED,
        closed_on=dt.date(2023, 9, 1),
    )
    detainee_merge(source=duplicate, target=detainee, user=manager)
    old.refresh_from_db()
    assert old.detainee == detainee


def test_different_national_numbers_refuse_the_merge(detainee, duplicate, manager):
    from casework import services
    from tests.casework.test_national_number import BIS, NN

    services.detainee_update(detainee=detainee, user=manager, national_number=NN)
    services.detainee_update(detainee=duplicate, user=manager, national_number=BIS)
    _refused(duplicate, detainee, manager, "rijksregisternummer")


def test_two_in_scope_references_refuse_the_merge(detainee, duplicate, manager):
    Detainee.objects.filter(pk=detainee.pk).update(external_ref="EPI-1")
    Detainee.objects.filter(pk=duplicate.pk).update(external_ref="EPI-2")
    detainee.refresh_from_db()
    duplicate.refresh_from_db()
    _refused(duplicate, detainee, manager, "EPI-1", "EPI-2")


def test_an_anonymised_file_is_never_merged(detainee, duplicate, manager):
    RetentionRecord.objects.create(
        detainee=duplicate, closed_on=dt.date(2010, 1, 1), retention_years=10, due_on=dt.date(2020, 1, 1)
    )
    _refused(duplicate, detainee, manager, "geanonimiseerd")


def test_dates_that_would_contradict_each_other_refuse_the_merge(detainee, duplicate, manager):
    Detainee.objects.filter(pk=detainee.pk).update(incarcerated_on=dt.date(2024, 5, 1), released_on=None)
    Detainee.objects.filter(pk=duplicate.pk).update(
        released_on=dt.date(2024, 1, 1), incarcerated_on=dt.date(2023, 1, 1)
    )
    detainee.refresh_from_db()
    duplicate.refresh_from_db()
    _refused(duplicate, detainee, manager, "data")


def test_two_consents_in_force_of_one_organisation_keep_the_newest(detainee, duplicate, consultant, manager):
    older = detainee.consents.get()  # VDAB, given 01/02/2024
    newer = ConsentFactory(
        detainee=duplicate,
        organisation=_vdab(),
        explained_by=consultant,
        given_on=dt.date(2025, 3, 1),
        scopes=["identity", "minutes"],
    )
    preview = detainee_merge_preview(source=duplicate, target=detainee)
    assert preview.can_merge and "VDAB" in " ".join(preview.resolutions)

    detainee_merge(source=duplicate, target=detainee, user=manager)

    active = Consent.objects.active().filter(detainee=detainee, organisation=_vdab())
    assert list(active) == [newer]
    older.refresh_from_db()
    newer.refresh_from_db()
    assert older.superseded_at is not None and newer.previous == older


def test_a_conference_rhythm_on_both_files_keeps_the_survivors(detainee, duplicate, manager):
    kept = CadenceRule.objects.create(detainee=detainee, months=4)
    CadenceRule.objects.create(detainee=duplicate, months=8)
    assert "4" in " ".join(detainee_merge_preview(source=duplicate, target=detainee).resolutions)
    detainee_merge(source=duplicate, target=detainee, user=manager)
    assert list(CadenceRule.objects.filter(detainee__isnull=False)) == [kept]


def test_pending_reminders_about_the_merged_file_are_withdrawn(detainee, duplicate, consultant, manager):
    reminder = Reminder.objects.create(
        kind="retention_due",
        object_type="casework.detainee",
        object_id=duplicate.pk,
        due_on=dt.date(2030, 1, 1),
        due_at=timezone.now(),
        recipient=consultant,
    )
    detainee_merge(source=duplicate, target=detainee, user=manager)
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.WITHDRAWN


def test_a_merge_of_an_already_merged_file_is_refused(detainee, duplicate, manager, caw):
    stale = Detainee.objects.get(pk=duplicate.pk)
    detainee_merge(source=duplicate, target=detainee, user=manager)
    with pytest.raises(ValidationError, match="al samengevoegd"):
        detainee_merge(source=stale, target=detainee, user=manager)
    third = DetaineeFactory(organisation=caw)
    with pytest.raises(ValidationError, match="al samengevoegd"):
        detainee_merge(source=third, target=stale, user=manager)
    with pytest.raises(ValidationError):
        detainee_merge(source=detainee, target=detainee, user=manager)


def test_both_rows_are_locked_in_id_order(detainee, duplicate, manager):
    with CaptureQueriesContext(connection) as queries:
        detainee_merge(source=duplicate, target=detainee, user=manager)
    locks = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and "FOR UPDATE" in q["sql"] and 'FROM "casework_detainee"' in q["sql"]
    ]
    assert locks and "ORDER BY" in locks[0] and "ASC" in locks[0]


def test_only_a_manager_of_the_organisation_may_merge(detainee, duplicate, consultant, outsider):
    with pytest.raises(PermissionDenied):
        detainee_merge(source=duplicate, target=detainee, user=consultant)
    with pytest.raises(PermissionDenied):
        detainee_merge(source=duplicate, target=detainee, user=outsider)
    assert Detainee.objects.filter(pk=duplicate.pk).exists()


# --- Concurrency ---------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_merges_of_the_same_file_at_once_write_one(detainee, duplicate, manager, caw):
    other_survivor = DetaineeFactory(organisation=caw, first_name="Youssef", last_name="Elamrani")
    outcomes, barrier = [], threading.Barrier(2)

    def run(target_pk):
        try:
            source = Detainee.objects.get(pk=duplicate.pk)
            target = Detainee.objects.get(pk=target_pk)
            barrier.wait(timeout=10)
            detainee_merge(source=source, target=target, user=manager)
            outcomes.append("merged")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(pk,)) for pk in (detainee.pk, other_survivor.pk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # One merge wins; the other waited on the lock, found its file gone and was refused with a message.
    assert len(outcomes) == 2 and outcomes.count("merged") == 1, outcomes
    assert any("al samengevoegd" in outcome for outcome in outcomes), outcomes
    assert DetaineeMerge.objects.filter(merged_id=duplicate.pk).count() == 1


# --- The page ----------------------------------------------------------------------------------------------


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_manager_merges_from_the_file(detainee, duplicate, consultant, manager):
    SessionFactory(detainee=duplicate, author=consultant)
    client = _client(manager)
    file_page = client.get(reverse("casework:detainee_detail", args=[detainee.pk])).content.decode()
    url = reverse("casework:detainee_merge", args=[detainee.pk])
    assert url in file_page
    # The potential duplicates are offered first.
    start = client.get(url).content.decode()
    assert f"?met={duplicate.pk}" in start
    preview = client.get(url, {"met": duplicate.pk}).content.decode()
    assert "Contactmomenten: 1" in preview and 'name="confirm"' in preview
    # Without the confirmation nothing happens.
    refused = client.post(url, {"other": duplicate.pk, "survivor": detainee.pk})
    assert refused.status_code == 200 and Detainee.objects.filter(pk=duplicate.pk).exists()
    response = client.post(url, {"other": duplicate.pk, "survivor": detainee.pk, "confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "casework:detainee_detail", args=[detainee.pk]
    )
    assert not Detainee.objects.filter(pk=duplicate.pk).exists()
    assert AccessLog.objects.filter(object_kind="merge_preview", detainee=detainee).exists()


def test_the_manager_may_keep_the_other_file(detainee, duplicate, manager):
    url = reverse("casework:detainee_merge", args=[detainee.pk])
    response = _client(manager).post(url, {"other": duplicate.pk, "survivor": duplicate.pk, "confirm": "on"})
    assert response["Location"] == reverse("casework:detainee_detail", args=[duplicate.pk])
    assert not Detainee.objects.filter(pk=detainee.pk).exists()


def test_a_conflict_is_shown_and_refused_on_the_page(detainee, duplicate, manager):
    TrajectoryFactory(detainee=detainee)
    TrajectoryFactory(detainee=duplicate)
    url = reverse("casework:detainee_merge", args=[detainee.pk])
    client = _client(manager)
    page = client.get(url, {"met": duplicate.pk}).content.decode()
    assert "merge-conflicts" in page and 'name="confirm"' not in page
    response = client.post(url, {"other": duplicate.pk, "survivor": detainee.pk, "confirm": "on"})
    assert response.status_code == 200 and "lopend traject" in response.content.decode()
    assert Detainee.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.parametrize("other", ["999999", "abc", ""])
def test_an_unknown_other_file_is_a_message_not_an_error(detainee, manager, other):
    response = _client(manager).get(reverse("casework:detainee_merge", args=[detainee.pk]), {"met": other})
    assert response.status_code == 200


def test_a_file_of_another_organisation_cannot_be_chosen(detainee, manager):
    foreign = DetaineeFactory(organisation=Organisation.objects.create(name="CAW Oost", kind="caw"))
    url = reverse("casework:detainee_merge", args=[detainee.pk])
    response = _client(manager).post(url, {"other": foreign.pk, "survivor": detainee.pk, "confirm": "on"})
    assert response.status_code == 200 and "Geen ander dossier" in response.content.decode()
    assert Detainee.objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("manager", 200),
        ("consultant", 403),
        ("colleague", 403),
        ("director", 403),
        ("partner_with_consent", 403),
        ("outsider", 404),
        ("other_director", 404),
        ("partner_without_consent", 404),
        ("admin", 404),
        ("dpo", 404),
    ],
)
def test_who_may_open_the_merge_page(persona, status, personas, detainee, duplicate):
    client = _client(personas[persona])
    url = reverse("casework:detainee_merge", args=[detainee.pk])
    assert client.get(url, {"met": duplicate.pk}).status_code == status
    if persona != "manager":
        client.post(url, {"other": duplicate.pk, "survivor": detainee.pk, "confirm": "on"})
        assert Detainee.objects.filter(pk=duplicate.pk).exists()


# --- The merged-away id ------------------------------------------------------------------------------------------


@pytest.fixture
def merged(detainee, duplicate, manager):
    """The duplicate merged into the consultant's file; returns the merged-away id."""
    pk = duplicate.pk
    detainee_merge(source=duplicate, target=detainee, user=manager)
    return pk


@pytest.mark.parametrize("persona", ["consultant", "colleague", "manager"])
def test_case_staff_get_a_pointer_to_the_survivor(persona, personas, merged, detainee):
    client = _client(personas[persona])
    for name in ("casework:detainee_detail", "casework:file_sessions", "casework:detainee_update"):
        response = client.get(reverse(name, args=[merged]))
        assert response.status_code == 404
        assert reverse("casework:detainee_detail", args=[detainee.pk]) in response.content.decode()
    api = APIClient()
    api.force_authenticate(personas[persona])
    body = api.get(f"/api/v1/detainees/{merged}/").json()
    assert body["merged_into"] == detainee.pk


@pytest.mark.parametrize(
    "persona", ["partner_with_consent", "partner_without_consent", "director", "outsider", "dpo", "admin"]
)
def test_nobody_else_learns_of_the_merge(persona, personas, merged, detainee):
    client = _client(personas[persona])
    never = client.get(reverse("casework:detainee_detail", args=[999998]))
    response = client.get(reverse("casework:detainee_detail", args=[merged]))
    assert response.status_code == 404
    text = response.content.decode()
    assert reverse("casework:detainee_detail", args=[detainee.pk]) not in text
    assert "samengevoegd" not in text and "El Amrani" not in text
    assert text.replace(str(merged), "N") == never.content.decode().replace("999998", "N")
    api = APIClient()
    api.force_authenticate(personas[persona])
    body = api.get(f"/api/v1/detainees/{merged}/").json()
    assert "merged_into" not in body


# --- The API ----------------------------------------------------------------------------------------------------


def test_the_api_previews_and_merges(detainee, duplicate, consultant, manager):
    SessionFactory(detainee=duplicate, author=consultant)
    api = APIClient()
    api.force_authenticate(manager)
    url = f"/api/v1/detainees/{detainee.pk}/merge/"
    preview = api.post(url, {"merged": duplicate.pk, "dry_run": True}, format="json")
    assert preview.status_code == 200 and preview.json()["can_merge"] and preview.json()["merged"] == duplicate.pk
    assert api.post(url, {"merged": duplicate.pk, "confirm": False}, format="json").status_code == 400
    assert api.post(url, {"merged": "x", "confirm": True}, format="json").status_code == 400
    response = api.post(url, {"merged": duplicate.pk, "confirm": True}, format="json")
    assert response.status_code == 200 and response.json()["id"] == detainee.pk
    again = api.post(url, {"merged": duplicate.pk, "confirm": True}, format="json")
    assert again.status_code == 400


def test_the_api_refuses_a_conflict_with_its_reasons(detainee, duplicate, manager):
    TrajectoryFactory(detainee=detainee)
    TrajectoryFactory(detainee=duplicate)
    api = APIClient()
    api.force_authenticate(manager)
    response = api.post(
        f"/api/v1/detainees/{detainee.pk}/merge/", {"merged": duplicate.pk, "confirm": True}, format="json"
    )
    assert response.status_code == 400 and "lopend traject" in str(response.json())
    assert Detainee.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("consultant", 403),
        ("director", 403),
        ("partner_with_consent", 403),
        ("outsider", 404),
        ("partner_without_consent", 404),
        ("dpo", 404),
    ],
)
def test_the_api_merge_is_for_managers(persona, status, personas, detainee, duplicate):
    api = APIClient()
    api.force_authenticate(personas[persona])
    response = api.post(
        f"/api/v1/detainees/{detainee.pk}/merge/", {"merged": duplicate.pk, "confirm": True}, format="json"
    )
    assert response.status_code == status
    assert Detainee.objects.filter(pk=duplicate.pk).exists()


# --- Query counts -------------------------------------------------------------------------------------------------


def test_the_preview_costs_the_same_with_one_or_ten_of_everything(detainee, duplicate, consultant, manager):
    client = _client(manager)
    url = reverse("casework:detainee_merge", args=[detainee.pk])

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"met": duplicate.pk}).status_code == 200
        return len(queries)

    SessionFactory(detainee=duplicate, author=consultant)
    NetworkPersonFactory(detainee=duplicate)
    ListingFactory(detainee=duplicate)
    one = measure()
    for _ in range(9):
        SessionFactory(detainee=duplicate, author=consultant)
        NetworkPersonFactory(detainee=duplicate)
        ListingFactory(detainee=duplicate)
        PlacementFactory(detainee=duplicate)
    ten = measure()
    # Session and user, memo, the two files, permission, the counts (one query for every part), trajectories,
    # consents, retention, cadence, candidates, the two access-log rows.
    assert one == ten <= 15


def test_the_merge_itself_is_one_transaction_whatever_moves(detainee, duplicate, consultant, manager):
    for _ in range(3):
        SessionFactory(detainee=duplicate, author=consultant)
    Listing.objects.count()
    detainee_merge(source=duplicate, target=detainee, user=manager)
    assert Session.objects.filter(detainee=detainee).count() == 3
    assert not NetworkPerson.objects.filter(detainee_id=duplicate.pk).exists()
    assert not Placement.objects.filter(detainee_id=duplicate.pk).exists()
    assert not PlannedContact.objects.filter(detainee_id=duplicate.pk).exists()
    assert not Conference.objects.filter(detainee_id=duplicate.pk).exists()
    assert not Action.objects.filter(detainee_id=duplicate.pk).exists()


# --- Retention ----------------------------------------------------------------------------------------------------


def test_anonymising_the_survivor_also_clears_the_history_written_before_the_merge(
    detainee, duplicate, consultant, manager
):
    from django.apps import apps

    from casework.privacy.registry import participants

    session = SessionFactory(detainee=duplicate, author=consultant, summary="Vertelde over zijn broer.")
    TrajectoryFactory(detainee=duplicate)
    planned_contact_plan(
        detainee=duplicate, consultant=consultant, kind="visit", starts_at=timezone.now() + dt.timedelta(days=2)
    )
    merged_id = duplicate.pk
    detainee_merge(source=duplicate, target=detainee, user=manager)

    def rows_naming(pk):
        found = 0
        for model in apps.get_models():
            if not issubclass(model, pghistory.models.Event) or model._meta.app_label not in (
                "casework",
                "trajectories",
                "casusoverleg",
                "diary",
            ):
                continue
            names = {field.attname for field in model._meta.concrete_fields}
            if model.__name__ == "DetaineeEvent":
                found += model.objects.filter(pgh_obj_id=pk).count()
            elif "detainee_id" in names:
                found += model.objects.filter(detainee_id=pk).count()
        return found

    assert rows_naming(merged_id) > 0 and session.pk
    for participant in participants():
        participant.anonymise(Detainee.objects.get(pk=detainee.pk), manager)
    assert rows_naming(merged_id) == 0
