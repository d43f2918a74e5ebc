"""The sentence enforcement court's conditions: record a condition with its reporting deadlines, add or cancel a
deadline, write the report for the supervising body (ADR 0042). Every write is atomic and in the change history.

What a report may carry is decided here, once:
- under the court's mandate (`reporting_mandate`: the judgment asks this service to report, a legal obligation):
  the person's identity, the condition, and the facts of the follow-up in the period — the status of the
  trajectory, the contacts with their date, form and attendance, the aftercare follow-ups with their outcome.
  Never what was said or worked on;
- with the detainee's consent for a handover to the recipient (purpose `handover`, the follow-up after release),
  on top of those facts what its scopes allow: goals (health goals only with scope health), the shareable
  summaries of the period's contacts, the overall judgement of finalised assessments; identity only with scope
  identity unless the mandate also holds.
Without either, nothing is written and nothing leaves the team. Confidential notes never leave it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.display import local_date, person_name
from accounts.documents import Document, document_language, made_facts
from accounts.models import Organisation, User
from casework.models import SUPERVISION, Basis, Consent, Purpose, Scope, Session, scope_list
from casework.pdf import render_pdf
from casework.services import disclosure_record
from config.history import recorded
from notifications.registry import PlanContext
from notifications.services import reminder_schedule, reminders_withdraw_for

from ..compartments import HEALTH_CODES
from ..models import Assessment, Goal, Status, Trajectory
from ..models_court import MAX_DEADLINES_PER_CONDITION, CourtCondition, CourtReport, ReportingDeadline
from ..models_release import FollowUp, Release

REMINDER_KIND = "court_report_due"
MAX_TEXT = 2000


def _recipient(trajectory: Trajectory) -> User | None:
    return trajectory.lead_consultant or trajectory.detainee.lead_consultant


def conditions_url(trajectory_id: int) -> str:
    return reverse("trajectories:court_conditions", args=[trajectory_id])


# --- Conditions and deadlines ---------------------------------------------------------------------------------


def _check_deadline_days(
    days: Sequence[dt.date],
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    errors: dict[str, str],
    field: str = "deadlines",
) -> list[dt.date]:
    values = sorted(set(days or []))
    if len(values) > MAX_DEADLINES_PER_CONDITION:
        errors[field] = _("Hoogstens %(max)s rapporteringstermijnen per voorwaarde.") % {
            "max": MAX_DEADLINES_PER_CONDITION
        }
    elif starts_on and ends_on and any(day < starts_on or day > ends_on for day in values):
        errors[field] = _(
            "Een rapporteringstermijn valt binnen de looptijd van de voorwaarde (%(start)s – %(end)s)."
        ) % {"start": local_date(starts_on), "end": local_date(ends_on)}
    return values


# A deadline already (nearly) due when it is recorded: the planner looks back a few days only (ADR 0006), so it
# is reminded at once, keyed like the planner's reminder of the day itself — never twice.
LATE_DEADLINE_TEXT = gettext_lazy(
    "Verslag over een voorwaarde van de strafuitvoeringsrechtbank voor %(org)s was uiterlijk op %(day)s verwacht."
)


TODAY_DEADLINE_TEXT = gettext_lazy(
    "Vandaag (%(day)s) verwacht %(org)s een verslag over een voorwaarde van de strafuitvoeringsrechtbank."
)


def _remind_deadlines_already_due(trajectory: Trajectory, deadlines: Sequence[ReportingDeadline]) -> None:
    today = timezone.localdate()
    due = [d for d in deadlines if d.status == ReportingDeadline.Status.PLANNED and d.due_on <= today]
    recipient = _recipient(trajectory)
    if not due or recipient is None:
        return
    # An organisation that switched these reminders off gets none for late deadlines either.
    if not PlanContext.load().offsets(REMINDER_KIND, trajectory.detainee.organisation_id):
        return
    for deadline in due:
        reminder_schedule(
            kind=REMINDER_KIND,
            obj=deadline,
            recipient=recipient,
            text=TODAY_DEADLINE_TEXT if deadline.due_on == today else LATE_DEADLINE_TEXT,
            text_params={"org": deadline.recipient_organisation.name, "day": local_date(deadline.due_on)},
            link=conditions_url(trajectory.pk),
            due_on=deadline.due_on,
        )


def court_condition_record(
    *,
    release: Release,
    user: User,
    kind: str,
    text: str,
    court: str,
    decided_on: dt.date,
    starts_on: dt.date,
    ends_on: dt.date,
    supervising_organisation: Organisation,
    reporting_mandate: bool = False,
    judgment_reference: str = "",
    deadlines: Sequence[dt.date] = (),
    report_to: Organisation | None = None,
) -> CourtCondition:
    """Record a condition the sentence enforcement court attached to the release, with the days by which a report
    is due (`deadlines`, to `report_to`, else to the supervising body). Each deadline becomes a reminder for the
    lead consultant (the planner: a week before and on the day; at once when already due)."""
    trajectory = release.trajectory
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if trajectory.status != Status.AFTERCARE:
        errors["trajectory"] = _("Voorwaarden van de rechtbank horen bij een traject in nazorg.")
    if kind not in CourtCondition.Kind.values:
        errors["kind"] = _("Kies de soort voorwaarde.")
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Geef de tekst van de voorwaarde zoals in het vonnis.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("De tekst is te lang (maximum 2000 tekens).")
    court = (court or "").strip()
    if not court:
        errors["court"] = _("Geef de strafuitvoeringsrechtbank (bv. SURB Antwerpen).")
    elif len(court) > 100:
        errors["court"] = _("De naam van de rechtbank is te lang (maximum 100 tekens).")
    judgment_reference = (judgment_reference or "").strip()
    if len(judgment_reference) > 60:
        errors["judgment_reference"] = _("De referentie is te lang (maximum 60 tekens).")
    if decided_on is None:
        errors["decided_on"] = _("Geef de datum van het vonnis.")
    elif decided_on > today:
        errors["decided_on"] = _("Het vonnis kan niet in de toekomst liggen.")
    if starts_on is None:
        errors["starts_on"] = _("Geef vanaf wanneer de voorwaarde geldt.")
    elif decided_on and starts_on < decided_on:
        errors["starts_on"] = _("Een voorwaarde geldt niet vóór het vonnis.")
    if ends_on is None:
        errors["ends_on"] = _("Geef tot wanneer de voorwaarde geldt (de proeftijd).")
    elif starts_on and ends_on < starts_on:
        errors["ends_on"] = _("Het einde ligt vóór het begin van de voorwaarde.")
    if supervising_organisation is None:
        errors["supervising_organisation"] = _("Kies de dienst die toezicht houdt (bv. het justitiehuis).")
    days = _check_deadline_days(deadlines, starts_on, ends_on, errors)
    report_to = report_to or supervising_organisation
    if errors:
        raise ValidationError(errors)
    with recorded(user, "court_condition_record"):
        condition = CourtCondition.objects.create(
            release=release,
            kind=kind,
            text=text,
            court=court,
            decided_on=decided_on,
            judgment_reference=judgment_reference,
            starts_on=starts_on,
            ends_on=ends_on,
            supervising_organisation=supervising_organisation,
            reporting_mandate=bool(reporting_mandate),
            recorded_by=user,
        )
        created = ReportingDeadline.objects.bulk_create(
            ReportingDeadline(condition=condition, due_on=day, recipient_organisation=report_to) for day in days
        )
        _remind_deadlines_already_due(trajectory, created)
    return condition


def reporting_deadline_add(
    *, condition: CourtCondition, user: User, due_on: dt.date, recipient_organisation: Organisation | None = None
) -> ReportingDeadline:
    """One more day by which a report is due (a later letter of the justice house)."""
    trajectory = condition.release.trajectory
    errors: dict[str, str] = {}
    if trajectory.status != Status.AFTERCARE:
        errors["trajectory"] = _("Voorwaarden van de rechtbank horen bij een traject in nazorg.")
    if due_on is None:
        errors["due_on"] = _("Geef de datum waarop het verslag verwacht wordt.")
    else:
        _check_deadline_days([due_on], condition.starts_on, condition.ends_on, errors, field="due_on")
    recipient_organisation = recipient_organisation or condition.supervising_organisation
    if not errors and condition.deadlines.count() >= MAX_DEADLINES_PER_CONDITION:
        errors["due_on"] = _("Hoogstens %(max)s rapporteringstermijnen per voorwaarde.") % {
            "max": MAX_DEADLINES_PER_CONDITION
        }
    if errors:
        raise ValidationError(errors)
    try:
        with recorded(user, "reporting_deadline_add"):
            deadline = ReportingDeadline.objects.create(
                condition=condition, due_on=due_on, recipient_organisation=recipient_organisation
            )
            _remind_deadlines_already_due(trajectory, [deadline])
    except IntegrityError:
        raise ValidationError({"due_on": _("Deze termijn is al vastgelegd.")}) from None
    return deadline


def reporting_deadline_cancel(*, deadline: ReportingDeadline, user: User) -> ReportingDeadline:
    """A deadline that no longer holds (the court changed its decision): its pending reminders are withdrawn."""
    if deadline.status != ReportingDeadline.Status.PLANNED:
        raise ValidationError({"deadline": _("Enkel een termijn die nog te rapporteren is, kan geannuleerd worden.")})
    with recorded(user, "reporting_deadline_cancel"):
        updated = ReportingDeadline.objects.filter(pk=deadline.pk, status=ReportingDeadline.Status.PLANNED).update(
            status=ReportingDeadline.Status.CANCELLED, updated_at=timezone.now()
        )
        if not updated:
            raise ValidationError(
                {"deadline": _("Enkel een termijn die nog te rapporteren is, kan geannuleerd worden.")}
            )
        reminders_withdraw_for(obj=deadline)
    deadline.refresh_from_db()
    return deadline


# --- The report for the supervising body ----------------------------------------------------------------------


def report_consent(condition: CourtCondition, organisation: Organisation) -> Consent | None:
    """The detainee's consent in force for a handover to `organisation`, if any (the newest)."""
    return (
        Consent.objects.active()
        .filter(
            detainee_id=condition.release.trajectory.detainee_id,
            organisation=organisation,
            purposes__contains=[Purpose.HANDOVER],
        )
        .order_by("-given_on", "-pk")
        .first()
    )


def report_basis(condition: CourtCondition, organisation: Organisation) -> tuple[str, Consent | None] | None:
    """On what a report to `organisation` may be written: a consent in force (which also carries the mandate's
    facts), else the court's mandate — only towards the supervising body or a body the deadlines name — else none."""
    consent = report_consent(condition, organisation)
    if consent is not None:
        return Basis.CONSENT, consent
    if condition.reporting_mandate and mandate_covers(condition, organisation):
        return Basis.LEGAL_OBLIGATION, None
    return None


def mandate_covers(condition: CourtCondition, organisation: Organisation) -> bool:
    return (
        organisation.pk == condition.supervising_organisation_id
        or condition.deadlines.filter(recipient_organisation=organisation).exists()
    )


def legal_reference(condition: CourtCondition) -> str:
    """The judgment the mandate rests on, as the disclosure log names it."""
    reference = f"{condition.court}, {condition.decided_on.isoformat()}"
    if condition.judgment_reference:
        reference += f" ({condition.judgment_reference})"
    return reference[:200]


def _period_start(condition: CourtCondition, organisation: Organisation) -> dt.date:
    last = (
        CourtReport.objects.filter(condition=condition, recipient_organisation=organisation)
        .order_by("-period_to")
        .values_list("period_to", flat=True)
        .first()
    )
    return last if last is not None else condition.starts_on


def report_context(
    *,
    condition: CourtCondition,
    recipient: Organisation,
    basis: str,
    consent: Consent | None,
    period_from: dt.date,
    period_to: dt.date,
) -> dict[str, Any]:
    """What the report shows, already cut down to what the mandate or the consent allows."""
    release = condition.release
    trajectory = release.trajectory
    detainee = trajectory.detainee
    scopes = set(consent.scopes) if consent is not None else set()
    start = timezone.make_aware(dt.datetime.combine(period_from, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(period_to + dt.timedelta(days=1), dt.time.min))
    sessions = list(
        Session.objects.filter(detainee=detainee, started_at__gte=start, started_at__lt=end)
        .order_by("started_at")
        .only("started_at", "modality", "attendance", "summary")
    )
    context: dict[str, Any] = {
        "condition": condition,
        "release": release,
        "trajectory": trajectory,
        "recipient": recipient,
        "basis": basis,
        "consent": consent,
        "period_from": period_from,
        "period_to": period_to,
        "mandate": condition.reporting_mandate,
        "sessions": sessions,
        "attended": sum(1 for s in sessions if s.attendance == Session.Attendance.ATTENDED),
        "follow_ups": list(
            FollowUp.objects.filter(
                trajectory=trajectory, kind=FollowUp.Kind.AFTERCARE, due_on__gte=period_from, due_on__lte=period_to
            )
        ),
        "summaries": Scope.SESSION_SUMMARIES in scopes,
        "scopes": sorted(scopes),
        "scope_labels": [str(Scope(s).label) for s in sorted(scopes) if s in Scope.values],
    }
    if condition.reporting_mandate or Scope.IDENTITY in scopes:
        context["detainee"] = detainee
    if Scope.TRAJECTORY_GOALS in scopes:
        goals = Goal.objects.filter(trajectory=trajectory).select_related("domain")
        if Scope.HEALTH not in scopes:
            goals = goals.exclude(domain__code__in=HEALTH_CODES)
        context["goals"] = list(goals)
    if Scope.ASSESSMENTS in scopes:
        context["assessments"] = list(
            Assessment.objects.finalised().filter(trajectory=trajectory).select_related("template")
        )
    return context


def report_document(context: dict[str, Any], *, user: User, report_id: int | None) -> Document:
    condition, recipient = context["condition"], context["recipient"]
    detainee = context.get("detainee")
    reference = f"#{report_id}" if report_id else "—"
    subject = person_name(detainee) if detainee is not None else _("Verslag %(ref)s") % {"ref": reference}
    if context["basis"] == Basis.CONSENT:
        ground = _("Toestemming van de betrokkene, gegeven op %(day)s") % {
            "day": local_date(context["consent"].given_on)
        }
    else:
        ground = _("Opdracht van de strafuitvoeringsrechtbank: %(ref)s") % {"ref": legal_reference(condition)}
    contents = [
        (_("Voorwaarde"), condition.get_kind_display()),
        (_("Contactmomenten in de periode"), str(len(context["sessions"]))),
    ]
    if context.get("goals") is not None:
        contents.append((_("Doelen"), str(len(context["goals"]))))
    if context.get("assessments") is not None:
        contents.append((_("Inschattingen (algemeen oordeel)"), str(len(context["assessments"]))))
    facts = [
        (_("Ontvanger"), recipient.name),
        (_("Over"), subject),
        (_("Referentie"), reference),
        (_("Periode"), f"{local_date(context['period_from'])} – {local_date(context['period_to'])}"),
        *made_facts(made_by=user, made_at=timezone.localtime(), language=translation.get_language()),
        (_("Grondslag"), ground),
        (_("Gedeelde onderdelen"), ", ".join(context["scope_labels"]) or _("Enkel de feiten van de opvolging")),
    ]
    return Document(
        title=_("Verslag over een voorwaarde van de strafuitvoeringsrechtbank"),
        for_whom=_("Voor %(org)s") % {"org": recipient.name},
        facts=facts,
        about=_(
            "Dit verslag bevat enkel wat de opdracht van de rechtbank of de toestemming van de betrokkene toelaat: "
            "de feiten van de opvolging en, met toestemming, wat de betrokkene toestemde te delen. "
            "Vertrouwelijke notities van de begeleiding zitten er nooit in."
        ),
        contents=contents,
        footer=_("Voor %(org)s — verslag %(ref)s") % {"org": recipient.name, "ref": reference},
    )


def _reserve_report_id() -> int:
    """The next id of a report, taken from its sequence (the PDF names it before the row is inserted)."""
    from django.db import connection

    table = CourtReport._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
        return int(cursor.fetchone()[0])


def court_report_write(
    *,
    condition: CourtCondition,
    user: User,
    recipient_organisation: Organisation | None = None,
    deadline: ReportingDeadline | None = None,
    language: str | None = None,
) -> CourtReport:
    """Write the report on `condition` for the supervising body (or the deadline's recipient), render it as PDF in
    `language` (default the writer's), record it as a disclosure, and mark the deadline reported. All or nothing.
    The period runs from the previous report to this recipient (else the start of the condition) to today."""
    language = document_language(language, default=user.language)
    trajectory = condition.release.trajectory
    errors: dict[str, str] = {}
    if deadline is not None:
        if deadline.condition_id != condition.pk:
            errors["deadline"] = _("Deze termijn hoort niet bij deze voorwaarde.")
        elif deadline.status != ReportingDeadline.Status.PLANNED:
            errors["deadline"] = _("Over deze termijn is al gerapporteerd, of ze is geannuleerd.")
        recipient_organisation = recipient_organisation or deadline.recipient_organisation
    recipient_organisation = recipient_organisation or condition.supervising_organisation
    if trajectory.status not in (Status.AFTERCARE, Status.CLOSED):
        errors["trajectory"] = _("Voorwaarden van de rechtbank horen bij een traject in nazorg.")
    if deadline is not None and not errors and deadline.recipient_organisation_id != recipient_organisation.pk:
        errors["recipient_organisation"] = _("Deze termijn is voor een andere dienst.")
    found = None if errors else report_basis(condition, recipient_organisation)
    if not errors and found is None:
        errors["recipient_organisation"] = _(
            "Er is geen geldende toestemming voor deze dienst en de rechtbank gaf geen opdracht tot rapportering: "
            "er kan niets gedeeld worden."
        )
    if errors:
        raise ValidationError(errors)
    assert found is not None  # else `errors` said so
    basis, consent = found
    period_to = timezone.localdate()
    period_from = min(_period_start(condition, recipient_organisation), period_to)
    with recorded(user, "court_report_write"):
        if deadline is not None:
            # One report per deadline, also when two people press the button at once.
            deadline = ReportingDeadline.objects.select_for_update().get(pk=deadline.pk)
            if deadline.status != ReportingDeadline.Status.PLANNED:
                raise ValidationError({"deadline": _("Over deze termijn is al gerapporteerd, of ze is geannuleerd.")})
        with translation.override(language):
            context = report_context(
                condition=condition,
                recipient=recipient_organisation,
                basis=basis,
                consent=consent,
                period_from=period_from,
                period_to=period_to,
            )
            report = CourtReport(
                condition=condition,
                deadline=deadline,
                recipient_organisation=recipient_organisation,
                basis=basis,
                consent=consent,
                scopes=context["scopes"],
                period_from=period_from,
                period_to=period_to,
                language=language,
                written_by=user,
            )
            # The reference the PDF names is the report's own number: reserve it before rendering.
            report.pk = _reserve_report_id()
            context["document"] = report_document(context, user=user, report_id=report.pk)
            pdf = render_pdf(render_to_string("trajectories/court/report_pdf.html", context))
        digest = hashlib.sha256(pdf).hexdigest()
        if basis == Basis.CONSENT:
            disclosure = disclosure_record(
                detainee=trajectory.detainee,
                user=user,
                recipient_name=recipient_organisation.name,
                recipient_organisation=recipient_organisation,
                recipient_email=recipient_organisation.email,
                purpose=Purpose.HANDOVER,
                basis=Basis.CONSENT,
                consent=consent,
                legal_reference=legal_reference(condition) if condition.reporting_mandate else "",
                what=gettext_lazy("Verslag over een voorwaarde van de rechtbank (%(scopes)s)"),
                what_params={"scopes": scope_list(context["scopes"])},
                object_kind="court_report",
                object_id=str(report.pk),
                file_sha256=digest,
            )
        else:
            disclosure = disclosure_record(
                detainee=trajectory.detainee,
                user=user,
                recipient_name=recipient_organisation.name,
                recipient_organisation=recipient_organisation,
                recipient_email=recipient_organisation.email,
                purpose=SUPERVISION,
                basis=Basis.LEGAL_OBLIGATION,
                legal_reference=legal_reference(condition),
                what=gettext_lazy("Verslag over een voorwaarde van de rechtbank (feiten van de opvolging)"),
                object_kind="court_report",
                object_id=str(report.pk),
                file_sha256=digest,
            )
        report.disclosure = disclosure
        report.file_sha256 = digest
        report.file.save(f"verslag-voorwaarde-{condition.pk}-{period_to.isoformat()}.pdf", ContentFile(pdf), save=False)
        report.save(force_insert=True)
        if deadline is not None:
            ReportingDeadline.objects.filter(pk=deadline.pk).update(
                status=ReportingDeadline.Status.REPORTED, updated_at=timezone.now()
            )
            reminders_withdraw_for(obj=deadline)
    return report
