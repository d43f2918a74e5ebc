"""The project's URLs plus one view that fails, for the 500 page test (tests/ops/test_error_pages.py)."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def fails(request):
    raise RuntimeError("a programming error")


urlpatterns = [path("test-only/fails/", fails), *project_urlpatterns]
