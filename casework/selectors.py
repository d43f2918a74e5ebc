"""Reads of the case file that span several models: the caseload, "Mijn dag" and the file's history.

Every function starts from a `visible_to(user)` queryset and shapes it so a page runs a fixed number
of queries whatever the data size (docs/design.md §11).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

import pghistory.models
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.display import local_date, local_datetime, person_name
from accounts.models import Organisation, User
from config.keyset import KeysetPage, keyset_page

from .models import Detainee, Listing, Prison, Session
from .search import rank_order

# --- Caseload ------------------------------------------------------------------------------------


def _last_contact_subquery() -> Subquery:
    # A correlated subquery walks the (detainee, -started_at) index: one row per detainee, no GROUP BY.
    return Subquery(Session.objects.filter(detainee=OuterRef("pk")).order_by("-started_at").values("started_at")[:1])


def caseload_for_user(
    user: User,
    *,
    search: str = "",
    prison: Prison | None = None,
    in_scope: bool | None = None,
    legal_status: str = "",
) -> QuerySet[Detainee]:
    """The detainees `user` may see, filtered and shaped for the caseload list.

    Adds `last_contact` for the case staff only (directors and partners do not see sessions) and
    prefetches the listings in force into `active_listings` for those who may see listings.
    """
    qs = Detainee.objects.visible_to(user).select_related("current_prison", "lead_consultant")
    searching = bool(search.strip())
    if searching:
        qs = qs.search(search, national_number=user.is_case_staff)
    if prison is not None:
        qs = qs.filter(current_prison=prison)
    if in_scope is not None:
        qs = qs.filter(in_scope=in_scope)
    if legal_status:
        qs = qs.filter(legal_status=legal_status)
    if user.is_case_staff:
        qs = qs.annotate(last_contact=_last_contact_subquery())
    if user.is_case_staff or user.is_director:
        qs = qs.prefetch_related(
            Prefetch("listings", queryset=Listing.objects.filter(delisted_on__isnull=True), to_attr="active_listings")
        )
    if searching:
        # Best matches first: whole words, then word prefixes, then fuzzy matches.
        return qs.order_by(*rank_order("last_name", "first_name", "pk"))
    return qs.order_by("last_name", "first_name", "pk")


def current_listing_of(detainee: Detainee) -> Listing | None:
    """The newest listing in force, from the `active_listings` prefetch when present."""
    listings = getattr(detainee, "active_listings", None)
    if listings is None:
        return detainee.current_listing()
    return max(listings, key=lambda item: item.listed_on, default=None)


# --- Mijn dag ------------------------------------------------------------------------------------


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Start and end of a calendar day in Europe/Brussels, DST-safe."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    return start, end


def sessions_logged_today(user: User) -> QuerySet[Session]:
    """The sessions `user` logged for today (their own contacts of the day)."""
    start, end = local_day_bounds(timezone.localdate())
    return (
        Session.objects.visible_to(user)
        .filter(author=user, started_at__gte=start, started_at__lt=end)
        .select_related("detainee")
        .order_by("started_at")
    )


def own_caseload(user: User) -> QuerySet[Detainee]:
    """Detainees where `user` is lead or co-consultant, with the date of the last contact."""
    team = Detainee.objects.filter(Q(lead_consultant=user) | Q(co_consultants=user)).values("pk")
    return (
        Detainee.objects.visible_to(user)
        .filter(pk__in=team)
        .select_related("current_prison")
        .annotate(last_contact=_last_contact_subquery())
        .order_by("last_name", "first_name", "pk")
    )


@dataclass
class CaseloadFigures:
    total: int = 0
    in_scope: int = 0
    without_lead: int = 0
    sessions_this_month: int = 0
    per_consultant: list[tuple[User, int]] = field(default_factory=list)


def organisation_caseload_figures(user: User) -> CaseloadFigures:
    """The manager's landing: how the organisation's caseload is spread, in three queries."""
    files = Detainee.objects.visible_to(user)
    totals = files.aggregate(
        n_total=Count("pk"),
        n_in_scope=Count("pk", filter=Q(in_scope=True)),
        n_without_lead=Count("pk", filter=Q(in_scope=True, lead_consultant__isnull=True)),
    )
    month_start, _end = local_day_bounds(timezone.localdate().replace(day=1))
    sessions = Session.objects.visible_to(user).filter(started_at__gte=month_start).count()
    consultants = (
        User.objects.filter(organisation_id=user.organisation_id, role=User.Role.CONSULTANT, is_active=True)  # type: ignore[misc]  # None reads as IS NULL in Django; django-stubs refuses it
        .annotate(files=Count("lead_files", filter=Q(lead_files__in_scope=True), distinct=True))
        .order_by("-files", "last_name", "first_name")
    )
    return CaseloadFigures(
        total=totals["n_total"],
        in_scope=totals["n_in_scope"],
        without_lead=totals["n_without_lead"],
        sessions_this_month=sessions,
        per_consultant=[(consultant, consultant.files) for consultant in consultants],
    )


# --- History of a file ------------------------------------------------------------------------------

# The case-file models whose change history the history tab shows.
HISTORY_MODELS = ("Detainee", "Listing", "Placement", "Consent", "NetworkPerson", "Session")
# Bookkeeping columns that say nothing to a reader.
HISTORY_HIDDEN_FIELDS = {"id", "created_at", "updated_at", "search_name", "superseded_at", "previous", "detainee"}
CONFIDENTIAL_FIELDS = {"confidential_notes"}
# Why a change was made, as the services record it (the `reason` of `pghistory.context`): a code, put
# into words when the history is read, in the reader's language. Every code a service writes is listed
# (tests/casework/test_history_words.py finds them in the code); a reason a user typed is shown as typed.
REASON_LABELS = {
    "detainee_create": _("dossier geopend"),
    "detainee_update": _("gegevens gewijzigd"),
    "detainee_set_case_team": _("dossierteam aangepast"),
    "listing_record": _("OCAD-vermelding geregistreerd"),
    "placement_record": _("plaatsing geregistreerd"),
    "detainee_transfer": _("overgeplaatst naar een andere gevangenis"),
    "transfer_flag_resolve": _("beslist over een casusoverleg na overplaatsing"),
    "consent_record": _("toestemming geregistreerd"),
    "consent_withdraw": _("toestemming ingetrokken"),
    "network_person_save": _("netwerk bijgewerkt"),
    "session_log": _("contactmoment geregistreerd"),
    "session_update": _("contactmoment gecorrigeerd"),
    "in_scope_import": _("in-scopelijst ingelezen"),
    "legal_hold_set": _("bewaring wegens juridische procedure aangepast"),
    "retention_anonymise": _("geanonimiseerd na de bewaartermijn"),
    "api": _("gewijzigd via de API"),
    "demo": _("demogegevens"),
    "planned_contact_plan": _("contact gepland"),
    "planned_contact_update": _("gepland contact gewijzigd"),
    "planned_contact_cancel": _("gepland contact geannuleerd"),
    "planned_contact_log": _("gepland contact geregistreerd als contactmoment"),
    "trajectory_refer": _("aangemeld voor een traject"),
    "trajectory_assign": _("traject toegewezen"),
    "trajectory_update": _("traject gewijzigd"),
    "trajectory_release": _("vrijlating geregistreerd"),
    "trajectory_transition": _("status van het traject gewijzigd"),
    "exploration_record": _("levensdomein verkend"),
    "goal_create": _("doel toegevoegd"),
    "goal_update": _("doel gewijzigd"),
    "goal_review_add": _("doel geëvalueerd"),
    "action_create": _("actie toegevoegd"),
    "assessment_start": _("inschatting gestart"),
    "assessment_update": _("inschatting bijgewerkt"),
    "assessment_finalise": _("inschatting afgerond"),
    "aftercare_close": _("nazorg afgesloten"),
    "release_aftercare_change": _("duur van de nazorg aangepast"),
    "partner_referral_create": _("doorverwezen naar een partner"),
    "partner_referral_respond": _("partner antwoordde op een doorverwijzing"),
    "partner_referral_close": _("doorverwijzing afgesloten"),
    "partner_referral_withdraw": _("doorverwijzing ingetrokken"),
    "standing_member_add": _("vast lid van het casusoverleg toegevoegd"),
    "standing_member_remove": _("vast lid van het casusoverleg verwijderd"),
    "aftercare_setting_save": _("instelling van de nazorg bewaard"),
    "follow_up_record": _("opvolging na vrijlating geregistreerd"),
    "handover_package_request": _("overdrachtspakket aangevraagd"),
    "court_condition_record": _("voorwaarde van de rechtbank vastgelegd"),
    "reporting_deadline_add": _("rapporteringstermijn toegevoegd"),
    "reporting_deadline_cancel": _("rapporteringstermijn geannuleerd"),
    "court_report_write": _("verslag voor de toezichthouder opgemaakt"),
    "conference_schedule": _("casusoverleg gepland"),
    "meeting_schedule": _("overleg buiten detentie gepland"),
    "conference_move": _("casusoverleg verplaatst"),
    "conference_cancel": _("casusoverleg geannuleerd"),
    "conference_confirm_rule_date": _("datum van het casusoverleg bevestigd"),
    "cadence_set": _("ritme van de casusoverleggen ingesteld"),
    "participant_add": _("deelnemer toegevoegd"),
    "participant_remove": _("deelnemer verwijderd"),
    "participant_respond": _("deelnemer antwoordde"),
    "attendance_record": _("aanwezigheid geregistreerd"),
    "agenda_refresh": _("agenda bijgewerkt"),
    "agenda_item_add": _("agendapunt toegevoegd"),
    "agenda_item_remove": _("agendapunt verwijderd"),
    "minutes_save": _("verslag bewaard"),
    "minutes_approve": _("verslag goedgekeurd"),
    "minutes_correct": _("verslag gecorrigeerd"),
    "referral_priority_set": _("prioriteit van de aanmelding bepaald door het casusoverleg"),
    "invitation_send": _("uitnodiging verstuurd"),
    "invitation_mail_send": _("uitnodiging gemaild"),
    "invitation_accept": _("uitnodiging aanvaard"),
    "user_deactivate": _("account gedeactiveerd"),
    "user_save_by_admin": _("account bewaard in het beheer"),
    "token_create": _("API-sleutel aangemaakt"),
    "token_revoke": _("API-sleutel ingetrokken"),
    "service_account_create": _("koppeling aangemaakt"),
    "reminder_setting_save": _("instelling van herinneringen bewaard"),
    "detainee_merge": _("dossiers samengevoegd"),
}
# The admin site records `admin_<verb>_<model>` (accounts/admin_base.py).
ADMIN_REASON_LABELS = {
    "add": _("toegevoegd in het beheer"),
    "change": _("gewijzigd in het beheer"),
    "delete": _("verwijderd in het beheer"),
}


def reason_label(code: str) -> str:
    """The words for a history reason in the active language; a reason a person typed as typed."""
    # A code may carry a parameter after a colon (`trajectory_transition:active`): the words are the code's.
    label = REASON_LABELS.get(code) or REASON_LABELS.get(code.split(":", 1)[0])
    if label is not None:
        return str(label)
    if code.startswith("admin_"):
        verb = code.split("_")[1] if code.count("_") >= 2 else ""
        if verb in ADMIN_REASON_LABELS:
            return str(ADMIN_REASON_LABELS[verb])
    return code


@dataclass
class HistoryChange:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    at: dt.datetime
    kind: str
    action: str
    object_label: str
    user: User | None
    reason: str
    changes: list[HistoryChange]


# The rows the history page names, by model and primary key.
_Lookups = dict[type[models.Model] | str | None, dict[int, models.Model]]


def _event_models() -> list[type[models.Model]]:
    return [apps.get_model("casework", f"{name}Event") for name in HISTORY_MODELS]


def _readable(model: type[models.Model], name: str, value: Any, lookups: _Lookups) -> str:
    """`value` as the event's JSON data holds it (any JSON value)."""
    if value in (None, "", []):
        return "—"
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.Field)  # a column of the tracked model, never a reverse relation
    if model_field.is_relation and model_field.many_to_one:
        related = lookups.get(model_field.related_model, {}).get(value)
        return str(related) if related is not None else f"#{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    base = getattr(model_field, "base_field", None)
    if isinstance(value, list) and base is not None and base.choices:
        names = dict(base.flatchoices)
        return ", ".join(str(names.get(item, item)) for item in value)
    if isinstance(value, bool):
        return str(_("ja") if value else _("nee"))
    if isinstance(value, str) and isinstance(model_field, (models.DateTimeField, models.DateField)):
        # Dates arrive as ISO text in the event data; show them the Belgian way, in Brussels time.
        try:
            if isinstance(model_field, models.DateTimeField):
                return local_datetime(dt.datetime.fromisoformat(value))
            return local_date(dt.date.fromisoformat(value[:10]))
        except ValueError:
            return value
    return str(value)


HISTORY_PAGE_SIZE = 25


def detainee_history(
    detainee: Detainee, *, show_confidential: bool, cursor: str | None = None, size: int = HISTORY_PAGE_SIZE
) -> KeysetPage:
    """One page of the change history of the file and its parts, newest first, with field diffs made readable.

    A keyset page (config/keyset.py) in the order `pgh_created_at DESC, pgh_slug DESC`: the event's slug (model
    and id) breaks ties between changes written in one transaction, and a deep page costs what the first does.
    Confidential notes are masked unless the reader may see them (the history must not become a
    side door to the consultant team's notes). Runs four queries: events, users, prisons, organisations.
    """
    page = keyset_page(
        # pghistory leaves `across` unannotated.
        pghistory.models.Events.objects.across(*_event_models()).references(detainee),  # type: ignore[no-untyped-call]
        time_field="pgh_created_at",
        cursor=cursor,
        size=size,
    )
    page.object_list = _history_entries(page.object_list, show_confidential=show_confidential)
    return page


def _history_entries(events: list[pghistory.models.Events], *, show_confidential: bool) -> list[HistoryEntry]:
    user_ids: set[int] = set()
    prison_ids: set[int] = set()
    organisation_ids: set[int] = set()
    for event in events:
        context = event.pgh_context or {}
        if context.get("user"):
            user_ids.add(int(context["user"]))
        data = event.pgh_data or {}
        for key, target in (
            ("current_prison", prison_ids),
            ("prison", prison_ids),
            ("organisation", organisation_ids),
            ("lead_consultant", user_ids),
            ("explained_by", user_ids),
            ("author", user_ids),
            ("recorded_by", user_ids),
        ):
            diff = event.pgh_diff or {}
            for value in (data.get(key), data.get(f"{key}_id"), *(diff.get(key) or []), *(diff.get(f"{key}_id") or [])):
                if isinstance(value, int):
                    target.add(value)
    lookups: _Lookups = {
        User: _by_pk(User, user_ids),
        Prison: _by_pk(Prison, prison_ids),
        Organisation: _by_pk(Organisation, organisation_ids),
    }
    entries = []
    for event in events:
        tracked = apps.get_model(event.pgh_model).pgh_tracked_model
        context = event.pgh_context or {}
        changes = []
        if event.pgh_label == "insert":
            source = {name: [None, value] for name, value in (event.pgh_data or {}).items()}
        else:
            source = event.pgh_diff or {}
        for name, (before, after) in source.items():
            if name in HISTORY_HIDDEN_FIELDS or (name.endswith("_id") and name[:-3] in HISTORY_HIDDEN_FIELDS):
                continue
            name = name[:-3] if name.endswith("_id") else name
            try:
                label = str(tracked._meta.get_field(name).verbose_name)
            except FieldDoesNotExist:  # a column dropped since the event was written
                continue
            if event.pgh_label == "insert" and after in (None, "", []):
                continue
            model_field = tracked._meta.get_field(name)
            # Encrypted columns hold ciphertext in the event rows; confidential ones are also not for every reader.
            if "Encrypted" in type(model_field).__name__ or (name in CONFIDENTIAL_FIELDS and not show_confidential):
                hidden = str(_("(vertrouwelijk)") if name in CONFIDENTIAL_FIELDS else _("(afgeschermd)"))
                changes.append(HistoryChange(label, hidden if before else "—", hidden if after else "—"))
                continue
            changes.append(
                HistoryChange(
                    label, _readable(tracked, name, before, lookups), _readable(tracked, name, after, lookups)
                )
            )
        # Show the fields in the order the model declares them, not the order the diff lists them.
        names = labels_to_names(tracked)
        order = {f.name: i for i, f in enumerate(tracked._meta.concrete_fields)}
        changes.sort(key=lambda change: order.get(names.get(change.label), 99))  # noqa: B023 - used at once
        user_id = context.get("user")
        reason = str(context.get("reason") or "")
        entries.append(
            HistoryEntry(
                at=event.pgh_created_at,
                kind=str(tracked._meta.verbose_name),
                action=str(
                    {"insert": _("toegevoegd"), "update": _("gewijzigd"), "delete": _("verwijderd")}.get(
                        event.pgh_label, event.pgh_label
                    )
                ),
                object_label=_object_label(tracked, event.pgh_data or {}),
                user=cast("User | None", lookups[User].get(int(user_id))) if user_id else None,
                reason=reason_label(reason),
                changes=changes,
            )
        )
    return entries


def _by_pk(model: type[models.Model], ids: set[int]) -> dict[int, models.Model]:
    """One query, also when no id is asked for: a history page costs the same whichever changes it shows."""
    return {row.pk: row for row in model._default_manager.filter(pk__in=[*ids, 0])}


def labels_to_names(model: type[models.Model]) -> dict[str, str]:
    return {str(f.verbose_name): f.name for f in model._meta.concrete_fields}


def _object_label(model: type[models.Model], data: dict[str, object]) -> str:
    if model is Session and data.get("started_at"):
        return local_datetime(dt.datetime.fromisoformat(str(data["started_at"])))
    if data.get("name"):
        return str(data["name"])
    return person_name(data)
