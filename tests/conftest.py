"""Shared fixtures. Personas (docs/conventions.md §12) make tests read like the domain:

consultant (own caseload, lead on `detainee`), colleague (same organisation, not on the case team),
outsider (consultant of another organisation), manager, director (runs the detainee's prison),
other_director, partner_with_consent, partner_without_consent, admin_user, dpo.
"""

import datetime as dt
import os

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from accounts.models import Organisation
from casework.models import Prison
from tests import parallel, session_guard
from tests.browser import axe_summary
from tests.factories import ConsentFactory, DetaineeFactory, OrganisationFactory, UserFactory

MIGRATED_DATA_APPS = {"accounts", "casework", "trajectories", "sites"}


def load_migrated_data() -> None:
    """Put back what the data migrations inserted (prisons, organisations, life domains, modules, the
    shipped assessment instruments, the site). Idempotent.

    Into emptied tables, the rows go back as they were serialized when the test database was set up (same
    primary keys), so a later serialized_rollback test restores them without clashing; the loaders then
    fill in whatever is still missing."""
    from django.apps import apps
    from django.contrib.sites.models import Site
    from django.core import serializers
    from django.db import connection, transaction

    from casework.reference.data import load as load_reference_data
    from trajectories.instruments import load as load_instruments

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents and not Organisation.objects.exists():
        # Only the data migrations' models: content types and permissions are recreated by the flush itself.
        with transaction.atomic():
            for item in serializers.deserialize("json", contents):
                if item.object._meta.app_label in MIGRATED_DATA_APPS:
                    item.save()
    load_reference_data(apps)
    load_instruments(apps)
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults={"domain": "localhost", "name": "Disengagement"})


def pytest_configure(config):
    """`DISENGAGE_TEST_CLOCK_SHIFT_DAYS=365 make test …` runs the suite as if it were a year later (CI does,
    for the tests that run in this process): a test that holds only on the day it was written fails there.

    Under pytest-xdist each worker's Redis variables point at its own database (tests/parallel.py), before
    any test module reads them."""
    parallel.apply_to_environment()
    days = int(os.environ.get("DISENGAGE_TEST_CLOCK_SHIFT_DAYS") or 0)
    if days:
        time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=days), tick=True).start()


def pytest_sessionstart(session):
    """Start from a known state: no process of an earlier run left, a clean test database (tests/session_guard.py)."""
    session_guard.session_start(session.config)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):
    """xdist: hand each worker the session guard's verdict on its own test database (tests/session_guard.py)."""
    session_guard.configure_worker(node)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Under `--dist loadgroup`, a module whose own module- or class-scoped fixture sets up something for all
    its tests (a demo dataset and live server, a seeded scratch database) keeps its tests on one worker, so the
    setup is paid once; the other tests spread over the workers one by one (ADR 0046)."""
    # In the controller `--dist` says loadgroup; in a worker xdist resets `dist` to "no" and keeps the choice in
    # `loadgroup` (xdist/remote.py), and it is the worker's collection that names each test's group.
    if config.getoption("dist", default="no") != "loadgroup" and not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        fixtures = getattr(item, "_fixtureinfo", None)
        if fixtures is None:
            continue
        for definitions in fixtures.name2fixturedefs.values():
            if any(d.scope in ("module", "class") and d.baseid.split("::", 1)[0] == module for d in definitions):
                item.add_marker(pytest.mark.xdist_group(module))
                break


def pytest_runtest_logreport(report):
    """The accessibility journeys' findings, gathered from every test's report (in xdist's controller too)."""
    axe_summary.collect(report)


def pytest_terminal_summary(terminalreporter):
    """The axe-core table of the accessibility journeys that ran, whatever their order (tests/browser/axe_summary.py)."""
    axe_summary.write(terminalreporter)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """After the session fixtures are torn down: end what this run started and note a normal end."""
    session_guard.session_finish(session, exitstatus)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    return bool({"transactional_db", "live_server", "django_db_serialized_rollback"} & names) or bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback"))
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """A serialized_rollback test starts by loading the rows serialized when the test database was made, content
    types and permissions with their primary keys included. After the flush of a transactional test without
    serialized_rollback, post_migrate has recreated those rows under new keys, and the load then collides on
    their natural keys (seen: admin.logentry). Empty the two tables first — nothing else refers to them but
    group and user permissions and the admin log, empty at that point — so the load puts them back as they
    were, whichever test ran before."""
    marker = item.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("serialized_rollback")):
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        if getattr(connection, "_test_serialized_contents", None) is None:
            return  # the test database is not made yet: it is made, and serialized, for this test
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE django_content_type, auth_permission CASCADE")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test ends with a flush that empties every table, the data migrations' rows
    included. After the test's fixtures are torn down (the flush done), put them back, whichever test
    runs next and whether or not the test database is reused."""
    yield
    if not _is_transactional(item):
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        with connection.cursor() as cursor:
            # Both data migrations' tables: a fixture may have put back one set and not the other.
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM accounts_organisation)"
                " AND EXISTS (SELECT 1 FROM trajectories_assessmenttemplate)"
            )
            if cursor.fetchone()[0]:
                return
        load_migrated_data()


@pytest.fixture(autouse=True)
def _the_default_language():
    """Every test starts (and leaves) in the default language: a request in French activates French for the
    thread, and a later test's Dutch message must not depend on which test ran before it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
    return UserFactory(
        username="partner_without_consent", partner=True, organisation=Organisation.objects.get(name="CGG")
    )


@pytest.fixture
def admin_user(caw):
    return UserFactory(username="admin", admin=True, organisation=caw)


@pytest.fixture
def dpo(caw):
    return UserFactory(username="dpo", dpo=True, organisation=caw)


@pytest.fixture
def detainee(consultant, hasselt, caw):
    """A detainee in Hasselt on the consultant's caseload, with an identity + session-summary consent for VDAB."""
    person = DetaineeFactory(
        first_name="Youssef",
        last_name="El Amrani",
        organisation=caw,
        current_prison=hasselt,
        lead_consultant=consultant,
        search_name="youssef el amrani",
    )
    ConsentFactory(
        detainee=person,
        organisation=Organisation.objects.get(name="VDAB"),
        explained_by=consultant,
        scopes=["identity", "session_summaries", "trajectory_goals"],
    )
    return person


@pytest.fixture
def personas(
    consultant,
    colleague,
    outsider,
    manager,
    director,
    other_director,
    partner_with_consent,
    partner_without_consent,
    admin_user,
    dpo,
):
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
