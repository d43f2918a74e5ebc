"""The PostgreSQL backend of the project: Django's own, with a bounded connection retry (ADR 0016).

A restarting PostgreSQL refuses connections for a second or two ("the database system is starting up",
"connection refused"). Instead of failing the request or the task that needed the connection, opening a
connection is retried with exponential back-off for at most `DISENGAGE_DB_CONNECT_RETRY_SECONDS` (a few
seconds); only then does the error surface. `ops.resilience` turns what still fails into a retry of the request
or a 503 page.

The backend also records, per connection, whether the work since `reset_write_marker()` may have committed
(a write in autocommit mode, or a COMMIT sent): a request that lost its connection before that point provably
changed nothing and may run again.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import random
import time

from django.conf import settings
from django.db.backends.postgresql import base

logger = logging.getLogger("disengage.db")

# Statements that never change data, even in autocommit mode (SELECT … FOR UPDATE is a read here: without a
# COMMIT it changes nothing).
READ_PREFIXES = ("SELECT", "SHOW", "SET ", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "LISTEN", "UNLISTEN")

_no_retry: contextvars.ContextVar[bool] = contextvars.ContextVar("disengage_db_no_retry", default=False)


@contextlib.contextmanager
def connect_without_retry():
    """Inside this block a connection attempt fails at once (the readiness probe must answer fast)."""
    token = _no_retry.set(True)
    try:
        yield
    finally:
        _no_retry.reset(token)


# What a restarting or briefly unreachable server answers; anything else (an unknown database, a wrong password)
# will not pass by itself and surfaces at once.
TRANSIENT_CONNECT_ERRORS = (
    "connection refused",
    "starting up",
    "shutting down",
    "recovery mode",
    "timeout expired",
    "server closed the connection",
    "could not receive data",
    "is the server running",
    "too many clients",
    "no such file or directory",
    "connection reset",
)


def is_transient_connect_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(marker in text for marker in TRANSIENT_CONNECT_ERRORS)


def backoff_delays(budget: float, first: float = 0.1, cap: float = 1.0):
    """Sleeps between attempts: 0.1, 0.2, 0.4 … capped at `cap`, with jitter, until `budget` seconds are used."""
    spent, delay = 0.0, first
    while budget - spent >= first / 2:
        sleep = min(delay, cap, budget - spent) * random.uniform(0.8, 1.0)  # noqa: S311 - jitter, not security
        yield sleep
        spent += sleep
        delay *= 2


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_have_committed = False

    def reset_write_marker(self) -> None:
        self.may_have_committed = False

    def get_new_connection(self, conn_params):
        budget = 0.0 if _no_retry.get() else float(getattr(settings, "DISENGAGE_DB_CONNECT_RETRY_SECONDS", 0))
        delays = backoff_delays(budget)
        attempt = 0
        while True:
            attempt += 1
            try:
                return super().get_new_connection(conn_params)
            except self.Database.OperationalError as exc:
                delay = next(delays, None) if is_transient_connect_error(exc) else None
                if delay is None:
                    raise
                logger.warning("database connection refused, retrying", extra={"attempt": attempt})
                time.sleep(delay)

    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        return cursor if name else _MarkingCursor(cursor, self)

    def _commit(self):
        # Once COMMIT is on its way, a lost connection leaves the outcome unknown.
        self.may_have_committed = True
        return super()._commit()


class _MarkingCursor:
    """A thin proxy over psycopg2's cursor that notes writes made outside a transaction (they commit at once)."""

    __slots__ = ("_cursor", "_db")

    def __init__(self, cursor, db):
        self._cursor = cursor
        self._db = db

    def _note(self, sql) -> None:
        if self._db.get_autocommit() and not self._db.in_atomic_block:
            text = sql.decode() if isinstance(sql, bytes) else str(sql)
            # pghistory prefixes its context (SELECT set_config(…); INSERT …): look at every statement sent.
            if any(part.strip() and not part.lstrip().upper().startswith(READ_PREFIXES) for part in text.split(";")):
                self._db.may_have_committed = True

    def execute(self, sql, params=None):
        self._note(sql)
        return self._cursor.execute(sql, params)

    def executemany(self, sql, param_list):
        self._note(sql)
        return self._cursor.executemany(sql, param_list)

    def __getattr__(self, name):
        return getattr(self._cursor, name)

    def __setattr__(self, name, value):
        if name in _MarkingCursor.__slots__:
            object.__setattr__(self, name, value)
        else:
            setattr(self._cursor, name, value)

    def __iter__(self):
        return iter(self._cursor)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._cursor.close()
        return False
