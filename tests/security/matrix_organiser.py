"""Expected statuses of the organiser's permission matrix (tests/security/test_organiser_matrix.py)."""

from tests.security.matrix_expectations import row as _row

ORGANISERS = ["organiser", "organiser_without_basis", "other_organiser"]
EXPECTED: dict = {}
