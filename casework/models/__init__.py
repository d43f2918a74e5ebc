"""The case file: reference data, the detainee and everything recorded about them.

Access: every queryset a page or endpoint shows comes from a `visible_to(user)` method here;
the predicates in `permissions.py` express the same rules per object (docs/design.md §4).
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.display import local_date, person_name
from accounts.models import BaseModel, Organisation, User
from accounts.texts import render_code, render_parts
from config.crypto import EncryptedTextField

from ..validators import validate_national_number

# --- Reference data --------------------------------------------------------------------


class Prison(BaseModel):
    class Region(models.TextChoices):
        FLANDERS = "flanders", _("Vlaanderen")
        BRUSSELS = "brussels", _("Brussel")
        WALLONIA = "wallonia", _("Wallonië")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("naam"), max_length=100, unique=True)
    city = models.CharField(_("gemeente"), max_length=100)
    region = models.CharField(_("gewest"), max_length=16, choices=Region.choices)
    capacity = models.PositiveIntegerField(_("capaciteit"), null=True, blank=True)
    is_satellite = models.BooleanField(_("satellietgevangenis"), default=False)
    has_extremism_wing = models.BooleanField(_("D-Rad:Ex-afdeling"), default=False)
    directors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("directeurs"),
        related_name="directed_prisons",
        blank=True,
        limit_choices_to={"role": "director"},
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("gevangenis")
        verbose_name_plural = _("gevangenissen")

    def __str__(self) -> str:
        return self.name


class ShippedName:
    """Reference data whose shipped names are in the catalogues (reference/data.py): `label` is the name in the
    reader's language; a name the administrator typed is shown as typed."""

    @property
    def label(self) -> str:
        return gettext(self.name) if self.name else ""

    def __str__(self) -> str:
        return self.label


class LifeDomain(ShippedName, BaseModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    required = models.BooleanField(_("verplicht te verkennen"), default=False)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("levensdomein")
        verbose_name_plural = _("levensdomeinen")


class InterventionModule(ShippedName, BaseModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    group = models.CharField(_("groep"), max_length=60, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("interventiemodule")
        verbose_name_plural = _("interventiemodules")


# --- Consent scopes (used by the access rules of every app) --------------------------------


class Scope(models.TextChoices):
    IDENTITY = "identity", _("Identiteit")
    TRAJECTORY_GOALS = "trajectory_goals", _("Traject en doelen")
    SESSION_SUMMARIES = "session_summaries", _("Samenvattingen van gesprekken")
    ASSESSMENTS = "assessments", _("Inschattingen")
    HEALTH = "health", _("Gezondheid")
    MINUTES = "minutes", _("Verslagen casusoverleg")


def scope_list(codes) -> list:
    """Consent scopes as a meaning tree (accounts/texts.py): their labels, comma-separated, translated
    when read; a code no longer known stays as stored."""
    from accounts.texts import meaning

    parts: list = []
    for code in codes:
        if parts:
            parts.append(", ")
        parts.append(meaning(Scope(code).label) if code in Scope.values else str(code))
    return parts


class Purpose(models.TextChoices):
    CONFERENCE = "conference", _("Casusoverleg")
    REFERRAL = "referral", _("Doorverwijzing")
    HANDOVER = "handover", _("Overdracht")
    RESEARCH = "research", _("Onderzoek")


# --- Detainee ------------------------------------------------------------------------------


# Every check of a partner's access names the purpose it serves as well as the scope (ADR 0033): a consent
# shares the scopes it lists for the purposes it lists, and only for those. A surface serves one purpose —
# the conference's page, agenda, minutes, PDF, mails and calendar serve `conference`; the handover package
# `handover`; the research extract `research` — or, for the partner's file pages (identity, summaries,
# trajectory, assessments), his own work with the detainee: any purpose but research, which never opens a file.
CASEWORK_PURPOSES: tuple[str, ...] = (Purpose.CONFERENCE, Purpose.REFERRAL, Purpose.HANDOVER)


def _purpose_list(purpose) -> list[str]:
    return [str(purpose)] if isinstance(purpose, str) else [str(p) for p in purpose]


def consent_condition(*, purpose, scope: str) -> Q:
    """The one condition on a `Consent` row: it shares `scope` for `purpose` (one purpose, or any of several).
    `consent_exists` (querysets) and `casework.permissions.consent_grants` (objects) are built on it."""
    return Q(scopes__contains=[str(scope)], purposes__overlap=_purpose_list(purpose))


def consent_grants_row(consent_purposes, consent_scopes, *, purpose, scope: str) -> bool:
    """The same condition on the values of one consent (already known to be active)."""
    return str(scope) in consent_scopes and bool(set(_purpose_list(purpose)) & set(consent_purposes))


def consent_exists(user: User, scope: str, detainee_ref: str = "pk", *, purpose=CASEWORK_PURPOSES) -> Exists:
    """A subquery: an active consent of the user's organisation sharing `scope` for `purpose`."""
    return Exists(
        Consent.objects.active().filter(
            consent_condition(purpose=purpose, scope=scope),
            detainee=OuterRef(detainee_ref),
            organisation_id=user.organisation_id,
        )
    )


class DetaineeQuerySet(models.QuerySet["Detainee"]):
    def visible_to(self, user: User) -> DetaineeQuerySet:
        """The detainees whose identity `user` may see (docs/design.md §4, first row)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_case_staff:
            return self.filter(organisation_id=user.organisation_id)
        if user.is_director:
            return self.filter(current_prison__directors=user)
        if user.is_partner and user.organisation_id:
            return self.filter(consent_exists(user, Scope.IDENTITY, purpose=CASEWORK_PURPOSES))
        return self.none()

    def search(self, text: str, *, national_number: bool = True) -> DetaineeQuerySet:
        """The detainees matching `text` (names with typos, birth date, reference prefix, national number
        unless `national_number=False`), annotated with `search_rank`; see casework/search.py.
        Order with `search.rank_order()`."""
        from ..search import search_detainees

        return search_detainees(self, text, national_number=national_number)


# The compact search name is derived by PostgreSQL from `search_name`: nothing a history needs.
@pghistory.track(exclude=["search_compact", "national_number_index"])
class Detainee(BaseModel):
    class LegalStatus(models.TextChoices):
        ACCUSED = "accused", _("Beklaagde")
        CONVICTED = "convicted", _("Veroordeelde")
        INTERNED = "interned", _("Geïnterneerde")

    class Gender(models.TextChoices):
        FEMALE = "female", _("Vrouw")
        MALE = "male", _("Man")
        X = "x", _("X (non-binair)")
        UNKNOWN = "unknown", _("Onbekend")

    first_name = models.CharField(_("voornaam"), max_length=100)
    last_name = models.CharField(_("familienaam"), max_length=100)
    # Lower-case, accent-free copy of the name for search; kept by the services.
    search_name = models.CharField(max_length=210, editable=False, db_index=True, default="")
    # The same without spaces and punctuation, computed by PostgreSQL: "vandenbroeck" finds "Van den Broeck".
    search_compact = models.GeneratedField(
        expression=models.Func(
            models.F("search_name"),
            models.Value("[^0-9a-z]+"),
            models.Value(""),
            models.Value("g"),
            function="regexp_replace",
        ),
        output_field=models.CharField(max_length=210),
        db_persist=True,
        editable=False,
    )
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    # Encrypted at rest; `national_number_index` (a keyed hash, config.crypto.blind_index) makes it
    # unique and searchable. Kept together by the services; never shown in lists.
    national_number = EncryptedTextField(
        _("rijksregisternummer"), max_length=11, blank=True, validators=[validate_national_number]
    )
    national_number_index = models.CharField(max_length=64, blank=True, default="", db_default="", editable=False)
    languages = ArrayField(models.CharField(max_length=8), verbose_name=_("talen"), default=list, blank=True, size=6)
    legal_status = models.CharField(_("juridisch statuut"), max_length=16, choices=LegalStatus.choices)
    # Optional, for the yearly figures only (never a list filter): "unknown" unless recorded.
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, default=Gender.UNKNOWN)
    current_prison = models.ForeignKey(
        Prison,
        verbose_name=_("huidige gevangenis"),
        on_delete=models.PROTECT,
        related_name="detainees",
        null=True,
        blank=True,
    )
    # The organisation whose caseload this file belongs to (CAW Limburg for disengagement).
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("dossierhoudende organisatie"),
        on_delete=models.PROTECT,
        related_name="detainees",
    )
    # The case team: outreach starts before any trajectory, so the file itself has a team.
    lead_consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hoofdconsulent"),
        on_delete=models.PROTECT,
        related_name="lead_files",
        null=True,
        blank=True,
    )
    co_consultants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("co-consulenten"), related_name="co_files", blank=True
    )
    incarcerated_on = models.DateField(_("opgesloten op"), null=True, blank=True)
    leave_eligible_on = models.DateField(_("toelaatbaarheidsdatum penitentiair verlof"), null=True, blank=True)
    conditional_release_eligible_on = models.DateField(
        _("toelaatbaarheidsdatum voorwaardelijke invrijheidstelling"), null=True, blank=True
    )
    sentence_ends_on = models.DateField(_("strafeinde"), null=True, blank=True)
    released_on = models.DateField(_("vrijgelaten op"), null=True, blank=True)
    external_ref = models.CharField(_("referentie in-scopelijst"), max_length=40, null=True, blank=True)
    in_scope = models.BooleanField(_("in opvolging"), default=True)
    # Data protection (casework/privacy): a file on legal hold is never anonymised; once anonymised, it stays so.
    legal_hold = models.BooleanField(_("juridische bewaring (niet anonimiseren)"), default=False)
    legal_hold_reason = models.CharField(_("reden juridische bewaring"), max_length=300, blank=True)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True, editable=False)

    objects = DetaineeQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("gedetineerde")
        verbose_name_plural = _("gedetineerden")
        constraints = [
            models.UniqueConstraint(
                fields=["external_ref"], condition=Q(external_ref__isnull=False), name="detainee_external_ref_unique"
            ),
            # One file per person: a national number belongs to one file.
            models.UniqueConstraint(
                fields=["national_number_index"],
                condition=~Q(national_number_index=""),
                name="detainee_national_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(released_on__isnull=True)
                | Q(incarcerated_on__isnull=True)
                | Q(released_on__gte=models.F("incarcerated_on")),
                name="detainee_release_after_incarceration",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "last_name", "first_name"], name="detainee_caseload_idx"),
            # pg_trgm: word prefixes (regex), substrings and typo-tolerant word similarity in the search.
            GinIndex(OpClass(models.F("search_name"), name="gin_trgm_ops"), name="detainee_search_trgm_idx"),
            GinIndex(OpClass(models.F("search_compact"), name="gin_trgm_ops"), name="detainee_compact_trgm_idx"),
            # The reference by prefix, case-insensitive: every arm of the search's OR must be indexable, or
            # PostgreSQL falls back to reading the whole table.
            GinIndex(OpClass(Upper("external_ref"), name="gin_trgm_ops"), name="detainee_ref_trgm_idx"),
            models.Index(fields=["date_of_birth"], name="detainee_birth_date_idx"),
        ]

    def __str__(self) -> str:
        return person_name(self)

    @staticmethod
    def national_number_q(number: str) -> Q:
        """Exact match on a national number (11 digits), through its blind index."""
        from config.crypto import blind_index

        return Q(national_number_index=blind_index(number))

    @property
    def full_name(self) -> str:
        """The one way a person is named (accounts/display.py)."""
        return person_name(self)

    def current_listing(self) -> Listing | None:
        """The newest listing still in force (uses the prefetched list when present)."""
        listings = [item for item in self.listings.all() if item.delisted_on is None]
        return max(listings, key=lambda item: item.listed_on, default=None)


# --- OCAD listing facts ---------------------------------------------------------------------


class ListingQuerySet(models.QuerySet["Listing"]):
    def visible_to(self, user: User) -> ListingQuerySet:
        """Listings are seen by the case staff and by directors of the detainee's prison."""
        if user.is_case_staff or user.is_director:
            return self.filter(detainee__in=Detainee.objects.visible_to(user))
        return self.none()


@pghistory.track()
class Listing(BaseModel):
    class Category(models.TextChoices):
        FTF = "ftf", _("Foreign terrorist fighter (FTF)")
        HTF = "htf", _("Homegrown terrorist fighter (HTF)")
        HATE_PROPAGANDIST = "hate_propagandist", _("Haatpropagandist")
        PVE = "pve", _("Potentieel gewelddadige extremist (PGE)")
        TERRORISM_CONVICT = "terrorism_convict", _("Terrorismeveroordeelde")

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="listings")
    category = models.CharField(_("categorie"), max_length=24, choices=Category.choices)
    threat_level = models.PositiveSmallIntegerField(
        _("dreigingsniveau"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    listed_on = models.DateField(_("opgenomen op"))
    delisted_on = models.DateField(_("geschrapt op"), null=True, blank=True)
    source = models.CharField(_("bron"), max_length=200)

    objects = ListingQuerySet.as_manager()

    class Meta:
        ordering = ["-listed_on"]
        verbose_name = _("OCAD-vermelding")
        verbose_name_plural = _("OCAD-vermeldingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(threat_level__gte=1, threat_level__lte=4), name="listing_threat_level_1_4"
            ),
            models.CheckConstraint(
                condition=Q(delisted_on__isnull=True) | Q(delisted_on__gte=models.F("listed_on")),
                name="listing_delisted_after_listed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.threat_level})"


# --- Placements --------------------------------------------------------------------------------


class PlacementQuerySet(models.QuerySet["Placement"]):
    def visible_to(self, user: User) -> PlacementQuerySet:
        """Placements belong to the identity part of the file: whoever sees the detainee sees them."""
        return self.filter(detainee__in=Detainee.objects.visible_to(user))


@pghistory.track()
class Placement(BaseModel):
    class Regime(models.TextChoices):
        REGULAR = "regular", _("Gewoon regime")
        SATELLITE = "satellite", _("Satellietregime")
        EXTREMISM_WING = "extremism_wing", _("D-Rad:Ex-afdeling")

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="placements")
    prison = models.ForeignKey(
        Prison, verbose_name=_("gevangenis"), on_delete=models.PROTECT, related_name="placements"
    )
    regime = models.CharField(_("regime"), max_length=16, choices=Regime.choices, default=Regime.REGULAR)
    from_date = models.DateField(_("van"))
    to_date = models.DateField(_("tot"), null=True, blank=True)
    # Set when this placement is a transfer (casework/services_transfer.py): the prison the person left.
    transferred_from = models.ForeignKey(
        Prison,
        verbose_name=_("overgeplaatst uit"),
        on_delete=models.PROTECT,
        related_name="transfers_out",
        null=True,
        blank=True,
        editable=False,
    )

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-from_date"]
        verbose_name = _("plaatsing")
        verbose_name_plural = _("plaatsingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(to_date__gte=models.F("from_date")),
                name="placement_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prison} ({local_date(self.from_date)})"


# --- Consent and disclosure ----------------------------------------------------------------------


class ConsentQuerySet(models.QuerySet["Consent"]):
    def active(self) -> ConsentQuerySet:
        """Consents in force: neither withdrawn nor replaced by a newer version."""
        return self.filter(withdrawn_on__isnull=True, superseded_at__isnull=True)

    def granting(self, *, purpose, scope: str) -> ConsentQuerySet:
        """Consents in force that share `scope` for `purpose` (ADR 0033: the one condition, `consent_condition`)."""
        return self.active().filter(consent_condition(purpose=purpose, scope=scope))

    def visible_to(self, user: User) -> ConsentQuerySet:
        """Consent records are kept by the case staff; a partner sees its own organisation's."""
        if user.is_case_staff:
            return self.filter(detainee__organisation_id=user.organisation_id)
        if user.is_partner and user.organisation_id:
            return self.active().filter(organisation_id=user.organisation_id)
        return self.none()


@pghistory.track()
class Consent(BaseModel):
    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="consents")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("ontvangende organisatie"), on_delete=models.PROTECT, related_name="consents"
    )
    purposes = ArrayField(
        models.CharField(max_length=16, choices=Purpose.choices), verbose_name=_("doeleinden"), size=4
    )
    scopes = ArrayField(
        models.CharField(max_length=24, choices=Scope.choices), verbose_name=_("wat gedeeld mag worden"), size=6
    )
    given_on = models.DateField(_("gegeven op"))
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uitgelegd door"), on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("taal van de uitleg"), max_length=40)
    interpreter = models.BooleanField(_("met tolk"), default=False)
    withdrawn_on = models.DateField(_("ingetrokken op"), null=True, blank=True)
    document = models.FileField(_("ondertekend document"), upload_to="consents/%Y/", blank=True)
    # Versioning: a change is a new row; the old one is marked superseded and points forward.
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_version"
    )
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        constraints = [
            models.CheckConstraint(condition=Q(scopes__len__gt=0), name="consent_has_scope"),
            models.CheckConstraint(condition=Q(purposes__len__gt=0), name="consent_has_purpose"),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({local_date(self.given_on)})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None and self.superseded_at is None


class Basis(models.TextChoices):
    CONSENT = "consent", _("Toestemming")
    ART458TER = "art458ter", _("Art. 458ter Sw. (georganiseerd casusoverleg)")
    LEGAL_OBLIGATION = "legal_obligation", _("Wettelijke verplichting")
    # A meeting after release on the sentence enforcement court's mandate (docs/adr/0041).
    COURT_MANDATE = "court_mandate", _("Mandaat van de strafuitvoeringsrechtbank")


# A disclosure may also answer the detainee's own right of access (GDPR art. 15), which is no consent purpose.
SUBJECT_ACCESS = "subject_access"
# Nor is a report the sentence enforcement court's judgment asks for on its conditions (a legal obligation, ADR 0042).
SUPERVISION = "supervision"
DISCLOSURE_PURPOSES = [
    *Purpose.choices,
    (SUBJECT_ACCESS, _("Inzagerecht van de betrokkene (AVG art. 15)")),
    (SUPERVISION, _("Rapportering over de voorwaarden van de strafuitvoeringsrechtbank")),
]


class DisclosureQuerySet(models.QuerySet["Disclosure"]):
    def visible_to(self, user: User) -> DisclosureQuerySet:
        """The disclosure log is read by the dpo and by the case staff of the file."""
        if user.is_dpo:
            return self
        if user.is_case_staff:
            return self.filter(detainee__organisation_id=user.organisation_id)
        return self.none()


class Disclosure(BaseModel):
    """Every time case content leaves the team: to whom, why, on what basis, what, by whom."""

    detainee = models.ForeignKey(Detainee, on_delete=models.PROTECT, related_name="disclosures")
    recipient_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="disclosures_received", null=True, blank=True
    )
    recipient_name = models.CharField(_("ontvanger"), max_length=200)
    recipient_email = models.EmailField(_("e-mail ontvanger"), blank=True)
    purpose = models.CharField(_("doel"), max_length=16, choices=DISCLOSURE_PURPOSES)
    basis = models.CharField(_("grondslag"), max_length=20, choices=Basis.choices)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures")
    legal_reference = models.CharField(_("referentie grondslag"), max_length=200, blank=True)
    # A fixed text's code (its Dutch catalogue text) and its parameters, rendered when read (ADR 0035);
    # parameters are meaning trees (accounts/texts.py), so a list of consent scopes is translated too.
    what = models.CharField(_("wat"), max_length=300)
    what_params = models.JSONField(default=dict, blank=True)
    object_kind = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    disclosed_at = models.DateTimeField(_("tijdstip"), default=timezone.now)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        ordering = ["-disclosed_at"]
        verbose_name = _("verstrekking")
        verbose_name_plural = _("verstrekkingen")
        constraints = [
            models.CheckConstraint(
                condition=~Q(basis="consent") | Q(consent__isnull=False), name="disclosure_consent_basis_names_consent"
            ),
        ]

    @property
    def display_what(self) -> str:
        """What was disclosed, in the reader's language when it is a fixed text written under the default
        language (its code, accounts/texts.py); anything else as stored."""
        if self.what_params:
            return render_parts({"t": self.what, "p": self.what_params})
        return render_code(self.what)

    @property
    def display_recipient(self) -> str:
        return render_code(self.recipient_name)


from .audit import ACCESS_FILE_FORMATS as ACCESS_FILE_FORMATS  # noqa: E402
from .audit import ACCESS_OBJECT_KINDS as ACCESS_OBJECT_KINDS  # noqa: E402
from .audit import AccessLog as AccessLog  # noqa: E402
from .audit import AccessRefusal as AccessRefusal  # noqa: E402
from .audit import RetentionRecord as RetentionRecord  # noqa: E402
from .audit import access_object_kind_label as access_object_kind_label  # noqa: E402
from .audit import access_object_label as access_object_label  # noqa: E402
from .files import DetaineeMerge as DetaineeMerge  # noqa: E402
from .files import ImportColumnMapping as ImportColumnMapping  # noqa: E402
from .network import NetworkPerson as NetworkPerson  # noqa: E402
from .network import NetworkPersonQuerySet as NetworkPersonQuerySet  # noqa: E402
from .sessions import CONFIDENTIAL_MAX_LENGTH as CONFIDENTIAL_MAX_LENGTH  # noqa: E402
from .sessions import SESSION_MAX_MINUTES as SESSION_MAX_MINUTES  # noqa: E402
from .sessions import SUMMARY_MAX_LENGTH as SUMMARY_MAX_LENGTH  # noqa: E402
from .sessions import Session as Session  # noqa: E402
from .sessions import SessionQuerySet as SessionQuerySet  # noqa: E402
