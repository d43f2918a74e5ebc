"""Forms of the conference pages. They parse input only; the services validate the rules."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from casework.models import Basis, Detainee, Prison

from .models import OUTSIDE_KINDS, Conference, Participant

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


def aware(day: dt.date, moment: dt.time) -> dt.datetime:
    """Local Brussels wall time → aware datetime (correct on both sides of a DST change)."""
    return timezone.make_aware(dt.datetime.combine(day, moment))


class BootstrapMixin:
    """Forms rendered field by field (not through crispy) still get Bootstrap's classes."""

    def _style(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.HiddenInput, forms.CheckboxInput, forms.RadioSelect)):
                continue
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class _WhenForm(forms.Form):
    day = forms.DateField(label=_("Datum"), widget=DATE)
    start_time = forms.TimeField(label=_("Van"), widget=TIME)
    end_time = forms.TimeField(label=_("Tot"), widget=TIME)
    location = forms.CharField(label=_("Lokaal"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Videolink (optioneel)"), max_length=500, required=False, assume_scheme="https")

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        return aware(data["day"], data["start_time"]), aware(data["day"], data["end_time"])


class ConferenceForm(_WhenForm):
    detainee = forms.ModelChoiceField(label=_("Gedetineerde"), queryset=Detainee.objects.none())
    prison = forms.ModelChoiceField(label=_("Gevangenis"), queryset=Prison.objects.none())
    kind = forms.ChoiceField(
        label=_("Soort overleg"), choices=[c for c in Conference.Kind.choices if c[0] not in OUTSIDE_KINDS]
    )
    basis = forms.ChoiceField(
        label=_("Grondslag"),
        choices=[(Basis.CONSENT.value, Basis.CONSENT.label), (Basis.ART458TER.value, Basis.ART458TER.label)],
        widget=forms.RadioSelect,
    )
    authorisation_reference = forms.CharField(
        label=_("Referentie machtiging procureur"),
        max_length=200,
        required=False,
        help_text=_("Verplicht bij art. 458ter Sw."),
    )
    proposed_for = forms.DateField(widget=forms.HiddenInput, required=False)

    field_order = [
        "detainee",
        "prison",
        "kind",
        "day",
        "start_time",
        "end_time",
        "location",
        "video_link",
        "basis",
        "authorisation_reference",
        "proposed_for",
    ]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prison"].queryset = Prison.objects.filter(directors=user)
        # Every detainee placed in one of the director's prisons; the service checks the prison matches.
        self.fields["detainee"].queryset = Detainee.objects.filter(
            current_prison__directors=user, released_on__isnull=True
        ).select_related("current_prison")
        self.fields["detainee"].label_from_instance = lambda d: f"{d} — {d.current_prison}"


class MeetingForm(_WhenForm):
    """A meeting outside detention (docs/adr/0041): one of the organiser's own people, or one found by his
    national number; a venue instead of a prison; consent or the court's mandate as its basis."""

    kind = forms.ChoiceField(
        label=_("Soort overleg"), choices=[c for c in Conference.Kind.choices if c[0] in OUTSIDE_KINDS]
    )
    detainee = forms.ModelChoiceField(
        label=_("Persoon uit je overleggen"), queryset=Detainee.objects.none(), required=False
    )
    national_number = forms.CharField(
        label=_("Of: rijksregisternummer"),
        max_length=20,
        required=False,
        help_text=_(
            "Voor een eerste overleg: het dossier wordt enkel gevonden als je organisatie er een grondslag voor heeft."
        ),
    )
    venue = forms.CharField(
        label=_("Plaats van het overleg"),
        max_length=200,
        help_text=_("Bv. LIVC Genk, stadhuis; of Justitiehuis Hasselt."),
    )
    basis = forms.ChoiceField(
        label=_("Grondslag"),
        widget=forms.RadioSelect,
        choices=[(Basis.CONSENT.value, Basis.CONSENT.label), (Basis.COURT_MANDATE.value, Basis.COURT_MANDATE.label)],
    )
    mandate_reference = forms.CharField(
        label=_("Referentie vonnis strafuitvoeringsrechtbank"),
        max_length=200,
        required=False,
        help_text=_("Verplicht bij het mandaat van de strafuitvoeringsrechtbank."),
    )

    field_order = [
        "kind",
        "detainee",
        "national_number",
        "day",
        "start_time",
        "end_time",
        "venue",
        "location",
        "video_link",
        "basis",
        "mandate_reference",
    ]

    def __init__(self, *args, user: User, **kwargs):
        from .services.meetings import meeting_detainees

        super().__init__(*args, **kwargs)
        self.fields["detainee"].queryset = meeting_detainees(user)


class MoveForm(_WhenForm):
    confirm_rule_date = forms.BooleanField(
        label=_("Deze datum bevestigen als nieuwe referentie voor de planningsregel"), required=False
    )


class ParticipantForm(BootstrapMixin, forms.Form):
    participant_user = forms.ModelChoiceField(
        label=_("Gebruiker"),
        required=False,
        queryset=User.objects.filter(
            is_active=True, role__in=["consultant", "manager", "director", "partner"]
        ).select_related("organisation"),
        help_text=_("Of vul hieronder een externe deelnemer in."),
    )
    name = forms.CharField(label=_("Naam (extern)"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisatie (extern)"), queryset=Organisation.objects.filter(is_active=True), required=False
    )
    email = forms.EmailField(label=_("E-mail (extern)"), required=False)
    role = forms.ChoiceField(label=_("Rol"), choices=[c for c in Participant.Role.choices if c[0] != "chair"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant_user"].label_from_instance = lambda u: (
            f"{u} — {u.organisation or u.get_role_display()}"
        )
        self._style()


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    body = forms.CharField(
        label=_("Toelichting"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reden van annulering"), max_length=300)


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Reden van de correctie"), max_length=300)


# --- Minutes editor -----------------------------------------------------------------------------------------


class DecisionForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Beslissing"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    consensus = forms.TypedChoiceField(
        label=_("Consensus"),
        choices=[("yes", _("Ja")), ("no", _("Nee"))],
        coerce=lambda v: v == "yes",
        initial="yes",
    )
    dissent_who = forms.CharField(label=_("Niet akkoord: wie"), max_length=300, required=False)
    dissent_why = forms.CharField(label=_("Niet akkoord: waarom"), max_length=2000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ActionForm(BootstrapMixin, forms.Form):
    description = forms.CharField(label=_("Actie"), max_length=1000)
    owner = forms.ChoiceField(label=_("Eigenaar"), required=False)
    owner_name = forms.CharField(label=_("Contactpersoon (bij organisatie)"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Uiterlijk op"), widget=DATE, required=False)
    action_id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, owner_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—"), *owner_choices]
        self._style()


DecisionFormSet = forms.formset_factory(DecisionForm, extra=1, can_delete=True, max_num=50)
ActionFormSet = forms.formset_factory(ActionForm, extra=1, can_delete=True, max_num=50)


def owner_choices(participants: list[Participant], organisations: list[Organisation]):
    """Owners offered in the minutes editor: the participants with an account, then organisations."""
    users = [(f"user:{p.user_id}", f"{p.display_name}") for p in participants if p.user_id]
    orgs = [(f"org:{o.pk}", str(o)) for o in organisations]
    return [(str(_("Deelnemers")), users), (str(_("Organisaties")), orgs)]


def parse_owner(value: str, users: dict[int, User], organisations: dict[int, Organisation]):
    """'user:12' / 'org:3' → (user, organisation); unknown ids give (None, None) so the service refuses."""
    kind, _sep, raw = (value or "").partition(":")
    if not raw.isdigit():
        return None, None
    if kind == "user":
        return users.get(int(raw)), None
    if kind == "org":
        return None, organisations.get(int(raw))
    return None, None


class VerifyCopyForm(BootstrapMixin, forms.Form):
    """A copy to check: the PDF itself, or the SHA-256 of the file or of the content (the copy's footer)."""

    document = forms.FileField(label=_("PDF-bestand"), required=False)
    sha256 = forms.CharField(
        label=_("of een SHA-256-vingerafdruk"),
        required=False,
        max_length=200,
        help_text=_("64 tekens 0–9 en a–f, zoals onderaan elk exemplaar; spaties mogen."),
    )

    def clean_document(self):
        from .verification import MAX_UPLOAD_BYTES

        document = self.cleaned_data.get("document")
        if document is None:
            return None
        if document.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 20 MB: geen exemplaar van een verslag."))
        data = document.read()
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("Dit is geen PDF-bestand."))
        return data

    def clean_sha256(self):
        value = "".join((self.cleaned_data.get("sha256") or "").split()).lower()
        if value and not re.fullmatch(r"[0-9a-f]{64}", value):
            raise forms.ValidationError(_("Een SHA-256-vingerafdruk telt 64 tekens 0–9 en a–f."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("document") and not cleaned.get("sha256"):
            raise forms.ValidationError(_("Kies een PDF-bestand of plak een vingerafdruk."))
        return cleaned


class StandingMemberForm(BootstrapMixin, forms.Form):
    prison = forms.ModelChoiceField(label=_("Gevangenis"), queryset=Prison.objects.none())
    member_user = forms.ModelChoiceField(
        label=_("Gebruiker"),
        required=False,
        queryset=User.objects.filter(
            is_active=True, role__in=["consultant", "manager", "director", "partner"]
        ).select_related("organisation"),
        help_text=_("Of vul hieronder een extern vast lid in."),
    )
    name = forms.CharField(label=_("Naam (extern)"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisatie (extern)"), queryset=Organisation.objects.filter(is_active=True), required=False
    )
    email = forms.EmailField(label=_("E-mail (extern)"), required=False)
    role = forms.ChoiceField(
        label=_("Rol"), choices=[c for c in Participant.Role.choices if c[0] not in ("chair", "detainee")]
    )
    agreement = forms.CharField(
        label=_("Rolafspraken"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wat dit lid inbrengt en wat hij met de besprekingen mag doen."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prison"].queryset = (
            Prison.objects.filter(directors=user).order_by("name") if user else Prison.objects.none()
        )
        if len(self.fields["prison"].queryset) == 1:
            self.fields["prison"].initial = self.fields["prison"].queryset[0]
        self.fields["member_user"].label_from_instance = lambda u: f"{u} — {u.organisation or u.get_role_display()}"
        self._style()


class ActionUpdateForm(forms.Form):
    """The owner's update on a conference action (casusoverleg/services/actions.py checks the rest)."""

    kind = forms.ChoiceField(
        label=_("Wat meld je?"),
        widget=forms.RadioSelect,
        initial="progress",
        choices=[("progress", _("Voortgang melden")), ("done", _("De actie is afgerond"))],
        error_messages={
            "required": _("Kies: voortgang melden of de actie afronden."),
            "invalid_choice": _("Kies: voortgang melden of de actie afronden."),
        },
    )
    note = forms.CharField(
        label=_("Korte notitie"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Hoogstens %(limit_value)s tekens.")},
    )


class TransferResolveForm(forms.Form):
    """What becomes of a conference planned at the prison a detainee left (ADR 0040)."""

    resolution = forms.ChoiceField(
        label=_("Beslissing"),
        widget=forms.RadioSelect,
        choices=[
            ("cancelled", _("Annuleren: de deelnemers krijgen een annulering")),
            ("moved", _("Verplaatsen naar de nieuwe gevangenis: een directeur daar zit voor")),
            ("handover", _("Behouden als overdrachtsoverleg in de oude gevangenis, met de nieuwe directeur")),
        ],
    )
    chair = forms.ModelChoiceField(
        label=_("Voorzitter in de nieuwe gevangenis"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Enkel bij verplaatsen."),
    )
    reason = forms.CharField(
        label=_("Reden van annulering"),
        max_length=300,
        required=False,
        help_text=_("Enkel bij annuleren; leeg laten vermeldt de overplaatsing."),
    )

    def __init__(self, *args, prison: Prison, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        directors = prison.directors.filter(is_active=True).order_by("last_name", "first_name", "pk")
        self.fields["chair"].queryset = directors
        if directors.filter(pk=user.pk).exists():
            self.fields["chair"].initial = user.pk
        for name in ("chair", "reason"):
            self.fields[name].widget.attrs["class"] = "form-select" if name == "chair" else "form-control"


class ReferralPriorityForm(forms.Form):
    priority = forms.TypedChoiceField(label=_("Prioriteit"), coerce=int, choices=[])
    reason = forms.CharField(
        label=_("Reden"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Waarom het casusoverleg deze prioriteit geeft (hoogstens 500 tekens)."),
    )

    def __init__(self, *args, **kwargs):
        from trajectories.models import Trajectory

        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = Trajectory.Priority.choices
