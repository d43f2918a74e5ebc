"""Filter and action forms of the data-protection pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organisation, User

from ..models import DISCLOSURE_PURPOSES, AccessLog, Detainee
from .selectors import subject_lookup


class _StyledForm(forms.Form):
    """Bootstrap classes on every widget, so the templates can render fields one by one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class _DateRangeForm(_StyledForm):
    date_from = forms.DateField(label=_("Van"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    detainee_id = forms.IntegerField(label=_("Dossiernummer"), required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("De einddatum ligt vóór de begindatum."))
        return data


class DisclosureFilterForm(_DateRangeForm):
    organisation = forms.ModelChoiceField(
        label=_("Ontvangende organisatie"), queryset=Organisation.objects.order_by("name"), required=False
    )
    purpose = forms.ChoiceField(
        label=pgettext_lazy("disclosure purpose", "Doel"),
        choices=[("", _("Alle doelen")), *DISCLOSURE_PURPOSES],
        required=False,
    )


class AccessReviewFilterForm(_DateRangeForm):
    user = forms.ModelChoiceField(label=_("Gebruiker"), queryset=User.objects.order_by("username"), required=False)
    action = forms.ChoiceField(
        label=_("Soort"), choices=[("", _("Alle soorten")), *AccessLog.Action.choices], required=False
    )


class RefusalFilterForm(_StyledForm):
    date_from = forms.DateField(label=_("Van"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    user = forms.ModelChoiceField(label=_("Gebruiker"), queryset=User.objects.order_by("username"), required=False)
    route = forms.CharField(label=_("Route"), max_length=120, required=False)
    object_id = forms.CharField(label=_("Object"), max_length=40, required=False)
    status = forms.TypedChoiceField(
        label=_("Antwoord"),
        choices=[("", _("Alle")), ("404", "404"), ("403", "403")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    bursts_only = forms.BooleanField(label=_("Enkel pieken"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bursts_only"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("De einddatum ligt vóór de begindatum."))
        return data


class LegalHoldForm(_StyledForm):
    hold = forms.TypedChoiceField(
        label=_("Bewaring"), choices=[("1", _("Starten")), ("0", _("Opheffen"))], coerce=lambda value: value == "1"
    )
    reason = forms.CharField(label=_("Reden"), max_length=300, required=False)


class SubjectLookupForm(_StyledForm):
    """Find the file of a subject-access request: by file number, national number or reference exactly,
    else with the caseload's search (name with typos, date of birth); several matches are listed
    (`selectors.subject_lookup`)."""

    reference = forms.CharField(
        label=_("Dossiernummer, rijksregisternummer, referentie, naam of geboortedatum"),
        max_length=100,
        help_text=_(
            "Bijvoorbeeld 128, 95.03.14-123.45, de referentie van de in-scopelijst, of naam en geboortedatum (Van den Broeck 03/07/1990)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates: list[Detainee] = []

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        found = subject_lookup(reference)
        if found.detainee is None and found.candidates:
            self.candidates = found.candidates
            raise forms.ValidationError(_("Meerdere dossiers gevonden: kies het juiste hieronder."))
        if found.detainee is None:
            raise forms.ValidationError(_("Geen dossier gevonden met deze gegevens."))
        self.cleaned_data["detainee"] = found.detainee
        return reference
