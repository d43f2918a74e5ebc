"""Every page in French and English, for every role: no Dutch left (tests/i18n/dutch.py).

The walk is the permission matrix's (tests/security/test_permission_matrix.py): every URL pattern of
the project with the same sample objects, GET, for each persona; every HTML page that answers 200 is
read as its reader would read it. What a person typed (session summaries, goal and action
descriptions, names) is content and stays as typed: it is allowed, with the proper nouns of dutch.py.

`KNOWN_DUTCH` lists the pages that still show Dutch of our own, with the reason; the walk fails on Dutch
in any other page.
Set `I18N_WALK_DUMP=1` to print every finding instead of asserting.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from tests.i18n.dutch import database_names, dutch_in
from tests.security.matrix_expectations import PERSONAS
from tests.security.test_permission_matrix import objects, resolve_url, url_patterns  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """A request in another language leaves it active in this thread: give the next test the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


# view name: why it still shows Dutch. Keep it short, and fix rather than add.
KNOWN_DUTCH: dict[str, str] = {}


def typed_content() -> tuple[str, ...]:
    """Text a person typed in the sample objects: shown as typed, in whatever language it was typed."""
    from casework.models import Session
    from casusoverleg.models import AgendaItem
    from trajectories.models import Action, Goal

    texts: list[str] = []
    for summary, notes in Session.objects.values_list("summary", "confidential_notes"):
        texts += [summary, notes]
    texts += list(Goal.objects.values_list("description", flat=True))
    texts += list(Action.objects.values_list("description", flat=True))
    texts += list(AgendaItem.objects.filter(source="free").values_list("title", flat=True))
    return tuple(text for text in texts if text)


def _invitation_url(personas, language: str) -> str:
    """A real invitation link; the page speaks the invited account's language (ADR 0025)."""
    from django.urls import reverse

    from accounts import services_invitations as invitations
    from tests.factories import UserFactory

    newcomer = UserFactory(consultant=True, organisation=personas["consultant"].organisation, language=language)
    newcomer.set_unusable_password()
    newcomer.save(update_fields=["password"])
    invitation = invitations.invitation_send(user=newcomer, by=personas["admin"])
    return reverse("account_invitation", args=[invitations.invitation_token(invitation)])


def walk_pages(persona, language, personas, objects):  # noqa: F811 - fixture values
    """Every HTML page that answers 200 to `persona` in `language`: {view name: Dutch found in it}."""
    client = Client(raise_request_exception=False)
    if persona != "anonymous":
        user = personas[persona]
        user.language = language
        user.save(update_fields=["language"])
    allowed = (*database_names(), *typed_content())
    rendered: dict[str, list[str]] = {}
    for name, route in url_patterns():
        if name.startswith(("account_logout", "mfa_")) or route.startswith("api/"):
            continue
        if persona != "anonymous":
            client.force_login(personas[persona])
        # A sample token is an unknown link (a 404 page): the walk reads the page a newcomer really opens.
        url = _invitation_url(personas, language) if name == "account_invitation" else resolve_url(name, route, objects)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", "") or response.streaming:
            continue
        rendered[name] = dutch_in(response.content.decode(), language, allowed=allowed)
    return rendered


@pytest.mark.parametrize("language", ["fr-be", "en"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_dutch_in_any_page(persona, language, personas, objects, settings):  # noqa: F811 - fixture
    settings.DISENGAGE_MFA_REQUIRED = False
    dump = bool(os.environ.get("I18N_WALK_DUMP"))
    rendered = walk_pages(persona, language, personas, objects)
    walked = len(rendered)
    found = {name: findings for name, findings in rendered.items() if findings}
    assert walked > 3 or persona == "anonymous", f"{persona}: only {walked} pages walked"
    if dump:
        print(f"\n=== {persona} {language}: {walked} pages")
        for name, findings in found.items():
            print(f"  {name}: " + " | ".join(findings[:4]))
        return
    unexpected = {name: findings for name, findings in found.items() if name not in KNOWN_DUTCH}
    assert not unexpected, f"{persona}/{language}: Dutch left in\n" + "\n".join(
        f"  {name}: " + " | ".join(findings[:5]) for name, findings in unexpected.items()
    )


# Pages the walk must really render (200, HTML) for some role: a page that quietly answers 404 or a redirect
# to every persona would pass the walk unread. Among them the pages added last: the diary, the calendar,
# the invitation page, the check of a minutes copy, the access review and the file's history.
MUST_RENDER = {
    "casework:my_day",
    "casework:caseload",
    "casework:detainee_detail",
    "casework:file_history",
    "casework:session_create",
    "diary:week",
    "diary:create",
    "diary:overview",
    "diary:update",
    "diary:log",
    "casusoverleg:calendar",
    "casusoverleg:detail",
    "casusoverleg:verify_copy",
    "account_invitation",
    "privacy:access_review",
    "privacy:refusal_review",
    "privacy:disclosure_log",
    "reporting:yearly",
    "trajectories:detail",
    "trajectories:aftercare",
    "notifications:list",
    "account_login",
}


def test_the_walk_renders_the_pages_people_use(personas, objects, settings):  # noqa: F811 - fixture
    settings.DISENGAGE_MFA_REQUIRED = False
    rendered: set[str] = set()
    for persona in ("anonymous", "consultant", "manager", "director", "dpo", "partner_with_consent"):
        rendered |= set(walk_pages(persona, "en", personas, objects))
    assert sorted(MUST_RENDER - rendered) == []
    # Most named pages are read; those that are not are files, redirects or POST-only actions.
    assert len(rendered) >= 60, sorted(rendered)


def test_the_detector_sees_dutch_in_a_dutch_page(consultant):
    """The walk cannot pass by being blind: a page rendered in Dutch is full of findings."""
    from django.template import loader

    with translation.override("nl-be"):
        body = loader.get_template("404.html").render({"request_path": "/x/"})
    findings = dutch_in(body, "fr-be")
    assert len(findings) >= 5, findings
    assert any(finding.startswith("catalogue text") for finding in findings)
