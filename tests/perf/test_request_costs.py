"""Per-request work that is not needed stays out (ADR 0045): templates parsed once, no log line built to be dropped,
and the benchmark's split of a request adds up."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader

ROOT = Path(__file__).resolve().parents[2]


def test_every_settings_module_keeps_djangos_cached_template_loader():
    """No settings module names `loaders`: Django then wraps the filesystem and app loaders in the cached loader,
    in every setting (base, local, production, test), so a template is read and parsed once per process."""
    for path in sorted((ROOT / "config" / "settings").glob("*.py")):
        assert not re.search(r"""["']loaders["']""", path.read_text()), path.name
    for engine in engines.all():
        if hasattr(engine, "engine"):
            assert [type(loader) for loader in engine.engine.template_loaders] == [CachedLoader]
    form_engine = get_default_renderer().engine.engine
    assert [type(loader) for loader in form_engine.template_loaders] == [CachedLoader]


@pytest.mark.django_db
def test_a_template_is_parsed_once_not_per_request(client, consultant):
    from django.template.base import Template

    client.force_login(consultant)
    client.get("/")
    parsed = []
    original = Template.compile_nodelist
    Template.compile_nodelist = lambda self: parsed.append(self.name) or original(self)
    try:
        assert client.get("/").status_code == 200
    finally:
        Template.compile_nodelist = original
    assert parsed == []


@pytest.mark.django_db
def test_no_request_line_is_built_when_the_level_drops_it(client, consultant, monkeypatch):
    logger = logging.getLogger("disengage.request")
    level = logger.level
    built = []
    monkeypatch.setattr(logger, "_log", lambda *args, **kwargs: built.append(args))
    client.force_login(consultant)
    try:
        logger.setLevel(logging.WARNING)
        response = client.get("/")
        assert response.status_code == 200 and response["X-Request-ID"]
        assert built == []
        logger.setLevel(logging.INFO)
        client.get("/")
        assert len(built) == 1
    finally:
        logger.setLevel(level)


@pytest.mark.django_db
def test_the_benchmark_split_adds_up_to_the_handler_time(client, consultant, settings):
    """bench/split.py: sql + render + view + middleware is the handler's time, and the floor pages answer."""
    from bench import split

    settings.ROOT_URLCONF = "bench.urls"
    client.force_login(consultant)
    for path in ("/bench/leeg/", "/bench/niets/", "/gedetineerden/", "/api/v1/detainees/"):
        assert client.get(path).status_code == 200
        row = split.measure(lambda path=path: client.get(path), repeats=3)
        parts = row["sql_ms"] + row["render_ms"] + row["view_ms"] + row["middleware_ms"]
        assert row["calls"] > 0 and row["sql_ms"] > 0
        # medians of each part need not add up exactly to the median total: within a few ms
        assert abs(parts - row["handler_ms"]) < max(5.0, row["handler_ms"] * 0.5), (path, row)
    empty = split.measure(lambda: client.get("/bench/niets/"), repeats=3)
    assert empty["render_ms"] == 0 and empty["view_ms"] < 1
