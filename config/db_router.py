"""Reporting reads on a read replica (ADR 0036).

The dashboards, the yearly figures and their exports read a whole organisation's sessions and trajectories;
on a streaming replica (`REPORTING_DATABASE_URL`) they leave the primary to the people logging sessions.
The rule is scoped, not per model: only code running inside `reporting_reads()` (the report views, through
`reporting_view`) reads from the `reporting` alias, and only for the case models listed in `REPLICA_APPS`.
Everything else reads the primary, always:

- writes (every `db_for_write`), and reads of what a request has just written (the access log, refusals,
  disclosures);
- consents: whether a consent holds is an access decision, and a replica that lags would show a consent the
  primary has withdrawn (`casework.Consent` never leaves the primary; a figure that depends on consents is
  computed inside `primary_reads()`);
- accounts, sessions, permissions, the admin site and the scheduler.

Without `REPORTING_DATABASE_URL` the router answers nothing and every read stays on `default`.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools

from django.conf import settings

REPORTING = "reporting"
# The apps whose rows a report may read from the replica.
REPLICA_APPS = frozenset({"casework", "trajectories", "casusoverleg", "diary"})
# Models of those apps that are read on the primary all the same: consents (access decisions), and the logs a
# request writes and may read back.
PRIMARY_ONLY = frozenset({"casework.consent", "casework.accesslog", "casework.accessrefusal", "casework.disclosure"})

_scope: contextvars.ContextVar[str | None] = contextvars.ContextVar("disengage_read_scope", default=None)


def replica_configured() -> bool:
    return bool(getattr(settings, "REPORTING_REPLICA", False))


@contextlib.contextmanager
def reporting_reads():
    """Reads of case models inside this block may come from the replica (when one is configured)."""
    token = _scope.set(REPORTING)
    try:
        yield
    finally:
        _scope.reset(token)


@contextlib.contextmanager
def primary_reads():
    """Reads inside this block come from the primary, even inside `reporting_reads()`: for figures that depend
    on consents, and for anything that decides access."""
    token = _scope.set("primary")
    try:
        yield
    finally:
        _scope.reset(token)


def reporting_view(view):
    """Run a report view inside `reporting_reads()`. The report views render with `render()` (and the API
    computes its data in the view), so everything they read is read inside the scope."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with reporting_reads():
            return view(*args, **kwargs)

    return wrapper


def reads_on_replica(model) -> bool:
    label = model._meta.label_lower
    return model._meta.app_label in REPLICA_APPS and label not in PRIMARY_ONLY


class ReportingRouter:
    def db_for_read(self, model, **hints):
        if _scope.get() != REPORTING or not replica_configured() or not reads_on_replica(model):
            return None
        instance = hints.get("instance")
        if instance is not None and instance._state.db and instance._state.db != REPORTING:
            # A related row of an object read on the primary comes from the primary too.
            return instance._state.db
        return REPORTING

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return {obj1._state.db, obj2._state.db} <= {"default", REPORTING, None}

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's WAL: it is never migrated itself.
        return db != REPORTING
