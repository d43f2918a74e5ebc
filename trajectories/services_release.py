"""Release and aftercare writes: register a release, record follow-ups, close aftercare,
request a handover package. Status changes go through `trajectory_transition` only.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.display import local_date
from accounts.models import Organisation, User
from casework.models import Consent, Purpose
from casework.services import detainee_update
from notifications.services import reminder_schedule, reminders_withdraw_for
from ops.outbox import outbox_enqueue

from .models import Status, Trajectory
from .models_release import (
    AFTERCARE_MONTHS,
    DEFAULT_FOLLOW_UP_MONTHS,
    DEFAULT_POST_CLOSURE_MONTHS,
    AftercareSetting,
    FollowUp,
    HandoverPackage,
    Release,
)
from .services import trajectory_transition

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
        raise ValidationError({field: _("De laatste termijn ligt hoogstens %(max)s maanden verder.") % {"max": maximum}})
    return values


def _history(user: User | None, reason: str):
    return pghistory.context(user=user.pk if user else None, reason=reason)


def _organisation_setting(organisation_id: int) -> AftercareSetting | None:
    return AftercareSetting.objects.filter(organisation_id=organisation_id).first()


def _recipient(trajectory: Trajectory) -> User | None:
    return trajectory.lead_consultant or trajectory.detainee.lead_consultant


def trajectory_release(*, trajectory: Trajectory, user: User, released_on: dt.date, modality: str,
                       destination_municipality: str, follow_up_service: str = "",
                       follow_up_organisation: Organisation | None = None,
                       follow_up_months: Sequence[int] | None = None) -> Release:
    """Register the detainee's release: the trajectory moves to aftercare for six months.

    Schedules the follow-ups (the organisation's schedule or +1/+3/+6 months, or `follow_up_months`),
    records the release date on the file, and proposes a handover conference to the consultant.
    """
    detainee = trajectory.detainee
    errors: dict = {}
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
    if follow_up_months is None:
        setting = _organisation_setting(detainee.organisation_id)
        follow_up_months = (setting.follow_up_months if setting and setting.follow_up_months else DEFAULT_FOLLOW_UP_MONTHS)
    try:
        months = validate_month_offsets(follow_up_months, field="follow_up_months", maximum=AFTERCARE_MONTHS)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)

    release = Release(
        trajectory=trajectory, released_on=released_on, modality=modality,
        destination_municipality=destination_municipality, follow_up_service=(follow_up_service or "").strip(),
        follow_up_organisation=follow_up_organisation, aftercare_ends_on=add_months(released_on, AFTERCARE_MONTHS),
        registered_by=user,
    )
    release.full_clean(exclude=["trajectory"])
    try:
        with transaction.atomic(), _history(user, "trajectory_release"):
            release.save()
            trajectory_transition(trajectory=trajectory, user=user, to=Status.AFTERCARE, via_release=True,
                                  reason=_("Vrijlating geregistreerd op %(day)s.") % {"day": local_date(released_on)})
            if detainee.released_on != released_on:
                detainee_update(detainee=detainee, user=user, reason="trajectory_release", released_on=released_on)
            FollowUp.objects.bulk_create(
                FollowUp(trajectory=trajectory, kind=FollowUp.Kind.AFTERCARE, months_after=m,
                         due_on=add_months(released_on, m))
                for m in months
            )
            recipient = _recipient(trajectory)
            if recipient is not None:
                # The casusoverleg app owns conferences: here we only suggest planning one.
                reminder_schedule(
                    kind="handover_conference_proposal", obj=trajectory, recipient=recipient,
                    text=gettext_lazy("Vrijlating geregistreerd: plan een overdrachtsoverleg met de opvolgende dienst."),
                    link=reverse("trajectories:aftercare", args=[trajectory.pk]),
                )
    except IntegrityError:
        # Two registrations at the same moment: the unique release per trajectory decides.
        raise ValidationError({"trajectory": _("Voor dit traject is al een vrijlating geregistreerd.")}) from None
    return release


def follow_up_record(*, follow_up: FollowUp, user: User, status: str, done_on: dt.date | None = None,
                     note: str = "") -> FollowUp:
    """Record how a planned follow-up went (done, missed, cancelled)."""
    errors: dict = {}
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
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), _history(user, "follow_up_record"):
        follow_up.status = status
        follow_up.done_on = done_on
        follow_up.note = note or ""
        follow_up.recorded_by = user
        follow_up.save(update_fields=["status", "done_on", "note", "recorded_by", "updated_at"])
    return follow_up


def aftercare_close(*, trajectory: Trajectory, user: User, closure_reason: str, reason: str = "",
                    on: dt.date | None = None, post_closure_reviews: bool | None = None) -> Trajectory:
    """Close a trajectory in aftercare, with a reason; optionally plan post-closure reviews (+6/+12)."""
    if trajectory.status != Status.AFTERCARE:
        raise ValidationError({"trajectory": _("Dit traject is niet in nazorg.")})
    if not closure_reason:
        raise ValidationError({"closure_reason": _("Kies een reden van afsluiting.")})
    setting = _organisation_setting(trajectory.detainee.organisation_id)
    if post_closure_reviews is None:
        post_closure_reviews = bool(setting and setting.post_closure_reviews)
    review_months = (setting.post_closure_months if setting and setting.post_closure_months
                     else DEFAULT_POST_CLOSURE_MONTHS)
    with transaction.atomic(), _history(user, "aftercare_close"):
        trajectory_transition(trajectory=trajectory, user=user, to=Status.CLOSED, closure_reason=closure_reason,
                              reason=reason, on=on)
        # Follow-ups not yet held will not be: their reminders are withdrawn by the sweep.
        trajectory.follow_ups.filter(kind=FollowUp.Kind.AFTERCARE, status=FollowUp.Status.PLANNED).update(
            status=FollowUp.Status.CANCELLED, updated_at=timezone.now()
        )
        reminders_withdraw_for(obj=trajectory)
        if post_closure_reviews:
            FollowUp.objects.bulk_create(
                FollowUp(trajectory=trajectory, kind=FollowUp.Kind.POST_CLOSURE, months_after=m,
                         due_on=add_months(trajectory.closed_on, m))
                for m in review_months
            )
    return trajectory


def aftercare_setting_save(*, organisation: Organisation, user: User, follow_up_months: Sequence[int],
                           post_closure_reviews: bool = False,
                           post_closure_months: Sequence[int] = DEFAULT_POST_CLOSURE_MONTHS) -> AftercareSetting:
    """An organisation's follow-up schedule (months after release) and post-closure reviews."""
    errors: dict = {}
    for field, values, maximum in (("follow_up_months", follow_up_months, AFTERCARE_MONTHS),
                                   ("post_closure_months", post_closure_months, MAX_SCHEDULE_MONTHS)):
        try:
            validate_month_offsets(values, field=field, maximum=maximum)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), _history(user, "aftercare_setting_save"):
        setting, _created = AftercareSetting.objects.update_or_create(
            organisation=organisation,
            defaults={"follow_up_months": [int(m) for m in follow_up_months],
                      "post_closure_reviews": post_closure_reviews,
                      "post_closure_months": [int(m) for m in post_closure_months]},
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
    packages = list(HandoverPackage.objects.filter(trajectory=trajectory)
                    .select_related("recipient_organisation", "requested_by"))
    for package in packages:
        package.consent_in_force = package.recipient_organisation_id in in_force
        package.shareable = package.status == HandoverPackage.Status.READY and package.consent_in_force
    return packages


def handover_package_request(*, trajectory: Trajectory, user: User, recipient_organisation: Organisation,
                             language: str | None = None) -> HandoverPackage:
    """Queue a handover package PDF for the recipient, in `language` (default the requester's); rendered by a
    Celery task after commit."""
    from accounts.documents import document_language

    from .handover import handover_package_render as handover_package_render_task

    language = document_language(language, default=user.language)
    if trajectory.status not in (Status.ACTIVE, Status.AFTERCARE):
        raise ValidationError({"trajectory": _("Een overdrachtspakket hoort bij een actief traject of bij nazorg.")})
    consent = handover_consent(trajectory, recipient_organisation)
    if consent is None:
        raise ValidationError({"recipient_organisation": _(
            "De gedetineerde gaf deze organisatie geen geldende toestemming voor overdracht: er kan niets gedeeld worden."
        )})
    with transaction.atomic(), _history(user, "handover_package_request"):
        package = HandoverPackage.objects.create(
            trajectory=trajectory, recipient_organisation=recipient_organisation, consent=consent,
            scopes=list(consent.scopes), requested_by=user, language=language,
        )
        # Through the transactional outbox: the render commits with the request (ADR 0016).
        outbox_enqueue(handover_package_render_task, package.pk)
    return package
