"""Where the time of one request goes, in-process: SQL, template/serializer, view code and middleware.

`measure(client, send)` runs one request through Django's test client with four clocks:

- **sql**: every statement on every database alias (`connection.execute_wrapper`), wherever it runs;
- **render**: the outermost template render (`Template.render`, includes counted once) and, for the API,
  the serializers' `to_representation` and the JSON renderer, without the SQL they trigger (lazy querysets);
- **view**: the view callable's own Python (its wall time minus its SQL and its rendering);
- **middleware**: the handler's wall time minus the view's: every middleware, the URL resolution, the session
  and user loading, the response headers — without their SQL.

`sql + render + view + middleware` is the handler's wall time. `calls` counts the Python function calls of the
request (cProfile's count, in a separate pass): unlike milliseconds it does not move with the machine's load,
so a change's effect can be read on a busy machine.
"""

from __future__ import annotations

import cProfile
import pstats
import statistics
import time
from contextlib import ExitStack, contextmanager

from django.core.handlers.base import BaseHandler
from django.db import connections
from django.template.base import Template


class Clocks:
    def __init__(self) -> None:
        self.sql = 0.0
        self.sql_in_view = 0.0
        self.sql_in_render = 0.0
        self.render = 0.0
        self.view = 0.0
        self.handler = 0.0
        self.queries = 0
        self._in_view = 0
        self._in_render = 0


_current: Clocks | None = None


def _sql_wrapper(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        spent = time.perf_counter() - started
        clocks = _current
        if clocks is not None:
            clocks.sql += spent
            clocks.queries += 1
            if clocks._in_view:
                clocks.sql_in_view += spent
            if clocks._in_render:
                clocks.sql_in_render += spent


def _timed_render(original):
    def wrapper(*args, **kwargs):
        clocks = _current
        if clocks is None or clocks._in_render:
            return original(*args, **kwargs)
        clocks._in_render += 1
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            clocks.render += time.perf_counter() - started
            clocks._in_render -= 1

    wrapper.__wrapped__ = original
    return wrapper


def _render_targets() -> list[tuple[type, str]]:
    from rest_framework.renderers import JSONRenderer
    from rest_framework.serializers import ListSerializer, Serializer

    return [
        (Template, "render"),
        (Serializer, "to_representation"),
        (ListSerializer, "to_representation"),
        (JSONRenderer, "render"),
    ]


@contextmanager
def _instrumented():
    """Patch the clocks in for the duration of one measurement; everything is put back afterwards."""
    originals = []
    for cls, name in _render_targets():
        original = cls.__dict__[name]
        originals.append((cls, name, original))
        setattr(cls, name, _timed_render(original))
    original_atomic = BaseHandler.make_view_atomic
    original_get_response = BaseHandler.get_response

    def make_view_atomic(self, view):
        wrapped = original_atomic(self, view)

        def timed_view(*args, **kwargs):
            clocks = _current
            if clocks is None:
                return wrapped(*args, **kwargs)
            clocks._in_view += 1
            started = time.perf_counter()
            try:
                response = wrapped(*args, **kwargs)
                # A TemplateResponse renders after the view returns: count that as the view's rendering.
                if (
                    hasattr(response, "render")
                    and callable(response.render)
                    and not getattr(response, "is_rendered", True)
                ):
                    response.render()
                return response
            finally:
                clocks.view += time.perf_counter() - started
                clocks._in_view -= 1

        return timed_view

    def get_response(self, request):
        clocks = _current
        started = time.perf_counter()
        try:
            return original_get_response(self, request)
        finally:
            if clocks is not None:
                clocks.handler += time.perf_counter() - started

    BaseHandler.make_view_atomic = make_view_atomic
    BaseHandler.get_response = get_response
    try:
        with ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(_sql_wrapper))
            yield
    finally:
        BaseHandler.make_view_atomic = original_atomic
        BaseHandler.get_response = original_get_response
        for cls, name, original in originals:
            setattr(cls, name, original)


def _once(send) -> Clocks:
    global _current
    clocks = Clocks()
    _current = clocks
    try:
        send()
    finally:
        _current = None
    return clocks


def _calls(send) -> int:
    profiler = cProfile.Profile()
    profiler.enable()
    send()
    profiler.disable()
    return pstats.Stats(profiler).total_calls


def measure(send, repeats: int = 7) -> dict:
    """The median split (ms) of `repeats` runs of `send()` (after one warm-up) and the function-call count."""
    with _instrumented():
        send()
        runs = [_once(send) for _ in range(repeats)]
    calls = min(_calls(send) for _ in range(2))  # the fewer: a pass that records the idle clock is not the page

    def median(values):
        return round(statistics.median(values) * 1000, 2)

    render = [c.render - c.sql_in_render for c in runs]
    view = [c.view - c.sql_in_view - (c.render - c.sql_in_render) for c in runs]
    middleware = [c.handler - c.view - (c.sql - c.sql_in_view) for c in runs]
    return {
        "handler_ms": median([c.handler for c in runs]),
        "sql_ms": median([c.sql for c in runs]),
        "render_ms": median(render),
        "view_ms": median(view),
        "middleware_ms": median(middleware),
        "calls": calls,
    }
