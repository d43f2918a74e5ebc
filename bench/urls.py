"""The URLs of the application plus two empty pages, in-process only (`make bench`'s floor of our own stack).

- `empty page`: an authenticated page that shows nothing but the layout every page has (`base.html`: the
  navigation, the bell's slot, the language switch) — what any page costs before its own content;
- `empty response`: an authenticated view answering an empty body: the middleware alone.

Never part of config/urls.py: the bench serves them through `override_settings(ROOT_URLCONF="bench.urls")`.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as application


@login_required
def empty_page(request):
    return render(request, "base.html", {})


@login_required
def empty_response(request):
    return HttpResponse(b"")


urlpatterns = [
    path("bench/leeg/", empty_page, name="bench_empty_page"),
    path("bench/niets/", empty_response, name="bench_empty_response"),
    *application,
]
