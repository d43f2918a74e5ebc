"""One home for the change history of services: every ORM write of a service runs in one transaction whose
pghistory rows carry who made the change and why (the reason is what the history tab puts into words)."""

from __future__ import annotations

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
