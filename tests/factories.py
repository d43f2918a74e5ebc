"""factory_boy factories. One trait per role; personas are fixtures in conftest.py."""

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import Organisation, User
from casework.models import Consent, Detainee, Listing, NetworkPerson, Placement, Prison, Session
from casework.text import fold


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.OTHER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = User.Role.CONSULTANT
    organisation = factory.SubFactory(OrganisationFactory, name="CAW Limburg", kind="caw")
    password = factory.PostGenerationMethodCall("set_password", "demo-password-123")

    class Params:
        consultant = factory.Trait(role=User.Role.CONSULTANT)
        manager = factory.Trait(role=User.Role.MANAGER)
        director = factory.Trait(
            role=User.Role.DIRECTOR,
            organisation=factory.SubFactory(OrganisationFactory, name="DG EPI", kind="prison_service"),
        )
        partner = factory.Trait(
            role=User.Role.PARTNER, organisation=factory.SubFactory(OrganisationFactory, name="VDAB", kind="employment")
        )
        admin = factory.Trait(role=User.Role.ADMIN, is_staff=True, is_superuser=False)
        dpo = factory.Trait(role=User.Role.DPO)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def prison(code="hasselt") -> Prison:
    return Prison.objects.get(code=code)


class DetaineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Detainee

    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    search_name = factory.LazyAttribute(lambda d: fold(f"{d.first_name} {d.last_name}"))
    date_of_birth = dt.date(1995, 3, 14)
    legal_status = Detainee.LegalStatus.CONVICTED
    current_prison = factory.LazyFunction(lambda: Prison.objects.get(code="hasselt"))
    organisation = factory.SubFactory(OrganisationFactory, name="CAW Limburg", kind="caw")
    incarcerated_on = dt.date(2023, 1, 10)
    leave_eligible_on = dt.date(2027, 6, 1)


class ListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Listing

    detainee = factory.SubFactory(DetaineeFactory)
    category = Listing.Category.TERRORISM_CONVICT
    threat_level = 2
    listed_on = dt.date(2022, 5, 1)
    source = "OCAD GGB, mededeling 2022-05"


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    detainee = factory.SubFactory(DetaineeFactory)
    prison = factory.LazyFunction(lambda: Prison.objects.get(code="hasselt"))
    from_date = dt.date(2023, 1, 10)


class NetworkPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkPerson

    detainee = factory.SubFactory(DetaineeFactory)
    name = factory.Faker("name", locale="nl_BE")
    relation = NetworkPerson.Relation.PARENT
    influence = NetworkPerson.Influence.POSITIVE


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    detainee = factory.SubFactory(DetaineeFactory)
    organisation = factory.SubFactory(OrganisationFactory, name="VDAB", kind="employment")
    purposes = factory.LazyFunction(lambda: ["conference"])
    scopes = factory.LazyFunction(lambda: ["identity"])
    given_on = dt.date(2024, 2, 1)
    explained_by = factory.SubFactory(UserFactory)
    language = "nl"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    detainee = factory.SubFactory(DetaineeFactory)
    author = factory.SubFactory(UserFactory)
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    duration_minutes = 60
    modality = Session.Modality.IN_PERSON_PRISON
    attendance = Session.Attendance.ATTENDED
    engagement = 4
    summary = "Gesprek over opleiding en familie."
    confidential_notes = "Vertrouwelijk: spanningen met broer."


TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def api_token_for(user, *, scope: str = "read_write", days: int = 30) -> str:
    """The secret of a real personal access token of `user` (who first gets the TOTP authenticator the rule
    asks for; a service account needs none and gets its token from an administrator)."""
    from allauth.mfa.models import Authenticator

    from accounts.models import User
    from accounts.services import token_create, user_enrol_totp

    by = None
    if user.is_service_account:
        by = User.objects.filter(role=User.Role.ADMIN).first() or User.objects.create(
            username="token_admin", role=User.Role.ADMIN, is_staff=True
        )
    elif not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        user_enrol_totp(user=user, secret=TEST_TOTP_SECRET)
    _token, secret = token_create(user=user, name="test", scope=scope, days=days, by=by)
    return secret
