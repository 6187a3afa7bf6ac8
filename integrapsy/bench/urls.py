"""The benchmark's URLconf: the project's URLs plus its two baselines, used only while it measures."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path
from django.views.decorators.http import require_GET


@require_GET
def bare(request: HttpRequest) -> HttpResponse:
    """The framework's floor: an authenticated view answering a short text."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def empty(request: HttpRequest) -> HttpResponse:
    """The app's own floor: the full layout (menu, footer, context processors) with no content."""
    return render(request, "base.html")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/empty/", empty, name="bench_empty"),
    path("", include("integrapsy.urls")),
]
