"""The case file's own part in retention and in the subject-access export (see registry.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.apps import apps
from django.db.models import Max
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from ..merging import history_ids
from ..models import (
    SUBJECT_ACCESS,
    AccessLog,
    Consent,
    Detainee,
    Disclosure,
    Listing,
    NetworkPerson,
    Placement,
    Session,
)
from .registry import Closure, PrivacyParticipant, register_participant

# History (pghistory event) tables that copy the file's personal data.
EVENT_MODELS = ("DetaineeEvent", "SessionEvent", "NetworkPersonEvent", "ConsentEvent", "ListingEvent", "PlacementEvent")


def casework_closure(detainee_ids: Iterable[int]) -> dict[int, Closure]:
    """A file stays open while the detainee is in scope; else it closed at its last recorded activity
    (release, last session, or the opening of the file).

    Two queries: the detainees, and the date of their last session.
    """
    detainee_ids = list(detainee_ids)
    last_session = dict(
        Session.objects.filter(detainee_id__in=detainee_ids)
        .values("detainee_id")
        .annotate(last=Max(TruncDate("started_at", tzinfo=timezone.get_current_timezone())))
        .values_list("detainee_id", "last")
    )
    result = {}
    # Not `updated_at`: placing or lifting a legal hold must not move the retention date.
    for detainee_id, in_scope, released_on, created_at in Detainee.objects.filter(pk__in=detainee_ids).values_list(
        "pk", "in_scope", "released_on", "created_at"
    ):
        dates = [day for day in (released_on, last_session.get(detainee_id), timezone.localdate(created_at)) if day]
        result[detainee_id] = Closure(open=in_scope, closed_on=max(dates))
    return result


def anonymise_casework(detainee: Detainee, user) -> dict[str, int]:
    """Remove names, national number, exact birth date and every free text from the case file.

    What remains is what the yearly figures need: dates, prisons, categories, counts. The earlier
    versions in the change history are deleted, or the history would still hold the names.
    """
    changes = {}
    # Also the rows written before a merge, which name the merged-away id (ADR 0032).
    ids = history_ids(detainee)
    for name in EVENT_MODELS:
        event_model = apps.get_model("casework", name)
        lookup = {"pgh_obj_id__in": ids} if name == "DetaineeEvent" else {"detainee_id__in": ids}
        changes[f"history_{name}"] = event_model.objects.filter(**lookup).delete()[0]

    detainee.first_name = _("Geanonimiseerd")
    detainee.last_name = f"#{detainee.pk}"
    detainee.search_name = f"geanonimiseerd #{detainee.pk}"
    detainee.national_number = ""
    detainee.national_number_index = ""
    detainee.external_ref = None
    detainee.languages = []
    if detainee.date_of_birth:
        detainee.date_of_birth = dt.date(detainee.date_of_birth.year, 1, 1)
    detainee.anonymised_at = timezone.now()
    detainee.save(
        update_fields=[
            "first_name",
            "last_name",
            "search_name",
            "national_number",
            "national_number_index",
            "external_ref",
            "languages",
            "date_of_birth",
            "anonymised_at",
            "updated_at",
        ]
    )
    changes["detainee"] = 1
    changes["sessions"] = Session.objects.filter(detainee=detainee).update(summary="", confidential_notes="")
    people = list(NetworkPerson.objects.filter(detainee=detainee).order_by("pk"))
    for number, person in enumerate(people, start=1):
        person.name = _("Netwerkpersoon %(number)s") % {"number": number}
        person.phone = ""
        person.notes = ""
        person.save(update_fields=["name", "phone", "notes", "updated_at"])
    changes["network"] = len(people)
    changes["listings"] = Listing.objects.filter(detainee=detainee).update(source="")
    consents = list(Consent.objects.filter(detainee=detainee).exclude(document=""))
    for consent in consents:
        consent.document.delete(save=False)
        consent.save(update_fields=["document", "updated_at"])
    changes["consent_documents"] = len(consents)
    # Recipients who are people (an external participant, a lawyer) lose name and address; the organisation,
    # purpose, basis and SHA-256 stay as proof of what left the team. The detainee's own exports say so already.
    disclosures = list(
        Disclosure.objects.filter(detainee=detainee)
        .exclude(purpose=SUBJECT_ACCESS)
        .select_related("recipient_organisation")
    )
    for disclosure in disclosures:
        disclosure.recipient_name = (
            disclosure.recipient_organisation.name
            if disclosure.recipient_organisation
            else _("Ontvanger (geanonimiseerd)")
        )
        disclosure.recipient_email = ""
        disclosure.save(update_fields=["recipient_name", "recipient_email", "updated_at"])
    changes["disclosures"] = len(disclosures)
    return changes


def export_casework(detainee: Detainee) -> dict:
    """Everything the case file holds about the detainee, for the subject-access export."""
    return {
        "identity": {
            "first_name": detainee.first_name,
            "last_name": detainee.last_name,
            "date_of_birth": detainee.date_of_birth,
            "national_number": detainee.national_number,
            "languages": detainee.languages,
            "legal_status": detainee.get_legal_status_display(),
            "current_prison": str(detainee.current_prison or ""),
            "organisation": str(detainee.organisation),
            "lead_consultant": str(detainee.lead_consultant or ""),
            "incarcerated_on": detainee.incarcerated_on,
            "leave_eligible_on": detainee.leave_eligible_on,
            "conditional_release_eligible_on": detainee.conditional_release_eligible_on,
            "sentence_ends_on": detainee.sentence_ends_on,
            "released_on": detainee.released_on,
            "external_ref": detainee.external_ref,
            "in_scope": detainee.in_scope,
        },
        "listings": [
            {
                "category": item.get_category_display(),
                "threat_level": item.threat_level,
                "listed_on": item.listed_on,
                "delisted_on": item.delisted_on,
                "source": item.source,
            }
            for item in Listing.objects.filter(detainee=detainee).order_by("listed_on")
        ],
        "placements": [
            {
                "prison": str(item.prison),
                "regime": item.get_regime_display(),
                "from_date": item.from_date,
                "to_date": item.to_date,
            }
            for item in Placement.objects.filter(detainee=detainee).select_related("prison").order_by("from_date")
        ],
        "consents": [
            {
                "organisation": str(item.organisation),
                "purposes": item.purposes,
                "scopes": item.scopes,
                "given_on": item.given_on,
                "explained_by": str(item.explained_by),
                "language": item.language,
                "interpreter": item.interpreter,
                "withdrawn_on": item.withdrawn_on,
                "superseded": item.superseded_at is not None,
            }
            for item in Consent.objects.filter(detainee=detainee)
            .select_related("organisation", "explained_by")
            .order_by("given_on", "pk")
        ],
        "network": [
            {
                "name": item.name,
                "relation": item.get_relation_display(),
                "influence": item.get_influence_display(),
                "involved": item.involved,
                "contact_consent": item.contact_consent,
                "notes": item.notes,
            }
            for item in NetworkPerson.objects.filter(detainee=detainee).order_by("pk")
        ],
        "sessions": [
            {
                "started_at": item.started_at,
                "duration_minutes": item.duration_minutes,
                "modality": item.get_modality_display(),
                "attendance": item.get_attendance_display(),
                "engagement": item.engagement,
                "author": str(item.author),
                "summary": item.summary,
                "confidential_notes": item.confidential_notes,
            }
            for item in Session.objects.filter(detainee=detainee).select_related("author").order_by("started_at")
        ],
        "disclosures": [
            {
                "at": item.disclosed_at,
                "recipient": item.display_recipient,
                "recipient_organisation": str(item.recipient_organisation or ""),
                "purpose": item.get_purpose_display(),
                "basis": item.get_basis_display(),
                "what": item.display_what,
            }
            for item in Disclosure.objects.filter(detainee=detainee)
            .select_related("recipient_organisation")
            .order_by("disclosed_at")
        ],
        # Who consulted the file (GDPR art. 15(1)(c): the recipients), by role and organisation.
        "consultations": [
            {
                "at": item.at,
                "by": str(item.user),
                "role": item.user.get_role_display(),
                "organisation": str(item.user.organisation or ""),
                "what": item.object_kind_label,
                "how": item.get_action_display(),
            }
            for item in AccessLog.objects.filter(detainee=detainee).select_related("user__organisation").order_by("at")
        ],
    }


register_participant(
    PrivacyParticipant(
        name="casework",
        anonymise=anonymise_casework,
        export=export_casework,
        closure=casework_closure,
        order=10,
    )
)
