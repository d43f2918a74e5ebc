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
from collections.abc import Callable
from dataclasses import dataclass
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Page, expect

from tests.browser import axe_summary
from tests.browser.conftest import AXE_URL, screenshot

# The marker makes pytest-django create the test database even when only this module runs; the per-test
# transaction or flush it would bring is switched off below (`_django_db_helper`): the data is module-wide.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {"nl-be": "nl-BE", "fr-be": "fr-BE", "en": "en-GB"}
BLOCKING = ("serious", "critical")
IMPACTS = axe_summary.IMPACTS
# The demo accounts (casework/demo.py) that play each role; "anonymous" sees the pages before login.
ROLES = {
    "anonymous": None,
    "consultant": "sara.peeters",
    "manager": "an.wouters",
    "director": "marc.hendrickx",
    "partner": "pieter.devos",
    "admin": "beheer",
    "dpo": "dpo",
}
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the admin logs in with a second factor
# Full-page screenshots of every checked page in these languages (var/screenshots/a11y-*.png), for the
# eye: `A11Y_SCREENSHOTS=1` (they double the module's run time, so they are not taken by default).
SCREENSHOT_LANGUAGES = ("nl-be", "fr-be")
SEED = 20250101

# page key -> language -> {impact: count}, in this process; each journey also hands its own records to the
# run's summary (tests/browser/axe_summary.py) through its report.
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
        "active trajectory of the consultant")
    detainee = active.detainee
    if not detainee.network.exists():
        NetworkPersonFactory(detainee=detainee, name="Khadija", relation="parent", influence="positive")
    closed = _first(Trajectory.objects.filter(lead_consultant=consultant, status__in=["closed", "declined"])
                    .exclude(detainee__trajectories__status__in=["referred", "intake", "active", "aftercare"])
                    .order_by("pk"), "closed file to refer again")
    planned = _first(Conference.objects.filter(prison__directors=director, status="planned").order_by("starts_at"),
                     "planned conference (draft minutes) in the director's prison")
    # The demo invites the partner to every conference but gives no consent that shares the minutes with
    # his organisation, so he would see none: one detainee consents.
    partner_conference = _first(Conference.objects.filter(participants__user=partner, status="minutes_approved")
                                .order_by("-starts_at"), "conference the partner is invited to")
    ConsentFactory(detainee=partner_conference.detainee, organisation=partner.organisation,
                   explained_by=partner_conference.detainee.lead_consultant, scopes=["identity", "minutes"])
    assert Conference.objects.visible_to(partner).filter(pk=partner_conference.pk).exists()
    shared_by_director_and_consultant = (
        Conference.objects.filter(prison__directors=director, detainee__trajectories__lead_consultant=consultant)
        .order_by("pk").first() or planned)
    _every_status_this_week(partner_conference, shared_by_director_and_consultant)
    shared = _first(Consent.objects.filter(organisation=partner.organisation, withdrawn_on__isnull=True,
                                           scopes__contains=["identity"]).order_by("pk"),
                    "consent that shares a file with the partner")
    # A referral to the partner's organisation on that consent, with purpose referral (ADR 0034).
    from trajectories.models import PartnerReferral

    Consent.objects.filter(pk=shared.pk).update(purposes=sorted({*shared.purposes, "referral"}))
    referral = PartnerReferral.objects.filter(detainee_id=shared.detainee_id, organisation=partner.organisation).first() \
        or PartnerReferral.objects.create(detainee_id=shared.detainee_id, organisation=partner.organisation,
                                          service="Trajectbegeleiding werk", question="Kan hij starten?",
                                          consent=shared, referred_by=consultant)
    return {
        "users": users,
        "referral": referral.pk,
        "detainee": detainee.pk,
        "active": active.pk,
        "aftercare": _first(Trajectory.objects.filter(lead_consultant=consultant, status="aftercare").order_by("pk"),
                            "trajectory in aftercare").pk,
        "referred": _first(Trajectory.objects.filter(detainee__organisation=consultant.organisation, status="referred")
                           .order_by("pk"), "waiting referral").pk,
        "closed_detainee": closed.detainee_id,
        "goal": _first(Goal.objects.filter(trajectory=active).order_by("pk"), "goal on the active trajectory").pk,
        "assessment": _first(Assessment.objects.filter(trajectory__lead_consultant=consultant).order_by("pk"),
                             "assessment on the consultant's files").pk,
        "session": _first(Session.objects.filter(detainee=detainee).order_by("-started_at"), "session").pk,
        "network_person": detainee.network.order_by("pk").first().pk,
        "domain": LifeDomain.objects.order_by("pk").first().code,
        "approved": _first(Conference.objects.filter(prison__directors=director, status="minutes_approved")
                           .order_by("pk"), "conference with approved minutes in the director's prison").pk,
        "planned": planned.pk,
        "director_detainee": planned.detainee_id,
        "partner_conference": partner_conference.pk,
        "partner_detainee": shared.detainee_id,
        "account": consultant.pk,  # the account the administrator opens in the admin site
        "planned_contact": _first(PlannedContact.objects.visible_to(consultant).open().order_by("starts_at", "pk"),
                                  "open planned contact of the consultant").pk,
        # A second file of the same organisation, to preview a merge with.
        "merge_other": _first(type(detainee).objects.filter(organisation_id=detainee.organisation_id)
                              .exclude(pk=detainee.pk).order_by("pk"), "second file of the organisation").pk,
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
            starts_at = timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=day),
                                                                dt.time(8 + 5 * index + day % 3)))
            copy = Conference.objects.create(
                detainee=model.detainee, prison=model.prison, chair=model.chair, kind=model.kind,
                starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=1), location=model.location,
                status=status, basis=model.basis, authorisation_reference=model.authorisation_reference,
                cancel_reason="—" if status == Conference.Status.CANCELLED else "")
            for participant in participants:
                participant.pk = None
                participant.conference = copy
                participant.save()


def _flush_and_restore() -> None:
    """What the suite does after a transactional test: empty the tables, put the migrated rows back."""
    from django.core.management import call_command

    from tests.conftest import load_migrated_data

    call_command("flush", verbosity=0, interactive=False, database="default", reset_sequences=False,
                 allow_cascade=False, inhibit_post_migrate=False)
    load_migrated_data()


@dataclass
class Site:
    base: str
    ids: dict

    def __getitem__(self, key):
        return self.ids[key]


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


# --- The pages -----------------------------------------------------------------------------------------------


def url(name: str, *keys: str) -> Callable[[Site], str]:
    return lambda site: reverse(name, args=[site[key] for key in keys])


def url_with(name: str, query: str, *keys: str) -> Callable[[Site], str]:
    return lambda site: reverse(name, args=[site[key] for key in keys]) + query


def wait_htmx(page: Page) -> None:
    """Until the fragments loaded after the page (hx-trigger="load") have arrived."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, [hx-trigger=\"load\"]')")


def calendar_view(button: str, ready: str) -> Callable[[Page], None]:
    def switch(page: Page) -> None:
        page.locator(f".fc-{button}-button").click()
        page.locator(ready).first.wait_for()
    return switch


def upload_import(page: Page) -> None:
    """The import's report: a file with one good and one bad row."""
    from casework.importer import COLUMNS
    from casework.views_import import SAMPLE_ROW

    bad = ["A11Y-2", "", "Fout", "45/13/1990"] + [""] * (len(COLUMNS) - 4)
    csv = "\r\n".join([";".join(COLUMNS), ";".join(SAMPLE_ROW), ";".join(bad)]) + "\r\n"
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "lijst.csv", "mimeType": "text/csv", "buffer": csv.encode()}])
    with page.expect_navigation():
        page.locator("form[enctype] button[type=submit]").first.click()


# The language the current walk is in, for pages whose language follows an account rather than the login.
WALKING = {"language": "nl-be"}


def invitation_link(site: Site) -> str:
    """A fresh invitation (docs/adr/0025) for a new account in the walk's language: its page speaks the
    invited user's language."""
    from accounts import services_invitations
    from accounts.models import User

    language = WALKING["language"]
    administrator = User.objects.get(username=ROLES["admin"])
    user, _created = User.objects.get_or_create(
        username=f"a11y.nieuw.{language}",
        defaults={"first_name": "Nora", "last_name": "Wouters", "email": f"nieuw.{language}@example.org",
                  "language": language, "organisation": administrator.organisation})
    user.set_unusable_password()
    user.save(update_fields=["password"])
    invitation = services_invitations.invitation_send(user=user, by=administrator)
    return reverse("account_invitation", args=[services_invitations.invitation_token(invitation)])


def refuse_mismatched_passwords(page: Page) -> None:
    page.locator("#id_new_password1").fill("Een-lang-wachtwoord-1")
    page.locator("#id_new_password2").fill("Een-ander-wachtwoord-2")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.locator(".invalid-feedback").first.wait_for()


@dataclass(frozen=True)
class Visit:
    key: str                       # the row of the report
    url_name: str                  # the named URL it covers
    path: Callable[[Site], str]
    roles: tuple[str, ...]
    ready: str | None = None       # a selector to wait for (a calendar, a chart) before axe runs
    states: tuple[tuple[str, Callable[[Page], None]], ...] = ()  # further states of the page, each checked


CASE_STAFF = ("consultant", "manager")
EVERYONE = ("consultant", "manager", "director", "partner", "admin", "dpo")

VISITS: list[Visit] = [
    # Before login.
    Visit("login", "account_login", url("account_login"), ("anonymous",)),
    Visit("password reset", "account_reset_password", url("account_reset_password"), ("anonymous",)),
    Visit("invitation", "account_invitation", invitation_link, ("anonymous",),
          states=(("invitation: passwords differ", refuse_mismatched_passwords),)),
    # Everyone.
    Visit("my day", "casework:my_day", url("casework:my_day"), EVERYONE),
    Visit("notifications", "notifications:list", url("notifications:list"), EVERYONE),
    Visit("password change", "account_change_password", url("account_change_password"), ("consultant", "admin")),
    Visit("MFA overview", "mfa_index", url("mfa_index"), ("consultant", "admin")),
    Visit("API tokens", "account_tokens", url("account_tokens"), ("consultant", "admin")),
    Visit("MFA activate", "mfa_activate_totp", url("mfa_activate_totp"), ("consultant",)),
    Visit("MFA recovery codes", "mfa_view_recovery_codes", url("mfa_view_recovery_codes"), ("admin",)),
    Visit("MFA new recovery codes", "mfa_generate_recovery_codes", url("mfa_generate_recovery_codes"), ("admin",)),
    Visit("profile", "account_profile", url("account_profile"), ("consultant", "director", "partner", "admin")),
    Visit("calendar feed", "casusoverleg:feed_settings", url("casusoverleg:feed_settings"), ("consultant", "partner")),
    Visit("logout", "account_logout", url("account_logout"), ("consultant",)),
    # The caseload and the file.
    Visit("caseload", "casework:caseload", url("casework:caseload"), ("consultant", "manager", "director", "partner")),
    Visit("caseload search", "casework:caseload", url_with("casework:caseload", "?q=zzz-nobody"), ("consultant",)),
    Visit("new file", "casework:detainee_create", url("casework:detainee_create"), ("consultant",)),
    Visit("file", "casework:detainee_detail", url("casework:detainee_detail", "detainee"), ("consultant",)),
    Visit("file (director)", "casework:detainee_detail", url("casework:detainee_detail", "director_detainee"),
          ("director",)),
    Visit("file (partner)", "casework:detainee_detail", url("casework:detainee_detail", "partner_detainee"),
          ("partner",)),
    Visit("file: sessions", "casework:file_sessions", url("casework:file_sessions", "detainee"), ("consultant",)),
    Visit("file: network", "casework:file_network", url("casework:file_network", "detainee"), ("consultant",)),
    Visit("file: placements", "casework:file_placements", url("casework:file_placements", "detainee"),
          ("consultant",)),
    Visit("file: consents", "casework:file_consents", url("casework:file_consents", "detainee"), ("consultant",)),
    Visit("file: history", "casework:file_history", url("casework:file_history", "detainee"), ("consultant",)),
    Visit("file: trajectory", "trajectories:file_tab", url("trajectories:file_tab", "detainee"), ("consultant",)),
    Visit("file: trajectory (director)", "trajectories:file_tab", url("trajectories:file_tab", "director_detainee"),
          ("director",)),
    Visit("file: conferences", "casusoverleg:file_conferences", url("casusoverleg:file_conferences", "detainee"),
          ("consultant",)),
    Visit("file: disclosures", "privacy:file_disclosures", url("privacy:file_disclosures", "detainee"),
          ("consultant",)),
    Visit("edit file", "casework:detainee_update", url("casework:detainee_update", "detainee"), ("consultant",)),
    Visit("case team", "casework:detainee_case_team", url("casework:detainee_case_team", "detainee"), ("manager",)),
    Visit("merge files", "casework:detainee_merge", url("casework:detainee_merge", "detainee"), ("manager",)),
    Visit("merge files: preview", "casework:detainee_merge",
          lambda site: reverse("casework:detainee_merge", args=[site["detainee"]]) + f"?met={site['merge_other']}",
          ("manager",)),
    Visit("session form", "casework:session_create", url("casework:session_create", "detainee"), ("consultant",)),
    Visit("session edit", "casework:session_update", url("casework:session_update", "detainee", "session"),
          ("consultant",)),
    Visit("placement form", "casework:placement_create", url("casework:placement_create", "detainee"),
          ("consultant",)),
    Visit("transfer form", "casework:transfer_create", url("casework:transfer_create", "detainee"), ("consultant",)),
    Visit("listing form", "casework:listing_create", url("casework:listing_create", "detainee"), ("consultant",)),
    Visit("network form", "casework:network_create", url("casework:network_create", "detainee"), ("consultant",)),
    Visit("network edit", "casework:network_update", url("casework:network_update", "detainee", "network_person"),
          ("consultant",)),
    Visit("consent form", "casework:consent_create", url("casework:consent_create", "detainee"), ("consultant",)),
    Visit("import", "casework:detainee_import", url("casework:detainee_import"), ("manager",),
          states=(("import report", upload_import),)),
    # Trajectories.
    Visit("trajectory", "trajectories:detail", url("trajectories:detail", "active"), ("consultant",),
          ready="#traj-progress-chart, .traj-chart canvas, main h1"),
    Visit("status change", "trajectories:transition", url("trajectories:transition", "active"), ("consultant",)),
    Visit("exploration", "trajectories:exploration", url("trajectories:exploration", "active", "domain"),
          ("consultant",)),
    Visit("goal form", "trajectories:goal_create", url("trajectories:goal_create", "active"), ("consultant",)),
    Visit("goal edit", "trajectories:goal_update", url("trajectories:goal_update", "goal"), ("consultant",)),
    Visit("goal review", "trajectories:goal_review", url("trajectories:goal_review", "goal"), ("consultant",)),
    Visit("action form", "trajectories:action_create", url("trajectories:action_create", "active"), ("consultant",)),
    Visit("assessment start", "trajectories:assessment_start", url("trajectories:assessment_start", "active"),
          ("consultant",)),
    Visit("assessment", "trajectories:assessment", url("trajectories:assessment", "assessment"), ("consultant",)),
    Visit("release form", "trajectories:release", url("trajectories:release", "active"), ("consultant",)),
    Visit("aftercare", "trajectories:aftercare", url("trajectories:aftercare", "aftercare"), ("consultant",)),
    Visit("court conditions", "trajectories:court_conditions", url("trajectories:court_conditions", "aftercare"),
          ("consultant",)),
    Visit("referral form", "trajectories:refer", url("trajectories:refer", "closed_detainee"), ("consultant",)),
    Visit("actions", "trajectories:actions", url("trajectories:actions"), CASE_STAFF),
    Visit("file: referrals", "trajectories:file_referrals", url("trajectories:file_referrals", "detainee"),
          ("consultant",)),
    Visit("partner referral form", "trajectories:partner_referral_create",
          url("trajectories:partner_referral_create", "detainee"), ("consultant",)),
    Visit("partner referrals", "trajectories:partner_referrals", url("trajectories:partner_referrals"),
          ("consultant", "partner")),
    Visit("partner referral", "trajectories:partner_referral", url("trajectories:partner_referral", "referral"),
          ("partner",)),
    Visit("referral inbox", "trajectories:inbox", url("trajectories:inbox"), ("manager",)),
    Visit("assign", "trajectories:assign", url("trajectories:assign", "referred"), ("manager",)),
    # The diary.
    Visit("diary week", "diary:week", url("diary:week"), ("consultant",)),
    Visit("plan a contact", "diary:create", url("diary:create"), ("consultant",)),
    Visit("plan a contact for a detainee", "diary:create", lambda site: reverse("diary:create") + f"?gedetineerde={site['detainee']}",
          ("consultant",)),
    Visit("planned contact edit", "diary:update", url("diary:update", "planned_contact"), ("consultant",)),
    Visit("log a planned contact", "diary:log", url("diary:log", "planned_contact"), ("consultant",)),
    Visit("planned vs held", "diary:overview", url("diary:overview"), ("manager",)),
    # Case conferences.
    Visit("calendar", "casusoverleg:calendar", url("casusoverleg:calendar"), ("director", "consultant", "partner"),
          ready=".fc-view", states=(("calendar: month", calendar_view("dayGridMonth", ".fc-daygrid")),
                                    ("calendar: day", calendar_view("timeGridDay", ".fc-timegrid")))),
    Visit("my actions", "casusoverleg:my_actions", url("casusoverleg:my_actions"), ("director", "partner")),
    Visit("verify a copy", "casusoverleg:verify_copy", url("casusoverleg:verify_copy"), ("director", "partner", "dpo")),
    Visit("standing members", "casusoverleg:standing_members", url("casusoverleg:standing_members"), ("director",)),
    Visit("conferences after a transfer", "casusoverleg:transfers", url("casusoverleg:transfers"),
          ("director", "consultant")),
    Visit("conference list", "casusoverleg:list", url("casusoverleg:list"), ("director", "consultant")),
    Visit("conference form", "casusoverleg:create", url("casusoverleg:create"), ("director",)),
    Visit("conference (approved)", "casusoverleg:detail", url("casusoverleg:detail", "approved"), ("director",)),
    Visit("conference (planned)", "casusoverleg:detail", url("casusoverleg:detail", "planned"), ("director",)),
    Visit("conference (partner)", "casusoverleg:detail", url("casusoverleg:detail", "partner_conference"),
          ("partner",)),
    Visit("conference move", "casusoverleg:move", url("casusoverleg:move", "planned"), ("director",)),
    Visit("minutes editor", "casusoverleg:minutes_editor", url("casusoverleg:minutes_editor", "planned"),
          ("director",)),
    Visit("referral priority", "casusoverleg:referral_priority", url("casusoverleg:referral_priority", "approved"),
          ("director",)),
    # Reporting.
    Visit("manager dashboard", "reporting:manager_dashboard", url("reporting:manager_dashboard"), ("manager",),
          ready="canvas"),
    Visit("figure list", "reporting:figure_list", lambda site: reverse("reporting:figure_list", args=["waiting"]),
          ("manager",)),
    Visit("yearly figures", "reporting:yearly", url("reporting:yearly"), ("manager",)),
    Visit("research extracts", "reporting:research_extracts", url("reporting:research_extracts"), ("manager", "dpo")),
    Visit("director dashboard", "reporting:director_dashboard", url("reporting:director_dashboard"), ("director",)),
    # The functional administrator's admin site (Django's own pages): the index, the accounts list and an
    # account's change form (the pages of the reference data are built from the same templates).
    Visit("admin: index", "admin:index", url("admin:index"), ("admin",)),
    Visit("admin: accounts", "admin:accounts_user_changelist", url("admin:accounts_user_changelist"), ("admin",)),
    Visit("admin: account", "admin:accounts_user_change", url("admin:accounts_user_change", "account"), ("admin",)),
    Visit("admin: new account", "admin:accounts_user_add", url("admin:accounts_user_add"), ("admin",)),
    # Data protection.
    Visit("access review", "privacy:access_review", url("privacy:access_review"), ("dpo",)),
    Visit("disclosure log", "privacy:disclosure_log", url("privacy:disclosure_log"), ("dpo",)),
    Visit("retention", "privacy:retention", url("privacy:retention"), ("dpo",)),
    Visit("refused accesses", "privacy:refusal_review", url("privacy:refusal_review"), ("dpo",)),
    Visit("subject access", "privacy:subject_access", url("privacy:subject_access"), ("dpo",)),
    Visit("subject access: file", "privacy:subject_access_detail", url("privacy:subject_access_detail", "detainee"),
          ("dpo",)),
]

# Named URLs of our apps that are not pages of their own, and why.
NOT_PAGES = {
    # POST-only actions: they redirect to a page that is checked.
    **dict.fromkeys([
        "casework:consent_withdraw", "casework:detainee_import_confirm", "casework:detainee_import_check",
        "casework:detainee_delist", "account_token_revoke", "notifications:read", "notifications:open",
        "notifications:read_all", "trajectories:action_status", "trajectories:aftercare_close", "trajectories:aftercare_length",
        "trajectories:follow_up_record", "trajectories:handover_request", "trajectories:assessment_correct",
        "casusoverleg:cancel", "casusoverleg:confirm_date", "casusoverleg:participant_add",
        "casusoverleg:participant_remove", "casusoverleg:participant_respond", "casusoverleg:attendance",
        "casusoverleg:agenda_refresh", "casusoverleg:agenda_item_add", "casusoverleg:agenda_item_remove",
        "casusoverleg:cadence", "casusoverleg:minutes_approve", "casusoverleg:minutes_correct", "diary:cancel",
        "casusoverleg:standing_member_remove",
        "privacy:retention_run", "privacy:retention_anonymise", "privacy:legal_hold",
        "privacy:subject_access_download", "mfa_deactivate_totp", "account_sessions_end_others",
        "notifications:mail_settings", "casusoverleg:my_action_update", "trajectories:partner_referral_respond",
        "trajectories:partner_referral_close", "trajectories:partner_referral_withdraw",
        "trajectories:reporting_deadline_add", "trajectories:reporting_deadline_cancel", "trajectories:court_report_create",
    ], "POST action"),
    # Files, not HTML.
    **dict.fromkeys([
        "casework:detainee_import_sample", "casework:consent_document", "trajectories:handover_download",
        "trajectories:court_report_download",
        "casusoverleg:events", "casusoverleg:feed", "casusoverleg:minutes_pdf", "reporting:yearly_export",
        "reporting:research_extract_file", "mfa_download_recovery_codes", "favicon",
    ], "download (CSV, PDF, JSON, iCalendar)"),
    # Fragments that htmx loads into a page that is checked.
    **dict.fromkeys(["notifications:bell", "trajectories:panel_actions", "trajectories:panel_referrals"],
                    "htmx fragment of a checked page"),
    # Steps of allauth flows this product does not offer (no sign-up, no e-mail login; the administrator
    # resets passwords) or that only appear inside a flow that is checked.
    **dict.fromkeys([
        "account_signup", "account_inactive", "account_email", "account_email_verification_sent",
        "account_confirm_email", "account_set_password", "account_confirm_login_code",
        "account_reset_password_done", "account_reset_password_from_key", "account_reset_password_from_key_done",
        "account_reauthenticate", "mfa_reauthenticate",
    ], "allauth step not offered in this product"),
    # The demo has no conference flagged by a transfer; axe checks the decision page in the transfer journey.
    "casusoverleg:transfer_resolve": "checked in tests/browser/test_transfer_journey.py",
    "mfa_authenticate": "checked inside the admin's login (second factor)",
    "casusoverleg:meeting_create": "the organiser's form (no demo organiser): axe-checked in test_meeting_journey.py",
    "set_language": "POST action", "language_set": "POST action (the language switch in the header)",
    "healthz": "health endpoint", "readyz": "health endpoint",
}
IGNORED_PREFIXES = ("api/", "beheer/")  # the API (fuzzed from its schema) and Django's admin site


# --- Walking the pages ---------------------------------------------------------------------------------------


def _record(page: Page, key: str, language: str) -> list[dict]:
    page.add_script_tag(url=AXE_URL)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    counts = {impact: 0 for impact in IMPACTS}
    found = []
    for violation in result["violations"]:
        counts[violation["impact"]] += len(violation["nodes"])
        found.append({"id": violation["id"], "impact": violation["impact"], "help": violation["help"],
                      "nodes": len(violation["nodes"]),
                      "targets": [node["target"] for node in violation["nodes"]][:12]})
    previous = RESULTS[key].get(language)
    RESULTS[key][language] = counts if previous is None else {i: previous[i] + counts[i] for i in IMPACTS}
    DETAILS.setdefault((key, language), []).extend(found)
    RECORDS.append((key, language, counts, found))
    return [v for v in found if v["impact"] in BLOCKING]


def _check(page: Page, key: str, language: str, problems: list) -> None:
    for violation in _record(page, key, language):
        problems.append(f"{key} [{language}] {page.url}: {violation['impact']} {violation['id']} — "
                        f"{violation['help']} ({violation['nodes']}×, e.g. {violation['targets'][0]})")
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
    context = browser.new_context(locale=LANGUAGES[language], timezone_id="Europe/Brussels",
                                  viewport={"width": 1366, "height": 900})
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
        if lang == language and any(v["impact"] not in BLOCKING for v in found) and (
                key.endswith(f"({role})") or any(v.key == key and role in v.roles for v in VISITS)):
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
    assert not forgotten, f"pages without an accessibility check (add a Visit or a NOT_PAGES reason): {sorted(forgotten)}"
    stale = (covered | set(NOT_PAGES)) - set(every.values())
    assert not stale, f"listed here but no longer a URL: {sorted(stale)}"
