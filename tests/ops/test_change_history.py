"""Every model of the case apps is in the change history (django-pghistory triggers), or says why not.

docs/design.md §9 promises that every write of case content is recorded with who and why. A new model in one
of these apps fails here until it is tracked with `@pghistory.track()` or listed in EXEMPT with a reason. A
tracked model that holds data about a detainee must also have its history cleared by its app's anonymisation
(otherwise the history keeps what retention removes).
"""

import pghistory.models
from django.apps import apps

from casework.privacy import casework_part
from casusoverleg import privacy as casusoverleg_privacy
from diary import privacy as diary_privacy
from trajectories import privacy as trajectories_privacy

CASE_APPS = ("casework", "diary", "trajectories", "casusoverleg", "notifications", "reporting")

# Models that are not tracked, each with the reason. Logs are append-only records of their own; reference
# data and settings hold no case content and are changed by the functional administrator only.
EXEMPT = {
    "casework.Prison": "reference data, no case content",
    "casework.LifeDomain": "reference data, no case content",
    "casework.InterventionModule": "reference data, no case content",
    "casework.AccessLog": "itself the read log: append-only, one row per read",
    "casework.Disclosure": "itself the disclosure log: written once by disclosure_record; only anonymisation "
    "rewrites the recipient's name, and that is recorded in the RetentionRecord",
    "casework.AccessRefusal": "itself the log of refused accesses: append-only, codes only, no case content",
    "casework.RetentionRecord": "itself the record that a file was anonymised: append-only",
    "diary.VisitingSlot": "reference data (a prison's weekly visiting hours), no case content",
    "casework.DetaineeMerge": "itself the record of a merge (ids, who, when, counts; no personal data), written by "
    "detainee_merge, whose moves are each in the history; a later merge of the survivor "
    "only re-points it, and that merge has its own record",
    "casework.ImportColumnMapping": "an organisation's remembered spreadsheet headers, no case content",
    "trajectories.TrajectoryStatusChange": "itself the dated status history (who, when, why): append-only",
    "trajectories.AssessmentTemplate": "instrument definition (reference data), no case content",
    "trajectories.AssessmentSection": "instrument definition (reference data), no case content",
    "trajectories.AssessmentItem": "instrument definition (reference data), no case content",
    "trajectories.AftercareSetting": "an organisation's follow-up schedule (settings), no case content",
    "casusoverleg.ReferralPriority": "itself the record of a conference's decision on a referral's priority: "
    "append-only (a later decision is a new row); the trajectory's priority is "
    "tracked",
    "casusoverleg.MinutesCopy": "the outcome of sending one copy; each copy sent is recorded as a Disclosure",
    "casusoverleg.MinutesDownload": "itself the log of downloaded copies (who, when, the file's SHA-256): append-only",
    "casusoverleg.CalendarFeed": "a user's feed token, no case content; revoking it replaces the token",
    "notifications.Reminder": "derived from the case by the sweep, content-free text; its status is dated",
    "notifications.Notification": "a copy of a reminder for the inbox, content-free; read_at is dated",
    "notifications.ReminderMail": "one outgoing content-free e-mail of a delivery batch; its status and attempts "
    "are dated on the row",
    "notifications.MailOptOut": "a user's own choice to receive no e-mail of one kind (a setting), no case content",
    "notifications.ReminderSetting": "an organisation's reminder offsets (settings), no case content",
}

# Tracked models whose history anonymisation leaves alone: no personal data about a detainee.
NOT_ABOUT_A_DETAINEE: set[str] = {
    # A prison's standing conference team: who sits at the table and on what agreements, never a detainee.
    "casusoverleg.StandingMember",
}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _case_models() -> list:
    return [
        model
        for app in CASE_APPS
        for model in apps.get_app_config(app).get_models()
        if not issubclass(model, pghistory.models.Event)
    ]


def _tracked() -> dict[str, type]:
    """Tracked model label → its event model."""
    return {
        _label(event.pgh_tracked_model): event
        for event in apps.get_models()
        if issubclass(event, pghistory.models.Event) and getattr(event, "pgh_tracked_model", None)
    }


def test_every_case_model_is_tracked_or_exempt_with_a_reason():
    tracked = _tracked()
    missing = [_label(m) for m in _case_models() if _label(m) not in tracked and _label(m) not in EXEMPT]
    assert not missing, f"not in the change history and not exempt: {missing}"


def test_exemptions_are_real_and_reasoned():
    labels = {_label(m) for m in _case_models()}
    tracked = _tracked()
    assert not [label for label in EXEMPT if label not in labels], "EXEMPT names a model that does not exist"
    assert not [label for label in EXEMPT if label in tracked], "EXEMPT names a model that is tracked after all"
    assert all(len(reason.split()) >= 3 for reason in EXEMPT.values())


def test_the_content_models_named_in_the_docs_are_tracked():
    tracked = _tracked()
    for label in (
        "casework.Detainee",
        "casework.Session",
        "casework.Consent",
        "casework.NetworkPerson",
        "trajectories.Trajectory",
        "trajectories.Goal",
        "trajectories.AssessmentRating",
        "trajectories.HandoverPackage",
        "casusoverleg.Conference",
        "casusoverleg.Minutes",
        "casusoverleg.Participant",
        "casusoverleg.AgendaItem",
        "casusoverleg.ItemNote",
        "casusoverleg.Decision",
        "casusoverleg.MinutesAction",
        "casusoverleg.CadenceRule",
        "diary.PlannedContact",
    ):
        assert label in tracked, label


def test_anonymisation_clears_the_history_of_every_tracked_model():
    cleared = {
        *(f"casework.{name}" for name in casework_part.EVENT_MODELS),
        *(f"trajectories.{name}" for name in trajectories_privacy.EVENT_LOOKUPS),
        *(f"casusoverleg.{name}" for name in casusoverleg_privacy.EVENT_LOOKUPS),
        *(f"diary.{name}" for name in diary_privacy.EVENT_LOOKUPS),
    }
    for label, event in _tracked().items():
        if (
            label.split(".")[0] not in ("casework", "diary", "trajectories", "casusoverleg")
            or label in NOT_ABOUT_A_DETAINEE
        ):
            continue
        assert _label(event) in cleared, f"anonymisation leaves the history of {label} ({_label(event)})"
