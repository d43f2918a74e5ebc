"""The permission matrix: every URL pattern of the project × every persona (and anonymous) × GET
(and POST for the patterns that write), each with its expected status from EXPECTED below.

The URL patterns are walked from the resolver, so a new page or endpoint that nobody added to
EXPECTED fails `test_every_url_pattern_has_expectations`. To add one: put a row in EXPECTED (in
tests/security/matrix_expectations.py) keyed by the view name, and if it takes a new path parameter,
teach `sample_kwargs` which fixture object to use.

Statuses: 200 shown; 302 redirected (anonymous → login; some writes → back to a page); 404 hidden
(the rule of docs/design.md §4: a record one may not see does not exist); 403 refused (API without
permission, or a page that is not about a record); 405 method not allowed.
Set `MATRIX_DUMP=1` to print the observed table instead of asserting (to review a new row).
"""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.factories import NetworkPersonFactory, SessionFactory
from tests.security.matrix_expectations import EXPECTED, IGNORED_PREFIXES, PERSONAS
from tests.trajectories.factories import ActionFactory, GoalFactory, TrajectoryFactory, domain

MISSING = 999999  # a primary key nobody has: "no such record" must look the same as "not yours"


def walk(resolver=None, prefix="", namespace=""):
    """(view name, route, converters) for every URL pattern, DRF's format-suffix twins left out."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            child_ns = f"{namespace}:{pattern.namespace}".strip(":") if pattern.namespace else namespace
            yield from walk(pattern, route, child_ns)
        elif isinstance(pattern, URLPattern):
            if "(?P<format>" in route or "<drf_format_suffix:format>" in route:
                continue
            name = f"{namespace}:{pattern.name}".strip(":") if pattern.name else route
            yield name, route


def url_patterns() -> list[tuple[str, str]]:
    seen, rows = set(), []
    for name, route in walk():
        if route.startswith(IGNORED_PREFIXES) or (name, route) in seen:
            continue
        seen.add((name, route))
        rows.append((name, route))
    return rows


@pytest.fixture
def objects(detainee, consultant, director):
    """One object of every kind a URL can point at, all on the consultant's file in Hasselt."""
    from casusoverleg.models import Conference
    from tests.casusoverleg.factories import schedule

    session = SessionFactory(detainee=detainee, author=consultant)
    person = NetworkPersonFactory(detainee=detainee)
    trajectory = TrajectoryFactory(detainee=detainee, lead_consultant=consultant)
    goal = GoalFactory(trajectory=trajectory, domain=domain("psychosocial"))
    action = ActionFactory(detainee=detainee, trajectory=trajectory, owner_user=consultant)
    conference = schedule(director, detainee, starts_at=dt.datetime(2030, 3, 4, 9, tzinfo=dt.UTC))
    participant = conference.participants.first()
    item = conference.agenda_items.first() if hasattr(conference, "agenda_items") else None
    from diary.services import planned_contact_plan

    planned_contact = planned_contact_plan(
        detainee=detainee, consultant=consultant, kind="visit", starts_at=timezone.now() + dt.timedelta(days=1)
    )
    from casusoverleg.services.standing import standing_member_add

    standing_member = standing_member_add(
        user=director, prison=detainee.current_prison, role="psd", name="PSD", email="psd@example.org"
    )

    # A referral to the partner's organisation (VDAB) on its consent, with purpose referral added (ADR 0034).
    from casework.models import Consent
    from trajectories.models import PartnerReferral

    consent = detainee.consents.get()
    Consent.objects.filter(pk=consent.pk).update(purposes=["conference", "referral"])
    referral = PartnerReferral.objects.create(
        detainee=detainee,
        organisation=consent.organisation,
        service="Werk",
        question="Intake 2030-03",
        consent=consent,
        referred_by=consultant,
    )
    return {
        "standing_member": standing_member,
        "referral": referral,
        "planned_contact": planned_contact,
        "detainee": detainee,
        "session": session,
        "person": person,
        "consent": detainee.consents.get(),
        "trajectory": trajectory,
        "goal": goal,
        "action": action,
        "conference": conference,
        "participant": participant,
        "agenda_item": item,
        "Conference": Conference,
    }


# Which object a `pk` means, by namespace or API basename.
PK_OWNER = [
    (re.compile(r"^diary:"), "planned_contact"),
    (re.compile(r"^casusoverleg:file_conferences$"), "detainee"),
    (re.compile(r"^(trajectories:)"), "trajectory"),
    (re.compile(r"^(casusoverleg:)"), "conference"),
    (re.compile(r"^trajectory-"), "trajectory"),
    (re.compile(r"^goal-"), "goal"),
    (re.compile(r"^partner-referral-"), "referral"),
    (re.compile(r"^my-action-"), "action"),
    (re.compile(r"^action-"), "action"),
    (re.compile(r"^conference-"), "conference"),
    (re.compile(r"^session-"), "session"),
    (re.compile(r"^consent-"), "consent"),
    (re.compile(r"^(casework:|privacy:|detainee-)"), "detainee"),
]


def sample_kwargs(name: str, route: str, objects) -> dict:
    kwargs = {}
    for parameter in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route):
        parameter = parameter[0] or parameter[1]
        if parameter == "pk":
            owner = next((kind for regex, kind in PK_OWNER if regex.search(name)), None)
            target = objects.get(owner) if owner else None
            kwargs["pk"] = target.pk if target is not None else MISSING
        elif parameter == "detainee_pk":
            kwargs[parameter] = objects["detainee"].pk
        elif parameter == "session_pk":
            kwargs[parameter] = objects["session"].pk
        elif parameter == "person_pk":
            kwargs[parameter] = objects["person"].pk
        elif parameter == "consent_pk":
            kwargs[parameter] = objects["consent"].pk
        elif parameter == "goal_pk":
            kwargs[parameter] = objects["goal"].pk
        elif parameter == "referral_pk":
            kwargs[parameter] = objects["referral"].pk
        elif parameter == "action_pk":
            kwargs[parameter] = objects["action"].pk
        elif parameter == "participant_pk" and objects.get("participant") is not None:
            kwargs[parameter] = objects["participant"].pk
        elif parameter == "member_pk":
            kwargs[parameter] = objects["standing_member"].pk
        elif parameter == "item_pk" and objects.get("agenda_item") is not None:
            kwargs[parameter] = objects["agenda_item"].pk
        elif parameter == "domain_code":
            kwargs[parameter] = "psychosocial"
        elif parameter == "figure":
            kwargs[parameter] = "waiting"
        elif parameter == "fmt":
            kwargs[parameter] = "csv"
        elif parameter == "token":
            kwargs[parameter] = "not-a-real-token"
        elif parameter in ("uidb36", "key"):
            kwargs[parameter] = "x"
        else:
            kwargs[parameter] = MISSING
    return kwargs


def resolve_url(name: str, route: str, objects) -> str:
    kwargs = sample_kwargs(name, route, objects)
    if ":" in name or not name.startswith(("^", "api/")) and "/" not in name:
        try:
            return reverse(name, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - unnamed or regex patterns fall through to the route
            pass
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(kwargs[m.group(1)]), route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), path)
    return "/" + path.replace("^", "").replace("$", "")


def test_every_url_pattern_has_expectations():
    missing = [f"{name}  ({route})" for name, route in url_patterns() if name not in EXPECTED]
    assert not missing, "URL patterns without a row in tests/security/matrix_expectations.py:\n" + "\n".join(missing)


def test_no_stale_rows():
    names = {name for name, _route in url_patterns()}
    stale = sorted(set(EXPECTED) - names)
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_matrix(persona, personas, objects, settings):
    settings.DISENGAGE_MFA_REQUIRED = False
    client = Client(raise_request_exception=False)
    if persona != "anonymous":
        client.force_login(personas[persona])
    failures, observed = [], []
    dump = bool(os.environ.get("MATRIX_DUMP"))
    for name, route in url_patterns():
        row = EXPECTED.get(name) or ({"get": {}, "post": {}} if dump else None)
        if row is None:
            continue
        url = resolve_url(name, route, objects)
        for method in ("get", "post") if "post" in row else ("get",):
            expected = row[method].get(persona)
            if persona != "anonymous" and name.startswith(("account_", "mfa_")):
                # The walk passes the login and logout URLs: start each of them, and what follows, logged in.
                client.force_login(personas[persona])
            response = getattr(client, method)(url, HTTP_ACCEPT="text/html,application/json")
            if persona != "anonymous" and name.startswith(("account_", "mfa_")):
                client.force_login(personas[persona])
            status = response.status_code
            observed.append(f"{method.upper():4} {status} {name} {url}")
            if status >= 500 and not (expected and status in expected):
                failures.append(f"{method.upper()} {url} ({name}) -> {status}")
            elif expected is None and not dump:
                failures.append(f"{method.upper()} {name}: no expectation for {persona}")
            elif expected is not None and status not in expected:
                failures.append(f"{method.upper()} {url} ({name}) -> {status}, expected {sorted(expected)}")
    if dump:
        print(f"\n=== {persona}\n" + "\n".join(observed))
        return
    assert not failures, f"{persona}:\n" + "\n".join(failures)
