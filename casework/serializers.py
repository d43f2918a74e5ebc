"""API v1 serializers of the case file.

Serializers parse and shape; they never save. Field-level hiding (national number, confidential
notes) is decided by the view and passed in the serializer context, so the access rules stay in
`permissions.py`. Writes go through `services.py` with the validated data.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Organisation, User

from .compartments import without_health_codes
from .models import (
    Consent,
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
from .validators import normalise_national_number, validate_national_number

# --- Reference data ---------------------------------------------------------------------------


class PrisonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Prison
        fields = ["id", "code", "name", "city", "region", "capacity", "is_satellite", "has_extremism_wing"]
        read_only_fields = fields


class OrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "is_active"]
        read_only_fields = fields


class LifeDomainSerializer(serializers.ModelSerializer):
    class Meta:
        model = LifeDomain
        fields = ["id", "code", "name", "required", "order"]
        read_only_fields = fields


class StaffMemberSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "name"]
        read_only_fields = fields

    def get_name(self, user: User) -> str:
        return str(user)


# --- Detainee ----------------------------------------------------------------------------------

DETAINEE_DATE_FIELDS = [
    "incarcerated_on",
    "leave_eligible_on",
    "conditional_release_eligible_on",
    "sentence_ends_on",
    "released_on",
]


class DetaineeListSerializer(serializers.ModelSerializer):
    """One row of the caseload. Never carries the national number (docs/design.md §3)."""

    # Both empty for a file still being set up: nullable in the schema, as in the answers.
    current_prison = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    lead_consultant = StaffMemberSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Detainee
        fields = [
            "id",
            "external_ref",
            "first_name",
            "last_name",
            "date_of_birth",
            "legal_status",
            "current_prison",
            "in_scope",
            "lead_consultant",
            *DETAINEE_DATE_FIELDS,
        ]
        read_only_fields = fields


class DetaineeDetailSerializer(DetaineeListSerializer):
    """The file's identity and dates; `national_number` only when the context says the reader is case staff."""

    class Meta(DetaineeListSerializer.Meta):
        fields = [
            *DetaineeListSerializer.Meta.fields,
            "languages",
            "gender",
            "national_number",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("show_national_number"):
            data.pop("national_number", None)
        return data


class DetaineeWriteSerializer(serializers.ModelSerializer):
    """What a client may send to open or change a file; the service does the cross-field checks."""

    current_prison = serializers.SlugRelatedField(
        slug_field="code", queryset=Prison.objects.all(), required=False, allow_null=True
    )
    national_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    languages = serializers.ListField(child=serializers.CharField(max_length=8), required=False, max_length=6)

    class Meta:
        model = Detainee
        fields = [
            "external_ref",
            "first_name",
            "last_name",
            "date_of_birth",
            "national_number",
            "languages",
            "legal_status",
            "gender",
            "current_prison",
            "in_scope",
            *DETAINEE_DATE_FIELDS,
        ]
        # Uniqueness of external_ref is checked by the service (a partial unique constraint).
        extra_kwargs = {"external_ref": {"validators": []}}

    def validate_national_number(self, value: str) -> str:
        # Accept the usual printed form (85.07.30-033.28) but store the 11 digits.
        value = normalise_national_number(value)
        if value:
            validate_national_number(value)
        return value


# --- Listing, placement ------------------------------------------------------------------------------


class ListingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Listing
        fields = ["id", "category", "threat_level", "listed_on", "delisted_on", "source", "created_at"]
        read_only_fields = ["id", "created_at"]


class PlacementSerializer(serializers.ModelSerializer):
    prison = serializers.SlugRelatedField(slug_field="code", queryset=Prison.objects.all())
    transferred_from = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Placement
        fields = ["id", "prison", "regime", "from_date", "to_date", "transferred_from", "created_at"]
        read_only_fields = ["id", "transferred_from", "created_at"]


class TransferSerializer(serializers.ModelSerializer):
    """A transfer to another prison (ADR 0040): written as prison, regime and date; read as the placement it opened."""

    prison = serializers.SlugRelatedField(slug_field="code", queryset=Prison.objects.all())
    transferred_from = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    transferred_on = serializers.DateField(source="from_date")

    class Meta:
        model = Placement
        fields = ["id", "prison", "regime", "transferred_on", "transferred_from", "created_at"]
        read_only_fields = ["id", "transferred_from", "created_at"]


# --- Consent ----------------------------------------------------------------------------------------


class ConsentSerializer(serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True))
    purposes = serializers.ListField(
        child=serializers.ChoiceField(choices=Purpose.choices), allow_empty=False, max_length=len(Purpose.choices)
    )
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=Scope.choices),
        allow_empty=False,
        max_length=len(Scope.choices),
        error_messages={"empty": _("Kies minstens één onderdeel dat gedeeld mag worden.")},
    )
    explained_by = serializers.PrimaryKeyRelatedField(queryset=User.objects.none())
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "organisation",
            "purposes",
            "scopes",
            "given_on",
            "explained_by",
            "language",
            "interpreter",
            "withdrawn_on",
            "previous",
            "superseded_at",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["id", "withdrawn_on", "superseded_at", "is_active", "created_at"]
        extra_kwargs = {"previous": {"queryset": Consent.objects.none(), "required": False, "allow_null": True}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        detainee = self.context.get("detainee")
        if detainee is not None:
            # Only the file's organisation explains consent; only this file's consents can be replaced.
            self.fields["explained_by"].queryset = User.objects.filter(organisation_id=detainee.organisation_id)
            self.fields["previous"].queryset = Consent.objects.filter(detainee=detainee)


class ConsentWithdrawSerializer(serializers.Serializer):
    withdrawn_on = serializers.DateField(required=False)


# --- Network ------------------------------------------------------------------------------------------


class NetworkPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = NetworkPerson
        fields = ["id", "name", "relation", "influence", "involved", "contact_consent", "phone", "notes", "created_at"]
        read_only_fields = ["id", "created_at"]


# --- Sessions -------------------------------------------------------------------------------------------


class _Values(list):
    """The values of an array annotation, already in the form the API writes them."""


class AnnotatedManyField(serializers.ManyRelatedField):
    """A many-to-many field that reads the array annotation `<field>_values` when the queryset has one
    (`SessionQuerySet.for_api`) and the related objects otherwise; input is validated by its child as usual."""

    def get_attribute(self, instance):
        values = getattr(instance, f"{self.source}_values", None)
        return _Values(values) if values is not None else super().get_attribute(instance)

    def to_representation(self, iterable):
        return list(iterable) if isinstance(iterable, _Values) else super().to_representation(iterable)


class SessionSerializer(serializers.ModelSerializer):
    detainee = serializers.PrimaryKeyRelatedField(queryset=Detainee.objects.none())
    author = StaffMemberSerializer(read_only=True, allow_null=True)
    domains = AnnotatedManyField(
        child_relation=serializers.SlugRelatedField(slug_field="code", queryset=LifeDomain.objects.all()),
        required=False,
    )
    modules = AnnotatedManyField(
        child_relation=serializers.SlugRelatedField(
            slug_field="code", queryset=InterventionModule.objects.filter(is_active=True)
        ),
        required=False,
    )
    participants = AnnotatedManyField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=NetworkPerson.objects.none()), required=False
    )
    partner_organisations = AnnotatedManyField(
        child_relation=serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all()), required=False
    )
    confidential_notes = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=Session._meta.get_field("confidential_notes").max_length,
        help_text=_("Enkel zichtbaar voor het consulententeam van het dossier en hun manager."),
    )

    class Meta:
        model = Session
        fields = [
            "id",
            "detainee",
            "author",
            "started_at",
            "duration_minutes",
            "modality",
            "attendance",
            "engagement",
            "domains",
            "modules",
            "participants",
            "partner_organisations",
            "summary",
            "confidential_notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "author", "created_at", "updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and hasattr(self, "initial_data"):
            # Only ids the writer may see are accepted: an invisible id reads as "does not exist".
            user = request.user
            self.fields["detainee"].queryset = Detainee.objects.visible_to(user)
            self.fields["participants"].child_relation.queryset = NetworkPerson.objects.visible_to(user)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        allowed = self.context.get("confidential_detainee_ids")
        if allowed is None or instance.detainee_id not in allowed:
            data.pop("confidential_notes", None)
        # A health life domain on a session is health content (casework/compartments.py).
        health = self.context.get("health_detainee_ids")
        if (health is None or instance.detainee_id not in health) and "domains" in data:
            data["domains"] = without_health_codes(data["domains"])
        return data


class SessionUpdateSerializer(SessionSerializer):
    """A correction: the file a session belongs to never changes."""

    class Meta(SessionSerializer.Meta):
        read_only_fields = [*SessionSerializer.Meta.read_only_fields, "detainee"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["detainee"] = serializers.PrimaryKeyRelatedField(read_only=True)


# --- Import -----------------------------------------------------------------------------------------------


class ImportRequestSerializer(serializers.Serializer):
    # An empty file gets the importer's own message, like every other unreadable file.
    file = serializers.FileField(
        allow_empty_file=True,
        help_text=_("CSV (scheidingsteken ';', ',' of tab; UTF-8, UTF-16, Windows-1252 of ISO-8859-1) of XLSX."),
    )
    mode = serializers.ChoiceField(
        choices=[("all_or_nothing", "all_or_nothing"), ("valid_rows_only", "valid_rows_only")],
        default="all_or_nothing",
        required=False,
    )
    dry_run = serializers.BooleanField(default=False, required=False)
    # A JSON object sent as a form field (the request is multipart).
    mapping = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=10000,
        help_text=_(
            'Optioneel: welke kolom welk veld bevat, als JSON-object {"kolomnaam": "veldcode"}; "" negeert een '
            "kolom. Zonder: de keuze van de vorige import van de organisatie, anders de kolomnamen in nl/fr/en."
        ),
    )

    def validate_mapping(self, value):
        if not value.strip():
            return {}
        try:
            value = json.loads(value)
        except ValueError as error:
            raise serializers.ValidationError(_("Verwacht een JSON-object van kolomnaam naar veldcode.")) from error
        if not isinstance(value, dict) or not all(
            isinstance(key, str) and isinstance(item, str | type(None)) for key, item in value.items()
        ):
            raise serializers.ValidationError(_("Verwacht een JSON-object van kolomnaam naar veldcode."))
        return {key: item or "" for key, item in value.items()}


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_blank=True)
    field = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()


class ImportColumnSerializer(serializers.Serializer):
    column = serializers.CharField(allow_blank=True)
    field = serializers.CharField(allow_blank=True)


class ImportAbsentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_ref = serializers.CharField(allow_blank=True)
    name = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    detail = serializers.CharField()
    applied = serializers.BooleanField()
    mode = serializers.CharField()
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField()
    valid_rows = serializers.IntegerField()
    invalid_rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)
    notices = serializers.ListField(child=serializers.CharField())
    read_as = serializers.CharField(allow_blank=True)
    format = serializers.CharField(allow_blank=True)
    encoding = serializers.CharField(allow_blank=True)
    columns = ImportColumnSerializer(many=True)
    absent = ImportAbsentSerializer(
        many=True,
        help_text=_(
            "Dossiers van de organisatie in opvolging waarvan de referentie niet in het bestand staat: na te kijken, "
            "niet gewijzigd."
        ),
    )


# --- Merging two files ------------------------------------------------------------------------------------


class DetaineeMergeRequestSerializer(serializers.Serializer):
    merged = serializers.IntegerField(
        min_value=1, help_text=_("Het dossier dat verdwijnt; alles ervan gaat naar het dossier van de URL, dat blijft.")
    )
    dry_run = serializers.BooleanField(
        default=False,
        required=False,
        help_text=_("Enkel het voorbeeld: wat zou verhuizen en wat botst; er wordt niets geschreven."),
    )
    confirm = serializers.BooleanField(
        default=False,
        required=False,
        help_text=_("Moet waar zijn om samen te voegen: beide dossiers gaan over dezelfde persoon."),
    )

    def validate(self, attrs):
        if not attrs.get("dry_run") and not attrs.get("confirm"):
            raise serializers.ValidationError(
                {"confirm": [_("Bevestig dat beide dossiers over dezelfde persoon gaan.")]}
            )
        return attrs


class DetaineeMergePreviewSerializer(serializers.Serializer):
    survivor = serializers.IntegerField(source="target.pk")
    merged = serializers.IntegerField(source="source.pk")
    can_merge = serializers.BooleanField()
    moves = serializers.SerializerMethodField()
    conflicts = serializers.ListField(child=serializers.CharField())
    resolutions = serializers.ListField(child=serializers.CharField())

    def get_moves(self, preview) -> dict[str, int]:
        return {label: count for label, count in preview.moves}
