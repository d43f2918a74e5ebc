"""The handover package: a PDF for the justice house / Ceapire / LIVC, filtered by consent.

What goes in depends only on the scopes of the detainee's consent for the recipient, snapshotted
on the package when it was requested:
- identity → name, date of birth, release date, destination municipality;
- trajectory_goals → trajectory summary, goals and their status, open actions, and the network
  persons who agreed to be contacted;
- session_summaries → the shareable summaries of the last sessions (never confidential notes);
- assessments → the overall judgement of the finalised assessments;
- health → with trajectory_goals, also the goals (and their actions) in a health life domain.
Nothing else leaves the team. Each rendered file is recorded as a disclosure with its SHA-256.

The Celery task lives here; this module is imported by `trajectories/reminders.py`, which the
notifications app loads at start-up in web and worker processes alike.
"""

from __future__ import annotations

import hashlib
import logging

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import InterfaceError, OperationalError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.display import local_date, person_name
from accounts.documents import Document, made_facts
from casework.models import Basis, Purpose, Scope, Session, scope_list
from casework.pdf import render_pdf
from casework.services import disclosure_record

from .compartments import HEALTH_CODES
from .models import Action, Assessment, Goal
from .models_release import HandoverPackage, Release

logger = logging.getLogger(__name__)

SESSION_SUMMARIES_IN_PACKAGE = 10


def handover_context(package: HandoverPackage) -> dict:
    """Everything the PDF shows, already cut down to the package's scopes."""
    trajectory = package.trajectory
    detainee = trajectory.detainee
    scopes = set(package.scopes)
    release = Release.objects.filter(trajectory=trajectory).select_related("follow_up_organisation").first()
    context = {
        "package": package,
        "trajectory": trajectory,
        "release": release,
        "recipient": package.recipient_organisation,
        "scopes": scopes,
        "generated_at": timezone.localtime(),
        "scope_labels": [str(Scope(s).label) for s in package.scopes if s in Scope.values],
    }
    if Scope.IDENTITY in scopes:
        context["detainee"] = detainee
    if Scope.TRAJECTORY_GOALS in scopes:
        goals = Goal.objects.filter(trajectory=trajectory).select_related("domain", "responsible_organisation")
        actions = Action.objects.open().filter(trajectory=trajectory).select_related("owner_user", "owner_organisation")
        if Scope.HEALTH not in scopes:
            # Health goals and their actions leave the team only with scope health (casework/compartments.py).
            goals = goals.exclude(domain__code__in=HEALTH_CODES)
            actions = actions.exclude(goal__domain__code__in=HEALTH_CODES)
        context["goals"] = list(goals)
        context["open_actions"] = list(actions)
        context["network"] = list(detainee.network.filter(contact_consent=True).order_by("name"))
    if Scope.SESSION_SUMMARIES in scopes:
        context["sessions"] = list(
            Session.objects.filter(detainee=detainee).exclude(summary="").order_by("-started_at")
            .only("started_at", "summary", "modality")[:SESSION_SUMMARIES_IN_PACKAGE]
        )
    if Scope.ASSESSMENTS in scopes:
        context["assessments"] = list(Assessment.objects.finalised().filter(trajectory=trajectory).select_related("template"))
    return context


def handover_package_build(*, package_id: int) -> HandoverPackage:
    """Render, store and disclose one package. Idempotent: a ready package is left alone.

    The PDF is written in the language chosen when it was requested (a package requested before there was
    a choice: the requester's), whichever process renders it."""
    chosen, requester = HandoverPackage.objects.filter(pk=package_id).values_list(
        "language", "requested_by__language").first() or ("", "")
    with translation.override(chosen or requester or settings.LANGUAGE_CODE):
        return _build(package_id)


def handover_document(context: dict) -> Document:
    """The package's cover: what it is, for which service, about whom, made by whom, when, in which language,
    on which consent, and what it holds."""
    package, recipient = context["package"], context["recipient"]
    detainee = context.get("detainee")
    subject = person_name(detainee) if detainee is not None else _("Overdracht #%(id)s") % {"id": package.pk}
    contents = []
    if detainee is not None:
        contents.append((_("Identiteit"), ""))
    if context.get("goals") is not None:
        contents += [(_("Traject"), ""), (_("Doelen"), str(len(context["goals"]))),
                     (_("Openstaande acties"), str(len(context["open_actions"]))),
                     (_("Netwerk (contact toegestaan)"), str(len(context["network"])))]
    if context.get("sessions") is not None:
        contents.append((_("Recente contactmomenten (samenvattingen)"), str(len(context["sessions"]))))
    if context.get("assessments") is not None:
        contents.append((_("Inschattingen (algemeen oordeel)"), str(len(context["assessments"]))))
    facts = [(_("Ontvanger"), recipient.name), (_("Over"), subject), (_("Referentie"), f"#{package.pk}"),
             *made_facts(made_by=package.requested_by, made_at=context["generated_at"],
                         language=translation.get_language()),
             (_("Grondslag"), _("Toestemming van de betrokkene, gegeven op %(day)s") % {
                 "day": local_date(package.consent.given_on)}),
             (_("Gedeelde onderdelen"), ", ".join(context["scope_labels"]) or "—")]
    return Document(
        title=_("Overdrachtspakket nazorg"),
        for_whom=_("Voor %(org)s") % {"org": recipient.name},
        facts=facts,
        about=_("Dit pakket bevat enkel wat de betrokkene toestemde met deze dienst te delen, voor de opvolging "
                "na de vrijlating. Vertrouwelijke notities van de begeleiding zitten er nooit in."),
        contents=contents,
        footer=_("Voor %(org)s — overdracht #%(id)s") % {"org": recipient.name, "id": package.pk},
    )


def _build(package_id: int) -> HandoverPackage:
    with transaction.atomic():
        package = (
            HandoverPackage.objects.select_for_update(of=("self",))
            .select_related("trajectory__detainee", "recipient_organisation", "consent", "requested_by")
            .get(pk=package_id)
        )
        if package.status in (HandoverPackage.Status.READY, HandoverPackage.Status.WITHHELD):
            return package
        # The consent may have been withdrawn or narrowed since the request: render what is allowed now,
        # and nothing at all once no consent for a handover to this organisation is in force.
        from .services_release import handover_consent

        consent = handover_consent(package.trajectory, package.recipient_organisation)
        if consent is None:
            # Not a failure: the detainee withdrew the consent, and the package is withheld.
            package.status = HandoverPackage.Status.WITHHELD
            package.save(update_fields=["status", "updated_at"])
            logger.info("handover package %s withheld: no consent in force", package.pk)
            return package
        package.consent = consent
        package.scopes = [scope for scope in package.scopes if scope in consent.scopes]
        context = handover_context(package)
        context["document"] = handover_document(context)
        html = render_to_string("trajectories/release/handover_pdf.html", context)
        pdf = render_pdf(html)
        digest = hashlib.sha256(pdf).hexdigest()
        package.file.save(f"overdracht-{package.pk}.pdf", ContentFile(pdf), save=False)
        disclosure = disclosure_record(
            detainee=package.trajectory.detainee, user=package.requested_by,
            recipient_name=package.recipient_organisation.name, recipient_organisation=package.recipient_organisation,
            recipient_email=package.recipient_organisation.email, purpose=Purpose.HANDOVER, basis=Basis.CONSENT,
            consent=package.consent,
            what=gettext_lazy("Overdrachtspakket (%(scopes)s)"), what_params={"scopes": scope_list(package.scopes)},
            object_kind="handover_package", object_id=str(package.pk), file_sha256=digest,
        )
        package.file_sha256 = digest
        package.disclosure = disclosure
        package.status = HandoverPackage.Status.READY
        package.save(update_fields=["file", "file_sha256", "disclosure", "status", "consent", "scopes", "updated_at"])
    return package


@shared_task(bind=True, acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=2,
             retry_backoff_max=120, retry_jitter=True, max_retries=8)
def handover_package_render(self, package_id: int) -> str:
    """Render the handover package PDF (WeasyPrint) and record the disclosure."""
    try:
        package = handover_package_build(package_id=package_id)
    except (OperationalError, InterfaceError):
        raise
    except Exception:
        # A template or PDF error will not fix itself: mark the package failed so the page says so.
        logger.exception("handover package %s failed", package_id)
        HandoverPackage.objects.filter(pk=package_id).exclude(
            status__in=[HandoverPackage.Status.READY, HandoverPackage.Status.WITHHELD]
        ).update(status=HandoverPackage.Status.FAILED)
        raise
    return package.status
