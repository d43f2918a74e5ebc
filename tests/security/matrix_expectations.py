"""Expected statuses of the permission matrix (tests/security/test_permission_matrix.py).

One row per URL pattern (keyed by view name): for GET and POST, the status per persona, in the order
of PERSONAS. Reviewed against docs/design.md §4: case staff see their organisation's files (404 for other
organisations), directors their prisons' files without sessions, network or consents, partners only
what a consent scope of their organisation covers, admin and dpo no case content, the dpo alone the
logs, retention and the subject-access export. 403 appears where the reader may see the record but
not change it, or on pages that are not about a record; 405 where the method is not offered.
Several statuses separated by "|" are all acceptable (e.g. a form re-rendered or redirected).
"""

PERSONAS = ["anonymous", "consultant", "colleague", "outsider", "manager", "director", "other_director",
            "partner_with_consent", "partner_without_consent", "admin", "dpo"]
# The admin site holds no case content; who may use it, per role and per model, is walked in
# tests/accounts/test_admin_site.py (its login goes through allauth, tested in test_authentication).
# Django's language switch is not case content either.
IGNORED_PREFIXES = ("beheer/", "i18n/")


def row(get: str, post: str | None = None) -> dict[str, dict[str, set[int]]]:
    """`get`/`post`: eleven statuses separated by spaces, in PERSONAS order."""
    result = {}
    for method, line in (("get", get), ("post", post)):
        if line is None:
            continue
        codes = line.split()
        assert len(codes) == len(PERSONAS), line
        result[method] = {persona: {int(code) for code in codes[i].split("|")} for i, persona in enumerate(PERSONAS)}
    return result


#        an  co  cl  ou  ma  di  od  pw  po  ad  dp
EXPECTED: dict[str, dict[str, dict[str, set[int]]]] = {
    "healthz": row(
        "200 200 200 200 200 200 200 200 200 200 200",
        "405 405 405 405 405 405 405 405 405 405 405"),
    # The icon browsers ask for at the root: a redirect to the static file, for everyone.
    "favicon": row(
        "301 301 301 301 301 301 301 301 301 301 301",
        "405 405 405 405 405 405 405 405 405 405 405"),
    # Readiness depends on a running worker and beat, not on the caller.
    "readyz": row(
        "200|503 200|503 200|503 200|503 200|503 200|503 200|503 200|503 200|503 200|503 200|503",
        "405 405 405 405 405 405 405 405 405 405 405"),
    # The language switch in the header (accounts/views.py): POST only; without a valid language a 400.
    "language_set": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 400 400 400 400 400 400 400 400 400 400"),
    # Personal access tokens (accounts/views_tokens.py): everyone's own list; creating needs a second factor
    # (none of the personas has one here: back to the page with a message); revoking an unknown token is a 404.
    "account_tokens": row(
        "302 200 200 200 200 200 200 200 200 200 200",
        "302 302 302 302 302 302 302 302 302 302 302"),
    # The profile page (accounts/views_profile.py): everyone's own; its actions are POSTs that come back to it.
    "account_profile": row(
        "302 200 200 200 200 200 200 200 200 200 200",
        "302 405 405 405 405 405 405 405 405 405 405"),
    "account_sessions_end_others": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 302 302 302 302 302 302 302 302 302 302"),
    "account_token_revoke": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 404 404 404 404 404 404"),
    # An invitation's link (accounts/views_invitation.py): a made-up token is the clear "unknown link" page for
    # everyone, logged in or not (the real links are walked in tests/accounts/test_invitations.py).
    "account_invitation": row(
        "404 404 404 404 404 404 404 404 404 404 404",
        "404 404 404 404 404 404 404 404 404 404 404"),
    "account_login": row(
        "200 302 302 302 302 302 302 302 302 302 302",
        "200 302 302 302 302 302 302 302 302 302 302"),
    "account_logout": row(
        "302 200 200 200 200 200 200 200 200 200 200",
        "302 302 302 302 302 302 302 302 302 302 302"),
    "account_inactive": row(
        "200 200 200 200 200 200 200 200 200 200 200",
        "405 405 405 405 405 405 405 405 405 405 405"),
    "account_signup": row(
        "200 302 302 302 302 302 302 302 302 302 302",
        "200 302 302 302 302 302 302 302 302 302 302"),
    "account_reauthenticate": row(
        "302 200 200 200 200 200 200 200 200 200 200",
        "302 200 200 200 200 200 200 200 200 200 200"),
    "account_email": row(
        "302 200 200 200 200 200 200 200 200 200 200",
        "302 302 302 302 302 302 302 302 302 302 302"),
    "account_email_verification_sent": row(
        "200 200 200 200 200 200 200 200 200 200 200",
        "405 405 405 405 405 405 405 405 405 405 405"),
    "account_change_password": row(
        "302 200 200 200 200 200 200 200 200 200 200",
        "302 200 200 200 200 200 200 200 200 200 200"),
    "account_set_password": row(
        "302 302 302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302 302 302"),
    "account_reset_password": row(
        "200 200 200 200 200 200 200 200 200 200 200",
        "200 200 200 200 200 200 200 200 200 200 200"),
    "account_confirm_login_code": row(
        "302 302 302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302 302 302"),
    "account_confirm_email": row(
        "200 200 200 200 200 200 200 200 200 200 200",
        "404 404 404 404 404 404 404 404 404 404 404"),
    "account_reset_password_from_key_done": row(
        "200 200 200 200 200 200 200 200 200 200 200",
        "405 405 405 405 405 405 405 405 405 405 405"),
    "account_reset_password_from_key": row(
        "200 200 200 200 200 200 200 200 200 200 200",
        "200 200 200 200 200 200 200 200 200 200 200"),
    "account_reset_password_done": row(
        "200 200 200 200 200 200 200 200 200 200 200",
        "405 405 405 405 405 405 405 405 405 405 405"),
    "mfa_index": row(
        "302 200 200 200 200 200 200 200 200 200 200",
        "302 405 405 405 405 405 405 405 405 405 405"),
    "mfa_authenticate": row(
        "302 302 302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302 302 302"),
    "mfa_reauthenticate": row(
        "302 302 302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302 302 302"),
    "mfa_activate_totp": row(
        "302 302 302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302 302 302"),
    "mfa_deactivate_totp": row(
        "302 404 404 404 404 404 404 404 404 404 404",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "mfa_view_recovery_codes": row(
        "302 404 404 404 404 404 404 404 404 404 404",
        "302 405 405 405 405 405 405 405 405 405 405"),
    "mfa_generate_recovery_codes": row(
        "302 302 302 302 302 302 302 302 302 302 302",
        "302 302 302 302 302 302 302 302 302 302 302"),
    "mfa_download_recovery_codes": row(
        "302 404 404 404 404 404 404 404 404 404 404",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "prison-list": row(
        "403 200 200 200 200 200 200 200 200 200 200",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "prison-detail": row(
        "403 404 404 404 404 404 404 404 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "organisation-list": row(
        "403 200 200 200 200 200 200 200 200 200 200",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "organisation-detail": row(
        "403 404 404 404 404 404 404 404 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "life-domain-list": row(
        "403 200 200 200 200 200 200 200 200 200 200",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "life-domain-detail": row(
        "403 404 404 404 404 404 404 404 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "detainee-list": row(
        "403 200 200 200 200 200 200 200 200 200 200",
        "403 400 400 400 400 403 403 403 403 403 403"),
    "detainee-detail": row(
        "403 200 200 404 200 200 404 200 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    # The API's merge (POST; `dry_run` previews): without the other file's number a 400 for the manager.
    "detainee-merge": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 403 403 404 400 403 404 403 404 404 404"),
    "detainee-listing-list": row(
        "403 200 200 404 200 200 404 404 404 404 404",
        "403 400 400 404 400 403 404 404 404 404 404"),
    "detainee-placement-list": row(
        "403 200 200 404 200 200 404 200 404 404 404",
        "403 400 400 404 400 403 404 403 404 404 404"),
    # Transfers of a file (ADR 0040): like its placements; an empty POST is a field error for the case staff.
    "detainee-transfer-list": row(
        "403 200 200 404 200 200 404 200 404 404 404",
        "403 400 400 404 400 403 404 403 404 404 404"),
    # Conferences flagged by transfers: everyone's own (empty) list here; walked per role with a real transfer in
    # tests/security/test_transfer_matrix.py.
    "transfer-flag-list": row(
        "403 200 200 200 200 200 200 200 200 200 200",
        "403 405 405 405 405 405 405 405 405 405 405"),
    # The sample conference was never flagged: whoever sees it reads an empty list, nobody can decide (404).
    "conference-transfer": row(
        "403 200 200 404 200 200 404 404 404 404 404",
        "403 404 404 404 404 404 404 404 404 404 404"),
    "detainee-consent-list": row(
        "403 200 200 404 200 404 404 404 404 404 404",
        "403 400 400 404 400 404 404 404 404 404 404"),
    "detainee-network-list": row(
        "403 200 200 404 200 404 404 404 404 404 404",
        "403 400 400 404 400 404 404 404 404 404 404"),
    "consent-withdraw": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 200 200 404 200 404 404 404 404 404 404"),
    "session-list": row(
        "403 200 200 200 200 200 200 200 200 200 200",
        "403 400 400 400 400 400 400 400 400 400 400"),
    "session-detail": row(
        "403 200 200 404 200 404 404 200 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "detainee-import-list": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 403 403 403 400 403 403 403 403 403 403"),
    "api-root": row(
        "403 200 200 200 200 200 200 200 200 200 200",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "notification-list": row(
        "403 200 200 200 200 200 200 200 200 200 200",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "notification-read-all": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 200 200 200 200 200 200 200 200 200 200"),
    "notification-detail": row(
        "403 404 404 404 404 404 404 404 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "notification-read": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 404 404 404 404 404 404 404 404 404 404"),
    "trajectory-release": row(
        "403 404 404 404 404 404 404 404 404 404 404",
        "403 400 400 404 400 404 404 404 404 404 404"),
    # Handover packages are work of the file's case staff, like the aftercare page.
    "trajectory-handover-packages": row(
        "403 200 200 404 200 404 404 404 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    # The court's conditions (ADR 0042): work of the file's case staff, like the aftercare. POST without a body
    # is a 400 for them; a condition, deadline or report the matrix does not hold is a 404 for everyone.
    "trajectory-court-conditions": row(
        "403 200 200 404 200 404 404 404 404 404 404",
        "403 400 400 404 400 404 404 404 404 404 404"),
    "court-condition-deadlines": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 404 404 404 404 404 404 404 404 404 404"),
    "court-condition-reports": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 404 404 404 404 404 404 404 404 404 404"),
    "reporting-deadline-cancel": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 404 404 404 404 404 404 404 404 404 404"),
    "trajectory-list": row(
        "403 200 200 200 200 200 200 200 200 200 200",
        "403 400 400 400 400 400 400 400 400 400 400"),
    "trajectory-detail": row(
        "403 200 200 404 200 200 404 200 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "trajectory-assessments": row(
        "403 200 200 404 200 200 404 404 404 404 404",
        "403 400 400 404 400 403 404 404 404 404 404"),
    "trajectory-assign": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 403 403 404 400 403 404 403 404 404 404"),
    "trajectory-explorations": row(
        "403 200 200 404 200 404 404 200 404 404 404",
        "403 400 400 404 400 404 404 403 404 404 404"),
    "trajectory-goals": row(
        "403 200 200 404 200 404 404 200 404 404 404",
        "403 400 400 404 400 404 404 403 404 404 404"),
    "trajectory-sessions": row(
        "403 200 200 404 200 404 404 200 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "trajectory-transition": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 400 400 404 400 403 404 403 404 404 404"),
    "goal-detail": row(
        "403 200 200 404 200 404 404 200 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "goal-reviews": row(
        "403 200 200 404 200 404 404 200 404 404 404",
        "403 400 400 404 400 404 404 403 404 404 404"),
    # Referrals to partners (ADR 0034): the case staff of the file's organisation and the partner organisation
    # referred to (on its consent with purpose referral) see a referral; everyone else a 404. An empty POST is a
    # 400 with field errors; withdrawing belongs to the case staff (the partner's attempt is a 400).
    "partner-referral-list": row(
        "403 200 200 200 200 200 200 200 200 200 200",
        "403 400 400 400 400 400 400 400 400 400 400"),
    "partner-referral-detail": row(
        "403 200 200 404 200 404 404 200 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "partner-referral-respond": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 400 400 404 400 404 404 400 404 404 404"),
    "partner-referral-close": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 400 400 404 400 404 404 400 404 404 404"),
    "partner-referral-withdraw": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 200 200 404 200 404 404 400 404 404 404"),
    # "My actions" (ADR 0034): everyone's own list; the sample action is a goal's, owned by nobody's list: 404.
    "my-action-list": row(
        "403 200 200 200 200 200 200 200 200 200 200",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "my-action-updates": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 404 404 404 404 404 404 404 404 404 404"),
    "action-list": row(
        "403 200 200 200 200 200 200 200 200 200 200",
        "403 400 400 400 400 400 400 400 400 400 400"),
    "action-detail": row(
        "403 200 200 404 200 404 404 404 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "assessment-detail": row(
        "403 404 404 404 404 404 404 404 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "assessment-correct": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 404 404 404 404 404 404 404 404 404 404"),
    "assessment-finalise": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 404 404 404 404 404 404 404 404 404 404"),
    "conference-minutes-pdf-exact": row(
        "403 404 404 404 404 404 404 404 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "conference-list": row(
        "403 200 200 200 200 200 200 200 200 200 200",
        "403 404 404 404 404 400 400 404 404 404 404"),
    # Meetings outside detention are planned by their organiser only (ADR 0041; walked for the organiser in
    # tests/security/test_organiser_matrix.py): every persona here is refused with the 404 of a missing route.
    "conference-meetings": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 404 404 404 404 404 404 404 404 404 404"),
    "conference-detail": row(
        "403 200 200 404 200 200 404 404 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "conference-approve": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 400 400 404 400 400 404 404 404 404 404"),
    "conference-minutes": row(
        "403 200 200 404 200 200 404 404 404 404 404",
        "403 405 405 405 405 405 405 405 405 405 405"),
    # The conference's decision on a waiting referral's priority (ADR 0044): its chair (the director) or minute
    # taker; an empty body is a 400 with field errors, everyone else a 404.
    "conference-referral-priority": row(
        "403 405 405 405 405 405 405 405 405 405 405",
        "403 404 404 404 404 400 404 404 404 404 404"),
    "conference-participants": row(
        "403 200 200 404 200 200 404 404 404 404 404",
        "403 404 404 404 404 400 404 404 404 404 404"),
    "report-yearly-list": row(
        "403 403 403 403 200 403 403 403 403 403 403",
        "403 405 405 405 405 405 405 405 405 405 405"),
    "api-schema": row(
        "403 200 200 200 200 200 200 403 403 200 200",
        "403 405 405 405 405 405 405 403 403 405 405"),
    "api-docs": row(
        "403 200 200 200 200 200 200 403 403 200 200",
        "403 405 405 405 405 405 405 403 403 405 405"),
    "notifications:list": row(
        "302 200 200 200 200 200 200 200 200 200 200",
        "302 405 405 405 405 405 405 405 405 405 405"),
    "notifications:bell": row(
        "302 200 200 200 200 200 200 200 200 200 200",
        "302 405 405 405 405 405 405 405 405 405 405"),
    "notifications:mail_settings": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 302 302 302 302 302 302 302 302 302 302"),
    "notifications:read_all": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 302 302 302 302 302 302 302 302 302 302"),
    "notifications:read": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "notifications:open": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "trajectories:inbox": row(
        "302 404 404 404 200 404 404 404 404 404 404",
        "302 404 404 404 200 404 404 404 404 404 404"),
    "trajectories:panel_actions": row(
        "302 200 200 200 200 404 404 404 404 404 404",
        "302 200 200 200 200 404 404 404 404 404 404"),
    "trajectories:panel_referrals": row(
        "302 404 404 404 200 404 404 404 404 404 404",
        "302 404 404 404 200 404 404 404 404 404 404"),
    # Referrals to partners (ADR 0034): the file's tab and the form for its case staff; the list for case staff
    # (their organisation's) and partners (referrals to their own); a referral for the file's case staff and the
    # partner referred to. Empty answers are a 400 with the form's errors; withdrawing comes back to the page.
    "trajectories:file_referrals": row(
        "302 200 200 404 200 404 404 404 404 404 404",
        "302 405 405 405 405 405 405 405 405 405 405"),
    "trajectories:partner_referral_create": row(
        "302 200 200 404 200 404 404 404 404 404 404",
        "302 400 400 404 400 404 404 404 404 404 404"),
    "trajectories:partner_referrals": row(
        "302 200 200 200 200 404 404 200 200 404 404",
        "302 405 405 405 405 405 405 405 405 405 405"),
    "trajectories:partner_referral": row(
        "302 200 200 404 200 404 404 200 404 404 404",
        "302 405 405 405 405 405 405 405 405 405 405"),
    "trajectories:partner_referral_respond": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 400 400 404 400 404 404 400 404 404 404"),
    "trajectories:partner_referral_close": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 400 400 404 400 404 404 400 404 404 404"),
    "trajectories:partner_referral_withdraw": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 302 302 404 302 404 404 302 404 404 404"),
    "trajectories:actions": row(
        "302 200 200 200 200 404 404 404 404 404 404",
        "302 200 200 200 200 404 404 404 404 404 404"),
    "trajectories:action_status": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 302 302 404 302 404 404 404 404 404 404"),
    "trajectories:file_tab": row(
        "302 200 200 404 200 200 404 200 404 404 404",
        "302 200 200 404 200 200 404 200 404 404 404"),
    "trajectories:refer": row(
        "302 200 200 404 200 404 404 404 404 404 404",
        "302 200 200 404 200 404 404 404 404 404 404"),
    "trajectories:detail": row(
        "302 200 200 404 200 200 404 200 404 404 404",
        "302 200 200 404 200 200 404 200 404 404 404"),
    "trajectories:transition": row(
        "302 200 200 404 200 403 404 403 404 404 404",
        "302 200 200 404 200 403 404 403 404 404 404"),
    "trajectories:aftercare": row(
        "302 200 200 404 200 404 404 404 404 404 404",
        "302 200 200 404 200 404 404 404 404 404 404"),
    "trajectories:release": row(
        "302 200 200 404 200 404 404 404 404 404 404",
        "302 200 200 404 200 404 404 404 404 404 404"),
    "trajectories:aftercare_close": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 302 302 404 302 404 404 404 404 404 404"),
    "trajectories:aftercare_length": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 302 302 404 302 404 404 404 404 404 404"),
    "trajectories:follow_up_record": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "trajectories:handover_request": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 302 302 404 302 404 404 404 404 404 404"),
    "trajectories:handover_download": row(
        "302 404 404 404 404 404 404 404 404 404 404",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "trajectories:court_conditions": row(
        "302 200 200 404 200 404 404 404 404 404 404",
        "302 400 400 404 400 404 404 404 404 404 404"),
    "trajectories:reporting_deadline_add": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "trajectories:reporting_deadline_cancel": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "trajectories:court_report_create": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "trajectories:court_report_download": row(
        "302 404 404 404 404 404 404 404 404 404 404",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "trajectories:assign": row(
        "302 403 403 404 200 403 404 403 404 404 404",
        "302 403 403 404 200 403 404 403 404 404 404"),
    "trajectories:exploration": row(
        "302 200 200 404 200 403 404 403 404 404 404",
        "302 200 200 404 200 403 404 403 404 404 404"),
    "trajectories:goal_create": row(
        "302 200 200 404 200 403 404 403 404 404 404",
        "302 200 200 404 200 403 404 403 404 404 404"),
    "trajectories:action_create": row(
        "302 200 200 404 200 403 404 403 404 404 404",
        "302 200 200 404 200 403 404 403 404 404 404"),
    "trajectories:assessment_start": row(
        "302 200 200 404 200 403 404 403 404 404 404",
        "302 200 200 404 200 403 404 403 404 404 404"),
    "trajectories:goal_update": row(
        "302 200 200 404 200 404 404 404 404 404 404",
        "302 200 200 404 200 404 404 404 404 404 404"),
    "trajectories:goal_review": row(
        "302 200 200 404 200 404 404 404 404 404 404",
        "302 200 200 404 200 404 404 404 404 404 404"),
    "trajectories:assessment": row(
        "302 404 404 404 404 404 404 404 404 404 404",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "trajectories:assessment_correct": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "casusoverleg:calendar": row(
        "302 200 200 200 200 200 200 200 200 404 404",
        "302 200 200 200 200 200 200 200 200 404 404"),
    "casusoverleg:events": row(
        "302 400 400 400 400 400 400 400 400 400 400",
        "302 405 405 405 405 405 405 405 405 405 405"),
    "casusoverleg:list": row(
        "302 200 200 200 200 200 200 200 200 200 200",
        "302 200 200 200 200 200 200 200 200 200 200"),
    "casusoverleg:create": row(
        "302 404 404 404 404 200 200 404 404 404 404",
        "302 404 404 404 404 200 200 404 404 404 404"),
    "casusoverleg:meeting_create": row(
        "302 404 404 404 404 404 404 404 404 404 404",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "casusoverleg:cadence": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "casusoverleg:feed_settings": row(
        "302 200 200 200 200 200 200 200 200 200 200",
        "302 302 302 302 302 302 302 302 302 302 302"),
    # Checking a copy: everyone signed in (an empty POST is a form error); details only for the DPO and the
    # chair, in tests/casusoverleg/test_verify_copy.py.
    # "My actions" (ADR 0034): everyone's own list of conference actions; the sample action is a goal's (no
    # conference), so nobody owns it there: 404.
    "casusoverleg:my_actions": row(
        "302 200 200 200 200 200 200 200 200 200 200",
        "302 405 405 405 405 405 405 405 405 405 405"),
    "casusoverleg:my_action_update": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "casusoverleg:verify_copy": row(
        "302 200 200 200 200 200 200 200 200 200 200",
        "302 400 400 400 400 400 400 400 400 400 400"),
    # A prison's standing conference team (ADR 0033): kept by its directors; another prison's director sees his
    # own (empty) team and the form (an empty POST is a form error), and cannot remove this prison's member.
    "casusoverleg:standing_members": row(
        "302 404 404 404 404 200 200 404 404 404 404",
        "302 404 404 404 404 200 200 404 404 404 404"),
    "casusoverleg:standing_member_remove": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 302 404 404 404 404 404"),
    # Conferences after a transfer (ADR 0040): directors and case staff (their own, here empty, list); the sample
    # conference was never flagged, so its decision page does not exist. With a real transfer:
    # tests/security/test_transfer_matrix.py.
    "casusoverleg:transfers": row(
        "302 200 200 200 200 200 200 404 404 404 404",
        "302 405 405 405 405 405 405 405 405 405 405"),
    "casusoverleg:transfer_resolve": row(
        "302 404 404 404 404 404 404 404 404 404 404",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "casusoverleg:feed": row(
        "404 404 404 404 404 404 404 404 404 404 404",
        "405 405 405 405 405 405 405 405 405 405 405"),
    "casusoverleg:file_conferences": row(
        "302 200 200 404 200 200 404 404|200 404 404 404",
        "302 200 200 404 200 200 404 404|200 404 404 404"),
    "casusoverleg:detail": row(
        "302 200 200 404 200 200 404 404 404 404 404",
        "302 200 200 404 200 200 404 404 404 404 404"),
    "casusoverleg:move": row(
        "302 404 404 404 404 200 404 404 404 404 404",
        "302 404 404 404 404 200 404 404 404 404 404"),
    "casusoverleg:cancel": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 302 404 404 404 404 404"),
    "casusoverleg:confirm_date": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 302 404 404 404 404 404"),
    "casusoverleg:participant_add": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 302 404 404 404 404 404"),
    "casusoverleg:participant_remove": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 302 404 404 404 404 404"),
    "casusoverleg:participant_respond": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 302 404 404 404 404 404"),
    "casusoverleg:attendance": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 302 404 404 404 404 404"),
    "casusoverleg:agenda_refresh": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 302 404 404 404 404 404"),
    "casusoverleg:agenda_item_add": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 302 404 404 404 404 404"),
    "casusoverleg:agenda_item_remove": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 302 404 404 404 404 404"),
    "casusoverleg:minutes_editor": row(
        "302 404 404 404 404 200 404 404 404 404 404",
        "302 404 404 404 404 400 404 404 404 404 404"),
    "casusoverleg:minutes_approve": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 302 302 404 302 302 404 404 404 404 404"),
    "casusoverleg:minutes_correct": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 302 302 404 302 302 404 404 404 404 404"),
    # The priority of the detainee's waiting referral (ADR 0044): the chair (the director) or the minute taker of
    # the conference; the sample conference is planned, so the form explains that and an empty POST is a form error.
    "casusoverleg:referral_priority": row(
        "302 404 404 404 404 200 404 404 404 404 404",
        "302 404 404 404 404 200 404 404 404 404 404"),
    "casusoverleg:minutes_pdf": row(
        "302 404 404 404 404 404 404 404 404 404 404",
        "302 404 404 404 404 404 404 404 404 404 404"),
    "reporting:manager_dashboard": row(
        "302 403 403 403 200 403 403 403 403 403 403",
        "302 403 403 403 200 403 403 403 403 403 403"),
    "reporting:figure_list": row(
        "302 403 403 403 200 403 403 403 403 403 403",
        "302 403 403 403 200 403 403 403 403 403 403"),
    "reporting:director_dashboard": row(
        "302 403 403 403 403 200 200 403 403 403 403",
        "302 403 403 403 403 200 200 403 403 403 403"),
    "reporting:yearly": row(
        "302 403 403 403 200 403 403 403 403 403 403",
        "302 403 403 403 200 403 403 403 403 403 403"),
    "reporting:yearly_export": row(
        "302 403 403 403 200 403 403 403 403 403 403",
        "302 403 403 403 200 403 403 403 403 403 403"),
    # The research extract: the manager asks, the dpo decides; an empty form is refused with a message.
    "reporting:research_extracts": row(
        "302 403 403 403 200 403 403 403 403 403 200",
        "302 403 403 403 400 403 403 403 403 403 400"),
    "reporting:research_extract_file": row(
        "302 403 403 403 404 403 403 403 403 403 404",
        "302 403 403 403 404 403 403 403 403 403 404"),
    "privacy:file_disclosures": row(
        "302 200 200 404 200 404 404 404 404 404 404",
        "302 200 200 404 200 404 404 404 404 404 404"),
    "privacy:disclosure_log": row(
        "302 404 404 404 404 404 404 404 404 404 200",
        "302 404 404 404 404 404 404 404 404 404 200"),
    "privacy:access_review": row(
        "302 404 404 404 404 404 404 404 404 404 200",
        "302 404 404 404 404 404 404 404 404 404 200"),
    "privacy:refusal_review": row(
        "302 404 404 404 404 404 404 404 404 404 200",
        "302 404 404 404 404 404 404 404 404 404 200"),
    "privacy:retention": row(
        "302 404 404 404 404 404 404 404 404 404 200",
        "302 404 404 404 404 404 404 404 404 404 200"),
    "privacy:retention_run": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 404 404 404 404 404 302"),
    "privacy:retention_anonymise": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 404 404 404 404 404 302"),
    "privacy:legal_hold": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 404 404 404 404 404 302"),
    "privacy:subject_access": row(
        "302 404 404 404 404 404 404 404 404 404 200",
        "302 404 404 404 404 404 404 404 404 404 200"),
    "privacy:subject_access_detail": row(
        "302 404 404 404 404 404 404 404 404 404 200",
        "302 404 404 404 404 404 404 404 404 404 200"),
    "privacy:subject_access_download": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 404 404 404 404 404 404 404 404 404 200"),
    # The diary: a consultant's own planned contacts (on his own caseload); the manager's planned-vs-held.
    "diary:week": row(
        "302 200 200 200 403 403 403 403 403 403 403",
        "302 200 200 200 403 403 403 403 403 403 403"),
    "diary:create": row(
        "302 200 200 200 403 403 403 403 403 403 403",
        "302 400 400 400 403 403 403 403 403 403 403"),
    "diary:overview": row(
        "302 403 403 403 200 403 403 403 403 403 403",
        "302 403 403 403 200 403 403 403 403 403 403"),
    "diary:update": row(
        "302 200 404 404 404 404 404 404 404 404 404",
        "302 400 404 404 404 404 404 404 404 404 404"),
    "diary:log": row(
        "302 200 404 404 404 404 404 404 404 404 404",
        "302 400 404 404 404 404 404 404 404 404 404"),
    "diary:cancel": row(
        "405 405 405 405 405 405 405 405 405 405 405",
        "302 302 404 404 404 404 404 404 404 404 404"),
    "casework:my_day": row(
        "302 200 200 200 200 200 200 200 200 200 200",
        "302 200 200 200 200 200 200 200 200 200 200"),
    "casework:caseload": row(
        "302 200 200 200 200 200 200 200 200 403 403",
        "302 200 200 200 200 200 200 200 200 403 403"),
    "casework:detainee_create": row(
        "302 200 200 200 200 403 403 403 403 403 403",
        "302 200 200 200 200 403 403 403 403 403 403"),
    "casework:detainee_import": row(
        "302 403 403 403 200 403 403 403 403 403 403",
        "302 403 403 403 200 403 403 403 403 403 403"),
    "casework:detainee_import_check": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 403 403 403 302 403 403 403 403 403 403"),
    "casework:detainee_import_confirm": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 403 403 403 302 403 403 403 403 403 403"),
    "casework:detainee_delist": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 403 403 403 302 403 403 403 403 403 403"),
    "casework:detainee_import_sample": row(
        "302 403 403 403 200 403 403 403 403 403 403",
        "302 403 403 403 200 403 403 403 403 403 403"),
    "casework:detainee_detail": row(
        "302 200 200 404 200 200 404 200 404 404 404",
        "302 200 200 404 200 200 404 200 404 404 404"),
    "casework:detainee_update": row(
        "302 200 200 404 200 403 404 403 404 404 404",
        "302 200 200 404 200 403 404 403 404 404 404"),
    "casework:detainee_case_team": row(
        "302 403 403 404 200 403 404 403 404 404 404",
        "302 403 403 404 200 403 404 403 404 404 404"),
    # Merging two files (ADR 0032): the manager of the file's organisation; who sees the file but may not merge
    # it gets a 403, everyone else the 404 of a file that does not exist. A POST without a second file re-renders
    # the page.
    "casework:detainee_merge": row(
        "302 403 403 404 200 403 404 403 404 404 404",
        "302 403 403 404 200 403 404 403 404 404 404"),
    "casework:file_sessions": row(
        "302 200 200 404 200 404 404 200 404 404 404",
        "302 200 200 404 200 404 404 200 404 404 404"),
    "casework:file_network": row(
        "302 200 200 404 200 404 404 404 404 404 404",
        "302 200 200 404 200 404 404 404 404 404 404"),
    "casework:file_placements": row(
        "302 200 200 404 200 200 404 200 404 404 404",
        "302 200 200 404 200 200 404 200 404 404 404"),
    "casework:file_consents": row(
        "302 200 200 404 200 404 404 404 404 404 404",
        "302 200 200 404 200 404 404 404 404 404 404"),
    "casework:file_history": row(
        "302 200 200 404 200 404 404 404 404 404 404",
        "302 200 200 404 200 404 404 404 404 404 404"),
    "casework:session_create": row(
        "302 200 200 404 403 403 404 403 404 404 404",
        "302 400 400 404 403 403 404 403 404 404 404"),
    "casework:session_update": row(
        "302 200 403 404 403 404 404 403 404 404 404",
        "302 400 403 404 403 404 404 403 404 404 404"),
    "casework:placement_create": row(
        "302 200 200 404 200 403 404 403 404 404 404",
        "302 200 200 404 200 403 404 403 404 404 404"),
    "casework:transfer_create": row(
        "302 200 200 404 200 403 404 403 404 404 404",
        "302 200 200 404 200 403 404 403 404 404 404"),
    "casework:listing_create": row(
        "302 200 200 404 200 403 404 403 404 404 404",
        "302 200 200 404 200 403 404 403 404 404 404"),
    "casework:network_create": row(
        "302 200 200 404 200 403 404 403 404 404 404",
        "302 200 200 404 200 403 404 403 404 404 404"),
    "casework:network_update": row(
        "302 200 200 404 200 403 404 403 404 404 404",
        "302 200 200 404 200 403 404 403 404 404 404"),
    "casework:consent_create": row(
        "302 200 200 404 200 403 404 403 404 404 404",
        "302 200 200 404 200 403 404 403 404 404 404"),
    "casework:consent_withdraw": row(
        "302 405 405 405 405 405 405 405 405 405 405",
        "302 302 302 404 302 403 404 403 404 404 404"),
    "casework:consent_document": row(
        "302 404 404 404 404 404 404 404 404 404 404",
        "302 404 404 404 404 404 404 404 404 404 404"),
}
