"""The pages the accessibility walk visits (tests/browser/test_accessibility.py): one `Visit` per named page and
role, and the named URLs that are not pages, with the reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from playwright.sync_api import Page

# The demo accounts (casework/demo.py) that play each role; "anonymous" sees the pages before login.
ROLES = {
    "anonymous": None,
    "consultant": "sara.peeters",
    "manager": "an.wouters",
    "director": "marc.hendrickx",
    "partner": "pieter.devos",
    "admin": "beheer",
    "dpo": "dpo",
    "organiser": "hilde.janssens",
}


@dataclass
class Site:
    base: str
    ids: dict

    def __getitem__(self, key):
        return self.ids[key]


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
        files=[{"name": "lijst.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
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
        defaults={
            "first_name": "Nora",
            "last_name": "Wouters",
            "email": f"nieuw.{language}@example.org",
            "language": language,
            "organisation": administrator.organisation,
        },
    )
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
    key: str  # the row of the report
    url_name: str  # the named URL it covers
    path: Callable[[Site], str]
    roles: tuple[str, ...]
    ready: str | None = None  # a selector to wait for (a calendar, a chart) before axe runs
    states: tuple[tuple[str, Callable[[Page], None]], ...] = ()  # further states of the page, each checked


CASE_STAFF = ("consultant", "manager")
EVERYONE = ("consultant", "manager", "director", "partner", "admin", "dpo")

VISITS: list[Visit] = [
    # Before login.
    Visit("login", "account_login", url("account_login"), ("anonymous",)),
    Visit("password reset", "account_reset_password", url("account_reset_password"), ("anonymous",)),
    Visit(
        "invitation",
        "account_invitation",
        invitation_link,
        ("anonymous",),
        states=(("invitation: passwords differ", refuse_mismatched_passwords),),
    ),
    # Everyone.
    Visit("my day", "casework:my_day", url("casework:my_day"), EVERYONE),
    Visit("notifications", "notifications:list", url("notifications:list"), EVERYONE),
    # The organiser of meetings outside detention (ADR 0041): his day, his meeting and its planning form.
    Visit("my day (organiser)", "casework:my_day", url("casework:my_day"), ("organiser",)),
    Visit("meeting form", "casusoverleg:meeting_create", url("casusoverleg:meeting_create"), ("organiser",)),
    Visit("meeting after release", "casusoverleg:detail", url("casusoverleg:detail", "meeting"), ("organiser",)),
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
    Visit(
        "file (director)",
        "casework:detainee_detail",
        url("casework:detainee_detail", "director_detainee"),
        ("director",),
    ),
    Visit(
        "file (partner)", "casework:detainee_detail", url("casework:detainee_detail", "partner_detainee"), ("partner",)
    ),
    Visit("file: sessions", "casework:file_sessions", url("casework:file_sessions", "detainee"), ("consultant",)),
    Visit("file: network", "casework:file_network", url("casework:file_network", "detainee"), ("consultant",)),
    Visit("file: placements", "casework:file_placements", url("casework:file_placements", "detainee"), ("consultant",)),
    Visit("file: consents", "casework:file_consents", url("casework:file_consents", "detainee"), ("consultant",)),
    Visit("file: history", "casework:file_history", url("casework:file_history", "detainee"), ("consultant",)),
    Visit("file: trajectory", "trajectories:file_tab", url("trajectories:file_tab", "detainee"), ("consultant",)),
    Visit(
        "file: trajectory (director)",
        "trajectories:file_tab",
        url("trajectories:file_tab", "director_detainee"),
        ("director",),
    ),
    Visit(
        "file: conferences",
        "casusoverleg:file_conferences",
        url("casusoverleg:file_conferences", "detainee"),
        ("consultant",),
    ),
    Visit(
        "file: disclosures", "privacy:file_disclosures", url("privacy:file_disclosures", "detainee"), ("consultant",)
    ),
    Visit("edit file", "casework:detainee_update", url("casework:detainee_update", "detainee"), ("consultant",)),
    Visit("case team", "casework:detainee_case_team", url("casework:detainee_case_team", "detainee"), ("manager",)),
    Visit("merge files", "casework:detainee_merge", url("casework:detainee_merge", "detainee"), ("manager",)),
    Visit(
        "merge files: preview",
        "casework:detainee_merge",
        lambda site: reverse("casework:detainee_merge", args=[site["detainee"]]) + f"?met={site['merge_other']}",
        ("manager",),
    ),
    Visit("session form", "casework:session_create", url("casework:session_create", "detainee"), ("consultant",)),
    Visit(
        "session edit",
        "casework:session_update",
        url("casework:session_update", "detainee", "session"),
        ("consultant",),
    ),
    Visit("placement form", "casework:placement_create", url("casework:placement_create", "detainee"), ("consultant",)),
    Visit("transfer form", "casework:transfer_create", url("casework:transfer_create", "detainee"), ("consultant",)),
    Visit("listing form", "casework:listing_create", url("casework:listing_create", "detainee"), ("consultant",)),
    Visit("network form", "casework:network_create", url("casework:network_create", "detainee"), ("consultant",)),
    Visit(
        "network edit",
        "casework:network_update",
        url("casework:network_update", "detainee", "network_person"),
        ("consultant",),
    ),
    Visit("consent form", "casework:consent_create", url("casework:consent_create", "detainee"), ("consultant",)),
    Visit(
        "import",
        "casework:detainee_import",
        url("casework:detainee_import"),
        ("manager",),
        states=(("import report", upload_import),),
    ),
    # Trajectories.
    Visit(
        "trajectory",
        "trajectories:detail",
        url("trajectories:detail", "active"),
        ("consultant",),
        ready="#traj-progress-chart, .traj-chart canvas, main h1",
    ),
    Visit("status change", "trajectories:transition", url("trajectories:transition", "active"), ("consultant",)),
    Visit(
        "exploration", "trajectories:exploration", url("trajectories:exploration", "active", "domain"), ("consultant",)
    ),
    Visit("goal form", "trajectories:goal_create", url("trajectories:goal_create", "active"), ("consultant",)),
    Visit("goal edit", "trajectories:goal_update", url("trajectories:goal_update", "goal"), ("consultant",)),
    Visit("goal review", "trajectories:goal_review", url("trajectories:goal_review", "goal"), ("consultant",)),
    Visit("action form", "trajectories:action_create", url("trajectories:action_create", "active"), ("consultant",)),
    Visit(
        "assessment start",
        "trajectories:assessment_start",
        url("trajectories:assessment_start", "active"),
        ("consultant",),
    ),
    Visit("assessment", "trajectories:assessment", url("trajectories:assessment", "assessment"), ("consultant",)),
    Visit("release form", "trajectories:release", url("trajectories:release", "active"), ("consultant",)),
    Visit("aftercare", "trajectories:aftercare", url("trajectories:aftercare", "aftercare"), ("consultant",)),
    Visit(
        "court conditions",
        "trajectories:court_conditions",
        url("trajectories:court_conditions", "aftercare"),
        ("consultant",),
    ),
    Visit("referral form", "trajectories:refer", url("trajectories:refer", "closed_detainee"), ("consultant",)),
    Visit("actions", "trajectories:actions", url("trajectories:actions"), CASE_STAFF),
    Visit(
        "file: referrals",
        "trajectories:file_referrals",
        url("trajectories:file_referrals", "detainee"),
        ("consultant",),
    ),
    Visit(
        "partner referral form",
        "trajectories:partner_referral_create",
        url("trajectories:partner_referral_create", "detainee"),
        ("consultant",),
    ),
    Visit(
        "partner referrals",
        "trajectories:partner_referrals",
        url("trajectories:partner_referrals"),
        ("consultant", "partner"),
    ),
    Visit(
        "partner referral",
        "trajectories:partner_referral",
        url("trajectories:partner_referral", "referral"),
        ("partner",),
    ),
    Visit("referral inbox", "trajectories:inbox", url("trajectories:inbox"), ("manager",)),
    Visit("assign", "trajectories:assign", url("trajectories:assign", "referred"), ("manager",)),
    # The diary.
    Visit("diary week", "diary:week", url("diary:week"), ("consultant",)),
    Visit("plan a contact", "diary:create", url("diary:create"), ("consultant",)),
    Visit(
        "plan a contact for a detainee",
        "diary:create",
        lambda site: reverse("diary:create") + f"?gedetineerde={site['detainee']}",
        ("consultant",),
    ),
    Visit("planned contact edit", "diary:update", url("diary:update", "planned_contact"), ("consultant",)),
    Visit("log a planned contact", "diary:log", url("diary:log", "planned_contact"), ("consultant",)),
    Visit("planned vs held", "diary:overview", url("diary:overview"), ("manager",)),
    # Case conferences.
    Visit(
        "calendar",
        "casusoverleg:calendar",
        url("casusoverleg:calendar"),
        ("director", "consultant", "partner"),
        ready=".fc-view",
        states=(
            ("calendar: month", calendar_view("dayGridMonth", ".fc-daygrid")),
            ("calendar: day", calendar_view("timeGridDay", ".fc-timegrid")),
        ),
    ),
    Visit("my actions", "casusoverleg:my_actions", url("casusoverleg:my_actions"), ("director", "partner")),
    Visit("verify a copy", "casusoverleg:verify_copy", url("casusoverleg:verify_copy"), ("director", "partner", "dpo")),
    Visit("standing members", "casusoverleg:standing_members", url("casusoverleg:standing_members"), ("director",)),
    Visit(
        "conferences after a transfer",
        "casusoverleg:transfers",
        url("casusoverleg:transfers"),
        ("director", "consultant"),
    ),
    Visit("conference list", "casusoverleg:list", url("casusoverleg:list"), ("director", "consultant")),
    Visit("conference form", "casusoverleg:create", url("casusoverleg:create"), ("director",)),
    Visit("conference (approved)", "casusoverleg:detail", url("casusoverleg:detail", "approved"), ("director",)),
    Visit("conference (planned)", "casusoverleg:detail", url("casusoverleg:detail", "planned"), ("director",)),
    Visit(
        "conference (partner)", "casusoverleg:detail", url("casusoverleg:detail", "partner_conference"), ("partner",)
    ),
    Visit("conference move", "casusoverleg:move", url("casusoverleg:move", "planned"), ("director",)),
    Visit(
        "minutes editor", "casusoverleg:minutes_editor", url("casusoverleg:minutes_editor", "planned"), ("director",)
    ),
    Visit(
        "referral priority",
        "casusoverleg:referral_priority",
        url("casusoverleg:referral_priority", "approved"),
        ("director",),
    ),
    # Reporting.
    Visit(
        "manager dashboard",
        "reporting:manager_dashboard",
        url("reporting:manager_dashboard"),
        ("manager",),
        ready="canvas",
    ),
    Visit(
        "figure list",
        "reporting:figure_list",
        lambda site: reverse("reporting:figure_list", args=["waiting"]),
        ("manager",),
    ),
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
    Visit(
        "subject access: file",
        "privacy:subject_access_detail",
        url("privacy:subject_access_detail", "detainee"),
        ("dpo",),
    ),
]

# Named URLs of our apps that are not pages of their own, and why.
NOT_PAGES = {
    # POST-only actions: they redirect to a page that is checked.
    **dict.fromkeys(
        [
            "casework:consent_withdraw",
            "casework:detainee_import_confirm",
            "casework:detainee_import_check",
            "casework:detainee_delist",
            "account_token_revoke",
            "notifications:read",
            "notifications:open",
            "notifications:read_all",
            "trajectories:action_status",
            "trajectories:aftercare_close",
            "trajectories:aftercare_length",
            "trajectories:follow_up_record",
            "trajectories:handover_request",
            "trajectories:assessment_correct",
            "casusoverleg:cancel",
            "casusoverleg:confirm_date",
            "casusoverleg:participant_add",
            "casusoverleg:participant_remove",
            "casusoverleg:participant_respond",
            "casusoverleg:attendance",
            "casusoverleg:agenda_refresh",
            "casusoverleg:agenda_item_add",
            "casusoverleg:agenda_item_remove",
            "casusoverleg:cadence",
            "casusoverleg:minutes_approve",
            "casusoverleg:minutes_correct",
            "diary:cancel",
            "casusoverleg:standing_member_remove",
            "privacy:retention_run",
            "privacy:retention_anonymise",
            "privacy:legal_hold",
            "privacy:subject_access_download",
            "mfa_deactivate_totp",
            "account_sessions_end_others",
            "notifications:mail_settings",
            "casusoverleg:my_action_update",
            "trajectories:partner_referral_respond",
            "trajectories:partner_referral_close",
            "trajectories:partner_referral_withdraw",
            "trajectories:reporting_deadline_add",
            "trajectories:reporting_deadline_cancel",
            "trajectories:court_report_create",
        ],
        "POST action",
    ),
    # Files, not HTML.
    **dict.fromkeys(
        [
            "casework:detainee_import_sample",
            "casework:consent_document",
            "trajectories:handover_download",
            "trajectories:court_report_download",
            "casusoverleg:events",
            "casusoverleg:feed",
            "casusoverleg:minutes_pdf",
            "reporting:yearly_export",
            "reporting:research_extract_file",
            "mfa_download_recovery_codes",
            "favicon",
        ],
        "download (CSV, PDF, JSON, iCalendar)",
    ),
    # Fragments that htmx loads into a page that is checked.
    **dict.fromkeys(
        ["notifications:bell", "trajectories:panel_actions", "trajectories:panel_referrals"],
        "htmx fragment of a checked page",
    ),
    # Steps of allauth flows this product does not offer (no sign-up, no e-mail login; the administrator
    # resets passwords) or that only appear inside a flow that is checked.
    **dict.fromkeys(
        [
            "account_signup",
            "account_inactive",
            "account_email",
            "account_email_verification_sent",
            "account_confirm_email",
            "account_set_password",
            "account_confirm_login_code",
            "account_reset_password_done",
            "account_reset_password_from_key",
            "account_reset_password_from_key_done",
            "account_reauthenticate",
            "mfa_reauthenticate",
        ],
        "allauth step not offered in this product",
    ),
    # The demo has no conference flagged by a transfer; axe checks the decision page in the transfer journey.
    "casusoverleg:transfer_resolve": "checked in tests/browser/test_transfer_journey.py",
    "mfa_authenticate": "checked inside the admin's login (second factor)",
    "set_language": "POST action",
    "language_set": "POST action (the language switch in the header)",
    "healthz": "health endpoint",
    "readyz": "health endpoint",
}
IGNORED_PREFIXES = ("api/", "beheer/")  # the API (fuzzed from its schema) and Django's admin site
