"""Forms of the release and aftercare pages. They parse; the services validate and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.documents import language_choices
from accounts.models import Organisation
from config.forms import DATE_WIDGET
from config.forms import add_service_errors as add_service_errors  # re-exported for the views

from .models import Trajectory
from .models_release import AFTERCARE_LENGTHS, FollowUp, Housing, Known, OutcomeSource, Release, Work


class MonthListField(forms.CharField):
    """ "1, 3, 6" → [1, 3, 6]; the service checks order and range."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise ValidationError(_("Geef hele aantallen maanden, gescheiden door komma's (bv. 1, 3, 6).")) from None


def _length_choices():
    return [(m, _("%(months)s maanden") % {"months": m}) for m in AFTERCARE_LENGTHS]


class ReleaseForm(forms.Form):
    released_on = forms.DateField(label=_("Vrijgelaten op"), widget=DATE_WIDGET)
    modality = forms.ChoiceField(label=_("Modaliteit"), choices=Release.Modality.choices)
    destination_municipality = forms.CharField(label=_("Gemeente van bestemming"), max_length=100)
    follow_up_organisation = forms.ModelChoiceField(
        label=_("Opvolgende dienst"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text=_("Bv. het justitiehuis, Ceapire of LIVC."),
    )
    follow_up_service = forms.CharField(
        label=_("Contactpersoon of toelichting opvolgende dienst"), max_length=200, required=False
    )
    aftercare_months = forms.TypedChoiceField(
        label=_("Duur van de nazorg"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=lambda: [("", _("Volgens je organisatie (standaard 6 maanden)")), *_length_choices()],
        help_text=_("Tot 12 maanden voor een begeleiding naar stabilisatie."),
    )
    follow_up_months = MonthListField(
        label=_("Nazorgopvolgingen (maanden na vrijlating)"),
        required=False,
        max_length=40,
        help_text=_(
            "Leeg laten voor het schema van je organisatie (standaard 1, 3, 6 en elke drie maanden tot het einde)."
        ),
    )


class AftercareLengthForm(forms.Form):
    aftercare_months = forms.TypedChoiceField(label=_("Duur van de nazorg"), coerce=int, choices=_length_choices)
    reason = forms.CharField(label=_("Toelichting"), max_length=2000, required=False)


class FollowUpRecordForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Resultaat"),
        choices=[
            (FollowUp.Status.DONE, FollowUp.Status.DONE.label),
            (FollowUp.Status.MISSED, FollowUp.Status.MISSED.label),
            (FollowUp.Status.CANCELLED, FollowUp.Status.CANCELLED.label),
        ],
    )
    done_on = forms.DateField(label=_("Datum"), widget=DATE_WIDGET, required=False)
    note = forms.CharField(
        label=_("Notitie"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    # A post-closure review held: what is known of the person (the service requires each answer).
    outcome_contact = forms.ChoiceField(
        label=_("In contact met hulpverlening"), required=False, choices=[("", "—"), *Known.choices]
    )
    outcome_housing = forms.ChoiceField(label=_("Woonsituatie"), required=False, choices=[("", "—"), *Housing.choices])
    outcome_work = forms.ChoiceField(label=_("Werk of opleiding"), required=False, choices=[("", "—"), *Work.choices])
    outcome_detention = forms.ChoiceField(
        label=_("Opnieuw gedetineerd"), required=False, choices=[("", "—"), *Known.choices]
    )
    outcome_detained_on = forms.DateField(label=_("Opnieuw gedetineerd sinds"), widget=DATE_WIDGET, required=False)
    outcome_listing = forms.ChoiceField(
        label=_("Nieuwe OCAD-registratie"), required=False, choices=[("", "—"), *Known.choices]
    )
    outcome_source = forms.ChoiceField(label=_("Bron"), required=False, choices=[("", "—"), *OutcomeSource.choices])


class AftercareCloseForm(forms.Form):
    closure_reason = forms.ChoiceField(
        label=_("Reden van afsluiting"),
        required=False,
        choices=[("", "—")]
        + [c for c in Trajectory.ClosureReason.choices if c[0] != Trajectory.ClosureReason.DECLINED],
    )
    reason = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )
    post_closure_reviews = forms.BooleanField(label=_("Evaluaties plannen na 6, 12 en 24 maanden"), required=False)


class HandoverForm(forms.Form):
    recipient_organisation = forms.ModelChoiceField(label=_("Ontvanger"), queryset=Organisation.objects.none())
    language = forms.ChoiceField(
        label=_("Taal van het pakket"), choices=language_choices, help_text=_("De taal van de ontvangende dienst.")
    )

    def __init__(self, *args, organisations=None, language=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_organisation"].queryset = (
            organisations if organisations is not None else Organisation.objects.none()
        )
        if language:
            self.fields["language"].initial = language
