"""Expected statuses of the permission matrix (tests/security/test_permission_matrix.py).

One row per URL pattern (keyed by view name): for GET and POST, the status per persona, in the order
of PERSONAS. Reviewed against docs/design.md §4: case staff see their organisation's files (404 for other
organisations), directors their prisons' files without sessions, network or consents, partners only
what a consent scope of their organisation covers, admin and dpo no case content, the dpo alone the
logs, retention and the subject-access export. 403 appears where the reader may see the record but
not change it, or on pages that are not about a record; 405 where the method is not offered.
Several statuses separated by "|" are all acceptable (e.g. a form re-rendered or redirected).
"""

from tests.security.matrix import (  # noqa: F401
    IGNORED_PREFIXES,
    PERSONAS,
    accounts,
    casework,
    casusoverleg,
    others,
    row,
    trajectories,
)

# One dict, joined from one module per app (tests/security/matrix/): a URL name is listed once.
EXPECTED: dict[str, dict[str, dict[str, set[int]]]] = {
    **accounts.ROWS,
    **casework.ROWS,
    **trajectories.ROWS,
    **casusoverleg.ROWS,
    **others.ROWS,
}
assert len(EXPECTED) == sum(len(m.ROWS) for m in (accounts, casework, trajectories, casusoverleg, others))
