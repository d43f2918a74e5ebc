"""Shared fixtures. Personas (CONVENTIONS §12) make tests read like the domain:

consultant (own caseload, lead on `detainee`), colleague (same organisation, not on the case team),
outsider (consultant of another organisation), manager, director (runs the detainee's prison),
other_director, partner_with_consent, partner_without_consent, admin_user, dpo.
"""

import pytest

from accounts.models import Organisation
from casework.models import Prison
from tests.factories import ConsentFactory, DetaineeFactory, OrganisationFactory, UserFactory


@pytest.fixture
def caw(db):
    return Organisation.objects.get(name="CAW Limburg")


@pytest.fixture
def hasselt(db):
    return Prison.objects.get(code="hasselt")


@pytest.fixture
def consultant(caw):
    return UserFactory(username="consultant", consultant=True, organisation=caw, first_name="Sara", last_name="Peeters")


@pytest.fixture
def colleague(caw):
    return UserFactory(username="colleague", consultant=True, organisation=caw)


@pytest.fixture
def outsider(db):
    other = OrganisationFactory(name="CAW Antwerpen", kind="caw")
    return UserFactory(username="outsider", consultant=True, organisation=other)


@pytest.fixture
def manager(caw):
    return UserFactory(username="manager", manager=True, organisation=caw)


@pytest.fixture
def director(hasselt):
    user = UserFactory(username="director", director=True)
    hasselt.directors.add(user)
    return user


@pytest.fixture
def other_director(db):
    user = UserFactory(username="other_director", director=True)
    Prison.objects.get(code="gent").directors.add(user)
    return user


@pytest.fixture
def partner_org(db):
    return Organisation.objects.get(name="VDAB")


@pytest.fixture
def partner_with_consent(partner_org):
    return UserFactory(username="partner_with_consent", partner=True, organisation=partner_org)


@pytest.fixture
def partner_without_consent(db):
    return UserFactory(username="partner_without_consent", partner=True, organisation=Organisation.objects.get(name="CGG"))


@pytest.fixture
def admin_user(caw):
    return UserFactory(username="admin", admin=True, organisation=caw)


@pytest.fixture
def dpo(caw):
    return UserFactory(username="dpo", dpo=True, organisation=caw)


@pytest.fixture
def detainee(consultant, hasselt, caw):
    """A detainee in Hasselt on the consultant's caseload, with an identity + session-summary consent for VDAB."""
    person = DetaineeFactory(first_name="Youssef", last_name="El Amrani", organisation=caw, current_prison=hasselt,
                             lead_consultant=consultant, search_name="youssef el amrani")
    ConsentFactory(detainee=person, organisation=Organisation.objects.get(name="VDAB"), explained_by=consultant,
                   scopes=["identity", "session_summaries", "trajectory_goals"])
    return person


@pytest.fixture
def personas(consultant, colleague, outsider, manager, director, other_director, partner_with_consent,
             partner_without_consent, admin_user, dpo):
    """Every persona by name, for matrix tests."""
    return {
        "consultant": consultant,
        "colleague": colleague,
        "outsider": outsider,
        "manager": manager,
        "director": director,
        "other_director": other_director,
        "partner_with_consent": partner_with_consent,
        "partner_without_consent": partner_without_consent,
        "admin": admin_user,
        "dpo": dpo,
    }
