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

from accounts.display import local_date, local_datetime, person_name
from accounts.models import BaseModel, Organisation, User
from accounts.texts import render_code, render_parts
from config.crypto import EncryptedTextField

from .validators import validate_national_number

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
        from .search import search_detainees

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
            models.F("search_name"), models.Value("[^0-9a-z]+"), models.Value(""), models.Value("g"),
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
    languages = ArrayField(
        models.CharField(max_length=8), verbose_name=_("talen"), default=list, blank=True, size=6
    )
    legal_status = models.CharField(_("juridisch statuut"), max_length=16, choices=LegalStatus.choices)
    # Optional, for the yearly figures only (never a list filter): "unknown" unless recorded.
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, default=Gender.UNKNOWN)
    current_prison = models.ForeignKey(
        Prison, verbose_name=_("huidige gevangenis"), on_delete=models.PROTECT, related_name="detainees",
        null=True, blank=True,
    )
    # The organisation whose caseload this file belongs to (CAW Limburg for disengagement).
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("dossierhoudende organisatie"), on_delete=models.PROTECT,
        related_name="detainees",
    )
    # The case team: outreach starts before any trajectory, so the file itself has a team.
    lead_consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("hoofdconsulent"), on_delete=models.PROTECT,
        related_name="lead_files", null=True, blank=True,
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
                fields=["national_number_index"], condition=~Q(national_number_index=""),
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
            models.CheckConstraint(condition=Q(threat_level__gte=1, threat_level__lte=4), name="listing_threat_level_1_4"),
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
    prison = models.ForeignKey(Prison, verbose_name=_("gevangenis"), on_delete=models.PROTECT, related_name="placements")
    regime = models.CharField(_("regime"), max_length=16, choices=Regime.choices, default=Regime.REGULAR)
    from_date = models.DateField(_("van"))
    to_date = models.DateField(_("tot"), null=True, blank=True)
    # Set when this placement is a transfer (casework/services_transfer.py): the prison the person left.
    transferred_from = models.ForeignKey(
        Prison, verbose_name=_("overgeplaatst uit"), on_delete=models.PROTECT, related_name="transfers_out",
        null=True, blank=True, editable=False,
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
    scopes = ArrayField(models.CharField(max_length=24, choices=Scope.choices), verbose_name=_("wat gedeeld mag worden"), size=6)
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
DISCLOSURE_PURPOSES = [*Purpose.choices, (SUBJECT_ACCESS, _("Inzagerecht van de betrokkene (AVG art. 15)")),
                       (SUPERVISION, _("Rapportering over de voorwaarden van de strafuitvoeringsrechtbank"))]


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


# --- Network ------------------------------------------------------------------------------------


class NetworkPersonQuerySet(models.QuerySet["NetworkPerson"]):
    def visible_to(self, user: User) -> NetworkPersonQuerySet:
        """Third parties in the detainee's network are known to the case staff only."""
        if user.is_case_staff:
            return self.filter(detainee__organisation_id=user.organisation_id)
        return self.none()


@pghistory.track()
class NetworkPerson(BaseModel):
    class Relation(models.TextChoices):
        PARENT = "parent", _("Ouder")
        PARTNER = "partner", _("Partner")
        CHILD = "child", _("Kind")
        SIBLING = "sibling", _("Broer of zus")
        FRIEND = "friend", _("Vriend(in)")
        SIGNIFICANT_OTHER = "significant_other", _("Belangrijke andere")
        RELIGIOUS_FIGURE = "religious_figure", _("Religieuze figuur")
        MENTOR = "mentor", _("Mentor")
        PROFESSIONAL = "professional", _("Professional")
        OTHER = "other", _("Andere")

    class Influence(models.TextChoices):
        POSITIVE = "positive", _("Positief")
        NEGATIVE = "negative", _("Negatief")
        AMBIVALENT = "ambivalent", _("Ambivalent")

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="network")
    name = models.CharField(_("naam"), max_length=200)
    relation = models.CharField(_("relatie"), max_length=20, choices=Relation.choices)
    influence = models.CharField(_("invloed"), max_length=12, choices=Influence.choices)
    involved = models.BooleanField(_("betrokken bij het traject"), default=False)
    contact_consent = models.BooleanField(_("toestemming om contact op te nemen"), default=False)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    # Encrypted at rest (config/crypto.py): notes about third parties are as sensitive as the file.
    notes = EncryptedTextField(_("notities"), max_length=2000, blank=True)

    objects = NetworkPersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("netwerkpersoon")
        verbose_name_plural = _("netwerk")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relation_display()})"


# --- Sessions (contact log) ------------------------------------------------------------------------

SESSION_MAX_MINUTES = 12 * 60
SUMMARY_MAX_LENGTH = 5000
CONFIDENTIAL_MAX_LENGTH = 10000


class SessionQuerySet(models.QuerySet["Session"]):
    def visible_to(self, user: User) -> SessionQuerySet:
        """Session summaries: the case staff; partners with consent scope session_summaries."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_case_staff:
            return self.filter(detainee__organisation_id=user.organisation_id)
        if user.is_partner and user.organisation_id:
            return self.filter(consent_exists(user, Scope.SESSION_SUMMARIES, "detainee_id", purpose=CASEWORK_PURPOSES))
        return self.none()

    def for_timeline(self) -> SessionQuerySet:
        """Everything the timeline shows, in a fixed number of queries."""
        return self.select_related("author").prefetch_related("domains", "modules", "participants", "partner_organisations")


@pghistory.track()
class Session(BaseModel):
    class Modality(models.TextChoices):
        IN_PERSON_PRISON = "in_person_prison", _("Face to face in de gevangenis")
        IN_PERSON_OUTSIDE = "in_person_outside", _("Face to face buiten de gevangenis")
        PHONE = "phone", _("Telefonisch")
        VIDEO = "video", _("Videogesprek")
        LETTER = "letter", _("Brief")

    class Attendance(models.TextChoices):
        ATTENDED = "attended", _("Doorgegaan")
        REFUSED = "refused", _("Geweigerd door gedetineerde")
        NO_SHOW = "no_show", _("Niet opgedaagd")
        CANCELLED_BY_PRISON = "cancelled_by_prison", _("Geannuleerd door de gevangenis")
        CANCELLED_BY_CONSULTANT = "cancelled_by_consultant", _("Geannuleerd door consulent")

    detainee = models.ForeignKey(Detainee, on_delete=models.CASCADE, related_name="sessions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("auteur"), on_delete=models.PROTECT, related_name="sessions")
    started_at = models.DateTimeField(_("tijdstip"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duur (minuten)"), validators=[MinValueValidator(1), MaxValueValidator(SESSION_MAX_MINUTES)]
    )
    modality = models.CharField(_("vorm"), max_length=20, choices=Modality.choices)
    attendance = models.CharField(_("aanwezigheid"), max_length=24, choices=Attendance.choices, default=Attendance.ATTENDED)
    engagement = models.PositiveSmallIntegerField(
        _("betrokkenheid (1-5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    participants = models.ManyToManyField(NetworkPerson, verbose_name=_("netwerkpersonen aanwezig"), blank=True, related_name="sessions")
    partner_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("partners aanwezig"), blank=True, related_name="sessions"
    )
    domains = models.ManyToManyField(LifeDomain, verbose_name=_("levensdomeinen"), blank=True, related_name="sessions")
    modules = models.ManyToManyField(InterventionModule, verbose_name=_("modules"), blank=True, related_name="sessions")
    summary = models.TextField(_("samenvatting (deelbaar)"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    # Encrypted at rest (config/crypto.py); never leaves the consultant team.
    confidential_notes = EncryptedTextField(
        _("vertrouwelijke notities (enkel het consulententeam)"), max_length=CONFIDENTIAL_MAX_LENGTH, blank=True
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=SESSION_MAX_MINUTES), name="session_duration_range"
            ),
            models.CheckConstraint(
                condition=Q(engagement__isnull=True) | Q(attendance="attended", engagement__gte=1, engagement__lte=5),
                name="session_engagement_only_when_attended",
            ),
        ]
        indexes = [
            # The file's timeline in keyset pages: the same order as the page, id as the tiebreaker (ADR 0036).
            models.Index(fields=["detainee", "-started_at", "-id"], name="session_file_keyset_idx"),
            # Newest first across many files (the sessions API of an organisation: 280 ms → 2 ms at national
            # scale), and the 12 months of sessions per month and attendance on the manager dashboard read from
            # the index alone (150 → 55 ms): docs/adr/0012-query-budget-and-indexes.md.
            models.Index(fields=["-started_at", "-id"], include=["detainee", "attendance"], name="session_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.detainee} {local_datetime(self.started_at)}"


# --- Audit of reads ------------------------------------------------------------------------------------


# What an AccessLog row says was read: stored as a code (`object_kind`), shown in the reader's language.
ACCESS_OBJECT_KINDS = {
    "detainee": _("Dossier"),
    "sessions": _("Contactmomenten van het dossier"),
    "session": _("Contactmoment"),
    "network": _("Netwerk van het dossier"),
    "placements": _("Plaatsingen en OCAD-gegevens"),
    "listings": _("OCAD-gegevens"),
    "consents": _("Toestemmingen"),
    "consent_document": _("Document van een toestemming"),
    "history": _("Geschiedenis van het dossier"),
    "trajectory": _("Traject"),
    "trajectory_tab": _("Tabblad van een traject"),
    "trajectory_explorations": _("Verkenningen van een traject"),
    "trajectory_goals": _("Doelen van een traject"),
    "trajectory_sessions": _("Contactmomenten van een traject"),
    "trajectory_assessments": _("Inschattingen van een traject"),
    "assessment": _("Inschatting"),
    "aftercare": _("Nazorg"),
    "handover_package": _("Overdrachtspakket"),
    "court_conditions": _("Voorwaarden van de rechtbank"),
    "court_report": _("Verslag over een voorwaarde van de rechtbank"),
    "partner_referral": _("Doorverwijzing naar een partner"),
    "partner_referrals": _("Doorverwijzingen van het dossier"),
    "conference": _("Casusoverleg"),
    "conferences": _("Overleggen van het dossier"),
    "minutes": _("Verslag van een casusoverleg"),
    "disclosures": _("Verstrekkingen van het dossier"),
    "disclosure_log": _("Register van verstrekkingen"),
    "access_review": _("Overzicht van raadplegingen"),
    "refusal_review": _("Overzicht van geweigerde toegangen"),
    "research_extract": _("Onderzoeksextract"),
    "subject_access": _("Inzage-export"),
    "subject_lookup": _("Zoekopdracht voor een inzageverzoek"),
    "yearly_report": _("Jaarcijfers"),
    "merge_preview": _("Voorbeeld van een samenvoeging"),
    "detainee_merge": _("Samenvoeging van dossiers"),
}


# Object ids that are not a record's number but say which file was read (`2026.pdf`, `12.codebook`).
ACCESS_FILE_FORMATS = {"pdf": "PDF", "csv": "CSV", "xlsx": "XLSX", "json": "JSON", "data": "CSV",
                       "codebook": _("codeboek")}


def access_object_kind_label(code: str) -> str:
    """The reader's words for an AccessLog `object_kind` (a code not in the list is shown as stored)."""
    label = ACCESS_OBJECT_KINDS.get(code)
    return str(label) if label is not None else code


def access_object_label(code: str, object_id: str, *, detainee_id=None) -> str:
    """What one AccessLog row says was read, in the reader's language: the kind's words and, when the row
    names more than the file, which one (a number, a year, a file format)."""
    words = access_object_kind_label(code)
    object_id = str(object_id or "")
    if not object_id or object_id == str(detainee_id or ""):
        return words
    number, _dot, fmt = object_id.partition(".")
    if code == "yearly_report":
        words = f"{words} {number}"
    else:
        words = f"{words} #{number}"
    if fmt:
        words = f"{words} ({ACCESS_FILE_FORMATS.get(fmt, fmt)})"
    return words


class AccessLog(models.Model):
    """Who read which piece of case content, when and from where. Append-only."""

    class Action(models.TextChoices):
        VIEW = "view", _("Bekeken")
        API = "api", _("Opgevraagd via API")
        PDF = "pdf", _("PDF")
        EXPORT = "export", _("Export")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_logs")
    detainee = models.ForeignKey(Detainee, on_delete=models.PROTECT, related_name="access_logs", null=True, blank=True)
    object_kind = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=8, choices=Action.choices)
    path = models.CharField(max_length=300)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("raadpleging")
        verbose_name_plural = _("raadplegingen")
        indexes = [
            models.Index(fields=["detainee", "-at"], name="accesslog_detainee_idx"),
            models.Index(fields=["user", "-at"], name="accesslog_user_idx"),
            # The dpo's access review in keyset pages, newest first (ADR 0036).
            models.Index(fields=["-at", "-id"], name="accesslog_keyset_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.object_kind} {self.object_id} {self.at:%Y-%m-%d %H:%M}"

    @property
    def object_kind_label(self) -> str:
        return access_object_kind_label(self.object_kind)

    @property
    def object_label(self) -> str:
        """The kind and which one, in the reader's language (the access review's "Onderdeel" column)."""
        return access_object_label(self.object_kind, self.object_id, detainee_id=self.detainee_id)


class AccessRefusal(models.Model):
    """A refused access (404 or 403) to a route that names an object: who, which route, which object, from
    where, when. Codes only (the route's name and its path parameters), never the path, a query string or
    any case content; written by `casework.refusals.AccessRefusalMiddleware`. Append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_refusals")
    route = models.CharField(_("route"), max_length=120)
    object_id = models.CharField(_("object"), max_length=40, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    method = models.CharField(max_length=8)
    status = models.PositiveSmallIntegerField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The refusal that completed a burst and made the dpo be told (one alert per burst).
    burst_alert = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("geweigerde toegang")
        verbose_name_plural = _("geweigerde toegangen")
        indexes = [
            models.Index(fields=["user", "-at"], name="accessrefusal_user_idx"),
            # The dpo's review of refusals in keyset pages, newest first (ADR 0036).
            models.Index(fields=["-at", "-id"], name="accessrefusal_keyset_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.status} {self.route} {self.object_id} {self.at:%Y-%m-%d %H:%M}"


# --- Retention ------------------------------------------------------------------------------------------


class RetentionRecord(models.Model):
    """Proof that a file was anonymised under the retention policy: when, by whom, on what grounds.

    Holds no personal data: only the detainee id, the dates the decision rested on and what each
    registered anonymiser changed (counts per app). Append-only.
    """

    detainee = models.OneToOneField(Detainee, on_delete=models.PROTECT, related_name="retention_record")
    closed_on = models.DateField(_("afgesloten op"))
    retention_years = models.PositiveSmallIntegerField(_("bewaartermijn (jaren)"))
    due_on = models.DateField(_("te anonimiseren vanaf"))
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), default=timezone.now)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    changes = models.JSONField(_("wijzigingen per onderdeel"), default=dict)

    class Meta:
        ordering = ["-anonymised_at"]
        verbose_name = _("anonimisering")
        verbose_name_plural = _("anonimiseringen")
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("closed_on")), name="retention_due_after_closure"),
        ]

    def __str__(self) -> str:
        return f"{self.detainee_id} {self.anonymised_at:%Y-%m-%d}"


# --- Merged files ------------------------------------------------------------------------------------------


class DetaineeMerge(BaseModel):
    """Two files were one person: `merged_id` (the file that no longer exists) was merged into `survivor`.

    Written once by `casework.services_merge.detainee_merge`, in the merge's transaction; it is what makes the
    merged-away id answer with a pointer to the survivor for those who may see it (ADR 0032). Holds no
    personal data: the ids, who merged and what moved (counts per part). Append-only.
    """

    merged_id = models.PositiveBigIntegerField(_("samengevoegd dossier"), unique=True)
    survivor = models.ForeignKey(
        Detainee, verbose_name=_("behouden dossier"), on_delete=models.PROTECT, related_name="merged_files"
    )
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(_("samengevoegd op"), default=timezone.now)
    moved = models.JSONField(_("verplaatst per onderdeel"), default=dict, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("samenvoeging van dossiers")
        verbose_name_plural = _("samenvoegingen van dossiers")
        constraints = [
            models.CheckConstraint(condition=~Q(merged_id=models.F("survivor")), name="detainee_merge_not_into_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"


# --- Import of the in-scope list ---------------------------------------------------------------------------


class ImportColumnMapping(BaseModel):
    """How an organisation's in-scope list names its columns, as its managers last confirmed it.

    `columns` maps a header key (`import_vocabulary.key`: lower case, no accents or spaces) to a field
    code of the import, or "" for a column to ignore. Read before the aliases on the next upload.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="import_column_mapping", verbose_name=_("organisatie"),
    )
    columns = models.JSONField(_("kolommen"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("kolomindeling van de import")
        verbose_name_plural = _("kolomindelingen van de import")

    def __str__(self) -> str:
        return str(self.organisation)
