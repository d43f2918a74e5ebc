"""Merging two files of the same person (casework/services_merge.py, ADR 0032): every relation to a detainee
is handled, everything moves in one transaction, clashes are settled by a rule or refuse the merge (nothing
written), two merges at once write one, and anonymising the survivor clears the merged file's history.
"""

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

from accounts.models import Organisation
from casework.merging import handled_relations
from casework.models import AccessLog, Consent, Detainee, DetaineeMerge, Disclosure, RetentionRecord, Session
from casework.services_merge import detainee_merge, detainee_merge_preview
from casusoverleg.models import CadenceRule
from diary.services import planned_contact_plan
from notifications.models import Reminder
from tests.casework.merge_fixtures import duplicate  # noqa: F401
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
from trajectories.models import PartnerReferral, Status, Trajectory


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


def test_the_merge_moves_every_related_model(detainee, duplicate, consultant, colleague, director, manager, caw):  # noqa: F811
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


def test_the_merge_is_in_the_history_and_the_access_log(detainee, duplicate, consultant, manager):  # noqa: F811
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


def test_identity_blanks_are_filled_from_the_merged_file_and_the_team_follows(detainee, duplicate, colleague, manager):  # noqa: F811
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


def test_two_open_trajectories_refuse_the_merge(detainee, duplicate, consultant, manager):  # noqa: F811
    TrajectoryFactory(detainee=detainee)
    TrajectoryFactory(detainee=duplicate)
    SessionFactory(detainee=duplicate, author=consultant)
    _refused(duplicate, detainee, manager, "lopend traject")
    preview = detainee_merge_preview(source=duplicate, target=detainee)
    assert not preview.can_merge


def test_overlapping_trajectories_refuse_the_merge(detainee, duplicate, manager):  # noqa: F811
    TrajectoryFactory(detainee=detainee, referred_on=dt.date(2025, 1, 6))
    Trajectory.objects.create(
        detainee=duplicate,
        referred_on=dt.date(2024, 6, 1),
        referred_by="psd",
        status=Status.DECLINED,
        closed_on=dt.date(2025, 2, 1),
    )
    _refused(duplicate, detainee, manager, "overlappen")


def test_trajectories_one_after_the_other_move(detainee, duplicate, manager):  # noqa: F811
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


def test_different_national_numbers_refuse_the_merge(detainee, duplicate, manager):  # noqa: F811
    from casework import services
    from tests.casework.test_national_number import BIS, NN

    services.detainee_update(detainee=detainee, user=manager, national_number=NN)
    services.detainee_update(detainee=duplicate, user=manager, national_number=BIS)
    _refused(duplicate, detainee, manager, "rijksregisternummer")


def test_two_in_scope_references_refuse_the_merge(detainee, duplicate, manager):  # noqa: F811
    Detainee.objects.filter(pk=detainee.pk).update(external_ref="EPI-1")
    Detainee.objects.filter(pk=duplicate.pk).update(external_ref="EPI-2")
    detainee.refresh_from_db()
    duplicate.refresh_from_db()
    _refused(duplicate, detainee, manager, "EPI-1", "EPI-2")


def test_an_anonymised_file_is_never_merged(detainee, duplicate, manager):  # noqa: F811
    RetentionRecord.objects.create(
        detainee=duplicate, closed_on=dt.date(2010, 1, 1), retention_years=10, due_on=dt.date(2020, 1, 1)
    )
    _refused(duplicate, detainee, manager, "geanonimiseerd")


def test_dates_that_would_contradict_each_other_refuse_the_merge(detainee, duplicate, manager):  # noqa: F811
    Detainee.objects.filter(pk=detainee.pk).update(incarcerated_on=dt.date(2024, 5, 1), released_on=None)
    Detainee.objects.filter(pk=duplicate.pk).update(
        released_on=dt.date(2024, 1, 1), incarcerated_on=dt.date(2023, 1, 1)
    )
    detainee.refresh_from_db()
    duplicate.refresh_from_db()
    _refused(duplicate, detainee, manager, "data")


def test_two_consents_in_force_of_one_organisation_keep_the_newest(detainee, duplicate, consultant, manager):  # noqa: F811
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


def test_a_conference_rhythm_on_both_files_keeps_the_survivors(detainee, duplicate, manager):  # noqa: F811
    kept = CadenceRule.objects.create(detainee=detainee, months=4)
    CadenceRule.objects.create(detainee=duplicate, months=8)
    assert "4" in " ".join(detainee_merge_preview(source=duplicate, target=detainee).resolutions)
    detainee_merge(source=duplicate, target=detainee, user=manager)
    assert list(CadenceRule.objects.filter(detainee__isnull=False)) == [kept]


def test_pending_reminders_about_the_merged_file_are_withdrawn(detainee, duplicate, consultant, manager):  # noqa: F811
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


def test_a_merge_of_an_already_merged_file_is_refused(detainee, duplicate, manager, caw):  # noqa: F811
    stale = Detainee.objects.get(pk=duplicate.pk)
    detainee_merge(source=duplicate, target=detainee, user=manager)
    with pytest.raises(ValidationError, match="al samengevoegd"):
        detainee_merge(source=stale, target=detainee, user=manager)
    third = DetaineeFactory(organisation=caw)
    with pytest.raises(ValidationError, match="al samengevoegd"):
        detainee_merge(source=third, target=stale, user=manager)
    with pytest.raises(ValidationError):
        detainee_merge(source=detainee, target=detainee, user=manager)


def test_both_rows_are_locked_in_id_order(detainee, duplicate, manager):  # noqa: F811
    with CaptureQueriesContext(connection) as queries:
        detainee_merge(source=duplicate, target=detainee, user=manager)
    locks = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and "FOR UPDATE" in q["sql"] and 'FROM "casework_detainee"' in q["sql"]
    ]
    assert locks and "ORDER BY" in locks[0] and "ASC" in locks[0]


def test_only_a_manager_of_the_organisation_may_merge(detainee, duplicate, consultant, outsider):  # noqa: F811
    with pytest.raises(PermissionDenied):
        detainee_merge(source=duplicate, target=detainee, user=consultant)
    with pytest.raises(PermissionDenied):
        detainee_merge(source=duplicate, target=detainee, user=outsider)
    assert Detainee.objects.filter(pk=duplicate.pk).exists()


# --- Concurrency ---------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_merges_of_the_same_file_at_once_write_one(detainee, duplicate, manager, caw):  # noqa: F811
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


# --- Retention ----------------------------------------------------------------------------------------------------


def test_anonymising_the_survivor_also_clears_the_history_written_before_the_merge(
    detainee,
    duplicate,  # noqa: F811
    consultant,
    manager,  # noqa: F811
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
