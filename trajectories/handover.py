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

This module selects and words what the PDF shows; `services/handover.py` renders, stores and discloses it, and
`tasks.py` runs that on a worker.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.display import local_date, person_name
from accounts.documents import Document, made_facts
from casework.models import Scope, Session

from .compartments import HEALTH_CODES
from .models import Action, Assessment, Goal
from .models_release import HandoverPackage, Release

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
            Session.objects.filter(detainee=detainee)
            .exclude(summary="")
            .order_by("-started_at")
            .only("started_at", "summary", "modality")[:SESSION_SUMMARIES_IN_PACKAGE]
        )
    if Scope.ASSESSMENTS in scopes:
        context["assessments"] = list(
            Assessment.objects.finalised().filter(trajectory=trajectory).select_related("template")
        )
    return context


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
        contents += [
            (_("Traject"), ""),
            (_("Doelen"), str(len(context["goals"]))),
            (_("Openstaande acties"), str(len(context["open_actions"]))),
            (_("Netwerk (contact toegestaan)"), str(len(context["network"]))),
        ]
    if context.get("sessions") is not None:
        contents.append((_("Recente contactmomenten (samenvattingen)"), str(len(context["sessions"]))))
    if context.get("assessments") is not None:
        contents.append((_("Inschattingen (algemeen oordeel)"), str(len(context["assessments"]))))
    facts = [
        (_("Ontvanger"), recipient.name),
        (_("Over"), subject),
        (_("Referentie"), f"#{package.pk}"),
        *made_facts(made_by=package.requested_by, made_at=context["generated_at"], language=translation.get_language()),
        (
            _("Grondslag"),
            _("Toestemming van de betrokkene, gegeven op %(day)s") % {"day": local_date(package.consent.given_on)},
        ),
        (_("Gedeelde onderdelen"), ", ".join(context["scope_labels"]) or "—"),
    ]
    return Document(
        title=_("Overdrachtspakket nazorg"),
        for_whom=_("Voor %(org)s") % {"org": recipient.name},
        facts=facts,
        about=_(
            "Dit pakket bevat enkel wat de betrokkene toestemde met deze dienst te delen, voor de opvolging "
            "na de vrijlating. Vertrouwelijke notities van de begeleiding zitten er nooit in."
        ),
        contents=contents,
        footer=_("Voor %(org)s — overdracht #%(id)s") % {"org": recipient.name, "id": package.pk},
    )
