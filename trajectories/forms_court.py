"""Forms of the court's conditions page. They parse; the services validate and write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.documents import language_choices
from accounts.models import Organisation

from .forms_release import DATE_WIDGET
from .models_court import CourtCondition


class DateListField(forms.CharField):
    """ "2025-09-01, 2025-12-01" (or 01/09/2025) → a list of dates; the service checks the range."""

    FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")

    def to_python(self, value):
        value = super().to_python(value)
        days = []
        for part in (value or "").replace(";", ",").replace("\n", ",").split(","):
            part = part.strip()
            if not part:
                continue
            for fmt in self.FORMATS:
                try:
                    days.append(dt.datetime.strptime(part, fmt).date())  # noqa: DTZ007 (a calendar day, no time)
                    break
                except ValueError:
                    continue
            else:
                raise ValidationError(
                    _("“%(value)s” is geen datum: gebruik dd/mm/jjjj, gescheiden door komma's."),
                    params={"value": part[:20]},
                )
        return days


def _organisations():
    return Organisation.objects.filter(is_active=True).order_by("name")


class CourtConditionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort voorwaarde"), choices=CourtCondition.Kind.choices)
    text = forms.CharField(
        label=_("Tekst van de voorwaarde"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Zoals in het vonnis."),
    )
    court = forms.CharField(
        label=_("Strafuitvoeringsrechtbank"),
        max_length=100,
        help_text=_("Bv. SURB Antwerpen, SURB Gent, SURB Brussel (Nederlandstalig)."),
    )
    decided_on = forms.DateField(label=_("Datum van het vonnis"), widget=DATE_WIDGET)
    judgment_reference = forms.CharField(label=_("Referentie van het vonnis"), max_length=60, required=False)
    starts_on = forms.DateField(label=_("Geldt vanaf"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Geldt tot"), widget=DATE_WIDGET, help_text=_("Het einde van de proeftijd."))
    supervising_organisation = forms.ModelChoiceField(
        label=_("Toezichthoudende dienst"),
        queryset=Organisation.objects.none(),
        help_text=_("Bv. het justitiehuis of Ceapire."),
    )
    reporting_mandate = forms.BooleanField(
        label=_("De rechtbank vraagt onze dienst te rapporteren over deze voorwaarde"),
        required=False,
        help_text=_("Dan mag een verslag de feiten van de opvolging bevatten (aanwezigheid), ook zonder toestemming."),
    )
    deadlines = DateListField(
        label=_("Rapporteringstermijnen"),
        required=False,
        max_length=400,
        help_text=_("De data waarop een verslag verwacht wordt, gescheiden door komma's."),
    )
    report_to = forms.ModelChoiceField(
        label=_("Rapporteren aan"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Leeg laten: aan de toezichthoudende dienst."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervising_organisation"].queryset = _organisations()
        self.fields["report_to"].queryset = _organisations()


class ReportingDeadlineForm(forms.Form):
    due_on = forms.DateField(label=_("Uiterlijk op"), widget=DATE_WIDGET)
    recipient_organisation = forms.ModelChoiceField(
        label=_("Rapporteren aan"), queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_organisation"].queryset = _organisations()


class CourtReportForm(forms.Form):
    recipient_organisation = forms.ModelChoiceField(
        label=_("Ontvanger"), queryset=Organisation.objects.none(), required=False
    )
    deadline = forms.IntegerField(required=False, widget=forms.HiddenInput)
    language = forms.ChoiceField(
        label=_("Taal van het verslag"), choices=language_choices, help_text=_("De taal van de ontvangende dienst.")
    )

    def __init__(self, *args, language=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_organisation"].queryset = _organisations()
        if language:
            self.fields["language"].initial = language
