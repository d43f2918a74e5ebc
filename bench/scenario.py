"""Who the benchmark acts as, and on what: the heaviest realistic cases of the national dataset.

- the manager of the organisation holding the most files;
- that organisation's consultant with the largest caseload, on his file with the most sessions;
- the director of the prison with the most detainees in follow-up, on a conference with approved minutes.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from urllib.parse import urlencode

from django.db import connection
from django.db.models import Count, Q
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from casework.models import Detainee, LifeDomain, Prison
from casework.text import fold
from casusoverleg.models import Conference
from trajectories.models import OPEN_STATUSES, Trajectory

CLIENTS: dict[str, Client] = {}


def _actors() -> dict:
    org = (Detainee.objects.values("organisation").annotate(n=Count("pk")).order_by("-n").first())["organisation"]
    manager = (
        User.objects.filter(role="manager", organisation_id=org, username__startswith="nat.").order_by("pk").first()
    )
    consultant = (
        User.objects.filter(role="consultant", organisation_id=org, username__startswith="nat.")
        .annotate(n=Count("lead_files"))
        .order_by("-n", "pk")
        .first()
    )
    prison = (
        Prison.objects.annotate(
            n=Count("detainees", filter=Q(detainees__in_scope=True, detainees__released_on__isnull=True))
        )
        .order_by("-n")
        .first()
    )
    director = prison.directors.order_by("pk").first()
    return {"manager": manager, "consultant": consultant, "director": director, "org": org, "prison": prison}


def build() -> dict:
    actors = _actors()
    consultant, director = actors["consultant"], actors["director"]
    detainee = (
        Detainee.objects.filter(lead_consultant=consultant, trajectories__status__in=OPEN_STATUSES)
        .annotate(n=Count("sessions", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    trajectory = Trajectory.objects.filter(detainee=detainee, status__in=OPEN_STATUSES).first()
    conference = (
        Conference.objects.filter(prison=actors["prison"], status=Conference.Status.MINUTES_APPROVED)
        .order_by("-starts_at")
        .first()
    )
    csrf = _get_new_csrf_string()
    cookies = {}
    for role in ("manager", "consultant", "director"):
        client = Client()
        client.force_login(actors[role])
        CLIENTS[role] = client
        cookies[role] = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}
    domain = LifeDomain.objects.order_by("order").first()
    now = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    year = timezone.localdate().year - 1
    search = _search_text(detainee)
    requests = {
        "caseload list": _get("/gedetineerden/", "consultant"),
        # A surname typed with a typo (a letter dropped): the fuzzy path of the search, the slowest one.
        "caseload search": _get(f"/gedetineerden/?{urlencode({'q': search})}", "consultant"),
        "detainee file": _get(f"/gedetineerden/{detainee.pk}/", "consultant"),
        "session save": {
            "path": f"/gedetineerden/{detainee.pk}/contactmoment/",
            "method": "POST",
            "as": "consultant",
            "data": {
                "started_at": now.strftime("%Y-%m-%dT%H:%M"),
                "duration_minutes": "60",
                "modality": "in_person_prison",
                "attendance": "attended",
                "engagement": "4",
                "domains": str(domain.pk),
                "summary": "Gesprek over de voortgang (benchmark).",
                "confidential_notes": "",
            },
        },
        "trajectory page": _get(f"/trajecten/{trajectory.pk}/", "consultant"),
        "conference page": _get(f"/casusoverleg/{conference.pk}/", "director"),
        "manager dashboard": _get("/rapportering/dashboard/", "manager"),
        "director dashboard": _get("/rapportering/directie/", "director"),
        "yearly report": _get(f"/rapportering/jaarcijfers/?jaar={year}", "manager"),
        "api detainees": _get("/api/v1/detainees/", "consultant"),
        "api sessions": _get("/api/v1/sessions/", "consultant"),
        "api trajectories": _get("/api/v1/trajectories/", "consultant"),
        "api conferences": _get("/api/v1/conferences/", "director"),
    }
    context = {
        "org": actors["org"],
        "consultant": consultant.pk,
        "manager": actors["manager"].pk,
        "director": director.pk,
        "detainee": detainee.pk,
        "trajectory": trajectory.pk,
        "conference": conference.pk,
        "domain": domain.pk,
        "year": year,
        "today": timezone.localdate(),
        "now": timezone.now(),
        "search": fold(search),
    }
    return {"cookies": cookies, "requests": requests, "context": context}


def _search_text(detainee) -> str:
    """The detainee's surname with its third letter dropped ("Vandenbroeck" → "Vanenbroeck")."""
    name = detainee.last_name.split()[-1]
    return name[:2] + name[3:] if len(name) > 4 else name


def _get(path: str, role: str) -> dict:
    return {"path": path, "method": "GET", "as": role}


def count_queries(request: dict) -> int:
    """Queries of one request, served in-process exactly as gunicorn would (same settings, same database), with
    the report cache off so the count is that of a full computation."""
    client = CLIENTS[request["as"]]
    with override_settings(REPORTING_CACHE_SECONDS=0):
        if request["method"] == "GET":
            client.get(request["path"])  # warm up like a real visit (the session row, the first-time caches)
        counts = []
        # The fewer of two: a visit that happens to record the idle clock (at most once a minute, three queries
        # for the session) is not the page's own count; on a slow machine a page's warm-up can straddle that minute.
        for _ in range(2):
            with CaptureQueriesContext(connection) as ctx:
                response = _send(client, request)
            if response.status_code >= 400:
                raise SystemExit(f"{request['path']} answered {response.status_code}")
            counts.append(len(ctx.captured_queries))
    return min(counts)


def solo_ms(request: dict, repeats: int = 5) -> float:
    """Median time of one request alone, in-process (no concurrency, cache as configured): the service time
    the load test adds queueing to."""
    client = CLIENTS[request["as"]]
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        _send(client, request)
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 1)


def send(request: dict):
    """One request of the plan, through the test client of its actor."""
    return _send(CLIENTS[request["as"]], request)


def floor_requests() -> dict:
    """The floor of our own stack (bench/urls.py, in-process only): the layout alone, the middleware alone."""
    return {"empty page": _get("/bench/leeg/", "consultant"), "empty response": _get("/bench/niets/", "consultant")}


def _send(client: Client, request: dict):
    if request["method"] == "GET":
        return client.get(request["path"])
    return client.post(request["path"], request["data"])
