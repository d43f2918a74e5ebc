"""axe-core on every main page, for every role that has pages, in the three languages (WCAG 2.1 AA).

One realistic dataset for the whole module: the demo data of `manage.py seed_demo` (every role, files in
every trajectory status, conferences with approved and draft minutes) plus the reminders it causes,
loaded once and served by a live server of this module. pytest-django's `live_server` would flush the
database after every test (it needs transactional_db); this module flushes once, after its last test,
and puts the migrated rows back as the suite does after every transactional test (tests/conftest.py).

Per role and language one browser context logs in once, with the account's stored language and the
browser's locale both set, and walks the role's pages. A page passes with no violation of impact
serious or critical; the minor and moderate ones are printed in the summary table at the end of the run
(tests/browser/axe_summary.py, a terminal-summary hook: it does not depend on the order the tests run in, nor
on which xdist worker ran them).
`test_every_named_page_is_covered` fails when a page is added to the URLs without being added here (or
listed, with the reason, among the URLs that are not pages: POST actions, downloads, htmx fragments).
"""

from __future__ import annotations

import io
import os
import re
import time
from collections import defaultdict
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Page, expect

from tests.browser import axe_summary
from tests.browser.conftest import AXE_URL, screenshot
from tests.browser.pages import (
    IGNORED_PREFIXES,
    NOT_PAGES,
    ROLES,
    VISITS,
    WALKING,
    Site,
    wait_htmx,
)

# The marker makes pytest-django create the test database even when only this module runs; the per-test
# transaction or flush it would bring is switched off below (`_django_db_helper`): the data is module-wide.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {"nl-be": "nl-BE", "fr-be": "fr-BE", "en": "en-GB"}
BLOCKING = ("serious", "critical")
IMPACTS = axe_summary.IMPACTS
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the admin logs in with a second factor
# Full-page screenshots of every checked page in these languages (var/screenshots/a11y-*.png), for the
# eye: `A11Y_SCREENSHOTS=1` (they double the module's run time, so they are not taken by default).
SCREENSHOT_LANGUAGES = ("nl-be", "fr-be")
SEED = 20250101

# page key -> language -> {impact: count}; filled by the journeys, printed by the last test.
RESULTS: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
DETAILS: dict[tuple[str, str], list[dict]] = {}
RECORDS: list[tuple[str, str, dict[str, int], list[dict]]] = []


# --- The dataset -------------------------------------------------------------------------------------------


def _first(qs, what: str):
    found = qs.first()
    assert found is not None, f"the demo data has no {what}; the accessibility journey shows one"
    return found


def _load_dataset() -> dict:
    from django.db.models import Count

    from accounts.models import User
    from accounts.services import user_enrol_totp
    from casework.models import Consent, LifeDomain, Session
    from casusoverleg.models import Conference
    from diary.models import PlannedContact
    from notifications.services import reminders_sweep
    from reporting.management.commands.seed_demo import Command as SeedDemo
    from tests.factories import ConsentFactory, NetworkPersonFactory
    from trajectories.models import Assessment, Goal, Trajectory

    # The demo approves ten sets of minutes and renders a PDF per participant: a third of the seeding
    # time, for files no page here shows. The copies get this placeholder instead.
    with mock.patch("casusoverleg.pdf.render_minutes_pdf", return_value=b"%PDF-1.4\n%placeholder\n%%EOF\n"):
        SeedDemo(stdout=io.StringIO()).handle(seed=SEED, quiet_accounts=True)
    reminders_sweep()  # the notification centre and the bell show what the demo's due dates cause
    users = {role: User.objects.get(username=name) for role, name in ROLES.items() if name}
    consultant, director, partner = users["consultant"], users["director"], users["partner"]
    user_enrol_totp(user=users["admin"], secret=TOTP_SECRET)

    active = _first(
        Trajectory.objects.filter(lead_consultant=consultant, status="active")
        .annotate(n_conferences=Count("detainee__conferences", distinct=True), n_goals=Count("goals", distinct=True))
        .order_by("-n_conferences", "-n_goals", "pk"),
        "active trajectory of the consultant",
    )
    detainee = active.detainee
    if not detainee.network.exists():
        NetworkPersonFactory(detainee=detainee, name="Khadija", relation="parent", influence="positive")
    closed = _first(
        Trajectory.objects.filter(lead_consultant=consultant, status__in=["closed", "declined"])
        .exclude(detainee__trajectories__status__in=["referred", "intake", "active", "aftercare"])
        .order_by("pk"),
        "closed file to refer again",
    )
    planned = _first(
        Conference.objects.filter(prison__directors=director, status="planned").order_by("starts_at"),
        "planned conference (draft minutes) in the director's prison",
    )
    # The demo invites the partner to every conference but gives no consent that shares the minutes with
    # his organisation, so he would see none: one detainee consents.
    partner_conference = _first(
        Conference.objects.filter(participants__user=partner, status="minutes_approved").order_by("-starts_at"),
        "conference the partner is invited to",
    )
    ConsentFactory(
        detainee=partner_conference.detainee,
        organisation=partner.organisation,
        explained_by=partner_conference.detainee.lead_consultant,
        scopes=["identity", "minutes"],
    )
    assert Conference.objects.visible_to(partner).filter(pk=partner_conference.pk).exists()
    shared_by_director_and_consultant = (
        Conference.objects.filter(prison__directors=director, detainee__trajectories__lead_consultant=consultant)
        .order_by("pk")
        .first()
        or planned
    )
    _every_status_this_week(partner_conference, shared_by_director_and_consultant)
    shared = _first(
        Consent.objects.filter(
            organisation=partner.organisation, withdrawn_on__isnull=True, scopes__contains=["identity"]
        ).order_by("pk"),
        "consent that shares a file with the partner",
    )
    # A referral to the partner's organisation on that consent, with purpose referral (ADR 0034).
    from trajectories.models import PartnerReferral

    Consent.objects.filter(pk=shared.pk).update(purposes=sorted({*shared.purposes, "referral"}))
    referral = PartnerReferral.objects.filter(
        detainee_id=shared.detainee_id, organisation=partner.organisation
    ).first() or PartnerReferral.objects.create(
        detainee_id=shared.detainee_id,
        organisation=partner.organisation,
        service="Trajectbegeleiding werk",
        question="Kan hij starten?",
        consent=shared,
        referred_by=consultant,
    )
    return {
        "users": users,
        "referral": referral.pk,
        "detainee": detainee.pk,
        "active": active.pk,
        "aftercare": _first(
            Trajectory.objects.filter(lead_consultant=consultant, status="aftercare").order_by("pk"),
            "trajectory in aftercare",
        ).pk,
        "referred": _first(
            Trajectory.objects.filter(detainee__organisation=consultant.organisation, status="referred").order_by("pk"),
            "waiting referral",
        ).pk,
        "closed_detainee": closed.detainee_id,
        "goal": _first(Goal.objects.filter(trajectory=active).order_by("pk"), "goal on the active trajectory").pk,
        "assessment": _first(
            Assessment.objects.filter(trajectory__lead_consultant=consultant).order_by("pk"),
            "assessment on the consultant's files",
        ).pk,
        "session": _first(Session.objects.filter(detainee=detainee).order_by("-started_at"), "session").pk,
        "network_person": detainee.network.order_by("pk").first().pk,
        "domain": LifeDomain.objects.order_by("pk").first().code,
        "approved": _first(
            Conference.objects.filter(prison__directors=director, status="minutes_approved").order_by("pk"),
            "conference with approved minutes in the director's prison",
        ).pk,
        "planned": planned.pk,
        "meeting": _first(
            Conference.objects.filter(kind="livc", chair__username=ROLES["organiser"]).order_by("pk"),
            "the organiser's meeting after release",
        ).pk,
        "director_detainee": planned.detainee_id,
        "partner_conference": partner_conference.pk,
        "partner_detainee": shared.detainee_id,
        "account": consultant.pk,  # the account the administrator opens in the admin site
        "planned_contact": _first(
            PlannedContact.objects.visible_to(consultant).open().order_by("starts_at", "pk"),
            "open planned contact of the consultant",
        ).pk,
        # A second file of the same organisation, to preview a merge with.
        "merge_other": _first(
            type(detainee)
            .objects.filter(organisation_id=detainee.organisation_id)
            .exclude(pk=detainee.pk)
            .order_by("pk"),
            "second file of the organisation",
        ).pk,
    }


def _every_status_this_week(*models) -> None:
    """The calendar shows the browser's current week and month, and the demo's dates follow today: what it
    shows, and so what axe checks, would change with the day the suite runs. One conference in every status
    this week (and so this month), copied from one the partner sees and one the director and the consultant
    see, makes every status's colours part of every run."""
    import datetime as dt

    from django.utils import timezone

    from casusoverleg.models import Conference

    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    for index, model in enumerate(models):
        participants = list(model.participants.all())
        for day, status in enumerate(Conference.Status.values):
            starts_at = timezone.make_aware(
                dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(8 + 5 * index + day % 3))
            )
            copy = Conference.objects.create(
                detainee=model.detainee,
                prison=model.prison,
                chair=model.chair,
                kind=model.kind,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(hours=1),
                location=model.location,
                status=status,
                basis=model.basis,
                authorisation_reference=model.authorisation_reference,
                cancel_reason="—" if status == Conference.Status.CANCELLED else "",
            )
            for participant in participants:
                participant.pk = None
                participant.conference = copy
                participant.save()


def _flush_and_restore() -> None:
    """What the suite does after a transactional test: empty the tables, put the migrated rows back."""
    from django.core.management import call_command

    from tests.conftest import load_migrated_data

    call_command(
        "flush",
        verbosity=0,
        interactive=False,
        database="default",
        reset_sequences=False,
        allow_cascade=False,
        inhibit_post_migrate=False,
    )
    load_migrated_data()


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    from pytest_django.live_server_helper import LiveServer

    from tests.conftest import load_migrated_data

    with django_db_blocker.unblock():
        server = None
        try:
            load_migrated_data()
            started = time.monotonic()
            ids = _load_dataset()
            print(f"\ndemo dataset loaded in {time.monotonic() - started:.1f} s")
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            yield Site(server.url, ids)
        finally:
            if server is not None:
                server._live_server_modified_settings.disable()
                server.stop()
            _flush_and_restore()


@pytest.fixture
def _django_db_helper(django_db_setup):
    """pytest-django's per-test database fixture: only the test database here (no transaction, no flush);
    `site` holds the data for the module."""


@pytest.fixture(autouse=True)
def reference_data():
    """Replaces the directory's per-test reload (and its flush): this module's data lives for the module."""


@pytest.fixture(scope="module", autouse=True)
def _restore_reference_data():
    """Replaces the directory's reload after the module: `site` puts the rows back itself."""


# --- Walking the pages ---------------------------------------------------------------------------------------


def _record(page: Page, key: str, language: str) -> list[dict]:
    page.add_script_tag(url=AXE_URL)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    counts = {impact: 0 for impact in IMPACTS}
    found = []
    for violation in result["violations"]:
        counts[violation["impact"]] += len(violation["nodes"])
        found.append(
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": len(violation["nodes"]),
                "targets": [node["target"] for node in violation["nodes"]][:12],
            }
        )
    previous = RESULTS[key].get(language)
    RESULTS[key][language] = counts if previous is None else {i: previous[i] + counts[i] for i in IMPACTS}
    DETAILS.setdefault((key, language), []).extend(found)
    RECORDS.append((key, language, counts, found))
    return [v for v in found if v["impact"] in BLOCKING]


def _check(page: Page, key: str, language: str, problems: list) -> None:
    for violation in _record(page, key, language):
        problems.append(
            f"{key} [{language}] {page.url}: {violation['impact']} {violation['id']} — "
            f"{violation['help']} ({violation['nodes']}×, e.g. {violation['targets'][0]})"
        )
    if language in SCREENSHOT_LANGUAGES and os.environ.get("A11Y_SCREENSHOTS"):
        screenshot(page, f"a11y-{language}-{key.replace(' ', '_').replace(':', '').replace('(', '').replace(')', '')}")


def _login(page: Page, site: Site, username: str, language: str, problems: list) -> None:
    from tests.security.conftest import totp_code

    page.goto(site.base + reverse("account_login"))
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill("Disengage-demo-2025")
    page.locator("main form button[type=submit]").click()
    if username == ROLES["admin"]:
        page.wait_for_url("**/2fa/authenticate/")
        cache.clear()  # allauth refuses a TOTP code used before (the previous language's login, same 30 s)
        _check(page, "MFA code at login", language, problems)
        page.locator("input[name=code]").fill(totp_code(TOTP_SECRET))
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(site.base + "/")


def _walk(browser, site: Site, role: str, language: str) -> list[str]:
    from accounts.models import User

    username = ROLES[role]
    WALKING["language"] = language
    if username and hasattr(User, "language"):
        User.objects.filter(username=username).update(language=language)
    context = browser.new_context(
        locale=LANGUAGES[language], timezone_id="Europe/Brussels", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    try:
        if username:
            _login(page, site, username, language, problems)
        for visit in (v for v in VISITS if role in v.roles):
            key = visit.key if len(visit.roles) == 1 else f"{visit.key} ({role})"
            response = page.goto(site.base + visit.path(site))
            assert response is not None and response.status == 200, f"{key}: HTTP {response and response.status}"
            expect(page.locator("html")).to_have_attribute("lang", re.compile(f"^{language[:2]}"))
            if visit.ready:
                page.locator(visit.ready).first.wait_for()
            wait_htmx(page)
            _check(page, key, language, problems)
            for state_key, act in visit.states:
                act(page)
                wait_htmx(page)
                _check(page, state_key if len(visit.roles) == 1 else f"{state_key} ({role})", language, problems)
    finally:
        context.close()
    return problems


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("role", list(ROLES))
def test_no_serious_or_critical_violations(browser, site, role, language, record_property):
    started = time.monotonic()
    first = len(RECORDS)
    try:
        problems = _walk(browser, site, role, language)
    finally:
        record_property(axe_summary.KEY, RECORDS[first:])
    print(f"\n{role} [{language}]: {time.monotonic() - started:.1f} s")
    for (key, lang), found in sorted(DETAILS.items()):
        if (
            lang == language
            and any(v["impact"] not in BLOCKING for v in found)
            and (key.endswith(f"({role})") or any(v.key == key and role in v.roles for v in VISITS))
        ):
            minor = ", ".join(f"{v['impact']} {v['id']} ×{v['nodes']}" for v in found if v["impact"] not in BLOCKING)
            print(f"  {key}: {minor}")
    assert problems == [], "\n".join(problems)


def _named_urls(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _named_urls(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), f"{namespace}:{entry.name}" if namespace else entry.name


def test_every_named_page_is_covered():
    """A new page must join the journey above (or be listed as not a page, with the reason)."""
    every = dict(_named_urls(get_resolver().url_patterns))
    named = {name for route, name in every.items() if not route.startswith(IGNORED_PREFIXES)}
    covered = {visit.url_name for visit in VISITS}
    forgotten = named - covered - set(NOT_PAGES)
    assert not forgotten, (
        f"pages without an accessibility check (add a Visit or a NOT_PAGES reason): {sorted(forgotten)}"
    )
    stale = (covered | set(NOT_PAGES)) - set(every.values())
    assert not stale, f"listed here but no longer a URL: {sorted(stale)}"
