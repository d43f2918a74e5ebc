"""The plan form: parses, offers the caseload and the kinds; the rules are the service's (services.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from casework import selectors as casework_selectors
from casework.forms import DATETIME_FORMAT, BootstrapWidgetsMixin
from casework.models import Prison

from .models import CONTACT_MAX_MINUTES, CONTACT_MIN_MINUTES, ContactKind


class DetaineeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class PlannedContactForm(BootstrapWidgetsMixin, forms.Form):
    detainee = DetaineeChoiceField(label=_("Gedetineerde"), queryset=None, empty_label=_("Kies een gedetineerde"))
    starts_at = forms.DateTimeField(
        label=_("Datum en uur"),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duur (minuten)"),
        min_value=CONTACT_MIN_MINUTES,
        max_value=CONTACT_MAX_MINUTES,
        initial=60,
        widget=forms.NumberInput(attrs={"min": CONTACT_MIN_MINUTES, "max": CONTACT_MAX_MINUTES, "step": 5}),
    )
    kind = forms.ChoiceField(label=_("Soort contact"), choices=ContactKind.choices, initial=ContactKind.VISIT)
    prison = forms.ModelChoiceField(
        label=_("Gevangenis"),
        queryset=Prison.objects.order_by("name"),
        required=False,
        empty_label=_("De huidige gevangenis van de gedetineerde"),
    )
    place = forms.CharField(
        label=_("Plaats"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld de bezoekzaal of het adres; komt niet in je agendafeed."),
    )

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["detainee"].queryset = casework_selectors.own_caseload(user).select_related(None)
        if editing:
            # A planned contact keeps its detainee; moving it changes when, how and where.
            del self.fields["detainee"]
        self.apply_bootstrap()

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("detainee", None)
        data["place"] = data.get("place") or ""
        return data
