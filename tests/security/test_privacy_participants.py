"""Retention and subject access across every app that stores data about a detainee.

One file with data in each app (case file, trajectory with goals, reviews, actions, assessments, release,
follow-ups and a handover package, a case conference with an external participant, agenda, approved and
corrected minutes and the copies sent, reminders and notifications), closed in 2014. After anonymisation no
table of casework, trajectories, casusoverleg or notifications — history tables included — still holds the
name, the national number, the external participant or any of the free texts; each app's counts are in the
RetentionRecord. A legal hold leaves everything as it was. The subject-access export has a section per app.
"""

import datetime as dt
import io
import json
import zipfile

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import Organisation
from casework.models import Basis, LifeDomain
from casework.privacy.services import detainee_anonymise, legal_hold_set, subject_access_build
from casework.services import detainee_update
from casusoverleg import services as conference_services
from casusoverleg.models import Conference, Decision, Minutes, MinutesCopy, Participant
from casusoverleg.privacy import is_anonymised
from casusoverleg.services import minutes as services_minutes
from notifications.models import Notification, Reminder
from tests.factories import ConsentFactory, DetaineeFactory, NetworkPersonFactory, OrganisationFactory, SessionFactory
from trajectories import services as trajectory_services
from trajectories.models import Action, Assessment, AssessmentTemplate, Goal, Trajectory
from trajectories.models_release import FollowUp, HandoverPackage
from trajectories.services import release as services_release
from trajectories.services.handover import handover_package_build

TODAY = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)
NATIONAL_NUMBER = "95031412318"
# Every free text below carries one of these, so a search over the rows proves it is gone.
TOKENS = ["karim", "bouzidi", NATIONAL_NUMBER, "fatima", "geheimwoord"]
APPS = ("casework", "trajectories", "casusoverleg", "notifications")


@pytest.fixture(autouse=True)
def shipped_instruments(db):
    """Transactional tests elsewhere flush the migration's data; put the shipped instruments back if gone."""
    from django.apps import apps

    from trajectories.instruments import load

    if not AssessmentTemplate.objects.exists():
        load(apps)


def at(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def full_file(caw, consultant, director, hasselt, settings):
    """A file with data in every app, closed on 31/10/2014 (due after 10 years)."""
    settings.DISENGAGE_RETENTION_YEARS = 10
    justice_house = OrganisationFactory(name="Justitiehuis Hasselt", kind="justice_house", email="jh@example.org")
    domains = {d.code: d for d in LifeDomain.objects.all()}
    with at(2012, 2, 1, 12):
        person = DetaineeFactory(
            first_name="Karim",
            last_name="Bouzidi",
            organisation=caw,
            current_prison=hasselt,
            lead_consultant=consultant,
            national_number=NATIONAL_NUMBER,
            date_of_birth=dt.date(1995, 3, 14),
            incarcerated_on=dt.date(2012, 1, 10),
            search_name="karim bouzidi",
        )
        NetworkPersonFactory(
            detainee=person, name="Fatima Bouzidi", notes="Moeder van Karim, geheimwoord.", contact_consent=True
        )
        handover_consent = ConsentFactory(
            detainee=person,
            organisation=justice_house,
            explained_by=consultant,
            purposes=["handover"],
            given_on=dt.date(2012, 2, 1),
            scopes=["identity", "trajectory_goals", "session_summaries", "assessments"],
        )
    with at(2013, 1, 7, 10):
        trajectory = trajectory_services.trajectory_refer(
            detainee=person,
            user=consultant,
            referred_on=dt.date(2013, 1, 7),
            referred_by="psd",
            referral_reason="Karim vraagt zelf begeleiding (geheimwoord).",
        )
        trajectory_services.trajectory_transition(
            trajectory=trajectory, user=consultant, to="intake", reason="Intake met Karim gepland."
        )
        for domain in LifeDomain.objects.filter(required=True):
            trajectory_services.exploration_record(
                trajectory=trajectory,
                user=consultant,
                domain=domain,
                need="need",
                explored_on=dt.date(2013, 1, 7),
                note=f"Karim over {domain.code}.",
            )
        trajectory_services.trajectory_transition(
            trajectory=trajectory, user=consultant, to="active", reason="Plan met Karim afgesproken."
        )
        goal = trajectory_services.goal_create(
            trajectory=trajectory,
            user=consultant,
            domain=domains["mental_health"],
            description="Karim start traumabegeleiding (geheimwoord).",
            agreed_with_detainee=True,
            agreed_on=dt.date(2013, 1, 7),
        )
        trajectory_services.goal_review_add(
            goal=goal, user=consultant, reviewed_on=dt.date(2013, 1, 7), progress=1, note="Karim twijfelt nog."
        )
        trajectory_services.action_create(
            detainee=person,
            user=consultant,
            description="Karim aanmelden bij het CGG.",
            owner_organisation=justice_house,
            owner_name="Fatima Janssens",
            due_on=dt.date(2013, 3, 1),
            goal=goal,
            source_kind="goal",
        )
        SessionFactory(
            detainee=person,
            author=consultant,
            started_at=dt.datetime(2013, 1, 7, 9, tzinfo=dt.UTC),
            summary="Gesprek met Karim.",
            confidential_notes="Karim vertelt over geheimwoord.",
        )
        assessment = trajectory_services.assessment_start(
            trajectory=trajectory, user=consultant, template=AssessmentTemplate.objects.get(code="life-domain-needs")
        )
        trajectory_services.assessment_update(
            assessment=assessment,
            user=consultant,
            sources="Gesprekken met Karim en zijn moeder Fatima.",
            overall_judgement="moderate",
            overall_note="Karim is gemotiveerd.",
            ratings={r.item_id: {"rating": 1, "evidence": f"Karim: {r.item.code}"} for r in assessment.ratings.all()},
        )
        trajectory_services.assessment_finalise(assessment=assessment, user=consultant)
    with at(2013, 6, 3, 8):
        conference = conference_services.conference_schedule(
            user=director,
            detainee=person,
            prison=hasselt,
            starts_at=dt.datetime(2013, 6, 10, 8, tzinfo=dt.UTC),
            ends_at=dt.datetime(2013, 6, 10, 9, tzinfo=dt.UTC),
            basis=Basis.ART458TER,
            authorisation_reference="Machtiging PK Limburg 2013/17",
            location="Vergaderzaal 1",
        )
        external = conference_services.participant_add(
            conference=conference,
            user=director,
            role=Participant.Role.PARTNER,
            name="Fatima Bouzidi",
            organisation=justice_house,
            email="fatima.bouzidi@example.org",
        )
        conference_services.participant_add(
            conference=conference, user=director, role=Participant.Role.DETAINEE, name="Karim Bouzidi", invite=False
        )
        conference_services.agenda_item_add(
            conference=conference, user=director, title="Woonst van Karim", body="Karim wil bij Fatima gaan wonen."
        )
    with at(2013, 6, 10, 10):
        conference_services.attendance_record(
            conference=conference, user=director, attended={p.pk: True for p in conference.participants.all()}
        )
        minutes = conference.minutes_versions.get()
        services_minutes.minutes_save(
            minutes=minutes,
            user=director,
            revision=minutes.revision,
            general_notes="Karim was aanwezig (geheimwoord).",
            notes={item.pk: f"Besproken met Karim: {item.title}" for item in conference.agenda_items.all()},
            decisions=[
                {
                    "text": "Karim krijgt verlof.",
                    "consensus": False,
                    "dissent_who": "Fatima Bouzidi",
                    "dissent_why": "Karim is er niet klaar voor.",
                }
            ],
            actions=[
                {
                    "description": "Karim inschrijven bij VDAB.",
                    "owner_organisation": justice_house,
                    "owner_name": "Fatima Peeters",
                    "due_on": dt.date(2013, 7, 1),
                }
            ],
        )
        minutes = services_minutes.minutes_approve(minutes=Minutes.objects.get(pk=minutes.pk), user=director)
        services_minutes.minutes_distribute(minutes_id=minutes.pk)
        # As minutes of those years travelled: the copy mailed to the external partner, with its disclosure
        # (minutes are now read after signing in; anonymisation must still handle such rows).
        from casework.services import disclosure_record

        mailed = MinutesCopy.objects.get(minutes=minutes, participant=external)
        mailed.outcome, mailed.file_sha256 = "sent", "c0" * 32
        mailed.disclosure = disclosure_record(
            detainee=person,
            user=director,
            recipient_name="Fatima Bouzidi",
            recipient_organisation=justice_house,
            recipient_email="fatima.bouzidi@example.org",
            purpose="conference",
            basis=Basis.ART458TER,
            legal_reference="Machtiging PK Limburg 2013/17",
            what="Verslag casusoverleg, versie 1",
            object_kind="minutes",
            object_id=str(minutes.pk),
            file_sha256=mailed.file_sha256,
        )
        mailed.save()
        services_minutes.minutes_correct(minutes=minutes, user=director, reason="Naam van Karim verkeerd gespeld.")
        Reminder.objects.create(
            kind="conference_upcoming",
            object_type="casusoverleg.conference",
            object_id=conference.pk,
            due_on=dt.date(2013, 6, 9),
            due_at=dt.datetime(2013, 6, 9, 6, tzinfo=dt.UTC),
            recipient=consultant,
            text="Overleg over Karim morgen.",
            link=f"/casusoverleg/{conference.pk}/",
        )
        reminder = Reminder.objects.create(
            kind="conference_invitation",
            object_type="casusoverleg.conference",
            object_id=conference.pk,
            due_on=dt.date(2013, 6, 3),
            due_at=dt.datetime(2013, 6, 3, 6, tzinfo=dt.UTC),
            recipient=consultant,
            text="Uitnodiging overleg Karim.",
            link=f"/casusoverleg/{conference.pk}/",
            status="sent",
            sent_at=dt.datetime(2013, 6, 3, 6, tzinfo=dt.UTC),
        )
        Notification.objects.create(
            recipient=consultant, reminder=reminder, kind=reminder.kind, text=reminder.text, link=reminder.link
        )
        action = Action.objects.get(detainee=person, source_kind="goal")
        Reminder.objects.create(
            kind="action_overdue",
            object_type="trajectories.action",
            object_id=action.pk,
            due_on=dt.date(2030, 1, 1),
            due_at=dt.datetime(2030, 1, 1, 7, tzinfo=dt.UTC),
            recipient=consultant,
            text="Actie voor Karim staat open.",
        )
    with at(2014, 4, 30, 12):
        services_release.trajectory_release(
            trajectory=trajectory,
            user=consultant,
            released_on=dt.date(2014, 4, 30),
            modality="end_of_sentence",
            destination_municipality="Genk",
            follow_up_service="Begeleider van Karim",
        )
        package = services_release.handover_package_request(
            trajectory=trajectory, user=consultant, recipient_organisation=justice_house
        )
        package = handover_package_build(package_id=package.pk)
        assert package.consent == handover_consent and package.file
    with at(2014, 5, 30, 12):
        services_release.follow_up_record(
            follow_up=FollowUp.objects.filter(trajectory=trajectory).first(),
            user=consultant,
            status="done",
            note="Karim woont bij Fatima.",
        )
    with at(2014, 10, 31, 12):
        services_release.aftercare_close(
            trajectory=trajectory,
            user=consultant,
            closure_reason="aftercare_ended",
            reason="Karim heeft geen nood meer.",
            post_closure_reviews=False,
        )
        detainee_update(detainee=person, user=consultant, in_scope=False)
    return {
        "detainee": person,
        "trajectory": trajectory,
        "conference": conference,
        "external": external,
        "package": package,
    }


def rows_with_personal_data(app_labels=APPS) -> dict[str, int]:
    """Per table of `app_labels` (history tables included): rows whose text still holds a token."""
    found = {}
    with connection.cursor() as cursor:
        for label in app_labels:
            for model in apps.get_app_config(label).get_models():
                table = model._meta.db_table
                clauses = " OR ".join(["CAST(t.* AS text) ILIKE %s"] * len(TOKENS))
                cursor.execute(
                    f"SELECT count(*) FROM {table} t WHERE {clauses}",  # noqa: S608 (table names from models)
                    [f"%{token}%" for token in TOKENS],
                )
                count = cursor.fetchone()[0]
                if count:
                    found[table] = count
    return found


def test_the_file_is_due_only_when_every_app_let_go(full_file):
    from casework.privacy.selectors import closed_files

    with time_machine.travel(TODAY, tick=False):
        [status] = closed_files([full_file["detainee"].pk])
    # The trajectory closed last (the release, sessions and the conference were earlier).
    assert status.closed_on == dt.date(2014, 10, 31)


def test_before_anonymisation_every_app_holds_personal_data(full_file):
    found = rows_with_personal_data()
    for table in (
        "trajectories_trajectory",
        "trajectories_goal",
        "trajectories_goalreview",
        "trajectories_action",
        "trajectories_assessment",
        "trajectories_assessmentrating",
        "trajectories_domainexploration",
        "trajectories_trajectorystatuschange",
        "trajectories_release",
        "trajectories_followup",
        "trajectories_goalevent",
        "casusoverleg_participant",
        "casusoverleg_agendaitem",
        "casusoverleg_minutes",
        "casusoverleg_minutesevent",
        "casusoverleg_itemnote",
        "casusoverleg_decision",
        "casusoverleg_minutesaction",
        "notifications_reminder",
        "notifications_notification",
        "casework_disclosure",
    ):
        assert table in found, table


def test_anonymisation_leaves_no_personal_data_in_any_app(full_file, dpo):
    package = full_file["package"]
    storage, name = package.file.storage, package.file.name
    assert storage.exists(name)
    with time_machine.travel(TODAY, tick=False):
        record = detainee_anonymise(detainee_id=full_file["detainee"].pk, user=dpo)

    assert rows_with_personal_data() == {}
    # The handover PDF named the person: gone; its SHA-256 and disclosure stay as proof.
    package.refresh_from_db()
    assert not package.file and not storage.exists(name)
    assert package.file_sha256 and package.disclosure_id

    # What each app changed is on the record (counts only).
    changes = record.changes
    assert set(changes) >= {"casework", "trajectories", "casusoverleg", "notifications"}
    assert changes["trajectories"]["goals"] == 1 and changes["trajectories"]["assessments"] == 1
    assert changes["trajectories"]["handover_files"] == 1 and changes["trajectories"]["history_GoalEvent"] >= 1
    assert changes["casusoverleg"]["external_participants"] == 2
    assert changes["casusoverleg"]["minutes_versions"] == 2 and changes["casusoverleg"]["decisions"] == 2
    # Three made here, one planned by the release (propose a handover conference); two were still pending.
    assert changes["notifications"]["reminders"] == 4 and changes["notifications"]["notifications"] == 1
    assert changes["notifications"]["reminders_withdrawn"] == 2
    assert json.dumps(changes)  # plain numbers, no content


def test_approved_minutes_keep_their_fingerprint_record(full_file, dpo):
    approved = Minutes.objects.get(conference=full_file["conference"], status="approved")
    fingerprint, approved_at = approved.fingerprint, approved.approved_at
    copy = MinutesCopy.objects.get(minutes=approved, participant=full_file["external"])
    assert copy.outcome == "sent" and copy.file_sha256
    with time_machine.travel(TODAY, tick=False):
        detainee_anonymise(detainee_id=full_file["detainee"].pk, user=dpo)
    approved.refresh_from_db()
    copy.refresh_from_db()
    assert approved.fingerprint == fingerprint and approved.approved_at == approved_at and approved.number == 1
    assert is_anonymised(approved)
    assert approved.snapshot["minutes"]["version"] == 1 and approved.snapshot["conference"]["reference"]
    assert "detainee" not in approved.snapshot and "decisions" not in approved.snapshot
    # The copy that was sent can still be matched: its SHA-256 and its disclosure remain.
    assert copy.file_sha256 and copy.disclosure_id
    external = Participant.objects.get(pk=full_file["external"].pk)
    assert external.email == "" and "Bouzidi" not in external.name
    decision = Decision.objects.get(minutes=approved)
    assert decision.consensus is False and "Karim" not in decision.text


def test_anonymised_minutes_are_neither_printed_nor_sent_again(client, full_file, dpo, director):
    conference = full_file["conference"]
    approved = Minutes.objects.get(conference=conference, status="approved")
    with time_machine.travel(TODAY, tick=False):
        detainee_anonymise(detainee_id=full_file["detainee"].pk, user=dpo)
    client.force_login(director)
    assert client.get(reverse("casusoverleg:minutes_pdf", args=[conference.pk])).status_code == 404
    MinutesCopy.objects.filter(minutes=approved).delete()
    assert services_minutes.minutes_distribute(minutes_id=approved.pk) == []


def test_pending_reminders_about_the_file_are_withdrawn(full_file, dpo):
    pending = Reminder.objects.get(kind="action_overdue")
    assert pending.status == "pending"
    with time_machine.travel(TODAY, tick=False):
        detainee_anonymise(detainee_id=full_file["detainee"].pk, user=dpo)
    pending.refresh_from_db()
    assert pending.status == "withdrawn" and pending.link == "" and "Karim" not in pending.text
    notification = Notification.objects.get()
    assert notification.link == "" and "Karim" not in notification.text


def test_figures_stay_after_anonymisation(full_file, dpo):
    with time_machine.travel(TODAY, tick=False):
        detainee_anonymise(detainee_id=full_file["detainee"].pk, user=dpo)
    trajectory = Trajectory.objects.get(pk=full_file["trajectory"].pk)
    assert trajectory.status == "closed" and trajectory.closed_on == dt.date(2014, 10, 31)
    goal = Goal.objects.get(trajectory=trajectory)
    assert goal.domain.code == "mental_health" and goal.agreed_with_detainee and goal.reviews.get().progress == 1
    assessment = Assessment.objects.get(trajectory=trajectory)
    assert assessment.overall_judgement == "moderate" and all(r.rating == 1 for r in assessment.ratings.all())
    conference = Conference.objects.get(pk=full_file["conference"].pk)
    assert conference.basis == "art458ter" and conference.status == "minutes_draft"
    assert conference.participants.count() == 4


def test_a_legal_hold_keeps_every_app_as_it_was(full_file, dpo):
    legal_hold_set(detainee=full_file["detainee"], user=dpo, hold=True, reason="Lopende procedure")
    before = rows_with_personal_data()
    with time_machine.travel(TODAY, tick=False), pytest.raises(ValidationError):
        detainee_anonymise(detainee_id=full_file["detainee"].pk, user=dpo)
    assert rows_with_personal_data() == before
    assert HandoverPackage.objects.get().file


def test_the_subject_access_export_has_a_section_per_app(client, full_file, dpo):
    data = subject_access_build(full_file["detainee"])
    sections = data["sections"]
    assert set(sections) == {"casework", "diary", "trajectories", "casusoverleg", "notifications"}
    trajectories = sections["trajectories"]
    assert trajectories["trajectories"][0]["referral_reason"].startswith("Karim vraagt")
    assert trajectories["goals"][0]["description"].startswith("Karim start")
    assert trajectories["goal_reviews"][0]["note"] == "Karim twijfelt nog."
    assert {r["evidence"] for r in trajectories["assessment_ratings"]} >= {"Karim: trauma"}
    assert trajectories["releases"][0]["destination_municipality"] == "Genk"
    assert trajectories["handover_packages"][0]["sha256"] == full_file["package"].file_sha256
    conferences = sections["casusoverleg"]
    assert conferences["conferences"][0]["authorisation_reference"] == "Machtiging PK Limburg 2013/17"
    assert {p["name"] for p in conferences["participants"]} >= {"Fatima Bouzidi", "Karim Bouzidi"}
    assert [m["version"] for m in conferences["minutes"]] == [1, 2]
    assert conferences["decisions"][0]["dissent_why"] == "Karim is er niet klaar voor."
    assert any(c["outcome"] == "Bericht verstuurd" for c in conferences["minutes_copies"])
    assert {r["kind"] for r in sections["notifications"]["reminders"]} == {
        "conference_upcoming",
        "conference_invitation",
        "action_overdue",
        "handover_conference_proposal",
    }

    client.force_login(dpo)
    response = client.post(reverse("privacy:subject_access_download", args=[full_file["detainee"].pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    exported = json.loads(archive.read(next(n for n in names if n.endswith(".json"))))
    assert set(exported["sections"]) == {"casework", "diary", "trajectories", "casusoverleg", "notifications"}
    text = " ".join(
        " ".join(
            page.extract_text()
            for page in PdfReader(io.BytesIO(archive.read(next(n for n in names if n.endswith(".pdf"))))).pages
        ).split()
    )
    # The dossier titles each app's section for a reader (casework/privacy/dossier.py SECTION_TITLES).
    for expected in (
        "Trajecten",
        "Karim start traumabegeleiding",
        "Casusoverleggen",
        "Karim krijgt verlof",
        "Meldingen en herinneringen",
    ):
        assert expected in text, expected


def test_the_export_after_anonymisation_holds_no_personal_data(full_file, dpo):
    with time_machine.travel(TODAY, tick=False):
        detainee_anonymise(detainee_id=full_file["detainee"].pk, user=dpo)
    from casework.models import Detainee

    dumped = json.dumps(subject_access_build(Detainee.objects.get(pk=full_file["detainee"].pk)), default=str).lower()
    for token in TOKENS:
        assert token.lower() not in dumped, token


def test_organisations_are_not_touched(full_file, dpo):
    with time_machine.travel(TODAY, tick=False):
        detainee_anonymise(detainee_id=full_file["detainee"].pk, user=dpo)
    assert Organisation.objects.filter(name="Justitiehuis Hasselt").exists()
