"""Expected statuses of the permission matrix: Trajectories."""

from . import row

#        an  co  cl  ou  ma  di  od  pw  po  ad  dp
ROWS: dict[str, dict[str, dict[str, set[int]]]] = {
    "trajectories:inbox": row(
        "302 404 404 404 200 404 404 404 404 404 404", "302 404 404 404 200 404 404 404 404 404 404"
    ),
    "trajectories:panel_actions": row(
        "302 200 200 200 200 404 404 404 404 404 404", "302 200 200 200 200 404 404 404 404 404 404"
    ),
    "trajectories:panel_referrals": row(
        "302 404 404 404 200 404 404 404 404 404 404", "302 404 404 404 200 404 404 404 404 404 404"
    ),
    # Referrals to partners (ADR 0034): the file's tab and the form for its case staff; the list for case staff
    # (their organisation's) and partners (referrals to their own); a referral for the file's case staff and the
    # partner referred to. Empty answers are a 400 with the form's errors; withdrawing comes back to the page.
    "trajectories:file_referrals": row(
        "302 200 200 404 200 404 404 404 404 404 404", "302 405 405 405 405 405 405 405 405 405 405"
    ),
    "trajectories:partner_referral_create": row(
        "302 200 200 404 200 404 404 404 404 404 404", "302 400 400 404 400 404 404 404 404 404 404"
    ),
    "trajectories:partner_referrals": row(
        "302 200 200 200 200 404 404 200 200 404 404", "302 405 405 405 405 405 405 405 405 405 405"
    ),
    "trajectories:partner_referral": row(
        "302 200 200 404 200 404 404 200 404 404 404", "302 405 405 405 405 405 405 405 405 405 405"
    ),
    "trajectories:partner_referral_respond": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 400 400 404 400 404 404 400 404 404 404"
    ),
    "trajectories:partner_referral_close": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 400 400 404 400 404 404 400 404 404 404"
    ),
    "trajectories:partner_referral_withdraw": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 302 302 404 302 404 404 302 404 404 404"
    ),
    "trajectories:actions": row(
        "302 200 200 200 200 404 404 404 404 404 404", "302 200 200 200 200 404 404 404 404 404 404"
    ),
    "trajectories:action_status": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 302 302 404 302 404 404 404 404 404 404"
    ),
    "trajectories:file_tab": row(
        "302 200 200 404 200 200 404 200 404 404 404", "302 200 200 404 200 200 404 200 404 404 404"
    ),
    "trajectories:refer": row(
        "302 200 200 404 200 404 404 404 404 404 404", "302 200 200 404 200 404 404 404 404 404 404"
    ),
    "trajectories:detail": row(
        "302 200 200 404 200 200 404 200 404 404 404", "302 200 200 404 200 200 404 200 404 404 404"
    ),
    "trajectories:transition": row(
        "302 200 200 404 200 403 404 403 404 404 404", "302 200 200 404 200 403 404 403 404 404 404"
    ),
    "trajectories:aftercare": row(
        "302 200 200 404 200 404 404 404 404 404 404", "302 200 200 404 200 404 404 404 404 404 404"
    ),
    "trajectories:release": row(
        "302 200 200 404 200 404 404 404 404 404 404", "302 200 200 404 200 404 404 404 404 404 404"
    ),
    "trajectories:aftercare_close": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 302 302 404 302 404 404 404 404 404 404"
    ),
    "trajectories:aftercare_length": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 302 302 404 302 404 404 404 404 404 404"
    ),
    "trajectories:follow_up_record": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404 404 404"
    ),
    "trajectories:handover_request": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 302 302 404 302 404 404 404 404 404 404"
    ),
    "trajectories:handover_download": row(
        "302 404 404 404 404 404 404 404 404 404 404", "302 404 404 404 404 404 404 404 404 404 404"
    ),
    "trajectories:assign": row(
        "302 403 403 404 200 403 404 403 404 404 404", "302 403 403 404 200 403 404 403 404 404 404"
    ),
    "trajectories:exploration": row(
        "302 200 200 404 200 403 404 403 404 404 404", "302 200 200 404 200 403 404 403 404 404 404"
    ),
    "trajectories:goal_create": row(
        "302 200 200 404 200 403 404 403 404 404 404", "302 200 200 404 200 403 404 403 404 404 404"
    ),
    "trajectories:action_create": row(
        "302 200 200 404 200 403 404 403 404 404 404", "302 200 200 404 200 403 404 403 404 404 404"
    ),
    "trajectories:assessment_start": row(
        "302 200 200 404 200 403 404 403 404 404 404", "302 200 200 404 200 403 404 403 404 404 404"
    ),
    "trajectories:goal_update": row(
        "302 200 200 404 200 404 404 404 404 404 404", "302 200 200 404 200 404 404 404 404 404 404"
    ),
    "trajectories:goal_review": row(
        "302 200 200 404 200 404 404 404 404 404 404", "302 200 200 404 200 404 404 404 404 404 404"
    ),
    "trajectories:assessment": row(
        "302 404 404 404 404 404 404 404 404 404 404", "302 404 404 404 404 404 404 404 404 404 404"
    ),
    "trajectories:assessment_correct": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404 404 404"
    ),
    # The court's conditions (ADR 0042): work of the file's case staff, like the aftercare. POST without a body
    # is a 400 for them; a condition, deadline or report the matrix does not hold is a 404 for everyone.
    "trajectory-court-conditions": row(
        "403 200 200 404 200 404 404 404 404 404 404", "403 400 400 404 400 404 404 404 404 404 404"
    ),
    "court-condition-deadlines": row(
        "403 405 405 405 405 405 405 405 405 405 405", "403 404 404 404 404 404 404 404 404 404 404"
    ),
    "court-condition-reports": row(
        "403 405 405 405 405 405 405 405 405 405 405", "403 404 404 404 404 404 404 404 404 404 404"
    ),
    "reporting-deadline-cancel": row(
        "403 405 405 405 405 405 405 405 405 405 405", "403 404 404 404 404 404 404 404 404 404 404"
    ),
    "trajectories:court_conditions": row(
        "302 200 200 404 200 404 404 404 404 404 404", "302 400 400 404 400 404 404 404 404 404 404"
    ),
    "trajectories:reporting_deadline_add": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404 404 404"
    ),
    "trajectories:reporting_deadline_cancel": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404 404 404"
    ),
    "trajectories:court_report_create": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404 404 404"
    ),
    "trajectories:court_report_download": row(
        "302 404 404 404 404 404 404 404 404 404 404", "302 404 404 404 404 404 404 404 404 404 404"
    ),
}
