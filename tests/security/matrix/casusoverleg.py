"""Expected statuses of the permission matrix: Case conferences."""

from . import row

#        an  co  cl  ou  ma  di  od  pw  po  ad  dp
ROWS: dict[str, dict[str, dict[str, set[int]]]] = {
    "casusoverleg:calendar": row(
        "302 200 200 200 200 200 200 200 200 404 404", "302 200 200 200 200 200 200 200 200 404 404"
    ),
    "casusoverleg:events": row(
        "302 400 400 400 400 400 400 400 400 400 400", "302 405 405 405 405 405 405 405 405 405 405"
    ),
    "casusoverleg:list": row(
        "302 200 200 200 200 200 200 200 200 200 200", "302 200 200 200 200 200 200 200 200 200 200"
    ),
    "casusoverleg:create": row(
        "302 404 404 404 404 200 200 404 404 404 404", "302 404 404 404 404 200 200 404 404 404 404"
    ),
    "casusoverleg:cadence": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404 404 404"
    ),
    "casusoverleg:feed_settings": row(
        "302 200 200 200 200 200 200 200 200 200 200", "302 302 302 302 302 302 302 302 302 302 302"
    ),
    # Checking a copy: everyone signed in (an empty POST is a form error); details only for the DPO and the
    # chair, in tests/casusoverleg/test_verify_copy.py.
    # "My actions" (ADR 0034): everyone's own list of conference actions; the sample action is a goal's (no
    # conference), so nobody owns it there: 404.
    "casusoverleg:my_actions": row(
        "302 200 200 200 200 200 200 200 200 200 200", "302 405 405 405 405 405 405 405 405 405 405"
    ),
    "casusoverleg:my_action_update": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 404 404 404 404 404 404"
    ),
    "casusoverleg:verify_copy": row(
        "302 200 200 200 200 200 200 200 200 200 200", "302 400 400 400 400 400 400 400 400 400 400"
    ),
    # A prison's standing conference team (ADR 0033): kept by its directors; another prison's director sees his
    # own (empty) team and the form (an empty POST is a form error), and cannot remove this prison's member.
    "casusoverleg:standing_members": row(
        "302 404 404 404 404 200 200 404 404 404 404", "302 404 404 404 404 200 200 404 404 404 404"
    ),
    "casusoverleg:standing_member_remove": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 302 404 404 404 404 404"
    ),
    "casusoverleg:feed": row(
        "404 404 404 404 404 404 404 404 404 404 404", "405 405 405 405 405 405 405 405 405 405 405"
    ),
    "casusoverleg:file_conferences": row(
        "302 200 200 404 200 200 404 404|200 404 404 404", "302 200 200 404 200 200 404 404|200 404 404 404"
    ),
    "casusoverleg:detail": row(
        "302 200 200 404 200 200 404 404 404 404 404", "302 200 200 404 200 200 404 404 404 404 404"
    ),
    "casusoverleg:move": row(
        "302 404 404 404 404 200 404 404 404 404 404", "302 404 404 404 404 200 404 404 404 404 404"
    ),
    "casusoverleg:cancel": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 302 404 404 404 404 404"
    ),
    "casusoverleg:confirm_date": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 302 404 404 404 404 404"
    ),
    "casusoverleg:participant_add": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 302 404 404 404 404 404"
    ),
    "casusoverleg:participant_remove": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 302 404 404 404 404 404"
    ),
    "casusoverleg:participant_respond": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 302 404 404 404 404 404"
    ),
    "casusoverleg:attendance": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 302 404 404 404 404 404"
    ),
    "casusoverleg:agenda_refresh": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 302 404 404 404 404 404"
    ),
    "casusoverleg:agenda_item_add": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 302 404 404 404 404 404"
    ),
    "casusoverleg:agenda_item_remove": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 404 404 404 404 302 404 404 404 404 404"
    ),
    "casusoverleg:minutes_editor": row(
        "302 404 404 404 404 200 404 404 404 404 404", "302 404 404 404 404 400 404 404 404 404 404"
    ),
    "casusoverleg:minutes_approve": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 302 302 404 302 302 404 404 404 404 404"
    ),
    "casusoverleg:minutes_correct": row(
        "302 405 405 405 405 405 405 405 405 405 405", "302 302 302 404 302 302 404 404 404 404 404"
    ),
    "casusoverleg:minutes_pdf": row(
        "302 404 404 404 404 404 404 404 404 404 404", "302 404 404 404 404 404 404 404 404 404 404"
    ),
    # Conferences flagged by transfers: everyone's own (empty) list here; walked per role with a real transfer in
    # tests/security/test_transfer_matrix.py.
    "transfer-flag-list": row(
        "403 200 200 200 200 200 200 200 200 200 200", "403 405 405 405 405 405 405 405 405 405 405"
    ),
    # The sample conference was never flagged: whoever sees it reads an empty list, nobody can decide (404).
    "conference-transfer": row(
        "403 200 200 404 200 200 404 404 404 404 404", "403 404 404 404 404 404 404 404 404 404 404"
    ),
    # Meetings outside detention are planned by their organiser only (ADR 0041; walked for the organiser in
    # tests/security/test_organiser_matrix.py): every persona here is refused with the 404 of a missing route.
    "conference-meetings": row(
        "403 405 405 405 405 405 405 405 405 405 405", "403 404 404 404 404 404 404 404 404 404 404"
    ),
    # The conference's decision on a waiting referral's priority (ADR 0044): its chair (the director) or minute
    # taker; an empty body is a 400 with field errors, everyone else a 404.
    "conference-referral-priority": row(
        "403 405 405 405 405 405 405 405 405 405 405", "403 404 404 404 404 400 404 404 404 404 404"
    ),
    "casusoverleg:meeting_create": row(
        "302 404 404 404 404 404 404 404 404 404 404", "302 404 404 404 404 404 404 404 404 404 404"
    ),
    # Conferences after a transfer (ADR 0040): directors and case staff (their own, here empty, list); the sample
    # conference was never flagged, so its decision page does not exist. With a real transfer:
    # tests/security/test_transfer_matrix.py.
    "casusoverleg:transfers": row(
        "302 200 200 200 200 200 200 404 404 404 404", "302 405 405 405 405 405 405 405 405 405 405"
    ),
    "casusoverleg:transfer_resolve": row(
        "302 404 404 404 404 404 404 404 404 404 404", "302 404 404 404 404 404 404 404 404 404 404"
    ),
    # The priority of the detainee's waiting referral (ADR 0044): the chair (the director) or the minute taker of
    # the conference; the sample conference is planned, so the form explains that and an empty POST is a form error.
    "casusoverleg:referral_priority": row(
        "302 404 404 404 404 200 404 404 404 404 404", "302 404 404 404 404 200 404 404 404 404 404"
    ),
}
