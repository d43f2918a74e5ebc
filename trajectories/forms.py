"""Forms of the trajectory pages. They parse and show errors; the services validate and write.

A service's ValidationError comes back onto the form with `add_service_errors`, so each rule lives in
one place and the user still sees it next to the field.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, User
from casework.compartments import HEALTH_DOMAIN_CODES, sees_health_of
from casework.models import LifeDomain
from config.forms import DATE_WIDGET
from config.forms import add_service_errors as add_service_errors  # re-exported for the views

from .models import (
    PROGRESS_MAX,
    PROGRESS_MIN,
    Action,
    Assessment,
    AssessmentTemplate,
    DomainExploration,
    Goal,
    Trajectory,
)


class ReferralForm(forms.Form):
    referred_on = forms.DateField(label=_("Aangemeld op"), widget=DATE_WIDGET)
    referred_by = forms.ChoiceField(label=_("Aangemeld door"), choices=Trajectory.ReferredBy.choices)
    referring_organisation = forms.ModelChoiceField(
        label=_("Aanmeldende organisatie"), queryset=Organisation.objects.filter(is_active=True), required=False
    )
    guidance_type = forms.ChoiceField(label=_("Soort begeleiding"), choices=Trajectory.GuidanceType.choices)
    referral_reason = forms.CharField(
        label=_("Reden van aanmelding"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("Nieuwe status"))
    closure_reason = forms.ChoiceField(
        label=_("Reden van afsluiting"),
        required=False,
        choices=[("", "—"), *Trajectory.ClosureReason.choices],
        help_text=_("Verplicht bij afsluiten."),
    )
    on = forms.DateField(
        label=_("Datum van afsluiting"), widget=DATE_WIDGET, required=False, help_text=_("Leeg = vandaag.")
    )
    reason = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def __init__(self, *args, trajectory: Trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Status

        self.fields["to"].choices = [(s, Status(s).label) for s in trajectory.allowed_transitions()]


class AssignForm(forms.Form):
    lead = forms.ModelChoiceField(label=_("Hoofdconsulent"), queryset=User.objects.none())
    co_consultants = forms.ModelMultipleChoiceField(
        label=_("Co-consulenten"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organisation_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        consultants = User.objects.filter(organisation_id=organisation_id, role=User.Role.CONSULTANT, is_active=True)
        self.fields["lead"].queryset = consultants
        self.fields["co_consultants"].queryset = consultants


class ExplorationForm(forms.Form):
    need = forms.ChoiceField(label=_("Uitkomst"), choices=DomainExploration.Need.choices, widget=forms.RadioSelect)
    explored_on = forms.DateField(
        label=_("Verkend op"), widget=DATE_WIDGET, required=False, help_text=_("Leeg = vandaag.")
    )
    deferral_reason = forms.CharField(
        label=_("Reden van uitstel"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text=_("Enkel bij 'nog niet verkend': waarom dit domein later aan bod komt."),
    )
    note = forms.CharField(
        label=_("Notitie"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class GoalForm(forms.Form):
    domain = forms.ModelChoiceField(label=_("Levensdomein"), queryset=LifeDomain.objects.all())
    description = forms.CharField(label=_("Doel"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    agreed_with_detainee = forms.BooleanField(label=_("Samen met de gedetineerde afgesproken"), required=False)
    agreed_on = forms.DateField(
        label=_("Afgesproken op"), widget=DATE_WIDGET, required=False, help_text=_("Leeg = vandaag.")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("— volgt uit de afspraak —")), *Goal.GoalStatus.choices],
        required=False,
        help_text=_("Leeg: 'afgesproken' als het samen afgesproken is, anders 'voorgesteld'."),
    )
    target_date = forms.DateField(label=_("Streefdatum"), widget=DATE_WIDGET, required=False)
    responsible_organisation = forms.ModelChoiceField(
        label=_("Verantwoordelijke organisatie"), queryset=Organisation.objects.filter(is_active=True), required=False
    )

    def __init__(self, *args, user: User, trajectory: Trajectory, **kwargs):
        super().__init__(*args, **kwargs)
        if not sees_health_of(user, trajectory.detainee):
            # Goals in a health domain are written by those who may read them (casework/compartments.py).
            self.fields["domain"].queryset = LifeDomain.objects.exclude(code__in=sorted(HEALTH_DOMAIN_CODES))


class GoalReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Datum"), widget=DATE_WIDGET)
    progress = forms.TypedChoiceField(
        label=_("Voortgang"),
        coerce=int,
        widget=forms.RadioSelect,
        choices=[
            (0, _("0 — geen")),
            (1, _("1 — beperkt")),
            (2, _("2 — op weg")),
            (3, _("3 — grotendeels")),
            (4, _("4 — bereikt")),
        ],
    )
    note = forms.CharField(
        label=_("Notitie"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )

    def clean_progress(self):
        value = self.cleaned_data["progress"]
        if not PROGRESS_MIN <= value <= PROGRESS_MAX:
            raise ValidationError(_("De voortgang is een getal van 0 tot 4."))
        return value


class ActionForm(forms.Form):
    description = forms.CharField(label=_("Actie"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    owner_user = forms.ModelChoiceField(label=_("Eigenaar (persoon)"), queryset=User.objects.none(), required=False)
    owner_organisation = forms.ModelChoiceField(
        label=_("of organisatie"), queryset=Organisation.objects.filter(is_active=True), required=False
    )
    owner_name = forms.CharField(label=_("Contactpersoon bij de organisatie"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Uiterlijk op"), widget=DATE_WIDGET, required=False)
    goal = forms.ModelChoiceField(label=_("Bij doel"), queryset=Goal.objects.none(), required=False)

    def __init__(self, *args, trajectory: Trajectory, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = User.objects.filter(
            organisation_id=trajectory.detainee.organisation_id,
            is_active=True,
            role__in=[User.Role.CONSULTANT, User.Role.MANAGER],
        )
        # Only the goals this user sees: a goal of the health domain is not even named outside the compartment.
        self.fields["goal"].queryset = Goal.objects.visible_to(user).filter(trajectory=trajectory)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.ActionStatus.choices)


class AssessmentStartForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Instrument"), queryset=AssessmentTemplate.objects.filter(is_active=True))
    assessed_on = forms.DateField(label=_("Datum"), widget=DATE_WIDGET, required=False, help_text=_("Leeg = vandaag."))


class AssessmentForm(forms.Form):
    """One rating field and one evidence field per item, plus the overall part."""

    assessed_on = forms.DateField(label=_("Datum"), widget=DATE_WIDGET)
    sources = forms.CharField(
        label=_("Bronnen"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Gesprekken, dossierstukken, informatie van partners …"),
    )
    overall_judgement = forms.ChoiceField(
        label=_("Algemeen oordeel"), choices=[("", "—"), *Assessment.Judgement.choices], required=False
    )
    overall_note = forms.CharField(
        label=_("Toelichting bij het oordeel"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )
    changes_since_last = forms.CharField(
        label=_("Wijzigingen sinds de vorige inschatting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=3000,
        required=False,
    )

    def __init__(self, *args, ratings, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for rating in ratings:
            item = rating.item
            choices = [("", "—")] + [(str(v), str(v)) for v in range(item.scale_max + 1)]
            rating_name, evidence_name = f"rating_{item.code}", f"evidence_{item.code}"
            self.fields[rating_name] = forms.TypedChoiceField(
                label=item.label, choices=choices, required=False, coerce=int, empty_value=None, initial=rating.rating
            )
            self.fields[evidence_name] = forms.CharField(
                label=_("Onderbouwing"),
                max_length=2000,
                required=False,
                initial=rating.evidence,
                widget=forms.TextInput(attrs={"placeholder": _("Onderbouwing")}),
            )
            self.rows.append((item, self[rating_name], self[evidence_name]))

    def ratings_payload(self) -> dict[int, dict]:
        return {
            item.pk: {
                "rating": self.cleaned_data.get(f"rating_{item.code}"),
                "evidence": self.cleaned_data.get(f"evidence_{item.code}", ""),
            }
            for item, _r, _e in self.rows
        }


# --- Referrals to partners (ADR 0034) --------------------------------------------------------------------------


class PartnerReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Partnerorganisatie"),
        queryset=Organisation.objects.none(),
        error_messages={
            "required": _("Kies de partnerorganisatie."),
            "invalid_choice": _("Kies de partnerorganisatie."),
        },
    )
    service = forms.CharField(
        label=_("Dienst of aanbod"),
        max_length=200,
        help_text=_("Bv. trajectbegeleiding werk, ambulante begeleiding."),
        error_messages={
            "required": _("Vermeld de dienst of het aanbod (bv. trajectbegeleiding werk)."),
            "max_length": _("Hoogstens %(limit_value)s tekens."),
        },
    )
    question = forms.CharField(
        label=_("Vraag aan de partner"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Schrijf de vraag aan de partner."),
            "max_length": _("Hoogstens %(limit_value)s tekens."),
        },
    )

    def __init__(self, *args, detainee=None, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Organisation.objects.filter(is_active=True)
        if detainee is not None:
            queryset = queryset.exclude(pk=detainee.organisation_id)
        self.fields["organisation"].queryset = queryset.order_by("name")


class ReferralResponseForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Je antwoord"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Aanvaarden")), ("decline", _("Weigeren"))],
        error_messages={
            "required": _("Kies: aanvaarden of weigeren."),
            "invalid_choice": _("Kies: aanvaarden of weigeren."),
        },
    )
    note = forms.CharField(
        label=_("Toelichting (verplicht bij weigeren)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Hoogstens %(limit_value)s tekens.")},
    )


class ReferralCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Resultaat"),
        error_messages={
            "required": _("Kies het resultaat van de doorverwijzing."),
            "invalid_choice": _("Kies het resultaat van de doorverwijzing."),
        },
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Hoogstens %(limit_value)s tekens.")},
    )

    def __init__(self, *args, **kwargs):
        from .models_partners import PartnerReferral

        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [("", "—"), *PartnerReferral.Outcome.choices]
