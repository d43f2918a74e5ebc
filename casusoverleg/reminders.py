"""Reminder kinds of the case conferences, registered with the one engine (docs/design.md §5).

Kinds and defaults (per organisation in ReminderSetting; the file's organisation decides):
- conference_invitation     every invited user, on the day they were added (in-app; the .ics
                            invitation itself is mailed by this app's own task)
- conference_upcoming       every invited user, 7 days and 1 day before the conference
- minutes_draft_due         chair and minute taker(s), 5 working days after the meeting, while the
                            minutes are not approved (offsets count working days)
- pre_leave_not_planned     lead consultant and the prison's directors, 4 months before
                            `leave_eligible_on` when no pre-leave conference is planned (offsets
                            count months)
- conference_action_overdue the owner of a conference action outside the case staff (a partner or
                            director named on it, or the partners of the owning organisation), 1 day
                            after its due date, while he may still see it (ADR 0034)
- conference_action_overdue_chair  the chair of the conference the action came from, 7 days after
                            the due date

Texts say what kind of item is due and when, never who the detainee is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.display import local_date
from casework.models import Basis, Consent, Detainee, Prison, Purpose, Scope, consent_condition
from notifications.registry import PlanContext, ReminderKind, add_working_days, register

from .models import Conference, Participant

ACTIVE_STATUSES = (Conference.Status.PLANNED,)


def _link(conference_id: int) -> str:
    return reverse("casusoverleg:detail", args=[conference_id])


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def _participants(conference_ids) -> dict[int, list[Participant]]:
    found: dict[int, list[Participant]] = defaultdict(list)
    rows = Participant.objects.filter(conference_id__in=conference_ids, user__isnull=False, user__is_active=True)
    for participant in rows.only("pk", "conference_id", "user_id", "role", "created_at"):
        found[participant.conference_id].append(participant)
    return found


def _day_bounds(days: list[dt.date]) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(min(days), dt.time.min, tzinfo=zone),
        dt.datetime.combine(max(days) + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


# --- Invitation ----------------------------------------------------------------------------------------------


def _plan_invitation(ctx: PlanContext):
    code = "conference_invitation"
    start, end = _day_bounds(ctx.window())
    rows = (
        Participant.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            user__isnull=False,
            user__is_active=True,
            conference__status__in=ACTIVE_STATUSES,
        )
        .select_related("conference__detainee")
        .only(
            "pk",
            "created_at",
            "user_id",
            "conference_id",
            "conference__starts_at",
            "conference__detainee__organisation_id",
        )
    )
    for participant in rows:
        conference = participant.conference
        if 0 not in ctx.offsets(code, conference.detainee.organisation_id):
            continue
        when = timezone.localtime(conference.starts_at)
        yield ctx.draft(
            kind=code,
            obj=conference,
            due_on=_local_day(participant.created_at),
            recipient_id=participant.user_id,
            text=_("Je bent uitgenodigd voor een casusoverleg op %(day)s om %(time)s."),
            text_params={"day": local_date(when), "time": f"{when:%H:%M}"},
            link=_link(conference.pk),
        )


def _still_entitled() -> Q:
    """A partner stays on the list only while he may see the conference: a consent of his organisation with
    purpose conference and scope minutes, or the art. 458ter basis (docs/design.md §4). A withdrawn consent ends his reminders at once."""
    minutes_consent = Exists(
        Consent.objects.granting(purpose=Purpose.CONFERENCE, scope=Scope.MINUTES).filter(
            detainee_id=OuterRef("conference__detainee_id"), organisation_id=OuterRef("user__organisation_id")
        )
    )
    # The organiser of a meeting outside detention: on the court's mandate, or his organisation's consent (ADR 0041).
    return (
        ~Q(user__role__in=["partner", "organiser"])
        | (Q(user__role="partner") & Q(conference__basis=Basis.ART458TER))
        | (Q(user__role="organiser") & Q(conference__basis=Basis.COURT_MANDATE))
        | minutes_consent
    )


def _still_invited(reminders) -> set[int]:
    """The conference is still planned and the recipient still on its participant list (and entitled)."""
    invited = set(
        Participant.objects.filter(
            conference_id__in={r.object_id for r in reminders}, conference__status__in=ACTIVE_STATUSES
        )
        .filter(_still_entitled())
        .values_list("conference_id", "user_id")
    )
    return {r.pk for r in reminders if (r.object_id, r.recipient_id) in invited}


register(
    ReminderKind(
        code="conference_invitation",
        label=_("Uitnodiging casusoverleg"),
        mail_mandatory=True,
        default_offsets=(0,),
        plan=_plan_invitation,
        still_applies=_still_invited,
        supersedes=("conference_upcoming",),
    )
)


# --- 7 days and 1 day before ------------------------------------------------------------------------------------


def _plan_upcoming(ctx: PlanContext):
    code = "conference_upcoming"
    for offset, days in ctx.reference_days(code).items():
        start, end = _day_bounds(days)
        conferences = list(
            Conference.objects.filter(status__in=ACTIVE_STATUSES, starts_at__gte=start, starts_at__lt=end)
            .select_related("detainee")
            .only("pk", "starts_at", "detainee__organisation_id")
        )
        participants = _participants([c.pk for c in conferences])
        for conference in conferences:
            if offset not in ctx.offsets(code, conference.detainee.organisation_id):
                continue
            when = timezone.localtime(conference.starts_at)
            due_on = when.date() + dt.timedelta(days=offset)
            text = (
                _("Herinnering: casusoverleg morgen om %(time)s.")
                if offset == -1
                else _("Herinnering: casusoverleg op %(day)s om %(time)s.")
            )
            params = {"day": local_date(when), "time": f"{when:%H:%M}"}
            for participant in participants.get(conference.pk, []):
                yield ctx.draft(
                    kind=code,
                    obj=conference,
                    due_on=due_on,
                    recipient_id=participant.user_id,
                    text=text,
                    text_params=params,
                    link=_link(conference.pk),
                )


def _still_upcoming(reminders) -> set[int]:
    """Still planned, the recipient still invited, and not moved: its day still matches an offset."""
    ctx = PlanContext.load()
    rows = {
        c.pk: c
        for c in Conference.objects.filter(pk__in={r.object_id for r in reminders}, status__in=ACTIVE_STATUSES)
        .select_related("detainee")
        .only("pk", "starts_at", "detainee__organisation_id")
    }
    invited = set(
        Participant.objects.filter(conference_id__in=rows)
        .filter(_still_entitled())
        .values_list("conference_id", "user_id")
    )
    keep = set()
    for reminder in reminders:
        conference = rows.get(reminder.object_id)
        if conference is None or (conference.pk, reminder.recipient_id) not in invited:
            continue
        offset = (reminder.due_on - timezone.localdate(conference.starts_at)).days
        if offset in ctx.offsets("conference_upcoming", conference.detainee.organisation_id):
            keep.add(reminder.pk)
    return keep


register(
    ReminderKind(
        code="conference_upcoming",
        label=_("Casusoverleg nadert"),
        default_offsets=(-7, -1),
        plan=_plan_upcoming,
        still_applies=_still_upcoming,
    )
)


# --- Minutes draft due ----------------------------------------------------------------------------------------------


def _plan_minutes_due(ctx: PlanContext):
    code = "minutes_draft_due"
    window = set(ctx.window())
    for offset in ctx.all_offsets(code):
        # Meetings whose "+N working days" falls in the window lie at most N + 2 weekends earlier.
        candidates = [min(window) - dt.timedelta(days=n) for n in range(0, offset * 2 + 7)]
        meeting_days = [day for day in candidates if add_working_days(day, offset) in window]
        if not meeting_days:
            continue
        start, end = _day_bounds(meeting_days)
        conferences = list(
            Conference.objects.filter(starts_at__gte=start, starts_at__lt=end)
            .exclude(status__in=(Conference.Status.CANCELLED, Conference.Status.MINUTES_APPROVED))
            .select_related("detainee")
            .only("pk", "starts_at", "chair_id", "detainee__organisation_id")
        )
        participants = _participants([c.pk for c in conferences])
        for conference in conferences:
            meeting_day = timezone.localdate(conference.starts_at)
            if meeting_day not in meeting_days or offset not in ctx.offsets(code, conference.detainee.organisation_id):
                continue
            recipients = {conference.chair_id} | {
                p.user_id for p in participants.get(conference.pk, []) if p.role == Participant.Role.MINUTE_TAKER
            }
            for recipient_id in recipients:
                yield ctx.draft(
                    kind=code,
                    obj=conference,
                    due_on=add_working_days(meeting_day, offset),
                    recipient_id=recipient_id,
                    text=_("Het verslag van het casusoverleg van %(day)s is nog niet goedgekeurd."),
                    text_params={"day": local_date(meeting_day)},
                    link=reverse("casusoverleg:minutes_editor", args=[conference.pk]),
                )


def _minutes_still_open(reminders) -> set[int]:
    open_ids = set(
        Conference.objects.filter(pk__in={r.object_id for r in reminders})
        .exclude(status__in=(Conference.Status.CANCELLED, Conference.Status.MINUTES_APPROVED))
        .values_list("pk", flat=True)
    )
    return {r.pk for r in reminders if r.object_id in open_ids}


register(
    ReminderKind(
        code="minutes_draft_due",
        label=_("Verslag casusoverleg te laat"),
        default_offsets=(5,),
        plan=_plan_minutes_due,
        still_applies=_minutes_still_open,
        offsets_help="working days after the meeting",
    )
)


# --- Pre-leave conference not planned ------------------------------------------------------------------------------


def _add_months(day: dt.date, months: int) -> dt.date:
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _pre_leave_planned():
    return Exists(
        Conference.objects.filter(
            detainee_id=OuterRef("pk"),
            kind=Conference.Kind.PRE_LEAVE,
            status__in=(
                Conference.Status.PLANNED,
                Conference.Status.HELD,
                Conference.Status.MINUTES_DRAFT,
                Conference.Status.MINUTES_APPROVED,
            ),
        )
    )


def _plan_pre_leave(ctx: PlanContext):
    code = "pre_leave_not_planned"
    link = reverse("casusoverleg:create")
    for months in ctx.all_offsets(code):
        window = set(ctx.window())
        # Month arithmetic clamps (31/05 - 4 months = 31/01, 30/06 - 4 = 28/02): look a few days on
        # and keep the leave dates whose reminder day really falls in the window.
        leave_days = sorted({_add_months(day, -months) + dt.timedelta(days=k) for day in window for k in range(4)})
        rows = list(
            Detainee.objects.filter(in_scope=True, released_on__isnull=True, leave_eligible_on__in=leave_days)
            .exclude(_pre_leave_planned())
            .only("pk", "organisation_id", "lead_consultant_id", "current_prison_id", "leave_eligible_on")
        )
        directors: dict[int, list[int]] = defaultdict(list)
        for prison_id, user_id in Prison.directors.through.objects.filter(
            prison_id__in={d.current_prison_id for d in rows}, user__is_active=True
        ).values_list("prison_id", "user_id"):
            directors[prison_id].append(user_id)
        for detainee in rows:
            due_on = _add_months(detainee.leave_eligible_on, months)
            if due_on not in window or months not in ctx.offsets(code, detainee.organisation_id):
                continue
            recipients = {detainee.lead_consultant_id, *directors.get(detainee.current_prison_id, [])} - {None}
            for recipient_id in recipients:
                yield ctx.draft(
                    kind=code,
                    obj=detainee,
                    due_on=due_on,
                    recipient_id=recipient_id,
                    text=_(
                        "Over %(months)s maanden is een gedetineerde toelaatbaar voor penitentiair verlof; "
                        "er is nog geen casusoverleg vóór verlof gepland."
                    ),
                    text_params={"months": abs(months)},
                    link=link,
                )


def _pre_leave_still_missing(reminders) -> set[int]:
    missing = set(
        Detainee.objects.filter(pk__in={r.object_id for r in reminders}, in_scope=True, released_on__isnull=True)
        .exclude(_pre_leave_planned())
        .values_list("pk", flat=True)
    )
    return {r.pk for r in reminders if r.object_id in missing}


register(
    ReminderKind(
        code="pre_leave_not_planned",
        label=_("Casusoverleg vóór verlof niet gepland"),
        default_offsets=(-4,),
        plan=_plan_pre_leave,
        still_applies=_pre_leave_still_missing,
        offsets_help="months relative to the leave eligibility date",
    )
)


# --- Conference actions overdue: the owner, then the chair (ADR 0034) --------------------------------------------


def _conference_actions(day_list):
    """Open conference actions due on one of `day_list`, each with the conference it came from."""
    from django.db.models import Subquery

    from trajectories.models import Action

    from .models import Minutes, MinutesAction

    first = Subquery(
        MinutesAction.objects.filter(action_id=OuterRef("pk"), minutes__status=Minutes.Status.APPROVED)
        .order_by("minutes__conference__starts_at", "minutes__number")
        .values("minutes__conference_id")[:1]
    )
    return list(
        Action.objects.open()
        .filter(source_kind=Action.SourceKind.CONFERENCE_DECISION, due_on__in=day_list)
        .annotate(conference_id=first)
        .filter(conference_id__isnull=False)
        .select_related("detainee", "owner_user")
        .only("pk", "due_on", "owner_user_id", "owner_user__role", "owner_organisation_id", "detainee__organisation_id")
    )


def _external_owners(actions) -> dict[int, list[int]]:
    """The people an action's overdue reminder goes to when its owner is outside the case staff: the partner or
    director named on it, or the active partners of the organisation that owns it (none named)."""
    from accounts.models import User

    partners: dict[int, list[int]] = defaultdict(list)
    orgs = {a.owner_organisation_id for a in actions if a.owner_user_id is None and a.owner_organisation_id}
    for user_id, organisation_id in User.objects.filter(
        role=User.Role.PARTNER, is_active=True, organisation_id__in=orgs
    ).values_list("pk", "organisation_id"):
        partners[organisation_id].append(user_id)
    found = {}
    for action in actions:
        if action.owner_user_id:
            if action.owner_user.role in ("partner", "director"):
                found[action.pk] = [action.owner_user_id]
        elif action.owner_organisation_id and action.owner_organisation_id != action.detainee.organisation_id:
            found[action.pk] = partners.get(action.owner_organisation_id, [])
    return found


def _plan_action_owner(ctx: PlanContext):
    code = "conference_action_overdue"
    for offset, days in ctx.reference_days(code).items():
        actions = _conference_actions(days)
        owners = _external_owners(actions)
        for action in actions:
            if offset not in ctx.offsets(code, action.detainee.organisation_id):
                continue
            for recipient_id in owners.get(action.pk, []):
                yield ctx.draft(
                    kind=code,
                    obj=action,
                    due_on=action.due_on + dt.timedelta(days=offset),
                    recipient_id=recipient_id,
                    text=_("Een actie uit een casusoverleg met vervaldatum %(day)s is over de vervaldatum."),
                    text_params={"day": f"{action.due_on:%d/%m/%Y}"},
                    link=reverse("casusoverleg:my_actions") + f"#actie-{action.pk}",
                )


def _plan_action_chair(ctx: PlanContext):
    code = "conference_action_overdue_chair"
    for offset, days in ctx.reference_days(code).items():
        actions = _conference_actions(days)
        chairs = dict(
            Conference.objects.filter(pk__in={a.conference_id for a in actions}).values_list("pk", "chair_id")
        )
        for action in actions:
            if offset not in ctx.offsets(code, action.detainee.organisation_id) or action.conference_id not in chairs:
                continue
            yield ctx.draft(
                kind=code,
                obj=action,
                due_on=action.due_on + dt.timedelta(days=offset),
                recipient_id=chairs[action.conference_id],
                text=_(
                    "Een actie uit een casusoverleg dat je voorzat, met vervaldatum %(day)s, staat al "
                    "%(days)s dagen open."
                ),
                text_params={"day": f"{action.due_on:%d/%m/%Y}", "days": offset},
                link=reverse("casusoverleg:detail", args=[action.conference_id]) + "#minutes",
            )


def conference_actions_still_owned(user, object_ids: set[int]) -> set[int]:
    """The conference actions `user` may still open from his list (a withdrawn consent ends them at once)."""
    from .actions import owned_actions

    return set(owned_actions(user).filter(pk__in=object_ids).values_list("pk", flat=True))


def _action_owner_still_applies(reminders) -> set[int]:
    """Still open, still his, and the recipient may still see it (a partner: a consent of his organisation sharing
    the minutes for the conference, or the art. 458ter basis; a withdrawn consent withdraws the reminder). Four queries per
    batch, whatever its size."""
    from accounts.models import User
    from casework.models import Purpose

    actions = {a.pk: a for a in _conference_actions_by_id({r.object_id for r in reminders})}
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in={r.recipient_id for r in reminders}, is_active=True).only(
            "pk", "role", "organisation_id"
        )
    }
    consented = set(
        Consent.objects.active()
        .filter(
            consent_condition(purpose=Purpose.CONFERENCE, scope=Scope.MINUTES),
            detainee_id__in={a.detainee_id for a in actions.values()},
            organisation_id__in={u.organisation_id for u in users.values()},
        )
        .values_list("detainee_id", "organisation_id")
    )
    art458ter = set(
        Conference.objects.filter(
            pk__in={a.conference_id for a in actions.values()}, basis=Basis.ART458TER
        ).values_list("pk", flat=True)
    )
    keep = set()
    for reminder in reminders:
        action, user = actions.get(reminder.object_id), users.get(reminder.recipient_id)
        if action is None or user is None:
            continue
        owns = action.owner_user_id == user.pk or (
            action.owner_user_id is None
            and user.role == "partner"
            and action.owner_organisation_id == user.organisation_id
        )
        if not owns:
            continue
        if (
            user.role != "partner"
            or (action.detainee_id, user.organisation_id) in consented
            or action.conference_id in art458ter
        ):
            keep.add(reminder.pk)
    return keep


def _conference_actions_by_id(ids):
    from django.db.models import Subquery

    from trajectories.models import Action

    from .models import Minutes, MinutesAction

    first = Subquery(
        MinutesAction.objects.filter(action_id=OuterRef("pk"), minutes__status=Minutes.Status.APPROVED)
        .order_by("minutes__conference__starts_at", "minutes__number")
        .values("minutes__conference_id")[:1]
    )
    return list(
        Action.objects.open()
        .filter(pk__in=ids)
        .annotate(conference_id=first)
        .only("pk", "detainee_id", "owner_user_id", "owner_organisation_id")
    )


def _action_chair_still_applies(reminders) -> set[int]:
    from trajectories.models import Action

    open_ids = set(Action.objects.open().filter(pk__in={r.object_id for r in reminders}).values_list("pk", flat=True))
    return {r.pk for r in reminders if r.object_id in open_ids}


register(
    ReminderKind(
        code="conference_action_overdue",
        label=_("Actie uit casusoverleg over vervaldatum (eigenaar)"),
        default_offsets=(1,),
        plan=_plan_action_owner,
        still_applies=_action_owner_still_applies,
    )
)
register(
    ReminderKind(
        code="conference_action_overdue_chair",
        label=_("Actie uit casusoverleg over vervaldatum (voorzitter)"),
        default_offsets=(7,),
        plan=_plan_action_chair,
        still_applies=_action_chair_still_applies,
    )
)

# The events of a transfer (ADR 0040) register with the rest of this app's kinds.
from . import reminders_transfer  # noqa: E402, F401
