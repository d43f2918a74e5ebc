"""Forms of the case-file pages. They parse and show errors; the services validate and write.

A form's cleaned data goes to one service; the service's ValidationError comes back onto the form
with `add_service_errors`, so a rule lives in one place and the user still sees it by the field.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from accounts.widgets import LeanSelect
from config.forms import DATE_WIDGET, ModelFieldsForm
from config.forms import add_service_errors as add_service_errors  # re-exported for the views

from .compartments import HEALTH_DOMAIN_CODES, sees_health_of
from .models import (
    SESSION_MAX_MINUTES,
    Detainee,
    InterventionModule,
    LifeDomain,
    Listing,
    NetworkPerson,
    Placement,
    Prison,
    Purpose,
    Scope,
    Session,
)
from .uploads import check_document

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# The session's moment is one text field (docs/adr/0028): day first as everywhere in the interface, and
# what people type besides (a dash, a dot between hours and minutes, the ISO form of the API and of the
# earlier datetime-local field, or only the time: today).
SESSION_MOMENT_FORMAT = "%d/%m/%Y %H:%M"
SESSION_MOMENT_INPUT_FORMATS = [
    SESSION_MOMENT_FORMAT,
    "%d/%m/%Y %H.%M",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y %H.%M",
    "%d/%m/%y %H:%M",
    DATETIME_FORMAT,
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
]
# How far back "most used" looks when the session form orders the domains and modules.
MOST_USED_DAYS = 90


class BootstrapWidgetsMixin:
    """Bootstrap classes for forms rendered field by field (crispy does this for the others)."""

    def apply_bootstrap(self) -> None:
        for bound in self.fields.values():
            widget = bound.widget
            if isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.CheckboxInput)):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class CaseloadFilterForm(BootstrapWidgetsMixin, forms.Form):
    """The caseload's search and filters (GET). Unknown values are dropped, never a 500."""

    q = forms.CharField(label=_("Zoek op naam, geboortedatum of referentie"), required=False, max_length=100)
    # LeanSelect: the same markup without a template per option (accounts/widgets.py), on every caseload visit.
    prison = forms.ModelChoiceField(
        label=_("Gevangenis"),
        queryset=Prison.objects.all(),
        required=False,
        empty_label=_("Alle gevangenissen"),
        widget=LeanSelect,
    )
    scope = forms.ChoiceField(
        label=_("Opvolging"),
        required=False,
        widget=LeanSelect,
        choices=[("", _("Alle")), ("in", _("In opvolging")), ("out", _("Niet (meer) in opvolging"))],
    )
    legal_status = forms.ChoiceField(
        label=_("Juridisch statuut"),
        required=False,
        widget=LeanSelect,
        choices=[("", _("Alle statuten")), *Detainee.LegalStatus.choices],
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "search": data.get("q") or "",
            "prison": data.get("prison"),
            "in_scope": {"in": True, "out": False}.get(data.get("scope") or ""),
            "legal_status": data.get("legal_status") or "",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.apply_bootstrap()


class DetaineeForm(ModelFieldsForm):
    # Longer than the stored 11 digits: people type the usual separators; the service normalises.
    national_number = forms.CharField(
        label=_("Rijksregisternummer"),
        required=False,
        max_length=20,
        help_text=_("11 cijfers; punten en streepjes mogen (bv. 85.07.30-033.28)."),
    )
    languages = forms.CharField(
        label=_("Talen"),
        required=False,
        max_length=60,
        help_text=_("Taalcodes gescheiden door komma's, bv. nl, fr, ar."),
    )

    class Meta:
        model = Detainee
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "national_number",
            "languages",
            "legal_status",
            "gender",
            "current_prison",
            "incarcerated_on",
            "leave_eligible_on",
            "conditional_release_eligible_on",
            "sentence_ends_on",
            "released_on",
            "external_ref",
            "in_scope",
        ]
        widgets = {
            name: DATE_WIDGET
            for name in (
                "date_of_birth",
                "incarcerated_on",
                "leave_eligible_on",
                "conditional_release_eligible_on",
                "sentence_ends_on",
                "released_on",
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = ", ".join(self.instance.languages or [])
        self.fields["first_name"].widget.attrs["autofocus"] = True
        self.fields["current_prison"].empty_label = _("— onbekend —")
        # Optional: a file opened without it says "unknown".
        self.fields["gender"].required = False

    def clean_gender(self) -> str:
        return self.cleaned_data.get("gender") or Detainee.Gender.UNKNOWN

    def clean_languages(self) -> list[str]:
        codes = [code.strip().lower() for code in (self.cleaned_data.get("languages") or "").split(",") if code.strip()]
        if any(len(code) > 8 or not code.replace("-", "").isalpha() for code in codes):
            raise ValidationError(_("Gebruik taalcodes van letters, bv. nl of fr."))
        if len(codes) > 6:
            raise ValidationError(_("Ten hoogste zes talen."))
        return codes

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CaseTeamForm(forms.Form):
    lead_consultant = forms.ModelChoiceField(
        label=_("Hoofdconsulent"), queryset=User.objects.none(), required=False, empty_label=_("— nog niemand —")
    )
    co_consultants = forms.ModelMultipleChoiceField(
        label=_("Co-consulenten"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, detainee: Detainee, **kwargs):
        super().__init__(*args, **kwargs)
        consultants = User.objects.filter(
            organisation_id=detainee.organisation_id, role=User.Role.CONSULTANT, is_active=True
        )
        self.fields["lead_consultant"].queryset = consultants
        self.fields["co_consultants"].queryset = consultants


class ListingForm(ModelFieldsForm):
    class Meta:
        model = Listing
        fields = ["category", "threat_level", "listed_on", "delisted_on", "source"]
        widgets = {"listed_on": DATE_WIDGET, "delisted_on": DATE_WIDGET}


class TransferForm(forms.Form):
    """A transfer to another prison (casework/services_transfer.py); the current prison is not offered."""

    prison = forms.ModelChoiceField(label=_("Nieuwe gevangenis"), queryset=Prison.objects.none())
    regime = forms.ChoiceField(label=_("Regime"), choices=Placement.Regime.choices, initial=Placement.Regime.REGULAR)
    transferred_on = forms.DateField(
        label=_("Datum van de overplaatsing"),
        widget=DATE_WIDGET,
        help_text=_("Vandaag of eerder: een overplaatsing wordt geregistreerd wanneer ze gebeurd is."),
    )

    def __init__(self, *args, detainee=None, **kwargs):
        super().__init__(*args, **kwargs)
        prisons = Prison.objects.order_by("name")
        if detainee is not None and detainee.current_prison_id:
            prisons = prisons.exclude(pk=detainee.current_prison_id)
        self.fields["prison"].queryset = prisons
        self.fields["prison"].widget.attrs["autofocus"] = True


class PlacementForm(ModelFieldsForm):
    class Meta:
        model = Placement
        fields = ["prison", "regime", "from_date", "to_date"]
        widgets = {"from_date": DATE_WIDGET, "to_date": DATE_WIDGET}
        help_texts = {"to_date": _("Leeg laten voor een overplaatsing: de vorige plaatsing wordt dan afgesloten.")}


class NetworkPersonForm(ModelFieldsForm):
    class Meta:
        model = NetworkPerson
        fields = ["name", "relation", "influence", "involved", "contact_consent", "phone", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class ConsentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Ontvangende organisatie"), queryset=Organisation.objects.filter(is_active=True)
    )
    purposes = forms.MultipleChoiceField(
        label=_("Doeleinden"), choices=Purpose.choices, widget=forms.CheckboxSelectMultiple
    )
    scopes = forms.MultipleChoiceField(
        label=_("Wat mag gedeeld worden"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )
    given_on = forms.DateField(label=_("Gegeven op"), widget=DATE_WIDGET)
    explained_by = forms.ModelChoiceField(label=_("Uitgelegd door"), queryset=User.objects.none())
    language = forms.CharField(label=_("Taal van de uitleg"), max_length=40)
    interpreter = forms.BooleanField(label=_("Met tolk"), required=False)
    document = forms.FileField(
        label=_("Ondertekend document (optioneel)"),
        required=False,
        help_text=_("PDF of afbeelding, ten hoogste 5 MB. Enkel zichtbaar voor het dossierteam."),
    )

    def __init__(self, *args, detainee: Detainee, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["explained_by"].queryset = User.objects.filter(
            organisation_id=detainee.organisation_id, role__in=[User.Role.CONSULTANT, User.Role.MANAGER]
        )
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True).exclude(
            pk=detainee.organisation_id
        )
        if not self.is_bound:
            self.initial.setdefault("explained_by", user.pk)
            self.initial.setdefault("given_on", timezone.localdate())
            self.initial.setdefault("language", "Nederlands")

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document:
            # By name and by content (casework/uploads.py); the service checks again.
            check_document(document)
        return document


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Ingetrokken op"), widget=DATE_WIDGET)


class SessionMomentField(forms.DateTimeField):
    """A date and time typed as one text (dd/mm/jjjj uu:mm), or only a time (uu:mm) for today."""

    input_formats = SESSION_MOMENT_INPUT_FORMATS

    def to_python(self, value):
        text = (value or "").strip() if isinstance(value, str) else value
        if isinstance(text, str):
            for separator in (":", "."):
                hours, found, minutes = text.partition(separator)
                if not (found and hours.isdigit() and minutes.isdigit() and len(hours) <= 2 and len(minutes) == 2):
                    continue
                try:
                    moment = dt.time(int(hours), int(minutes))
                except ValueError:
                    break
                return timezone.make_aware(dt.datetime.combine(timezone.localdate(), moment))
        return super().to_python(text)


def rounded_now() -> dt.datetime:
    """Now, local, rounded down to five minutes: a sensible default that is never in the future."""
    now = timezone.localtime().replace(second=0, microsecond=0)
    return now.replace(minute=now.minute - now.minute % 5)


def most_used_first(queryset, *, user: User, through_field: str) -> tuple[list, list]:
    """(most used by `user` in the last MOST_USED_DAYS days, the others), each in the reference order.

    One query: the counts of the user's recent sessions per choice."""
    since = timezone.now() - dt.timedelta(days=MOST_USED_DAYS)
    counts = dict(
        queryset.filter(**{f"{through_field}__author": user, f"{through_field}__started_at__gte": since})
        .values_list("pk")
        .annotate(n=Count("pk"))
        .values_list("pk", "n")
    )
    choices = list(queryset)
    used = sorted((c for c in choices if c.pk in counts), key=lambda c: -counts[c.pk])
    return used, [c for c in choices if c.pk not in counts]


class SessionForm(BootstrapWidgetsMixin, ModelFieldsForm):
    """The contact log. Defaults make a routine entry a matter of seconds (see `initial_for`)."""

    duration_minutes = forms.IntegerField(
        label=_("Duur (minuten)"),
        min_value=1,
        max_value=SESSION_MAX_MINUTES,
        error_messages={
            "min_value": _("De duur moet tussen 1 minuut en 12 uur liggen."),
            "max_value": _("De duur moet tussen 1 minuut en 12 uur liggen."),
        },
        widget=forms.NumberInput(attrs={"min": 1, "max": SESSION_MAX_MINUTES, "step": 5}),
    )
    started_at = SessionMomentField(
        label=_("Tijdstip"),
        help_text=_("dd/mm/jjjj uu:mm, of enkel uu:mm voor vandaag"),
        error_messages={"invalid": _("Schrijf het tijdstip als dd/mm/jjjj uu:mm, bv. 12/05/2026 09:30.")},
        widget=forms.DateTimeInput(
            attrs={
                "autofocus": True,
                "inputmode": "numeric",
                "autocomplete": "off",
                "spellcheck": "false",
                "size": 16,
                "maxlength": 19,
            },
            format=SESSION_MOMENT_FORMAT,
        ),
    )
    engagement = forms.TypedChoiceField(
        label=_("Betrokkenheid"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("niet gescoord")), *[(n, str(n)) for n in range(1, 6)]],
        widget=forms.RadioSelect,
        help_text=_("1 = afwerend, 5 = actief meewerkend. Enkel als het gesprek doorging."),
    )
    # One control each (a multiple select, searchable with tom-select when scripts run): twenty
    # checkboxes were twenty Tab stops. The user's most used choices come first (`_most_used_first`).
    domains = forms.ModelMultipleChoiceField(
        label=_("Levensdomeinen"), queryset=LifeDomain.objects.all(), required=False, widget=forms.SelectMultiple
    )
    modules = forms.ModelMultipleChoiceField(
        label=_("Modules"),
        queryset=InterventionModule.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple,
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("Netwerkpersonen aanwezig"),
        queryset=NetworkPerson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Session
        fields = [
            "started_at",
            "duration_minutes",
            "modality",
            "attendance",
            "engagement",
            "domains",
            "modules",
            "participants",
            "summary",
            "confidential_notes",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "confidential_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, detainee: Detainee, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = NetworkPerson.objects.filter(detainee=detainee)
        if not sees_health_of(user, detainee):
            # A health domain's tag is health content (casework/compartments.py): not shown, not offered, and a
            # correction leaves it as it was (services.session_update).
            self.fields["domains"].queryset = LifeDomain.objects.exclude(code__in=sorted(HEALTH_DOMAIN_CODES))
            self.fields["domains"].help_text = _(
                "Het gezondheidsdomein vullen enkel de hoofdconsulent, de co-consulenten en hun manager in; "
                "wat daar staat, blijft zoals het was."
            )
        self.user = user
        for name in ("domains", "modules"):
            field = self.fields[name]
            field.widget.attrs["data-searchable"] = ""
            hint = str(_("Typ om te zoeken; Enter kiest, Backspace haalt de laatste keuze weg."))
            field.help_text = f"{hint} {field.help_text}" if field.help_text else hint
        self.apply_bootstrap()
        self.fields["summary"].help_text = _(
            "Zichtbaar voor je team en voor partners die de gedetineerde toestemming gaf (onderdeel ‘samenvattingen’)."
        )
        self.fields["confidential_notes"].help_text = _(
            "Enkel voor de hoofdconsulent, de co-consulenten en hun manager. Verlaat het team nooit."
        )

    def most_used_first(self) -> None:
        """Group the domains and modules for display: the user's most used of the last 90 days first, then the
        others (one query each). Only a page that shows the form calls it: a save does not pay for it."""
        for name in ("domains", "modules"):
            field = self.fields[name]
            used, others = most_used_first(field.queryset, user=self.user, through_field="sessions")
            if used:
                field.widget.choices = [
                    (_("Jouw meest gebruikte"), [(c.pk, field.label_from_instance(c)) for c in used]),
                    (_("Alle andere"), [(c.pk, field.label_from_instance(c)) for c in others]),
                ]
            else:
                field.widget.choices = [(c.pk, field.label_from_instance(c)) for c in others]
            field.widget.attrs["size"] = min(8, len(used) + len(others) + 2)

    @staticmethod
    def initial_for(user: User, detainee: Detainee | None = None) -> dict:
        """Now (rounded down to five minutes), the modality of the detainee's last session (else the user's last used
        one, else in person in prison), 60 minutes, attended. One query each for the two modalities."""
        last_modality = None
        if detainee is not None:
            last_modality = (
                Session.objects.filter(detainee=detainee)
                .order_by("-started_at")
                .values_list("modality", flat=True)
                .first()
            )
        if last_modality is None:
            last_modality = (
                Session.objects.filter(author=user).order_by("-started_at").values_list("modality", flat=True).first()
            )
        return {
            "started_at": rounded_now(),
            "modality": last_modality or Session.Modality.IN_PERSON_PRISON,
            "duration_minutes": 60,
            "attendance": Session.Attendance.ATTENDED,
        }

    def focus_summary(self) -> None:
        """The quick log from "Mijn dag": the defaults stand, the cursor starts in the summary."""
        self.fields["started_at"].widget.attrs.pop("autofocus", None)

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)
