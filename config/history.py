"""One home for the change history of services: every ORM write of a service runs in one transaction whose
pghistory rows carry who made the change and why (the reason is what the history tab puts into words)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pghistory
from django.db import transaction


def history(user: Any, reason: str):
    """The pghistory context that tags the tracked changes made inside it with `user` (or none) and `reason`."""
    return pghistory.context(user=user.pk if user else None, reason=reason)


@contextmanager
def recorded(user: Any, reason: str) -> Iterator[None]:
    """One atomic change whose history rows carry `user` and `reason`: all of it lands, or none of it."""
    with transaction.atomic(), history(user, reason):
        yield


@contextmanager
def restored_on_error(*instances: Any) -> Iterator[None]:
    """A service that changes the instances it was given puts them back as they were when it refuses (or its
    write fails): the caller's copy never shows a half-applied change, so no view re-fetches "a fresh copy"."""
    saved = []
    for instance in instances:
        state = copy.copy(instance.__dict__)
        state["_state"] = copy.copy(instance._state)
        state["_state"].fields_cache = dict(instance._state.fields_cache)
        saved.append((instance, state))
    try:
        yield
    except BaseException:
        for instance, state in saved:
            instance.__dict__.clear()
            instance.__dict__.update(state)
        raise
