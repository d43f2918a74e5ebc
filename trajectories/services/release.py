"""Release and aftercare writes: register a release, change the length of the aftercare, record follow-ups,
close aftercare, request a handover package. Status changes go through `trajectory_transition` only.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.display import local_date
from accounts.models import Organisation, User
from casework.models import Consent, Purpose
from casework.services import detainee_update
from config.history import recorded
from notifications.registry import PlanContext
from notifications.services import reminder_schedule, reminders_withdraw_for
from ops.outbox import outbox_enqueue

from ..models import Status, Trajectory
from ..models_release import (
    AFTERCARE_LENGTHS,
    DEFAULT_AFTERCARE_MONTHS,
    DEFAULT_POST_CLOSURE_MONTHS,
    MAX_AFTERCARE_MONTHS,
    MIN_AFTERCARE_MONTHS,
    OUTCOME_FIELDS,
    AftercareSetting,
    FollowUp,
    HandoverPackage,
    Housing,
    Known,
    OutcomeSource,
    Release,
    Work,
    default_follow_up_months,
)
from .lifecycle import trajectory_transition

MAX_SCHEDULE_MONTHS = 24


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus `months` calendar months; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validate_month_offsets(months: Sequence[int], *, field: str, maximum: int) -> list[int]:
    """Offsets in months: whole numbers ≥ 1, strictly ascending, at most `maximum`."""
    try:
        values = [int(m) for m in months]
    except (TypeError, ValueError):
        raise ValidationError({field: _("Geef de termijnen als hele aantallen maanden.")}) from None
    if not values:
        raise ValidationError({field: _("Geef minstens één termijn op.")})
    if any(m < 1 for m in values):
        raise ValidationError({field: _("Een termijn is minstens 1 maand na de referentiedatum.")})
    if any(later <= earlier for earlier, later in zip(values, values[1:], strict=False)):
        raise ValidationError({field: _("De termijnen moeten oplopen, zonder herhaling.")})
    if values[-1] > maximum:
        raise ValidationError(
            {field: _("De laatste termijn ligt hoogstens %(max)s maanden verder.") % {"max": maximum}}
        )
    return values


def _organisation_setting(organisation_id: int) -> AftercareSetting | None:
    return AftercareSetting.objects.filter(organisation_id=organisation_id).first()


def _recipient(trajectory: Trajectory) -> User | None:
    return trajectory.lead_consultant or trajectory.detainee.lead_consultant


def _check_aftercare_months(value: int | str, errors: dict[str, str | list[str]]) -> int | None:
    try:
        months = int(value)
    except (TypeError, ValueError):
        months = None
    if months not in AFTERCARE_LENGTHS:
        errors["aftercare_months"] = _("De nazorg duurt %(min)s tot %(max)s maanden.") % {
            "min": MIN_AFTERCARE_MONTHS,
            "max": MAX_AFTERCARE_MONTHS,
        }
        return None
    return months


# The planner of the reminder engine looks back a few days only (a sweep outage): a follow-up that was due
# before its release was even registered would never be reminded. Such follow-ups get their reminder at once.
LATE_FOLLOW_UP_TEXT = gettext_lazy(
    "Nazorgopvolging van %(months)s maand(en) na vrijlating was gepland op %(day)s: registreer hoe ze verliep."
)


def _remind_follow_ups_already_due(trajectory: Trajectory, follow_ups: Sequence[FollowUp]) -> None:
    """One reminder now for each follow-up already due (keyed like the planner's, so never twice)."""
    today = timezone.localdate()
    due = [f for f in follow_ups if f.status == FollowUp.Status.PLANNED and f.due_on <= today]
    recipient = _recipient(trajectory)
    if not due or recipient is None:
        return
    # An organisation that switched the follow-up reminders off gets none for late ones either.
    if not PlanContext.load().offsets("aftercare_follow_up", trajectory.detainee.organisation_id):
        return
    for follow_up in due:
        reminder_schedule(
            kind="aftercare_follow_up",
            obj=follow_up,
            recipient=recipient,
            text=LATE_FOLLOW_UP_TEXT,
            text_params={"months": follow_up.months_after, "day": local_date(follow_up.due_on)},
            link=reverse("trajectories:aftercare", args=[trajectory.pk]),
            due_on=follow_up.due_on,
        )


def trajectory_release(
    *,
    trajectory: Trajectory,
    user: User,
    released_on: dt.date,
    modality: str,
    destination_municipality: str,
    follow_up_service: str = "",
    follow_up_organisation: Organisation | None = None,
    follow_up_months: Sequence[int] | None = None,
    aftercare_months: int | None = None,
) -> Release:
    """Register the detainee's release: the trajectory moves to aftercare for `aftercare_months` (6 to 12;
    the organisation's length, else six months).

    Schedules the follow-ups (`follow_up_months`, else the organisation's schedule, else +1/+3/+6 and every
    three months to the end), reminds at once of those already due (a release registered late), records the
    release date on the file, and proposes a handover conference to the consultant.
    """
    detainee = trajectory.detainee
    errors: dict[str, str | list[str]] = {}
    today = timezone.localdate()
    if trajectory.status != Status.ACTIVE:
        errors["trajectory"] = _("Enkel een actief traject kan naar nazorg door een vrijlating.")
    if Release.objects.filter(trajectory=trajectory).exists():
        errors["trajectory"] = _("Voor dit traject is al een vrijlating geregistreerd.")
    if released_on is None:
        errors["released_on"] = _("Geef de datum van vrijlating.")
    elif released_on > today:
        errors["released_on"] = _("De vrijlating kan niet in de toekomst liggen.")
    elif detainee.incarcerated_on and released_on < detainee.incarcerated_on:
        errors["released_on"] = _("De vrijlating kan niet vóór de opsluiting liggen.")
    elif released_on < trajectory.referred_on:
        errors["released_on"] = _("De vrijlating kan niet vóór de aanmelding van het traject liggen.")
    if modality not in Release.Modality.values:
        errors["modality"] = _("Kies een modaliteit van vrijlating.")
    destination_municipality = (destination_municipality or "").strip()
    if not destination_municipality:
        errors["destination_municipality"] = _("Geef de gemeente van bestemming.")
    setting = _organisation_setting(detainee.organisation_id)
    if aftercare_months is None:
        aftercare_months = setting.aftercare_months if setting else DEFAULT_AFTERCARE_MONTHS
    length = _check_aftercare_months(aftercare_months, errors)
    if follow_up_months is None:
        follow_up_months = (
            setting.follow_up_months
            if setting and setting.follow_up_months
            else default_follow_up_months(length or DEFAULT_AFTERCARE_MONTHS)
        )
    if length is not None:
        try:
            months = validate_month_offsets(follow_up_months, field="follow_up_months", maximum=length)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    assert length is not None  # else `errors` said so

    release = Release(
        trajectory=trajectory,
        released_on=released_on,
        modality=modality,
        destination_municipality=destination_municipality,
        follow_up_service=(follow_up_service or "").strip(),
        follow_up_organisation=follow_up_organisation,
        aftercare_months=length,
        aftercare_ends_on=add_months(released_on, length),
        registered_by=user,
    )
    release.full_clean(exclude=["trajectory"])
    try:
        with recorded(user, "trajectory_release"):
            release.save()
            trajectory_transition(
                trajectory=trajectory,
                user=user,
                to=Status.AFTERCARE,
                via_release=True,
                reason=_("Vrijlating geregistreerd op %(day)s.") % {"day": local_date(released_on)},
            )
            if detainee.released_on != released_on:
                detainee_update(detainee=detainee, user=user, reason="trajectory_release", released_on=released_on)
            follow_ups = FollowUp.objects.bulk_create(
                FollowUp(
                    trajectory=trajectory,
                    kind=FollowUp.Kind.AFTERCARE,
                    months_after=m,
                    due_on=add_months(released_on, m),
                )
                for m in months
            )
            _remind_follow_ups_already_due(trajectory, follow_ups)
            recipient = _recipient(trajectory)
            if recipient is not None:
                # The casusoverleg app owns conferences: here we only suggest planning one.
                reminder_schedule(
                    kind="handover_conference_proposal",
                    obj=trajectory,
                    recipient=recipient,
                    text=gettext_lazy(
                        "Vrijlating geregistreerd: plan een overdrachtsoverleg met de opvolgende dienst."
                    ),
                    link=reverse("trajectories:aftercare", args=[trajectory.pk]),
                )
    except IntegrityError:
        # Two registrations at the same moment: the unique release per trajectory decides.
        raise ValidationError({"trajectory": _("Voor dit traject is al een vrijlating geregistreerd.")}) from None
    return release


def release_aftercare_change(*, release: Release, user: User, aftercare_months: int, reason: str = "") -> Release:
    """Lengthen or shorten the aftercare of a trajectory still in aftercare (6 to 12 months after release).

    The follow-ups follow: planned ones after the new end are cancelled, a longer aftercare gets the
    follow-ups of the default schedule it now reaches (every three months and one at the end), those already
    due are reminded at once; the reminders of the old end are withdrawn (the planner plans the new end's)."""
    trajectory = release.trajectory
    errors: dict[str, str | list[str]] = {}
    if trajectory.status != Status.AFTERCARE:
        errors["trajectory"] = _("Dit traject is niet in nazorg.")
    length = _check_aftercare_months(aftercare_months, errors)
    if len(reason or "") > 2000:
        errors["reason"] = _("De toelichting is te lang (maximum 2000 tekens).")
    if length is not None and not errors:
        ends_on = add_months(release.released_on, length)
        if ends_on < timezone.localdate():
            errors["aftercare_months"] = _(
                "Zo kort zou de nazorg al voorbij zijn (op %(day)s): sluit het traject af."
            ) % {"day": local_date(ends_on)}
    if errors:
        raise ValidationError(errors)
    assert length is not None  # else `errors` said so
    if length == release.aftercare_months:
        return release
    previous = release.aftercare_months
    why = reason or _("Nazorg van %(old)s op %(new)s maanden gebracht.") % {"old": previous, "new": length}
    with recorded(user, "release_aftercare_change"):
        release = Release.objects.select_for_update().get(pk=release.pk)
        release.aftercare_months = length
        release.aftercare_ends_on = ends_on
        release.save(update_fields=["aftercare_months", "aftercare_ends_on", "updated_at"])
        aftercare = trajectory.follow_ups.filter(kind=FollowUp.Kind.AFTERCARE)
        aftercare.filter(status=FollowUp.Status.PLANNED, months_after__gt=length).update(
            status=FollowUp.Status.CANCELLED, note=why[:2000], recorded_by=user, updated_at=timezone.now()
        )
        existing = set(aftercare.values_list("months_after", flat=True))
        added = FollowUp.objects.bulk_create(
            FollowUp(
                trajectory=trajectory,
                kind=FollowUp.Kind.AFTERCARE,
                months_after=m,
                due_on=add_months(release.released_on, m),
            )
            for m in default_follow_up_months(length)
            if m > previous and m not in existing
        )
        reminders_withdraw_for(obj=trajectory, kinds=["aftercare_ending", "aftercare_close"])
        _remind_follow_ups_already_due(trajectory, added)
    return release


def _check_outcome(
    follow_up: FollowUp, status: str, outcome: dict[str, Any], errors: dict[str, str | list[str]]
) -> dict[str, Any]:
    """The outcome of a post-closure review: each question answered (unknown is an answer) when it was held,
    with its source; the date of a new detention when there was one. Nothing for other follow-ups."""
    given = {name: (outcome.get(name) or "") for name in (*OUTCOME_FIELDS, "outcome_source")}
    detained_on = outcome.get("outcome_detained_on")
    if follow_up.kind != FollowUp.Kind.POST_CLOSURE:
        if any(given.values()) or detained_on:
            errors["outcome_contact"] = _("Enkel een evaluatie na afsluiting legt vast hoe het met de persoon gaat.")
        return {}
    if status != FollowUp.Status.DONE:
        return {name: "" for name in given} | {"outcome_detained_on": None}
    choices = {
        "outcome_contact": Known,
        "outcome_housing": Housing,
        "outcome_work": Work,
        "outcome_detention": Known,
        "outcome_listing": Known,
        "outcome_source": OutcomeSource,
    }
    for name, value in given.items():
        if value not in choices[name].values:
            errors[name] = (
                _("Kies een antwoord (‘onbekend’ kan ook).")
                if name != "outcome_source"
                else _("Geef de bron van wat je weet.")
            )
    if given["outcome_detention"] == Known.YES:
        closed_on = follow_up.trajectory.closed_on
        if detained_on is None:
            errors["outcome_detained_on"] = _("Geef sinds wanneer de persoon opnieuw gedetineerd is.")
        elif detained_on > timezone.localdate():
            errors["outcome_detained_on"] = _("Deze datum ligt in de toekomst.")
        elif closed_on and detained_on < closed_on - dt.timedelta(days=366):
            errors["outcome_detained_on"] = _("Deze datum ligt ver vóór de afsluiting van het traject: kijk ze na.")
    else:
        detained_on = None
    return given | {"outcome_detained_on": detained_on}


def follow_up_record(
    *, follow_up: FollowUp, user: User, status: str, done_on: dt.date | None = None, note: str = "", **outcome: Any
) -> FollowUp:
    """Record how a planned follow-up went (done, missed, cancelled); a post-closure review held records what is
    known of the person (contact, housing, work, new detention, new listing) and from which source."""
    errors: dict[str, str | list[str]] = {}
    unknown = set(outcome) - {*OUTCOME_FIELDS, "outcome_source", "outcome_detained_on"}
    if unknown:
        raise TypeError(f"follow_up_record() got unexpected arguments {sorted(unknown)}")
    if status not in (FollowUp.Status.DONE, FollowUp.Status.MISSED, FollowUp.Status.CANCELLED):
        errors["status"] = _("Kies uitgevoerd, niet gelukt of geannuleerd.")
    if status in (FollowUp.Status.DONE, FollowUp.Status.MISSED):
        done_on = done_on or timezone.localdate()
        if done_on > timezone.localdate():
            errors["done_on"] = _("Deze datum ligt in de toekomst.")
    else:
        done_on = None
    if len(note or "") > 2000:
        errors["note"] = _("De notitie is te lang (maximum 2000 tekens).")
    if follow_up.status != FollowUp.Status.PLANNED:
        errors["status"] = _("Deze opvolging is al geregistreerd.")
    answers = _check_outcome(follow_up, status, outcome, errors)
    if errors:
        raise ValidationError(errors)
    with recorded(user, "follow_up_record"):
        follow_up.status = status
        follow_up.done_on = done_on
        follow_up.note = note or ""
        follow_up.recorded_by = user
        for name, value in answers.items():
            setattr(follow_up, name, value)
        follow_up.save(update_fields=["status", "done_on", "note", "recorded_by", "updated_at", *answers])
    return follow_up


def aftercare_close(
    *,
    trajectory: Trajectory,
    user: User,
    closure_reason: str,
    reason: str = "",
    on: dt.date | None = None,
    post_closure_reviews: bool | None = None,
) -> Trajectory:
    """Close a trajectory in aftercare, with a reason; optionally plan post-closure reviews (+6/+12)."""
    if trajectory.status != Status.AFTERCARE:
        raise ValidationError({"trajectory": _("Dit traject is niet in nazorg.")})
    if not closure_reason:
        raise ValidationError({"closure_reason": _("Kies een reden van afsluiting.")})
    setting = _organisation_setting(trajectory.detainee.organisation_id)
    if post_closure_reviews is None:
        post_closure_reviews = bool(setting and setting.post_closure_reviews)
    review_months = (
        setting.post_closure_months if setting and setting.post_closure_months else DEFAULT_POST_CLOSURE_MONTHS
    )
    with recorded(user, "aftercare_close"):
        trajectory_transition(
            trajectory=trajectory, user=user, to=Status.CLOSED, closure_reason=closure_reason, reason=reason, on=on
        )
        # Follow-ups not yet held will not be: their reminders are withdrawn by the sweep.
        trajectory.follow_ups.filter(kind=FollowUp.Kind.AFTERCARE, status=FollowUp.Status.PLANNED).update(
            status=FollowUp.Status.CANCELLED, updated_at=timezone.now()
        )
        reminders_withdraw_for(obj=trajectory)
        if post_closure_reviews:
            closed_on = trajectory.closed_on
            assert closed_on is not None  # closed by the transition above
            FollowUp.objects.bulk_create(
                FollowUp(
                    trajectory=trajectory,
                    kind=FollowUp.Kind.POST_CLOSURE,
                    months_after=m,
                    due_on=add_months(closed_on, m),
                )
                for m in review_months
            )
    return trajectory


def aftercare_setting_save(
    *,
    organisation: Organisation,
    user: User,
    follow_up_months: Sequence[int],
    post_closure_reviews: bool = False,
    post_closure_months: Sequence[int] = DEFAULT_POST_CLOSURE_MONTHS,
    aftercare_months: int = DEFAULT_AFTERCARE_MONTHS,
) -> AftercareSetting:
    """An organisation's aftercare length and follow-up schedule (months after release), and post-closure reviews."""
    errors: dict[str, str | list[str]] = {}
    length = _check_aftercare_months(aftercare_months, errors)
    for field, values, maximum in (
        ("follow_up_months", follow_up_months, length or MAX_AFTERCARE_MONTHS),
        ("post_closure_months", post_closure_months, MAX_SCHEDULE_MONTHS),
    ):
        try:
            validate_month_offsets(values, field=field, maximum=maximum)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    assert length is not None  # else `errors` said so
    with recorded(user, "aftercare_setting_save"):
        setting, _created = AftercareSetting.objects.update_or_create(
            organisation=organisation,
            defaults={
                "aftercare_months": length,
                "follow_up_months": [int(m) for m in follow_up_months],
                "post_closure_reviews": post_closure_reviews,
                "post_closure_months": [int(m) for m in post_closure_months],
            },
        )
    return setting


def handover_consent(trajectory: Trajectory, organisation: Organisation) -> Consent | None:
    """The detainee's active consent for a handover to `organisation`, if any."""
    return (
        Consent.objects.active()
        .filter(detainee_id=trajectory.detainee_id, organisation=organisation, purposes__contains=[Purpose.HANDOVER])
        .order_by("-given_on", "-pk")
        .first()
    )


def handover_organisation_ids(trajectory: Trajectory) -> frozenset[int]:
    """The organisations a handover to is covered by a consent in force today (one query)."""
    return frozenset(
        Consent.objects.active()
        .filter(detainee_id=trajectory.detainee_id, purposes__contains=[Purpose.HANDOVER])
        .values_list("organisation_id", flat=True)
    )


def handover_packages_for_list(trajectory: Trajectory, in_force: frozenset[int] | None = None) -> list[HandoverPackage]:
    """The trajectory's packages, each with `consent_in_force` (a consent for this handover is in force today)
    and `shareable` (ready and still covered: the PDF may be handed out). One query, two without `in_force`
    (`handover_organisation_ids`)."""
    if in_force is None:
        in_force = handover_organisation_ids(trajectory)
    packages = list(
        HandoverPackage.objects.filter(trajectory=trajectory).select_related("recipient_organisation", "requested_by")
    )
    for package in packages:
        package.consent_in_force = package.recipient_organisation_id in in_force
        package.shareable = package.status == HandoverPackage.Status.READY and package.consent_in_force
    return packages


def handover_package_request(
    *, trajectory: Trajectory, user: User, recipient_organisation: Organisation, language: str | None = None
) -> HandoverPackage:
    """Queue a handover package PDF for the recipient, in `language` (default the requester's); rendered by a
    Celery task after commit."""
    from accounts.documents import document_language

    from ..tasks import handover_package_render as handover_package_render_task

    language = document_language(language, default=user.language)
    if trajectory.status not in (Status.ACTIVE, Status.AFTERCARE):
        raise ValidationError({"trajectory": _("Een overdrachtspakket hoort bij een actief traject of bij nazorg.")})
    consent = handover_consent(trajectory, recipient_organisation)
    if consent is None:
        raise ValidationError(
            {
                "recipient_organisation": _(
                    "De gedetineerde gaf deze organisatie geen geldende toestemming voor overdracht: er kan niets gedeeld worden."
                )
            }
        )
    with recorded(user, "handover_package_request"):
        package = HandoverPackage.objects.create(
            trajectory=trajectory,
            recipient_organisation=recipient_organisation,
            consent=consent,
            scopes=list(consent.scopes),
            requested_by=user,
            language=language,
        )
        # Through the transactional outbox: the render commits with the request (ADR 0016).
        outbox_enqueue(handover_package_render_task, package.pk)
    return package
