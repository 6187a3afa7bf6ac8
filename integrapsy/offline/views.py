"""What makes the app installable and usable without network: manifest, service worker, offline page."""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# The application shell, kept by the service worker from its installation: no personal data.
SHELL = [
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "css/app.css",
    "js/app.js",
    "js/offline_queue.js",
    "js/offline.js",
    "js/char_counter.js",
    "img/icons/icon-192.png",
    "img/icons/icon-512.png",
]
WORKBOX = ["core", "routing", "strategies", "expiration", "cacheable-response", "precaching"]
ICON_SIZES = (192, 512)
THEME_COLOR = "#0b4f6c"


@require_GET
@login_not_required
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: name, start page, icons, so that a phone can install the app."""
    body = {
        "name": "IntegraPsy",
        "short_name": "IntegraPsy",
        "description": _("Psychosocial support for persons in exile"),
        "lang": request.LANGUAGE_CODE,
        "id": reverse("home"),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [
            {
                "src": static(f"img/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in ICON_SIZES
        ],
    }
    return JsonResponse(body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


def _revision(name: str) -> str | None:
    """A hashed static name carries its revision; an unhashed one (debug) gets its content's hash."""
    url = static(name)
    if not url.endswith("/" + name.rsplit("/", 1)[-1]):
        return None
    path = finders.find(name)
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16] if path else None


def _page_revision() -> str:
    """The offline page changes with its templates (and the version of the app's script it loads)."""
    templates = settings.BASE_DIR / "templates"
    digest = hashlib.sha256()
    for part in ("offline/offline.html", "offline/_banner.html", "base.html"):
        digest.update((templates / part).read_bytes())
    digest.update(static("js/offline.js").encode())
    return digest.hexdigest()[:16]


@require_GET
@login_not_required
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the site's root so that its scope is the whole app."""
    context = {
        "workbox": [static(f"vendor/workbox/workbox-{name}.prod.js") for name in WORKBOX],
        "queue_script": static("js/offline_queue.js"),
        "config": json.dumps(
            {
                "static": settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL,
                "offline": reverse("offline:page"),
                "maxAgeHours": settings.OFFLINE_MAX_AGE_HOURS,
                "precache": [{"url": static(n), "revision": _revision(n)} for n in SHELL]
                + [{"url": reverse("offline:page"), "revision": _page_revision()}],
            }
        ),
    }
    response = render(request, "offline/sw.js", context, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@login_not_required
def offline_page(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page asked without network; it names nobody."""
    # Rendered as for a visitor: the copy the service worker keeps holds no name, not even the user's.
    return render(request, "offline/offline.html", {"user": AnonymousUser(), "nav_items": [], "offline_fallback": True})
