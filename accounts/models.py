"""Users, their organisation and their role. The role decides what a user may see (docs/design.md §4).
An account starts with an invitation (docs/adr/0025)."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

from .choice_labels import label_of


class BaseModel(models.Model):
    """Every model of the project carries when it was created and last changed."""

    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):  # noqa: N802 - Django's name; accounts/choice_labels.py says why
        return label_of(self, field)

    def clean_fields(self, exclude=None):
        """Django's field checks, plus a plausible range on every date (accounts/dates.py)."""
        from django.core.exceptions import ValidationError

        from .dates import range_error

        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.DateField) or field.name in (exclude or ()) or field.name in errors:
                continue
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                continue
            message = range_error(getattr(self, field.attname))
            if message:
                errors[field.name] = [message]
        if errors:
            raise ValidationError(errors)


class Organisation(BaseModel):
    class Kind(models.TextChoices):
        CAW = "caw", _("CAW")
        PRISON_SERVICE = "prison_service", _("Gevangenisdienst (PSD)")
        JUSTICE_HOUSE = "justice_house", _("Justitiehuis")
        MENTAL_HEALTH = "mental_health", _("Geestelijke gezondheidszorg")
        EMPLOYMENT = "employment", _("Tewerkstelling")
        EDUCATION = "education", _("Onderwijs")
        RELIGIOUS_COUNSEL = "religious_counsel", _("Religieuze bijstand")
        CULTURE_SPORT = "culture_sport", _("Cultuur en sport")
        LOCAL_GOVERNMENT = "local_government", _("Lokaal bestuur")
        OTHER = "other", _("Andere")

    name = models.CharField(_("naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=32, choices=Kind.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. One role each; everyone belongs to an organisation."""

    class Role(models.TextChoices):
        CONSULTANT = "consultant", _("Consulent")
        MANAGER = "manager", _("Manager")
        DIRECTOR = "director", _("Gevangenisdirecteur")
        PARTNER = "partner", _("Partner")
        ADMIN = "admin", _("Functioneel beheerder")
        DPO = "dpo", _("Functionaris gegevensbescherming")
        # A justice-house assistant or LIVC coordinator: organises and chairs meetings outside detention and
        # sees the detainees of his own meetings only, while a basis holds (docs/adr/0041).
        ORGANISER = "organiser", _("Organisator overleg buiten detentie")

    def _get_FIELD_display(self, field):  # noqa: N802 - as BaseModel's
        return label_of(self, field)

    role = models.CharField(_("rol"), max_length=16, choices=Role.choices, default=Role.CONSULTANT)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    # The interface language, and the language of what is sent to this person (e-mails, invitations,
    # reminders, the calendar feed). Activated on every request by accounts.middleware.UserLanguageMiddleware.
    language = models.CharField(
        _("taal"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("De taal van de toepassing en van de e-mails die je ontvangt."),
    )
    # An integration's account (docs/adr/0018): no password, no interactive login, tokens issued by the
    # functional administrator; a person answers for it.
    is_service_account = models.BooleanField(_("serviceaccount"), default=False)
    service_owner = models.ForeignKey(
        "self",
        verbose_name=_("verantwoordelijke"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_service_accounts",
        help_text=_("De medewerker die verantwoordelijk is voor deze koppeling."),
    )

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        from .display import person_name

        return person_name(self)

    # Role shortcuts read well in predicates and templates.
    @property
    def is_consultant(self) -> bool:
        return self.role == self.Role.CONSULTANT

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER

    @property
    def is_director(self) -> bool:
        return self.role == self.Role.DIRECTOR

    @property
    def is_partner(self) -> bool:
        return self.role == self.Role.PARTNER

    @property
    def is_admin_role(self) -> bool:
        return self.role == self.Role.ADMIN

    @property
    def is_dpo(self) -> bool:
        return self.role == self.Role.DPO

    @property
    def is_organiser(self) -> bool:
        return self.role == self.Role.ORGANISER

    @property
    def is_case_staff(self) -> bool:
        """Consultants and managers work the case file of their own organisation."""
        return self.role in (self.Role.CONSULTANT, self.Role.MANAGER)


class ApiToken(AbstractAuthToken):
    """A personal access token or a service account's token (django-rest-knox: only a SHA-512 digest and the
    first characters are stored). Named, scoped, always expiring (at most `API_TOKEN_MAX_DAYS`), with its
    last use; docs/adr/0018."""

    class Scope(models.TextChoices):
        READ = "read", _("Lezen")
        READ_WRITE = "read_write", _("Lezen en schrijven")

    name = models.CharField(_("naam"), max_length=80)
    scope = models.CharField(_("bereik"), max_length=16, choices=Scope.choices, default=Scope.READ)
    created_by = models.ForeignKey(
        User, verbose_name=_("aangemaakt door"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("laatst gebruikt vanaf"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API-token")
        verbose_name_plural = _("API-tokens")
        constraints = [
            models.CheckConstraint(condition=models.Q(expiry__isnull=False), name="api_token_expires"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"

    @property
    def is_writer(self) -> bool:
        return self.scope == self.Scope.READ_WRITE


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def open(self) -> InvitationQuerySet:
        """Neither used nor replaced (it may still have expired): at most one per account (a constraint)."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True)


@pghistory.track(exclude=["token_hash", "token_salt"])
class Invitation(BaseModel):
    """The link that starts an account (docs/adr/0025): the new user chooses a password with it, once, before
    `expires_at`, and goes on to set up two-step verification.

    Only a SHA-256 of the link's token is stored (`token_hash`). The token itself is derived from
    `token_salt` and the SECRET_KEY (`accounts.services_invitations.invitation_token`), so the mail task can
    write the link from the row's id alone while a copy of the database opens nothing; the salt is wiped when
    the invitation is used or replaced.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Verstuurd, nog niet gebruikt")
        USED = "used", _("Gebruikt")
        EXPIRED = "expired", _("Verlopen")
        REVOKED = "revoked", _("Vervangen door een nieuwe uitnodiging")

    user = models.ForeignKey(User, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="invitations")
    created_by = models.ForeignKey(
        User, verbose_name=_("aangemaakt door"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_salt = models.CharField(max_length=64, blank=True, editable=False)
    expires_at = models.DateTimeField(_("geldig tot"))
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    used_at = models.DateTimeField(_("gebruikt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("vervangen op"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        constraints = [
            # Resending replaces the open invitation: one link works at a time.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(used_at__isnull=True) | models.Q(revoked_at__isnull=True),
                name="invitation_used_or_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_state_display()})"

    def state_at(self, now) -> str:
        if self.used_at is not None:
            return self.State.USED
        if self.revoked_at is not None:
            return self.State.REVOKED
        if self.expires_at <= now:
            return self.State.EXPIRED
        return self.State.PENDING

    @property
    def state(self) -> str:
        from django.utils import timezone

        return self.state_at(timezone.now())

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)
