"""The rows of the permission matrix, one module per app (tests/security/matrix_expectations.py joins them)."""

PERSONAS = [
    "anonymous",
    "consultant",
    "colleague",
    "outsider",
    "manager",
    "director",
    "other_director",
    "partner_with_consent",
    "partner_without_consent",
    "admin",
    "dpo",
]
# The admin site holds no case content; who may use it, per role and per model, is walked in
# tests/accounts/test_admin_site_roles.py (its login goes through allauth, tested in test_authentication).
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
