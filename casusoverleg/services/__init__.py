"""Writes of case conferences: scheduling, moving, cancelling, participants, agenda, feed tokens.

Minutes (editing, approval, corrections, PDF distribution) live in `casusoverleg/services/minutes.py`.
Every function validates, runs in a transaction inside a pghistory context, and starts side effects
(e-mails with .ics) only on commit through a Celery task.

One module per part: `conferences` (scheduling, participants, invitations, agenda, calendar feed, rules) is
imported here, as `casusoverleg.services.<function>`; `minutes`, `actions` (the owners' updates), `standing`
(the standing members), `meetings` (meetings outside detention), `transfer` (conferences that follow a transfer)
and `priority` (the referral priority a conference sets) are their own modules. The building blocks they share
(`agenda_generate`, `invitations_send_on_commit`, `times_check`) are public functions of `conferences`.
"""

from __future__ import annotations

from .conferences import (  # noqa: F401
    MAX_DURATION,
    agenda_item_add,
    agenda_item_remove,
    agenda_refresh,
    attendance_record,
    cadence_set,
    calendar_feed_revoke,
    calendar_feed_rotate,
    conference_cancel,
    conference_confirm_rule_date,
    conference_invitations_send,
    conference_move,
    conference_schedule,
    participant_add,
    participant_remove,
    participant_respond,
)
