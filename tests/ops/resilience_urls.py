"""Views that lose their own database connection for real (the server ends the backend), for test_db_retry."""

from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.urls import path

from accounts.models import Organisation

CALLS: dict[str, int] = {}


def _lose_connection() -> None:
    # FATAL 57P01 "terminating connection due to administrator command", as in a fast PostgreSQL restart.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")


def _count(name: str) -> int:
    CALLS[name] = CALLS.get(name, 0) + 1
    return CALLS[name]


def read_then_lost_once(request):
    first = _count("read") == 1
    total = Organisation.objects.count()
    if first:
        _lose_connection()
    return HttpResponse(f"{total} organisations")


def read_always_lost(request):
    _count("read_always")
    Organisation.objects.count()
    _lose_connection()
    return HttpResponse("unreachable")


def write_uncommitted_then_lost(request):
    first = _count("write_uncommitted") == 1
    with transaction.atomic():
        Organisation.objects.create(name=request.POST["name"], kind="other")
        if first:
            _lose_connection()
    return HttpResponse("saved")


def stream_write_uncommitted_then_lost(request):
    """Reads the raw stream as DRF's parsers do, then loses the connection before COMMIT (the first time)."""
    import json

    first = _count("stream") == 1
    name = json.loads(request.read())["name"]
    with transaction.atomic():
        Organisation.objects.create(name=name, kind="other")
        if first:
            _lose_connection()
    return JsonResponse({"saved": name})


def write_committed_then_lost(request):
    _count("write_committed")
    Organisation.objects.create(name=request.POST["name"], kind="other")  # autocommit: committed at once
    _lose_connection()
    return HttpResponse("saved")


def api_always_lost(request):
    _count("api")
    _lose_connection()
    return JsonResponse({})


urlpatterns = [
    path("read-once/", read_then_lost_once),
    path("read-always/", read_always_lost),
    path("write-uncommitted/", write_uncommitted_then_lost),
    path("write-committed/", write_committed_then_lost),
    path("stream-write/", stream_write_uncommitted_then_lost),
    path("api/lost/", api_always_lost),
]
