"""Who may open which case-file page (docs/design.md §4), walked as every persona.

A page a user may not know about answers 404 (no existence leak); a page on a file they may see but
not change answers 403; anonymous users go to the login page. Every casework URL must be listed here.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from django.utils import timezone

from casework.models import Consent
from tests.factories import ConsentFactory, NetworkPersonFactory, OrganisationFactory, SessionFactory

ROLES = [
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

# Expected status per role, in the order of ROLES.
#            cons coll outs mgr  dir  odir pw   pwo  adm  dpo
EVERYONE = [200, 200, 200, 200, 200, 200, 200, 200, 200, 200]
FILE_READ = [200, 200, 404, 200, 200, 404, 200, 404, 404, 404]
STAFF_ONLY = [200, 200, 404, 200, 404, 404, 404, 404, 404, 404]
SESSIONS = [200, 200, 404, 200, 404, 404, 200, 404, 404, 404]
STAFF_WRITE = [200, 200, 404, 200, 403, 404, 403, 404, 404, 404]
STAFF_WRITE_NO_DIRECTOR_VIEW = [200, 200, 404, 200, 404, 404, 404, 404, 404, 404]
LOG_SESSION = [200, 200, 404, 403, 403, 404, 403, 404, 404, 404]
CASE_TEAM = [403, 403, 404, 200, 403, 404, 403, 404, 404, 404]
# The session below was written by the consultant, who also leads the file.
SESSION_EDIT = [200, 403, 404, 403, 404, 404, 403, 404, 404, 404]
CASELOAD = [200, 200, 200, 200, 200, 200, 200, 200, 403, 403]
CREATE = [200, 200, 200, 200, 403, 403, 403, 403, 403, 403]
# The import of the in-scope list is the manager's (its own tests: tests/casework/test_import.py).
MANAGER_ONLY = [403, 403, 403, 200, 403, 403, 403, 403, 403, 403]

MATRIX = {
    "my_day": (lambda o: [], EVERYONE),
    "caseload": (lambda o: [], CASELOAD),
    "detainee_create": (lambda o: [], CREATE),
    "detainee_detail": (lambda o: [o["detainee"].pk], FILE_READ),
    "detainee_update": (lambda o: [o["detainee"].pk], STAFF_WRITE),
    "detainee_case_team": (lambda o: [o["detainee"].pk], CASE_TEAM),
    # Merging two files (ADR 0032): the same rule as the case team, the manager of the file's organisation.
    "detainee_merge": (lambda o: [o["detainee"].pk], CASE_TEAM),
    "file_sessions": (lambda o: [o["detainee"].pk], SESSIONS),
    "file_network": (lambda o: [o["detainee"].pk], STAFF_ONLY),
    "file_placements": (lambda o: [o["detainee"].pk], FILE_READ),
    "file_consents": (lambda o: [o["detainee"].pk], STAFF_ONLY),
    "file_history": (lambda o: [o["detainee"].pk], STAFF_ONLY),
    "session_create": (lambda o: [o["detainee"].pk], LOG_SESSION),
    "session_update": (lambda o: [o["detainee"].pk, o["session"].pk], SESSION_EDIT),
    "placement_create": (lambda o: [o["detainee"].pk], STAFF_WRITE),
    # A transfer to another prison (ADR 0040): the file's case staff, as a placement.
    "transfer_create": (lambda o: [o["detainee"].pk], STAFF_WRITE),
    "listing_create": (lambda o: [o["detainee"].pk], STAFF_WRITE),
    "network_create": (lambda o: [o["detainee"].pk], STAFF_WRITE),
    "network_update": (lambda o: [o["detainee"].pk, o["person"].pk], STAFF_WRITE),
    "consent_create": (lambda o: [o["detainee"].pk], STAFF_WRITE),
    "consent_document": (lambda o: [o["detainee"].pk, o["consent"].pk], STAFF_WRITE_NO_DIRECTOR_VIEW),
    "detainee_import": (lambda o: [], MANAGER_ONLY),
    "detainee_import_sample": (lambda o: [], MANAGER_ONLY),
}
# POST-only: withdrawing a consent. Redirects (302) back to the file when allowed.
POST_MATRIX = {
    # Without a checked upload the confirmation sends the manager back to the import page.
    "detainee_import_confirm": (lambda o: [], [403, 403, 403, 302, 403, 403, 403, 403, 403, 403]),
    # Without an uploaded file the check step sends the manager back to the import page too.
    "detainee_import_check": (lambda o: [], [403, 403, 403, 302, 403, 403, 403, 403, 403, 403]),
    # Recording a delisting from the reconciliation list: the manager of the file's organisation only.
    "detainee_delist": (lambda o: [o["detainee"].pk], [403, 403, 403, 302, 403, 403, 403, 403, 403, 403]),
    "consent_withdraw": (
        lambda o: [o["detainee"].pk, o["consent"].pk],
        [302, 302, 404, 302, 403, 404, 403, 404, 404, 404],
    ),
}


@pytest.fixture
def objects(detainee, consultant):
    consent = ConsentFactory(
        detainee=detainee,
        explained_by=consultant,
        organisation=OrganisationFactory(name="Justitiehuis Hasselt", kind="justice_house"),
        document=SimpleUploadedFile("toestemming.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    return {
        "detainee": detainee,
        "session": SessionFactory(detainee=detainee, author=consultant),
        "person": NetworkPersonFactory(detainee=detainee),
        "consent": consent,
    }


def test_every_casework_url_is_in_the_matrix():
    names = {name for name in get_resolver().reverse_dict.keys() if isinstance(name, str)}
    casework = {
        pattern.name
        for pattern in get_resolver().url_patterns[-1].url_patterns  # config.urls mounts casework last
    }
    assert names  # the resolver is loaded
    assert casework == set(MATRIX) | set(POST_MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_get_as_every_role(client, personas, objects, name):
    args_for, expected = MATRIX[name]
    url = reverse(f"casework:{name}", args=args_for(objects))
    actual = []
    for role in ROLES:
        client.force_login(personas[role])
        actual.append(client.get(url).status_code)
    assert dict(zip(ROLES, actual, strict=True)) == dict(zip(ROLES, expected, strict=True))


@pytest.mark.parametrize("name", sorted(POST_MATRIX))
def test_post_as_every_role(client, personas, objects, name):
    args_for, expected = POST_MATRIX[name]
    url = reverse(f"casework:{name}", args=args_for(objects))
    actual = []
    for role in ROLES:
        # A fresh consent each time: a withdrawn one cannot be withdrawn again.
        Consent.objects.filter(pk=objects["consent"].pk).update(withdrawn_on=None)
        client.force_login(personas[role])
        actual.append(client.post(url, {"withdrawn_on": timezone.localdate().isoformat()}).status_code)
    assert dict(zip(ROLES, actual, strict=True)) == dict(zip(ROLES, expected, strict=True))


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_users_are_sent_to_login(client, objects, name):
    args_for, _expected = MATRIX[name]
    response = client.get(reverse(f"casework:{name}", args=args_for(objects)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_unknown_detainee_is_404_like_an_invisible_one(client, consultant, detainee):
    client.force_login(consultant)
    assert client.get(reverse("casework:detainee_detail", args=[detainee.pk + 10_000])).status_code == 404


def test_withdrawn_consent_ends_partner_access_at_once(client, detainee, partner_with_consent):
    client.force_login(partner_with_consent)
    url = reverse("casework:detainee_detail", args=[detainee.pk])
    assert client.get(url).status_code == 200
    Consent.objects.filter(detainee=detainee, organisation=partner_with_consent.organisation).update(
        withdrawn_on=timezone.localdate()
    )
    assert client.get(url).status_code == 404
