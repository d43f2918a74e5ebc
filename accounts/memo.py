"""Answers about the logged-in user that hold for one request, remembered on `request.user`.

A page asks the same question several times: the navigation, the view's access check and each template
block ask whether this director runs the detainee's prison, or whether the partner's organisation holds a
consent covering a scope. `RequestMemoMiddleware` gives the request's user an empty memo before the view
runs; `remembered()` answers from it, so each such question costs one query per request whatever the
number of rules asking it. Outside a request (services, tasks, the API's token clients, tests holding a
user object) the user has no memo and every call asks the database, so nothing stale survives a request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

MEMO = "_request_memo"
T = TypeVar("T")


def remembered(user, key: tuple, compute: Callable[[], T]) -> T:
    memo = getattr(user, MEMO, None)
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class RequestMemoMiddleware:
    """Gives the authenticated user of each request an empty memo (after authentication, before the view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            setattr(user, MEMO, {})
        return None
