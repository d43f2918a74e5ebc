"""The subject-access export as a readable dossier: what the PDF shows of the export's data.

The data (`services.subject_access_build`) is what the machine-readable JSON holds: every app's part of
the file, keyed by the apps' own names. A person does not read keys: here every section and part gets a
title, every field a label, every value its form for a reader — dates in the local short format, yes/no
for true/false, codes (consent scopes and purposes, trajectory statuses, languages) translated — all in
the language active while it is built (the one chosen for the export). Rows with more than four fields
are laid out as cards (label beside value), so no table is wider than an A4 page.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.display import local_date, local_datetime, person_name
from accounts.documents import Document, made_facts
from accounts.documents import language_name as _language_name

from ..models import Purpose, Scope

SECTION_TITLES = {
    "casework": gettext_lazy("Het dossier"),
    "trajectories": gettext_lazy("Trajecten"),
    "casusoverleg": gettext_lazy("Casusoverleggen"),
    "notifications": gettext_lazy("Meldingen en herinneringen"),
    "diary": gettext_lazy("Geplande contacten"),
}

PART_TITLES = {
    "listings": gettext_lazy("Vermeldingen (OCAD)"),
    "placements": gettext_lazy("Plaatsingen"),
    "consents": gettext_lazy("Toestemmingen"),
    "network": gettext_lazy("Netwerk"),
    "sessions": gettext_lazy("Contactmomenten"),
    "disclosures": gettext_lazy("Verstrekkingen aan derden"),
    "consultations": gettext_lazy("Raadplegingen van het dossier"),
    "trajectories": gettext_lazy("Trajecten"),
    "status_changes": gettext_lazy("Statuswijzigingen"),
    "explorations": gettext_lazy("Verkenning van de levensdomeinen"),
    "goals": gettext_lazy("Doelen"),
    "goal_reviews": gettext_lazy("Evaluaties van doelen"),
    "actions": gettext_lazy("Acties"),
    "assessments": gettext_lazy("Inschattingen"),
    "assessment_ratings": gettext_lazy("Scores van inschattingen"),
    "releases": gettext_lazy("Vrijlatingen"),
    "follow_ups": gettext_lazy("Opvolgingen na vrijlating"),
    "handover_packages": gettext_lazy("Overdrachtspakketten"),
    "court_conditions": gettext_lazy("Voorwaarden van de strafuitvoeringsrechtbank"),
    "reporting_deadlines": gettext_lazy("Rapporteringstermijnen"),
    "court_reports": gettext_lazy("Verslagen voor de toezichthouder"),
    "action_updates": gettext_lazy("Stand van acties door hun eigenaar"),
    "partner_referrals": gettext_lazy("Doorverwijzingen naar partners"),
    "conferences": gettext_lazy("Casusoverleggen"),
    "participants": gettext_lazy("Deelnemers"),
    "agenda": gettext_lazy("Agendapunten"),
    "minutes": gettext_lazy("Verslagen"),
    "minutes_notes": gettext_lazy("Notities in verslagen"),
    "decisions": gettext_lazy("Beslissingen"),
    "minutes_copies": gettext_lazy("Verzending van verslagen"),
    "referral_priorities": gettext_lazy("Prioriteiten van aanmeldingen"),
    "reminders": gettext_lazy("Herinneringen"),
    "planned_contacts": gettext_lazy("Geplande contacten"),
}

FIELD_LABELS = {
    # identity
    "first_name": gettext_lazy("Voornaam"),
    "last_name": gettext_lazy("Achternaam"),
    "date_of_birth": gettext_lazy("Geboortedatum"),
    "national_number": gettext_lazy("Rijksregisternummer"),
    "languages": gettext_lazy("Talen"),
    "legal_status": gettext_lazy("Juridisch statuut"),
    "current_prison": gettext_lazy("Gevangenis"),
    "organisation": gettext_lazy("Organisatie"),
    "lead_consultant": gettext_lazy("Consulent"),
    "incarcerated_on": gettext_lazy("Opgesloten op"),
    "leave_eligible_on": gettext_lazy("Toelaatbaarheid penitentiair verlof"),
    "conditional_release_eligible_on": gettext_lazy("Toelaatbaarheid voorwaardelijke invrijheidstelling"),
    "sentence_ends_on": gettext_lazy("Strafeinde"),
    "released_on": gettext_lazy("Vrijgelaten op"),
    "external_ref": gettext_lazy("Referentie op de lijst"),
    "in_scope": gettext_lazy("Opgevolgd"),
    # case file
    "category": gettext_lazy("Categorie"),
    "threat_level": gettext_lazy("Dreigingsniveau"),
    "listed_on": gettext_lazy("Vermeld op"),
    "delisted_on": gettext_lazy("Geschrapt op"),
    "source": gettext_lazy("Bron"),
    "prison": gettext_lazy("Gevangenis"),
    "regime": gettext_lazy("Regime"),
    "from_date": gettext_lazy("Van"),
    "to_date": gettext_lazy("Tot"),
    "purposes": gettext_lazy("Doeleinden"),
    "scopes": gettext_lazy("Onderdelen"),
    "given_on": gettext_lazy("Gegeven op"),
    "explained_by": gettext_lazy("Uitgelegd door"),
    "language": gettext_lazy("Taal"),
    "interpreter": gettext_lazy("Met tolk"),
    "withdrawn_on": gettext_lazy("Ingetrokken op"),
    "superseded": gettext_lazy("Vervangen door een nieuwere versie"),
    "name": gettext_lazy("Naam"),
    "relation": gettext_lazy("Relatie"),
    "influence": gettext_lazy("Invloed"),
    "involved": gettext_lazy("Betrokken"),
    "contact_consent": gettext_lazy("Toestemming voor contact"),
    "notes": gettext_lazy("Notities"),
    "started_at": gettext_lazy("Tijdstip"),
    "duration_minutes": gettext_lazy("Duur (minuten)"),
    "modality": gettext_lazy("Vorm"),
    "attendance": gettext_lazy("Doorgegaan"),
    "engagement": gettext_lazy("Betrokkenheid (1–5)"),
    "author": gettext_lazy("Door"),
    "summary": gettext_lazy("Samenvatting"),
    "confidential_notes": gettext_lazy("Vertrouwelijke notities"),
    "at": gettext_lazy("Tijdstip"),
    "recipient": gettext_lazy("Ontvanger"),
    "recipient_organisation": gettext_lazy("Organisatie van de ontvanger"),
    "purpose": gettext_lazy("Doel"),
    "basis": gettext_lazy("Grondslag"),
    "what": gettext_lazy("Wat"),
    "by": gettext_lazy("Door"),
    "role": gettext_lazy("Rol"),
    "how": gettext_lazy("Hoe"),
    # trajectories
    "id": gettext_lazy("Nummer"),
    "trajectory": gettext_lazy("Traject"),
    "status": gettext_lazy("Status"),
    "referred_on": gettext_lazy("Aangemeld op"),
    "referred_by": gettext_lazy("Aangemeld door"),
    "referring_organisation": gettext_lazy("Aanmeldende organisatie"),
    "referral_reason": gettext_lazy("Reden van aanmelding"),
    "guidance_type": gettext_lazy("Soort begeleiding"),
    "co_consultants": gettext_lazy("Co-consulenten"),
    "closure_reason": gettext_lazy("Reden van afsluiting"),
    "closed_on": gettext_lazy("Afgesloten op"),
    "from": gettext_lazy("Van"),
    "to": gettext_lazy("Naar"),
    "reason": gettext_lazy("Reden"),
    "priority": gettext_lazy("Prioriteit"),
    "domain": gettext_lazy("Levensdomein"),
    "need": gettext_lazy("Nood"),
    "explored_on": gettext_lazy("Verkend op"),
    "deferral_reason": gettext_lazy("Reden van uitstel"),
    "note": gettext_lazy("Notitie"),
    "description": gettext_lazy("Omschrijving"),
    "agreed_with_detainee": gettext_lazy("Afgesproken met de gedetineerde"),
    "agreed_on": gettext_lazy("Afgesproken op"),
    "target_date": gettext_lazy("Streefdatum"),
    "responsible_organisation": gettext_lazy("Verantwoordelijke organisatie"),
    "goal": gettext_lazy("Doel"),
    "reviewed_on": gettext_lazy("Geëvalueerd op"),
    "progress": gettext_lazy("Voortgang (0–4)"),
    "owner": gettext_lazy("Eigenaar"),
    "due_on": gettext_lazy("Uiterlijk op"),
    "completed_at": gettext_lazy("Afgewerkt op"),
    "instrument": gettext_lazy("Instrument"),
    "assessed_on": gettext_lazy("Datum"),
    "assessor": gettext_lazy("Beoordelaar"),
    "sources": gettext_lazy("Bronnen"),
    "overall_judgement": gettext_lazy("Algemeen oordeel"),
    "overall_note": gettext_lazy("Toelichting"),
    "changes_since_last": gettext_lazy("Wijzigingen sinds de vorige"),
    "assessment": gettext_lazy("Inschatting"),
    "section": gettext_lazy("Onderdeel"),
    "item": gettext_lazy("Item"),
    "rating": gettext_lazy("Score"),
    "scale_max": gettext_lazy("Maximum"),
    "evidence": gettext_lazy("Onderbouwing"),
    "destination_municipality": gettext_lazy("Gemeente van bestemming"),
    "follow_up": gettext_lazy("Opvolgende dienst"),
    "aftercare_ends_on": gettext_lazy("Einde nazorg"),
    "months_after": gettext_lazy("Maanden na vrijlating"),
    "kind": gettext_lazy("Soort"),
    "requested_at": gettext_lazy("Aangevraagd op"),
    "ready_at": gettext_lazy("Klaar op"),
    "file_sha256": gettext_lazy("Vingerafdruk (SHA-256)"),
    "requested_by": gettext_lazy("Aangevraagd door"),
    "done_on": gettext_lazy("Gedaan op"),
    "outcome": gettext_lazy("Uitkomst"),
    "action": gettext_lazy("Actie"),
    "service": gettext_lazy("Dienst of aanbod"),
    "question": gettext_lazy("Vraag aan de partner"),
    "referred_at": gettext_lazy("Doorverwezen op"),
    "responded_at": gettext_lazy("Beantwoord op"),
    "response_note": gettext_lazy("Toelichting bij het antwoord"),
    "outcome_note": gettext_lazy("Toelichting bij het resultaat"),
    "court": gettext_lazy("Strafuitvoeringsrechtbank"),
    "decided_on": gettext_lazy("Datum van het vonnis"),
    "supervising": gettext_lazy("Toezichthoudende dienst"),
    "condition": gettext_lazy("Voorwaarde"),
    # conferences
    "conference": gettext_lazy("Casusoverleg"),
    "reference": gettext_lazy("Referentie"),
    "ends_at": gettext_lazy("Einde"),
    "location": gettext_lazy("Plaats"),
    "chair": gettext_lazy("Voorzitter"),
    "authorisation_reference": gettext_lazy("Machtiging"),
    "cancel_reason": gettext_lazy("Reden van annulering"),
    "response": gettext_lazy("Antwoord"),
    "attended": gettext_lazy("Aanwezig"),
    "title": gettext_lazy("Titel"),
    "body": gettext_lazy("Inhoud"),
    "version": gettext_lazy("Versie"),
    "approved_by": gettext_lazy("Goedgekeurd door"),
    "approved_at": gettext_lazy("Goedgekeurd op"),
    "fingerprint": gettext_lazy("Vingerafdruk (SHA-256)"),
    "general_notes": gettext_lazy("Algemene notities"),
    "correction_reason": gettext_lazy("Reden van correctie"),
    "agenda_item": gettext_lazy("Agendapunt"),
    "text": gettext_lazy("Tekst"),
    "consensus": gettext_lazy("Consensus"),
    "dissent_who": gettext_lazy("Niet akkoord: wie"),
    "dissent_why": gettext_lazy("Niet akkoord: waarom"),
    # notifications
    "notified_at": gettext_lazy("Gemeld op"),
    # diary
    "starts_at": gettext_lazy("Gepland op"),
    "place": gettext_lazy("Plaats"),
    "consultant": gettext_lazy("Consulent"),
    "session": gettext_lazy("Contactmoment"),
    "cancelled_at": gettext_lazy("Geannuleerd op"),
}

# Fields whose values are codes, with the labels of the codes.
_TRAJECTORY_STATUS = "trajectories.Status"
CODED_FIELDS = {
    ("consents", "purposes"): dict(Purpose.choices),
    ("consents", "scopes"): dict(Scope.choices),
    ("consents", "language"): None,  # a language code: its name, below
    ("status_changes", "from"): _TRAJECTORY_STATUS,
    ("status_changes", "to"): _TRAJECTORY_STATUS,
}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _code_labels(key) -> dict:
    if key == _TRAJECTORY_STATUS:
        from django.apps import apps

        return dict(apps.get_model("trajectories", "TrajectoryStatusChange")._meta.get_field("to_status").flatchoices)
    return key or {}


def label_of(key: str) -> str:
    label = FIELD_LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ").capitalize()


def value_of(value, *, part: str = "", key: str = "") -> str:
    """A value as a reader reads it (see the module docstring)."""
    coded = (part, key) in CODED_FIELDS
    if coded and key == "language":
        return _language_name(value)
    if coded:
        labels = _code_labels(CODED_FIELDS[(part, key)])
        if isinstance(value, list | tuple):
            return ", ".join(str(labels.get(item, item)) for item in value) or "—"
        return str(labels.get(value, value)) if value else "—"
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Ja") if value else _("Nee")
    if isinstance(value, dt.datetime):
        return local_datetime(value)
    if isinstance(value, dt.date):
        return local_date(value)
    if isinstance(value, str) and ISO_MOMENT.match(value):
        return local_datetime(value)
    if isinstance(value, str) and ISO_DATE.match(value):
        return local_date(value)
    if isinstance(value, list | tuple):
        return ", ".join(value_of(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{label_of(k)}: {value_of(v)}" for k, v in value.items())
    return str(value)


def _part(part: str, rows) -> dict:
    if isinstance(rows, dict):
        rows = [rows]
    keys = list(rows[0].keys()) if rows else []
    return {
        "key": part,
        "title": str(PART_TITLES.get(part, label_of(part))),
        "count": len(rows),
        "columns": [label_of(key) for key in keys],
        # A row of at most four fields fits a table on A4 portrait; wider rows become cards.
        "layout": "table" if len(keys) <= 4 else "cards",
        "rows": [[(label_of(key), value_of(row.get(key), part=part, key=key)) for key in keys] for row in rows],
    }


def dossier(data: dict) -> dict:
    """The PDF's content: the cover's facts and the sections, in the active language."""
    sections = []
    identity = {}
    for name, section in data["sections"].items():
        parts = []
        for part, rows in section.items():
            if part == "identity":
                identity = rows
                continue
            parts.append(_part(part, rows))
        sections.append({"key": name, "title": str(SECTION_TITLES.get(name, label_of(name))), "parts": parts})
    identity_rows = [
        (label_of(key), value_of(value, key=key))
        for key, value in identity.items()
        if key not in ("first_name", "last_name")
    ]
    return {"name": person_name(identity) if identity else "", "identity": identity_rows, "sections": sections}


def dossier_document(content: dict, *, detainee, made_by, made_at, language: str) -> Document:
    """The dossier's cover and page furniture (templates/documents/base.html)."""
    identity_title = _("Identiteit en detentie")
    contents = [(identity_title, "")] + [
        (section["title"], ", ".join(f"{part['title']} ({part['count']})" for part in section["parts"]))
        for section in content["sections"]
    ]
    facts = [
        (_("Dossier"), f"#{detainee.pk}"),
        *made_facts(
            made_by=made_by, made_at=made_at, language=language, made_by_role=_("functionaris gegevensbescherming")
        ),
        (_("Grondslag"), _("Recht van inzage van de betrokkene (AVG art. 15)")),
    ]
    # The cover's order: file, when, by whom, on what basis, in which language.
    facts = [facts[0], facts[1], facts[2], facts[4], facts[3]]
    return Document(
        title=_("Inzage in persoonsgegevens"),
        for_whom=_("Opgemaakt voor %(name)s") % {"name": content["name"]},
        facts=facts,
        about=_(
            "Dit document bevat alle persoonsgegevens die de toepassing over deze persoon bijhoudt, per "
            "onderdeel van het dossier. Dezelfde gegevens zitten machineleesbaar in het bijgevoegde JSON-bestand."
        ),
        contents=contents,
        footer=_("%(name)s — dossier #%(id)s") % {"name": content["name"], "id": detainee.pk},
    )
