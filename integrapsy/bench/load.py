"""Load on the real server: gunicorn with 2 workers on 127.0.0.1, PostgreSQL, threads of virtual users.

    python -m integrapsy.bench.load --users 50 --seconds 60

It creates its own database on the PostgreSQL server of ``DATABASE_URL`` (filled by
``manage.py benchmark --generate-only``), signs each virtual user in through the login page,
then for ``--seconds`` mixes page views with bookings that compete for the same interpreters,
slots and ambassadors. It reports throughput, the 95th percentile and the server errors, then
checks that nothing is double-booked and that no write was left half-done. Only the standard
library speaks HTTP here (no external load tool).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from integrapsy.bench.browser import Browser

BASE_DIR = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PASSWORD = "bench-password-0"  # integrapsy.bench.data.PASSWORD (not imported: no Django here)
ERROR_PAGE_MARK = "An error occurred"  # in templates/500.html


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url: str) -> dict:
    """A production-like environment on plain http: no second factor (its middleware is off)."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "load-" + secrets.token_urlsafe(40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_MANIFEST": "0",
        "DJANGO_OTP_REQUIRED": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_CONN_MAX_AGE": "60",
        # Many virtual users sign in from the same address in a few seconds.
        "DJANGO_LOGIN_FAILURE_LIMIT": "1000",
    }


def prepare_database(database_url: str, *, scale: float) -> None:
    """Create, migrate and fill the database (fresh) with the benchmark's generator."""
    subprocess.run(  # noqa: S603 — our own interpreter and command
        [PYTHON, "manage.py", "benchmark", "--scale", str(scale), "--database-url", database_url, "--generate-only"],
        cwd=BASE_DIR,
        env={**server_env("sqlite:////nonexistent/unused.sqlite3"), "DJANGO_DEBUG": "1"},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def drop_database(database_url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def gunicorn(database_url: str, *, workers: int = 2, log: Path | None = None, env: dict | None = None):
    """gunicorn on a free loopback port; yields its base URL; stops it afterwards."""
    port = free_port()
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 — closed below
    proc = subprocess.Popen(  # noqa: S603 — the virtualenv's gunicorn
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "integrapsy.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ],
        cwd=BASE_DIR,
        env={**server_env(database_url), **(env or {})},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as r:  # noqa: S310 — loopback
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer in 60 s")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()


# --- Virtual users --------------------------------------------------------------------------


def signed_in(base: str, username: str) -> Browser:
    """A virtual user, signed in with the benchmark's password (or the load stops)."""
    browser = Browser(base)
    status = browser.login(username, PASSWORD)
    if status != 302:
        raise RuntimeError(f"login of {username} answered {status}")
    return browser


# --- What the users do -----------------------------------------------------------------------


@dataclass
class Targets:
    """Codes and references in the load database, read once before the load."""

    teams: int
    cases: dict = field(default_factory=dict)  # team -> [references]
    bookings: dict = field(default_factory=dict)  # team -> [(booking code, [interpreter codes])]
    slots: dict = field(default_factory=dict)  # team -> [slot codes]
    ambassadors: dict = field(default_factory=dict)  # team -> [ambassador codes]
    week: str = ""

    @classmethod
    def read(cls, database_url: str) -> Targets:
        import psycopg

        with psycopg.connect(database_url) as conn:
            teams = [
                r[0]
                for r in conn.execute("SELECT id FROM accounts_team WHERE name LIKE 'Équipe banc %%' ORDER BY name")
            ]
            t = cls(teams=len(teams))
            for i, team in enumerate(teams):
                t.cases[i] = [
                    r[0]
                    for r in conn.execute(
                        "SELECT reference FROM cases_case WHERE team_id = %s AND status <> 'closed' "
                        "ORDER BY id LIMIT 200",
                        [team],
                    )
                ]
                t.bookings[i] = [
                    (str(code), [str(c) for c in interpreters])
                    for code, interpreters in conn.execute(
                        "SELECT b.code, array_agg(DISTINCT i.code) FROM interpreters_interpreterbooking b "
                        "JOIN interpreters_interpreterlanguage il ON il.language_id = b.language_id "
                        "JOIN interpreters_interpreter i ON i.id = il.interpreter_id "
                        "WHERE b.team_id = %s AND b.status IN ('requested', 'offered') AND b.starts_at > now() "
                        "GROUP BY b.code ORDER BY b.code LIMIT 60",
                        [team],
                    )
                ]
                t.slots[i] = [
                    str(r[0])
                    for r in conn.execute(
                        "SELECT sl.code FROM cases_permanenceslot sl JOIN cases_permanencesession s "
                        "ON s.id = sl.session_id WHERE s.team_id = %s AND s.date > current_date "
                        "AND NOT EXISTS (SELECT 1 FROM cases_permanencebooking pb WHERE pb.slot_id = sl.id "
                        "AND pb.status <> 'cancelled') ORDER BY s.date, sl.start_time LIMIT 40",
                        [team],
                    )
                ]
                t.ambassadors[i] = [
                    str(r[0])
                    for r in conn.execute("SELECT code FROM ambassadors_ambassador WHERE team_id = %s", [team])
                ]
            row = conn.execute("SELECT min(date) FROM cases_permanencesession WHERE date >= current_date").fetchone()
            t.week = row[0].isoformat() if row and row[0] else ""
        return t


def actions(browser: Browser, targets: Targets, team: int, rng: random.Random):
    """The mix, by weight: mostly reading, some competing writes."""
    cases = targets.cases[team]
    bookings = targets.bookings[team]
    slots = targets.slots[team]
    ambassadors = targets.ambassadors[team]

    def confirm():
        code, interpreters = rng.choice(bookings)
        return browser.request(f"/bookings/{code}/confirm/", {"interpreter": rng.choice(interpreters)})

    def book_slot():
        return browser.request(f"/slots/{rng.choice(slots)}/book/", {"case": rng.choice(cases[:20]), "note": ""})

    def assign():
        return browser.request(
            f"/cases/{rng.choice(cases[:10])}/ambassadors/",
            {
                "ambassador": rng.choice(ambassadors),
                "role": "peer_support",
                "starts_on": time.strftime("%Y-%m-%d"),
                "over_limit_reason": "Charge temporaire (test de charge)",
            },
        )

    mix = [
        ("case list", 6, lambda: browser.request("/cases/")),
        ("case search", 3, lambda: browser.request("/cases/?q=Noori")),
        ("case page", 6, lambda: browser.request(f"/cases/{rng.choice(cases)}/")),
        ("referral inbox", 3, lambda: browser.request("/referrals/inbox/")),
        ("permanence week", 3, lambda: browser.request(f"/permanences/?week={targets.week}")),
        ("bookings", 3, lambda: browser.request("/bookings/")),
        ("match", 2, lambda: browser.request(f"/bookings/{rng.choice(bookings)[0]}/match/")),
        ("confirm booking", 3, confirm),
        ("book slot", 2, book_slot),
        ("assign ambassador", 1, assign),
    ]
    # A small generated data set may leave a team without a free slot, an open booking or an
    # ambassador (it depends on the day): its users then do the rest of the mix.
    needs = {
        "case page": [cases],
        "match": [bookings],
        "confirm booking": [bookings],
        "book slot": [slots, cases],
        "assign ambassador": [ambassadors, cases],
    }
    return [entry for entry in mix if all(needs.get(entry[0], ()))]


@dataclass
class Sample:
    kind: str
    status: int
    seconds: float
    at: float
    traceback: bool = False
    # For a server error: whether the body is the app's own error page (templates/500.html).
    error_page: bool = False


def run_users(base: str, targets: Targets, *, users: int, seconds: float, seed: int = 9, on_tick=None) -> list:
    """Sign ``users`` virtual users in (not timed), then run the mix for ``seconds``; returns the samples."""
    samples: list[Sample] = []
    lock = threading.Lock()
    browsers = []
    for i in range(users):
        browsers.append(signed_in(base, f"bench-coord-{i % targets.teams}"))
    start = time.monotonic()
    deadline = start + seconds

    def user(i: int):
        rng = random.Random(seed + i)
        mix = actions(browsers[i], targets, i % targets.teams, rng)
        weights = [w for _n, w, _f in mix]
        while time.monotonic() < deadline:
            name, _w, call = rng.choices(mix, weights)[0]
            try:
                r = call()
                sample = Sample(
                    name,
                    r.status,
                    r.seconds,
                    time.monotonic() - start,
                    traceback="Traceback" in r.body,
                    error_page=r.status >= 500 and ERROR_PAGE_MARK in r.body,
                )
            except OSError:
                sample = Sample(name, 0, 0.0, time.monotonic() - start)
            with lock:
                samples.append(sample)

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    if on_tick:
        on_tick(start, deadline)
    for t in threads:
        t.join(timeout=seconds + 120)
    return samples


def report(samples: list[Sample], seconds: float) -> dict:
    by_kind = defaultdict(list)
    for s in samples:
        by_kind[s.kind].append(s)
    ok = [s.seconds for s in samples if 0 < s.status < 500]
    rows = []
    for kind, items in sorted(by_kind.items()):
        times = sorted(s.seconds * 1000 for s in items if 0 < s.status < 500) or [0.0]
        rows.append(
            {
                "kind": kind,
                "requests": len(items),
                "median_ms": round(statistics.median(times), 1),
                "p95_ms": round(times[min(len(times) - 1, round(0.95 * (len(times) - 1)))], 1),
                "server_errors": sum(1 for s in items if s.status >= 500 or s.status == 0),
                "statuses": dict(sorted(defaultdict(int, _count(s.status for s in items)).items())),
            }
        )
    ok_sorted = sorted(ok) or [0.0]
    return {
        "requests": len(samples),
        "throughput_rps": round(len(samples) / seconds, 1),
        "p95_ms": round(ok_sorted[min(len(ok_sorted) - 1, round(0.95 * (len(ok_sorted) - 1)))] * 1000, 1),
        "server_errors": sum(1 for s in samples if s.status >= 500 or s.status == 0),
        "tracebacks": sum(1 for s in samples if s.traceback),
        "kinds": rows,
    }


def _count(values) -> dict:
    out: dict = defaultdict(int)
    for v in values:
        out[v] += 1
    return out


def format_report(r: dict) -> str:
    lines = [
        f"{r['requests']} requests, {r['throughput_rps']} requests/s, p95 {r['p95_ms']} ms, "
        f"{r['server_errors']} server errors, {r['tracebacks']} tracebacks shown",
        f"{'kind':<18} {'requests':>8} {'median ms':>9} {'p95 ms':>8} {'5xx':>4}  statuses",
    ]
    for k in r["kinds"]:
        lines.append(
            f"{k['kind']:<18} {k['requests']:>8} {k['median_ms']:>9} {k['p95_ms']:>8} {k['server_errors']:>4}  "
            f"{k['statuses']}"
        )
    return "\n".join(lines)


# --- What must hold afterwards ----------------------------------------------------------------

INTEGRITY_CHECKS = {
    "interpreter holding two overlapping bookings": """
        SELECT count(*) FROM interpreters_interpreterbooking a JOIN interpreters_interpreterbooking b
          ON a.interpreter_id = b.interpreter_id AND a.id < b.id
         WHERE a.status IN ('confirmed', 'completed') AND b.status IN ('confirmed', 'completed')
           AND a.blocked_from < b.blocked_until AND b.blocked_from < a.blocked_until""",
    "permanence slot booked twice": """
        SELECT count(*) FROM (SELECT slot_id FROM cases_permanencebooking
         WHERE slot_id IS NOT NULL AND status <> 'cancelled' GROUP BY slot_id HAVING count(*) > 1) s""",
    "ambassador assigned twice to a case": """
        SELECT count(*) FROM (SELECT ambassador_id, case_id FROM ambassadors_assignment
         WHERE status <> 'ended' GROUP BY ambassador_id, case_id HAVING count(*) > 1) s""",
    "confirmed booking without its timeline event": """
        SELECT count(*) FROM interpreters_interpreterbooking b
         WHERE b.confirmed_by_id IS NOT NULL AND b.case_id IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM cases_timelineevent e WHERE e.case_id = b.case_id
              AND e.kind = 'booking.confirmed' AND e.source_id = b.id::text)""",
    "slot booking without its timeline event": """
        SELECT count(*) FROM cases_permanencebooking pb
         WHERE pb.id > (SELECT value::bigint FROM bench_meta WHERE key = 'last_slot_booking')
           AND NOT EXISTS (SELECT 1 FROM cases_timelineevent e WHERE e.case_id = pb.case_id
              AND e.kind = 'permanence.booked' AND e.source_id = pb.id::text)""",
    "assignment without its timeline event": """
        SELECT count(*) FROM ambassadors_assignment a WHERE a.status = 'proposed' AND NOT EXISTS (
           SELECT 1 FROM cases_timelineevent e WHERE e.case_id = a.case_id
              AND e.kind = 'assignment.proposed' AND e.source_id = a.id::text)""",
    "case without its person": """
        SELECT count(*) FROM cases_case c LEFT JOIN cases_person p ON p.id = c.person_id WHERE p.id IS NULL""",
    "accepted referral without its case": """
        SELECT count(*) FROM cases_referral r LEFT JOIN cases_case c ON c.id = r.case_id
         WHERE r.status = 'accepted' AND c.id IS NULL""",
}


def mark_generated(database_url: str) -> None:
    """Remember the last generated slot booking: rows after it were written by the services."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO bench_meta (key, value) SELECT 'last_slot_booking', coalesce(max(id), 0)::text "
            "FROM cases_permanencebooking"
        )


def integrity_problems(database_url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(database_url) as conn:
        found = {name: conn.execute(sql).fetchone()[0] for name, sql in INTEGRITY_CHECKS.items()}
    return {name: n for name, n in found.items() if n}


def writes(database_url: str) -> dict[str, int]:
    """What the load wrote through the services."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        return {
            "bookings confirmed": conn.execute(
                "SELECT count(*) FROM interpreters_interpreterbooking WHERE confirmed_by_id IS NOT NULL"
            ).fetchone()[0],
            "slots booked": conn.execute(
                "SELECT count(*) FROM cases_permanencebooking "
                "WHERE id > (SELECT value::bigint FROM bench_meta WHERE key = 'last_slot_booking')"
            ).fetchone()[0],
            "assignments proposed": conn.execute(
                "SELECT count(*) FROM ambassadors_assignment WHERE status = 'proposed'"
            ).fetchone()[0],
            "timeline events written": conn.execute(
                "SELECT count(*) FROM cases_timelineevent WHERE recorded_at > now() - interval '1 hour' "
                "AND summary NOT LIKE 'Événement fictif%%'"
            ).fetchone()[0],
        }


def load_database_url(base_url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(base_url)
    return parts._replace(path="/" + name).geturl()


def run(*, database_url: str, users: int, seconds: float, scale: float, keep: bool = False, log=print) -> dict:
    """The whole load test; returns the report with the integrity problems found (none expected)."""
    url = load_database_url(database_url, f"integrapsy_load_{os.getpid()}")
    log(f"load: preparing {url.rsplit('/', 1)[-1]} (--scale {scale:g})")
    prepare_database(url, scale=scale)
    mark_generated(url)
    try:
        targets = Targets.read(url)
        with gunicorn(url) as base:
            log(f"load: gunicorn (2 workers) on {base}; {users} users for {seconds:g} s")
            samples = run_users(base, targets, users=users, seconds=seconds)
        result = report(samples, seconds)
        result["integrity_problems"] = integrity_problems(url)
        result["writes"] = writes(url)
        log(format_report(result))
        log(f"load: writes {result['writes']}; integrity problems: {result['integrity_problems'] or 'none'}")
        return result
    finally:
        if not keep:
            drop_database(url)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--scale", type=float, default=0.02)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--keep", action="store_true", help="Keep the load database afterwards.")
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgres"):
        parser.error("the load test needs PostgreSQL: give --database-url or DATABASE_URL")
    result = run(
        database_url=args.database_url, users=args.users, seconds=args.seconds, scale=args.scale, keep=args.keep
    )
    return 1 if result["server_errors"] or result["integrity_problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
