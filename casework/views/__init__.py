"""Views of the case file, one module per page family. Thin: parse, call one service, render."""

from .edit import (
    consent_create,
    consent_withdraw,
    detainee_case_team,
    detainee_create,
    detainee_update,
    listing_create,
    network_person_edit,
    placement_create,
    transfer_create,
)
from .file import (
    consent_document,
    detainee_detail,
    file_consents,
    file_history,
    file_network,
    file_placements,
    file_sessions,
    render_file_page,
)
from .pages import caseload, my_day
from .sessions import session_create, session_update

__all__ = [
    "caseload",
    "consent_create",
    "consent_document",
    "consent_withdraw",
    "detainee_case_team",
    "detainee_create",
    "detainee_detail",
    "detainee_update",
    "file_consents",
    "file_history",
    "file_network",
    "file_placements",
    "file_sessions",
    "listing_create",
    "my_day",
    "network_person_edit",
    "placement_create",
    "render_file_page",
    "session_create",
    "session_update",
    "transfer_create",
]
