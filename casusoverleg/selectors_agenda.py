"""The agenda a conference generates from the case (casusoverleg/selectors.py reads the rest).

Each generated item is a title and lines of accounts/texts.py trees, so every reader reads it in his own
language; what the agenda may carry (no session summaries, no health content, no assessor's free text) is
said at `generated_agenda_parts`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Field, Max, Model, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.display import local_date
from accounts.texts import date_part, meaning, render_parts
from casework.models import Consent, Scope, Session
from trajectories.compartments import HEALTH_CODES
from trajectories.models import Action, ActionUpdate, Assessment, Goal, GoalReview

from .models import AgendaItem, Conference


def previous_conference(conference: Conference) -> Conference | None:
    return (
        Conference.objects.active()
        .filter(detainee_id=conference.detainee_id, starts_at__lt=conference.starts_at)
        .exclude(pk=conference.pk)
        .order_by("-starts_at")
        .first()
    )


def _d(day: dt.date | None) -> str:
    return local_date(day) if day else "—"


def generated_agenda(conference: Conference) -> list[tuple[str, str, str]]:
    """(source, title, body) of the generated agenda items in the active language (see
    `generated_agenda_parts`)."""
    return [(source, str(title), render_lines(lines)) for source, title, lines in generated_agenda_parts(conference)]


def render_lines(lines: list[object]) -> str:
    """An agenda item's body (its stored lines, accounts/texts.py trees) in the active language."""
    return "\n".join(render_parts(line) for line in lines)


def generated_agenda_parts(conference: Conference) -> list[tuple[str, object, list[object]]]:
    """(source, title, lines) of the generated agenda items, from the case as it is now: the title a lazy
    text, each line a tree of accounts/texts.py, so every reader reads the item in his own language
    while the typed parts (action and goal descriptions, names) stay as typed.

    Open actions carry over from earlier conferences; goal progress, sessions and assessments are
    counted since the previous conference (or the last 3 months when there is none). Session
    summaries are never copied: the agenda may reach partners, so it counts contacts only. For the same
    reason it never carries health content (goals and their actions in a health life domain,
    casework/compartments.py) nor the assessor's free text: an assessment shows its judgement and how
    that changed.
    """
    detainee = conference.detainee
    previous = previous_conference(conference)
    since = (
        timezone.localdate(previous.starts_at)
        if previous
        else timezone.localdate(conference.starts_at) - relativedelta(months=3)
    )
    since_label = (
        meaning(gettext_lazy("sinds het vorige overleg van %(date)s"), date=date_part(since))
        if previous
        else meaning(gettext_lazy("in de laatste drie maanden"))
    )
    items: list[tuple[str, object, list[object]]] = []

    actions = list(
        Action.objects.filter(detainee=detainee)
        .open()
        .exclude(goal__domain__code__in=HEALTH_CODES)
        .select_related("owner_user", "owner_organisation")
        .prefetch_related(Prefetch("owner_updates", queryset=ActionUpdate.objects.select_related("author")))
    )
    lines: list[object] = []
    for a in actions:
        lines.append(
            [
                "• ",
                a.description,
                " — ",
                a.owner_display,
                ", ",
                meaning(gettext_lazy("uiterlijk")),
                " ",
                date_part(a.due_on),
            ]
        )
        # What the owner reported since (ADR 0034): his latest progress note, with who and when.
        updates = list(a.owner_updates.all())
        latest = updates[-1] if updates else None
        if latest is not None and latest.note:
            lines.append(
                [
                    "  ",
                    meaning(
                        gettext_lazy("Stand van %(day)s door %(who)s:"),
                        day=date_part(timezone.localdate(latest.created_at)),
                        who=str(latest.author),
                    ),
                    " ",
                    latest.note,
                ]
            )
    # Conference actions their owners closed since the previous conference, so the team sees them done.
    since_moment = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    done = list(
        ActionUpdate.objects.filter(
            action__detainee=detainee,
            kind=ActionUpdate.Kind.DONE,
            created_at__gte=since_moment,
            created_at__lt=conference.starts_at,
        )
        .exclude(action__goal__domain__code__in=HEALTH_CODES)
        .select_related("action", "author")
        .order_by("created_at", "pk")
    )
    for update in done:
        line: list[object] = [
            "• ",
            update.action.description,
            " — ",
            meaning(
                gettext_lazy("afgerond op %(day)s door %(who)s"),
                day=date_part(timezone.localdate(update.created_at)),
                who=str(update.author),
            ),
        ]
        if update.note:
            line += [": ", update.note]
        lines.append(line)
    items.append(
        (
            AgendaItem.Source.ACTIONS,
            gettext_lazy("Opvolging openstaande acties"),
            lines or [meaning(gettext_lazy("Geen openstaande acties."))],
        )
    )

    goals = list(
        Goal.objects.filter(trajectory__detainee=detainee, trajectory__closed_on__isnull=True)
        .exclude(domain__code__in=HEALTH_CODES)
        .select_related("domain")
        .annotate(
            reviews_since=Count("reviews", filter=_q_reviews_since(since)),
            last_review=Max("reviews__reviewed_on"),
        )
    )
    last_progress = dict(
        GoalReview.objects.filter(goal__in=goals)
        .order_by("goal_id", "-reviewed_on", "-pk")
        .distinct("goal_id")
        .values_list("goal_id", "progress")
    )
    lines = []
    for goal in goals:
        progress = last_progress.get(goal.pk)
        progress_text = (
            meaning(gettext_lazy("voortgang %(p)s/4"), p=progress)
            if progress is not None
            else meaning(gettext_lazy("nog niet geëvalueerd"))
        )
        # A shipped domain name is a catalogue text; one the administrator typed is shown as typed.
        # `reviews_since` is annotated above; django-stubs loses annotations through a custom queryset's methods.
        lines.append(
            [
                "• ",
                {"t": goal.domain.name},
                ": ",
                goal.description,
                " (",
                _choice(Goal, "status", goal.status),
                ", ",
                progress_text,
                ", ",
                str(goal.reviews_since),  # type: ignore[attr-defined]
                " ",
                meaning(gettext_lazy("evaluatie(s)")),
                " ",
                since_label,
                ")",
            ]
        )
    items.append(
        (
            AgendaItem.Source.GOALS,
            gettext_lazy("Doelen en voortgang"),
            lines or [meaning(gettext_lazy("Nog geen doelen vastgelegd."))],
        )
    )

    since_start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    counts = dict(
        Session.objects.filter(detainee=detainee, started_at__gte=since_start, started_at__lt=conference.starts_at)
        .values_list("attendance")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = sum(counts.values())
    line = [meaning(gettext_lazy("%(n)s contactmoment(en) %(since)s"), n=total, since=since_label)]
    if total:
        line.append(": ")
        for index, (key, value) in enumerate(sorted(counts.items())):
            # A known code has a catalogue label (a dict), anything else stays as stored.
            label = (
                {**cast("dict[str, Any]", _choice(Session, "attendance", key)), "lower": True}
                if key in Session.Attendance.values
                else key
            )
            line += ([", "] if index else []) + [label, f" {value}"]
    items.append((AgendaItem.Source.SESSIONS, gettext_lazy("Contactmomenten"), [[*line, "."]]))

    dates = [
        (gettext_lazy("Toelaatbaarheid penitentiair verlof"), detainee.leave_eligible_on),
        (gettext_lazy("Toelaatbaarheid voorwaardelijke invrijheidstelling"), detainee.conditional_release_eligible_on),
        (gettext_lazy("Strafeinde"), detainee.sentence_ends_on),
    ]
    held_on = timezone.localtime(conference.starts_at).date()
    items.append(
        (
            AgendaItem.Source.DATES,
            gettext_lazy("Komende data"),
            [
                [
                    "• ",
                    meaning(label),
                    ": ",
                    date_part(day),
                    *([" (", meaning(gettext_lazy("reeds bereikt")), ")"] if day and day < held_on else []),
                ]
                for label, day in dates
            ],
        )
    )

    consents = list(Consent.objects.active().filter(detainee=detainee).select_related("organisation"))
    lines = []
    for c in consents:
        scopes: list[object] = []
        for index, scope in enumerate(c.scopes):
            scopes += ([", "] if index else []) + [meaning(Scope(scope).label) if scope in Scope.values else scope]
        lines.append(
            [
                "• ",
                str(c.organisation),
                ": ",
                *scopes,
                " (",
                meaning(gettext_lazy("sinds")),
                " ",
                date_part(c.given_on),
                ")",
            ]
        )
    basis_line = (
        meaning(
            gettext_lazy("Grondslag van dit overleg: art. 458ter Sw., machtiging %(ref)s"),
            ref=conference.authorisation_reference,
        )
        if conference.basis == "art458ter"
        else meaning(gettext_lazy("Grondslag van dit overleg: toestemming"))
    )
    items.append(
        (
            AgendaItem.Source.CONSENT,
            gettext_lazy("Toestemmingen en grondslag"),
            [basis_line, *lines] if lines else [basis_line, meaning(gettext_lazy("Geen geldende toestemmingen."))],
        )
    )

    finalised = (
        Assessment.objects.filter(trajectory__detainee=detainee, status=Assessment.AssessmentStatus.FINALISED)
        .select_related("template")
        .order_by("assessed_on", "pk")
    )
    judgements: dict[str, str] = {}
    lines = []
    for assessment in finalised:
        before = judgements.get(assessment.template.code)
        judgements[assessment.template.code] = assessment.overall_judgement
        if assessment.assessed_on < since:
            continue
        line = [
            "• ",
            {"t": assessment.template.name},
            " (",
            date_part(assessment.assessed_on),
            "): ",
            _judgement(assessment.overall_judgement),
        ]
        if before and before != assessment.overall_judgement:
            was = _judgement(before)
            line += [
                " (",
                meaning(
                    gettext_lazy("was %(before)s"), before={**was, "lower": True} if isinstance(was, dict) else was
                ),
                ")",
            ]
        lines.append(line)
    items.append(
        (
            AgendaItem.Source.ASSESSMENTS,
            gettext_lazy("Wijzigingen in inschattingen"),
            lines or [meaning(gettext_lazy("Geen nieuwe inschattingen %(since)s."), since=since_label)],
        )
    )
    return items


def _choice(model: type[Model], field: str, value: str) -> dict[str, Any] | str:
    """The label of a choice as a catalogue text (accounts/texts.py); an unknown value as stored."""
    label = dict(cast("Field[Any, Any]", model._meta.get_field(field)).flatchoices).get(value)
    return meaning(label) if label is not None else value


def _judgement(code: str) -> dict[str, Any] | str:
    """An overall judgement: a code of Assessment.Judgement, or free text as typed."""
    return meaning(Assessment.Judgement(code).label) if code in Assessment.Judgement.values else code


def _q_reviews_since(since: dt.date) -> Q:
    return Q(reviews__reviewed_on__gte=since)
