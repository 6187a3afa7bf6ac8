"""Pages as a browser gets them: through gunicorn on loopback, several users at once.

The in-process benchmark (``measure.py``) times the view alone. Here each virtual user signs
in through the login page, then asks for a page over HTTP: the time to the first byte (the
status line and headers are back) and the time to load it (the whole HTML, then every
stylesheet and script it names, fetched as a browser with an empty cache would, one after
the other). All users ask at the same time, so the figures include the wait for a worker.
"""

from __future__ import annotations

import http.client
import re
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass

from integrapsy.bench import load
from integrapsy.bench.measure import percentile

ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="(/static/[^"]+)"')


@dataclass(frozen=True)
class WirePage:
    name: str
    username: str
    path: str


@dataclass(frozen=True)
class WireResult:
    page: str
    users: int
    ttfb_median_ms: float
    ttfb_p95_ms: float
    load_median_ms: float
    load_p95_ms: float
    assets: int
    ratio: float = 0.0  # time to first byte, to the empty page's


def _get(base: str, path: str, cookie: str) -> tuple[float, float, str]:
    """One GET on a fresh connection: seconds to the first byte, seconds to the whole body, body."""
    host = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
    started = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Accept-Encoding": "identity"})
        response = conn.getresponse()
        first = time.perf_counter() - started
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        return first, time.perf_counter() - started, body.decode("utf-8", "replace")
    finally:
        conn.close()


def _user_cookie(base: str, username: str) -> str:
    browser = load.signed_in(base, username)
    return "; ".join(f"{c.name}={c.value}" for c in browser.jar)


def _measure_page(base: str, page: WirePage, *, users: int, rounds: int) -> WireResult:
    cookies = [_user_cookie(base, page.username) for _ in range(users)]
    _get(base, page.path, cookies[0])  # warm the workers and their caches
    ttfb: list[float] = []
    loads: list[float] = []
    assets_seen: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(users)

    def user(cookie: str) -> None:
        try:
            start.wait()
            for _ in range(rounds):
                first, whole, body = _get(base, page.path, cookie)
                assets = ASSET.findall(body)
                total = whole
                for asset in assets:
                    total += _get(base, asset, cookie)[1]
                with lock:
                    ttfb.append(first * 1000)
                    loads.append(total * 1000)
                    assets_seen.append(len(assets))
        except BaseException as exc:  # noqa: BLE001 — reported by the caller
            errors.append(exc)

    threads = [threading.Thread(target=user, args=(c,)) for c in cookies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"{page.name}: {errors[0]}")
    return WireResult(
        page=page.name,
        users=users,
        ttfb_median_ms=round(statistics.median(ttfb), 1),
        ttfb_p95_ms=round(percentile(ttfb, 0.95), 1),
        load_median_ms=round(statistics.median(loads), 1),
        load_p95_ms=round(percentile(loads, 0.95), 1),
        assets=max(assets_seen),
    )


def _collect_static(database_url: str, root: str) -> dict:
    """Static files as in production (hashed names, compressed), in a folder of this run."""
    env = {**load.server_env(database_url), "DJANGO_STATIC_ROOT": root, "DJANGO_STATIC_MANIFEST": "1"}
    subprocess.run(  # noqa: S603 — our own interpreter and command
        [load.PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=load.BASE_DIR,
        env=env,
        check=True,
    )
    return {"DJANGO_STATIC_ROOT": root, "DJANGO_STATIC_MANIFEST": "1", "DJANGO_ROOT_URLCONF": "integrapsy.bench.urls"}


def measure_wire(database_url: str, pages: list[WirePage], *, users: int = 4, rounds: int = 5) -> list[WireResult]:
    """Start gunicorn on the benchmark database, measure each page, the first one the baseline."""
    with (
        tempfile.TemporaryDirectory(prefix="integrapsy-static-") as root,
        load.gunicorn(database_url, env=_collect_static(database_url, root)) as base,
    ):
        results = [_measure_page(base, page, users=users, rounds=rounds) for page in pages]
    baseline = results[0].ttfb_median_ms or 1.0
    return [WireResult(**{**asdict(r), "ratio": round(r.ttfb_median_ms / baseline, 2)}) for r in results]


def table(results: list[WireResult]) -> str:
    width = max(len(r.page) for r in results)
    head = f"{'page (gunicorn, loopback)':<{width}}  users  ttfb ms  p95 ms  load ms  p95 ms  assets  ratio"
    lines = [head]
    for r in results:
        lines.append(
            f"{r.page:<{width}}  {r.users:>5}  {r.ttfb_median_ms:>7.1f}  {r.ttfb_p95_ms:>6.1f}  "
            f"{r.load_median_ms:>7.1f}  {r.load_p95_ms:>6.1f}  {r.assets:>6}  {r.ratio:>5.2f}"
        )
    return "\n".join(lines)
