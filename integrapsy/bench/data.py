"""Fictional data at scale: bulk inserts (COPY on PostgreSQL), never one ORM save per row.

For speed the generator writes rows straight into the tables and so bypasses the services:
no timeline event or audit event is written for them, and timeline events themselves are
inserted directly. This is the one place in the project that writes without the services;
it only ever writes into the benchmark's own database.

``--scale 1`` is 10,000 persons, 12,000 cases, 100,000 timeline events, 30,000
consultations, 20,000 interpreter bookings and 5,000 permanence slots (plus what they need:
one referral per case, a main language per person, bookings of half of the slots...).
"""

from __future__ import annotations

import json
import math
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from datetime import time as dtime

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

# Rows per table at --scale 1, and the least of each at a tiny scale.
BASE = {
    "persons": 10_000,
    "cases": 12_000,
    "events": 100_000,
    "consultations": 30_000,
    "bookings": 20_000,
    "slots": 5_000,
}
MINIMUM = {"persons": 20, "cases": 24, "events": 200, "consultations": 30, "bookings": 40, "slots": 24}
HEAVY_CASE_EVENTS = 5_000
SLOTS_PER_SESSION = 6
OPEN_REFERRALS_PER_TEAM = 30
PASSWORD = "bench-password-0"
NO_DATA: dict = {}
ACCEPTED_REASONS = ["anxiety", "sleep"]

FIRST_NAMES = [
    "Ahmad",
    "Amina",
    "Bilal",
    "Dawit",
    "Elham",
    "Farida",
    "Ghulam",
    "Hawa",
    "Idris",
    "Jamila",
    "Karim",
    "Layla",
    "Mariam",
    "Nasir",
    "Omid",
    "Rahel",
    "Saba",
    "Tesfay",
    "Yonas",
    "Zahra",
]
LAST_NAMES = [
    "Abdi",
    "Ahmadi",
    "Bakri",
    "Dirie",
    "Ghebre",
    "Haidari",
    "Hussaini",
    "Kebede",
    "Mohammadi",
    "Noori",
    "Osman",
    "Rahimi",
    "Sultani",
    "Tesfaye",
    "Wardak",
    "Yusufzai",
    "Zerai",
    "Habte",
    "Jalali",
    "Karimi",
]
LANGUAGES = [
    ("tir", "", "Tigrigna", "Tigrinya", "Tigrinya"),
    ("prs", "", "Dari", "Dari", "Dari"),
    ("pus", "", "Pachto", "Pasjtoe", "Pashto"),
    ("apd", "", "Arabe soudanais", "Soedanees Arabisch", "Sudanese Arabic"),
    ("som", "", "Somali", "Somalisch", "Somali"),
    ("amh", "", "Amharique", "Amhaars", "Amharic"),
    ("ckb", "", "Kurde sorani", "Soranî", "Central Kurdish"),
    ("fas", "", "Persan", "Perzisch", "Persian"),
]


@dataclass(frozen=True)
class Plan:
    """How many rows of each kind a scale means."""

    scale: float

    def n(self, key: str) -> int:
        return max(MINIMUM[key], round(BASE[key] * self.scale))

    @property
    def teams(self) -> int:
        # Teams grow slower than the data: each team's lists get longer as the scale grows.
        return max(2, round(4 * math.sqrt(self.scale)))

    @property
    def interpreters(self) -> int:
        return max(6, round(30 * math.sqrt(self.scale)))

    @property
    def sessions(self) -> int:
        return math.ceil(self.n("slots") / SLOTS_PER_SESSION)

    @property
    def heavy_events(self) -> int:
        return min(HEAVY_CASE_EVENTS, self.n("events") // 2)

    def counts(self) -> dict[str, int]:
        c = self.n("cases")
        return {
            "persons": self.n("persons"),
            "person languages": self.n("persons"),
            "cases": c,
            "referrals": c + self.teams * OPEN_REFERRALS_PER_TEAM,
            "timeline events": self.n("events"),
            "consultations": self.n("consultations"),
            "interpreter bookings": self.n("bookings"),
            "permanence sessions": self.sessions,
            "permanence slots": self.n("slots"),
            "permanence bookings": (self.n("slots") + 1) // 2,
        }


class Progress:
    """Rows done, rows per second and time left, on stderr, about every second."""

    def __init__(self, total: int, stream=None, every: float = 1.0):
        self.total = max(total, 1)
        self.done = 0
        self.stream = stream or sys.stderr
        self.every = every
        self.started = time.monotonic()
        self.last = 0.0

    def add(self, n: int, label: str, force: bool = False) -> None:
        self.done += n
        now = time.monotonic()
        if force or now - self.last >= self.every:
            self.last = now
            elapsed = max(now - self.started, 1e-6)
            rate = self.done / elapsed
            left = (self.total - self.done) / rate if rate else 0
            self.stream.write(
                f"bench: {label:<22} {self.done:>12,}/{self.total:,} rows"
                f"  {rate:>9,.0f} rows/s  {_duration(left)} left\n"
            )
            self.stream.flush()

    @property
    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-6)


# Country codes (ISO 3166) given in turn to the generated persons.
BENCH_NATIONALITIES = ("ER", "SD", "AF", "SO", "SY", "GN", "IR", "ZZ")


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s"


# --- Writing rows -------------------------------------------------------------------------

_CONVERTED = (
    models.DateTimeField,
    models.DateField,
    models.TimeField,
    models.UUIDField,
    models.JSONField,
    models.DecimalField,
)


class Table:
    """Columns of a model: those a generator gives, then constants for every other column."""

    def __init__(self, model: type[models.Model], given: list[str]):
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        missing = [a for a in given if a not in fields]
        if missing:
            raise ValueError(f"{model.__name__} has no column {missing}")
        now = timezone.now()
        self.given = given
        self.rest: list[str] = []
        self.rest_values: list = []
        for attname, f in fields.items():
            if attname in given or (f.primary_key and isinstance(f, models.AutoField)):
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            elif f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            elif f.empty_strings_allowed and not f.is_relation:
                value = ""
            else:
                raise ValueError(f"{model.__name__}.{attname} needs a value")
            self.rest.append(attname)
            self.rest_values.append(value)
        self.columns = given + self.rest
        self.fields = [fields[a] for a in self.columns]
        self.json_positions = [i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)]

    @property
    def db_table(self) -> str:
        return self.model._meta.db_table


class Writer:
    """Bulk-inserts rows: COPY on PostgreSQL, executemany in batches elsewhere."""

    BATCH = 5_000

    def __init__(self, progress: Progress):
        self.progress = progress
        self.vendor = connection.vendor

    def write(self, model, given: list[str], rows: Iterable[tuple], label: str) -> int:
        table = Table(model, given)
        copy = self.vendor == "postgresql"
        n = self._copy(table, rows, label) if copy else self._insert(table, rows, label)
        self.progress.add(0, label, force=True)
        return n

    def _full_rows(self, table: Table, rows: Iterable[tuple]) -> Iterator[list]:
        rest = list(table.rest_values)
        json_positions = table.json_positions
        last: list = [object(), ""]  # the last JSON value and its text: most rows repeat it
        for row in rows:
            values = [*row, *rest]
            for i in json_positions:
                if values[i] is not last[0]:
                    last = [values[i], json.dumps(values[i])]
                values[i] = last[1]
            yield values

    def _copy(self, table: Table, rows, label: str) -> int:
        """COPY in text format, the lines built here (faster than adapting value by value).

        Foreign-key triggers are off for the load (``session_replication_role = replica``): the
        generator points only at rows it wrote before, and the checks would double the time.
        """
        formats = [_text_format(f) for f in table.fields]
        cols = ", ".join(f'"{c}"' for c in table.columns)
        n = 0
        with connection.cursor() as django_cursor:
            django_cursor.execute("SET session_replication_role = replica")
        raw = connection.connection
        try:
            with raw.cursor() as cursor, cursor.copy(f'COPY "{table.db_table}" ({cols}) FROM STDIN') as copy:
                lines: list[str] = []
                for values in self._full_rows(table, rows):
                    lines.append(
                        "\t".join([r"\N" if v is None else fmt(v) for fmt, v in zip(formats, values, strict=True)])
                    )
                    if len(lines) >= self.BATCH:
                        copy.write("\n".join(lines) + "\n")
                        n += len(lines)
                        self.progress.add(len(lines), label)
                        lines = []
                if lines:
                    copy.write("\n".join(lines) + "\n")
                    n += len(lines)
                    self.progress.add(len(lines), label)
        finally:
            with connection.cursor() as django_cursor:
                django_cursor.execute("SET session_replication_role = DEFAULT")
        return n

    def _insert(self, table: Table, rows, label: str) -> int:
        converters: list[Callable | None] = [
            (lambda v, f=f: f.get_db_prep_save(v, connection))
            if isinstance(f, _CONVERTED) and not isinstance(f, models.JSONField)
            else None
            for f in table.fields
        ]
        todo = [(i, c) for i, c in enumerate(converters) if c is not None]
        cols = ", ".join(f'"{c}"' for c in table.columns)
        marks = ", ".join(["%s"] * len(table.columns))
        sql = f'INSERT INTO "{table.db_table}" ({cols}) VALUES ({marks})'  # noqa: S608 (model names only)
        n = 0
        batch: list[list] = []
        with connection.cursor() as cursor:
            for values in self._full_rows(table, rows):
                for i, convert in todo:
                    if values[i] is not None:
                        values[i] = convert(values[i])
                batch.append(values)
                if len(batch) >= self.BATCH:
                    with transaction.atomic():
                        cursor.executemany(sql, batch)
                    n += len(batch)
                    self.progress.add(len(batch), label)
                    batch = []
            if batch:
                with transaction.atomic():
                    cursor.executemany(sql, batch)
                n += len(batch)
                self.progress.add(len(batch), label)
        return n


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _escape(value) -> str:
    return (value if value.__class__ is str else str(value)).translate(_ESCAPES)


def _text_format(f) -> Callable:
    """How a value of this field is written in COPY's text format."""
    if isinstance(f, models.BooleanField):
        return lambda v: "t" if v else "f"
    if isinstance(f, (models.DateTimeField, models.DateField, models.TimeField)):
        return lambda v: v.isoformat()
    if isinstance(f, (models.IntegerField, models.AutoField, models.ForeignKey, models.UUIDField)):
        return str
    return _escape


def code() -> str:
    """A random UUID as 32 hex digits (what both PostgreSQL and Django's SQLite columns take)."""
    return f"{random.getrandbits(128):032x}"


def next_id(model) -> int:
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def reset_sequences(model_list) -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# --- The world ----------------------------------------------------------------------------


@dataclass
class Reference:
    """The few rows made through the ORM that the bulk rows point at."""

    teams: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    locations: dict = field(default_factory=dict)  # team index -> [location ids]
    centres: list = field(default_factory=list)  # team index -> organisation id
    coordinators: list = field(default_factory=list)  # team index -> user id
    psychologists: dict = field(default_factory=dict)  # team index -> [user ids]
    referrers: list = field(default_factory=list)  # team index -> user id
    interpreters: list = field(default_factory=list)  # interpreter ids
    interpreter_language: list = field(default_factory=list)  # interpreter index -> language id
    ambassadors: dict = field(default_factory=dict)  # team index -> [ambassador ids]


def _user(User, username: str, first: str, last: str, organisation=None, password: str = ""):
    return User(
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@bench.invalid",
        organisation=organisation,
        password=password,
    )


def make_reference(plan: Plan) -> Reference:
    """Organisations, teams, places, languages and staff: a few hundred rows at most."""
    from ambassadors.models import Ambassador, AmbassadorLanguage, Slot
    from integrapsy.accounts.models import Country, Membership, Organisation, Role, Team, User
    from integrapsy.directory.models import Language, Location
    from interpreters.models import Interpreter, InterpreterLanguage

    ref = Reference()
    password = make_password(PASSWORD)
    operator = Organisation.objects.create(name="Opérateur banc d'essai", kind="operator", country=Country.FRANCE)
    service = Organisation.objects.create(
        name="Service d'interprétariat banc d'essai", kind="interpreting_service", country=Country.BELGIUM
    )
    ref.languages = [
        Language.objects.create(code=c, variety=v, name_fr=fr, name_nl=nl, name_en=en).pk
        for c, v, fr, nl, en in LANGUAGES
    ]
    users: list = []
    memberships: list[tuple[str, str, int | None, int | None]] = []  # username, role, team, org
    for t in range(plan.teams):
        team = Team.objects.create(name=f"Équipe banc {t:03d}", organisation=operator, country=Country.FRANCE)
        ref.teams.append(team.pk)
        centre = Organisation.objects.create(
            name=f"Centre d'accueil banc {t:03d}", kind="reception_centre", country=Country.FRANCE
        )
        ref.centres.append(centre.pk)
        ref.locations[t] = [
            Location.objects.create(
                name=f"Lieu {t:03d}-{k}", kind="reception_centre", team=team, city="Ville fictive", country="FR"
            ).pk
            for k in range(3)
        ]
        staff = [("coordinator", "coord", 1), ("psychologist", "psy", 3), ("social_worker", "sw", 2)]
        staff.append(("ambassador", "amb", 3))
        for role, short, count in staff:
            for k in range(count):
                username = f"bench-{short}-{t}" if count == 1 else f"bench-{short}-{t}-{k}"
                users.append(_user(User, username, FIRST_NAMES[k], f"Banc{t:03d}", password=password))
                memberships.append((username, role, team.pk, None))
        users.append(_user(User, f"bench-ref-{t}", "Référente", f"Banc{t:03d}", centre, password))
        memberships.append((f"bench-ref-{t}", Role.REFERRER, None, centre.pk))
    for k in range(plan.interpreters):
        users.append(_user(User, f"bench-int-{k}", FIRST_NAMES[k % 20], f"Interprète{k:03d}", service, password))
        memberships.append((f"bench-int-{k}", Role.INTERPRETER, None, service.pk))
    users.append(_user(User, "bench-admin", "Admin", "Banc", password=password))
    memberships.append(("bench-admin", Role.ADMIN, None, None))
    User.objects.bulk_create(users, batch_size=500)
    ids = dict(User.objects.filter(username__startswith="bench-").values_list("username", "pk"))
    Membership.objects.bulk_create(
        [Membership(user_id=ids[u], role=r, team_id=t, organisation_id=o) for u, r, t, o in memberships],
        batch_size=500,
    )
    for t in range(plan.teams):
        ref.coordinators.append(ids[f"bench-coord-{t}"])
        ref.psychologists[t] = [ids[f"bench-psy-{t}-{k}"] for k in range(3)]
        ref.referrers.append(ids[f"bench-ref-{t}"])
    interpreters = Interpreter.objects.bulk_create(
        [Interpreter(user_id=ids[f"bench-int-{k}"], service=service) for k in range(plan.interpreters)]
    )
    ref.interpreters = [i.pk for i in interpreters]
    langs = ref.languages
    InterpreterLanguage.objects.bulk_create(
        [
            InterpreterLanguage(interpreter_id=i.pk, language_id=langs[(k + d) % len(langs)])
            for k, i in enumerate(interpreters)
            for d in (0, 3)
        ]
    )
    ref.interpreter_language = [langs[k % len(langs)] for k in range(plan.interpreters)]
    Territory = Interpreter.territories.through
    Territory.objects.bulk_create(
        [Territory(interpreter_id=i.pk, team_id=ref.teams[k % plan.teams]) for k, i in enumerate(interpreters)]
    )
    today = timezone.localdate()
    all_slots = list(Slot.values)
    for t in range(plan.teams):
        for k in range(3):
            amb = Ambassador.objects.create(
                user_id=ids[f"bench-amb-{t}-{k}"],
                team_id=ref.teams[t],
                started_on=today - timedelta(days=400),
                availability=all_slots,
            )
            AmbassadorLanguage.objects.create(ambassador=amb, language_id=langs[(t + k) % len(langs)])
            amb.territories.set(ref.locations[t])
            ref.ambassadors.setdefault(t, []).append(amb.pk)
    return ref


def case_of_team(t: int, k: int, plan: Plan) -> int:
    """The index of the k-th open-or-active case of team t (cases below ``persons`` cycle the teams)."""
    per_team = plan.n("persons") // plan.teams
    return (k % per_team) * plan.teams + t


def generate(plan: Plan, *, stream=None) -> dict[str, int]:
    """Fill the (empty, migrated) current database with the plan's rows; returns the counts."""
    from ambassadors.models import Assignment
    from cases.models import (
        Case,
        Consultation,
        PermanenceBooking,
        PermanenceSession,
        PermanenceSlot,
        Person,
        PersonLanguage,
        Referral,
        TimelineEvent,
    )
    from cases.persons.models import Sex
    from cases.timeline.kinds import EVENT_KINDS
    from integrapsy.accounts.models import User
    from interpreters.models import InterpreterBooking

    counts = plan.counts()
    progress = Progress(sum(counts.values()), stream=stream)
    writer = Writer(progress)
    with transaction.atomic():
        ref = make_reference(plan)
    T = plan.teams
    P, C, E = plan.n("persons"), plan.n("cases"), plan.n("events")
    langs = ref.languages
    now = timezone.now()
    today = timezone.localdate()
    from cases.persons.matching import name_key
    from integrapsy.bench.names import draw_names

    # Persons' names as in life (integrapsy/bench/names.py): a long tail of names and spellings.
    firsts, lasts = draw_names(P)
    keys = {n: name_key(n) for n in {*firsts, *lasts}}

    person0 = next_id(Person)

    def persons():
        sexes = [Sex.MALE, Sex.FEMALE, Sex.OTHER]
        for i in range(P):
            t = i % T
            yield (
                person0 + i,
                code(),
                firsts[i],
                lasts[i],
                sexes[i % 3],
                1960 + i % 45,
                BENCH_NATIONALITIES[i % len(BENCH_NATIONALITIES)],
                ref.locations[t][i % 3],
                keys[firsts[i]],
                keys[lasts[i]],
                now,
            )

    writer.write(
        Person,
        [
            "id",
            "code",
            "first_name",
            "last_name",
            "sex",
            "birth_year",
            "nationality",
            "location_id",
            "first_name_key",
            "last_name_key",
            "created_at",
        ],
        persons(),
        "persons",
    )
    writer.write(
        PersonLanguage,
        ["person_id", "language_id", "is_main"],
        ((person0 + i, langs[i % len(langs)], True) for i in range(P)),
        "person languages",
    )

    case0 = next_id(Case)
    statuses = ["open", "active", "active", "active", "on_hold", "active", "open", "active", "active", "active"]
    risks = ["none", "none", "low", "none", "moderate", "none", "low", "high", "none", "none"]

    def case_team(c: int) -> int:
        return (c if c < P else c - P) % T

    def cases():
        for c in range(C):
            t = case_team(c)
            person = c if c < P else c - P
            closed = c >= P  # the extra cases are earlier, closed follow-ups of the same persons
            opened = today - timedelta(days=1 + (c * 7) % 900)
            yield (
                case0 + c,
                f"BX-{c:07d}",
                code(),
                person0 + person,
                ref.teams[t],
                "closed" if closed else statuses[(c // T) % 10],  # per team (T may divide 10)
                ref.psychologists[t][c % 3],
                risks[(c // T) % 10],
                langs[person % len(langs)],
                opened,
                opened + timedelta(days=30) if closed else None,
                "Suivi terminé" if closed else "",
                now,
                now,
            )

    writer.write(
        Case,
        [
            "id",
            "reference",
            "code",
            "person_id",
            "team_id",
            "status",
            "lead_psychologist_id",
            "risk_level",
            "main_language_id",
            "opened_on",
            "closed_on",
            "closure_reason",
            "created_at",
            "updated_at",
        ],
        cases(),
        "cases",
    )

    def referrals():
        for c in range(C):
            t = case_team(c)
            person = c if c < P else c - P
            received = now - timedelta(days=2 + (c * 7) % 900)
            yield (
                code(),
                f"BR-{c:07d}",
                ref.teams[t],
                ref.centres[t],
                ref.referrers[t],
                "accepted",
                firsts[person],
                lasts[person],
                1960 + person % 45,
                langs[person % len(langs)],
                ref.locations[t][person % 3],
                ACCEPTED_REASONS,
                "routine",
                True,
                received.date(),
                "oral",
                received,
                received + timedelta(days=1),
                ref.coordinators[t],
                person0 + person,
                case0 + c,
            )
        n = C
        for t in range(T):
            for k in range(OPEN_REFERRALS_PER_TEAM):
                received = now - timedelta(hours=3 + 7 * k)
                yield (
                    code(),
                    f"BR-{n:07d}",
                    ref.teams[t],
                    ref.centres[t],
                    ref.referrers[t],
                    "submitted" if k % 4 else "info_requested",
                    FIRST_NAMES[k % 20],
                    LAST_NAMES[(k + t) % 20],
                    1980 + k,
                    langs[k % len(langs)],
                    ref.locations[t][k % 3],
                    ["despair"] if k % 5 else ["suicidal_thoughts"],
                    ["routine", "priority", "urgent"][k % 3],
                    True,
                    received.date(),
                    "oral",
                    received,
                    None,
                    None,
                    None,
                    None,
                )
                n += 1

    writer.write(
        Referral,
        [
            "code",
            "reference",
            "team_id",
            "organisation_id",
            "submitted_by_id",
            "status",
            "first_name",
            "last_name",
            "birth_year",
            "main_language_id",
            "location_id",
            "reasons",
            "urgency",
            "consent_given",
            "consent_date",
            "consent_method",
            "received_at",
            "decided_at",
            "decided_by_id",
            "person_id",
            "case_id",
        ],
        referrals(),
        "referrals",
    )

    kinds = sorted(EVENT_KINDS)
    kind_visibility = [EVENT_KINDS[k].visibility for k in kinds]
    heavy = plan.heavy_events

    def events():
        for e in range(E):
            if e < heavy:
                c = 0
                at = now - timedelta(minutes=(e * 137) % (730 * 24 * 60))
            else:
                c = 1 + (e - heavy) % (C - 1)
                at = now - timedelta(minutes=(e * 61) % (730 * 24 * 60))
            t = case_team(c)
            k = e % len(kinds)
            yield (
                case0 + c,
                at,
                at,
                kinds[k],
                ref.coordinators[t],
                kind_visibility[k],
                f"Événement fictif {e}",
                NO_DATA,
            )

    writer.write(
        TimelineEvent,
        ["case_id", "occurred_at", "recorded_at", "kind", "actor_id", "visibility", "summary", "data"],
        events(),
        "timeline events",
    )

    def consultations():
        for i in range(plan.n("consultations")):
            c = i % C
            t = case_team(c)
            started = now - timedelta(hours=2 + (i * 5) % (700 * 24))
            yield (
                code(),
                case0 + c,
                ref.psychologists[t][i % 3],
                "signed",
                started,
                45,
                ["follow_up", "first_assessment", "crisis"][i % 3],
                "Notes fictives de consultation.",
                started + timedelta(hours=1),
                now,
                now,
            )

    writer.write(
        Consultation,
        [
            "code",
            "case_id",
            "psychologist_id",
            "status",
            "started_at",
            "duration_minutes",
            "kind",
            "notes",
            "signed_at",
            "created_at",
            "updated_at",
        ],
        consultations(),
        "consultations",
    )

    NI = plan.interpreters
    B = plan.n("bookings")
    span = timedelta(hours=3) * math.ceil(B / NI)
    # Bookings start on the hour, 3 hours apart per interpreter, a third of them still to come.
    first_start = (now - span * 2 / 3).replace(minute=0, second=0, microsecond=0)

    def bookings():
        buffer = timedelta(minutes=15)
        for i in range(B):
            t = i % T
            k = i % NI
            starts = first_start + timedelta(hours=3) * (i // NI)
            ends = starts + timedelta(hours=1)
            past = ends < now
            kind = (i // T) % 10  # per team, so every team has bookings of every status
            interpreter = ref.interpreters[k]
            status = {5: "cancelled", 6: "requested", 7: "offered", 8: "no_show", 9: "requested"}.get(kind, "held")
            if status == "held":
                status = "completed" if past else "confirmed"
            if status == "no_show" and not past:
                status = "requested"
            if status == "requested":
                interpreter = None
            yield (
                code(),
                ref.teams[t],
                case0 + case_of_team(t, i // T, plan),
                ref.interpreter_language[k],
                "on_site",
                ref.locations[t][i % 3],
                starts,
                ends,
                starts - buffer,
                ends + buffer,
                status,
                interpreter,
                ref.coordinators[t],
                starts - timedelta(days=7),
                starts - timedelta(days=6) if status in ("confirmed", "completed") else None,
                60 if status == "completed" else None,
                starts if status == "completed" else None,
                ends if status == "completed" else None,
                ends if status == "completed" else None,
                starts - timedelta(days=1) if status == "cancelled" else None,
                "team" if status == "cancelled" else "",
                "Rendez-vous déplacé" if status == "cancelled" else "",
                "interpreter" if status == "no_show" else "",
                "Bureau 2" if i % 2 else "",
            )

    writer.write(
        InterpreterBooking,
        [
            "code",
            "team_id",
            "case_id",
            "language_id",
            "mode",
            "location_id",
            "starts_at",
            "ends_at",
            "blocked_from",
            "blocked_until",
            "status",
            "interpreter_id",
            "requested_by_id",
            "requested_at",
            "confirmed_at",
            "billable_minutes",
            "actual_start",
            "actual_end",
            "completed_at",
            "cancelled_at",
            "cancelled_by_party",
            "cancel_reason",
            "no_show_party",
            "location_detail",
        ],
        bookings(),
        "interpreter bookings",
    )

    # Permanences: two sessions a weekday per team (morning, afternoon), six 45-minute slots each.
    S = plan.sessions
    per_team_days = math.ceil(S / T / 2)
    weeks = math.ceil(per_team_days / 5)
    monday0 = first_session_monday(today, weeks)
    session0 = next_id(PermanenceSession)

    def session_day(j: int) -> tuple[date, bool]:
        d = j // T
        day = d // 2
        return monday0 + timedelta(days=(day // 5) * 7 + day % 5), d % 2 == 0

    def sessions():
        for j in range(S):
            t = j % T
            day, morning = session_day(j)
            start = dtime(9) if morning else dtime(14)
            yield (
                session0 + j,
                code(),
                ref.teams[t],
                ref.locations[t][j % 3],
                day,
                start,
                dtime(13, 30) if morning else dtime(18, 30),
                45,
                2,
                ref.psychologists[t][j % 3],
                "scheduled",
                now,
            )

    writer.write(
        PermanenceSession,
        [
            "id",
            "code",
            "team_id",
            "location_id",
            "date",
            "start_time",
            "end_time",
            "slot_minutes",
            "walk_in_places",
            "psychologist_id",
            "status",
            "created_at",
        ],
        sessions(),
        "permanence sessions",
    )
    slot0 = next_id(PermanenceSlot)
    n_slots = plan.n("slots")

    def slot_times(j: int, s: int) -> tuple[dtime, dtime]:
        _day, morning = session_day(j)
        base = (9 if morning else 14) * 60 + 45 * s
        return dtime(base // 60, base % 60), dtime((base + 45) // 60, (base + 45) % 60)

    def slots():
        for n in range(n_slots):
            j, s = divmod(n, SLOTS_PER_SESSION)
            start, end = slot_times(j, s)
            yield (slot0 + n, code(), session0 + j, start, end)

    writer.write(PermanenceSlot, ["id", "code", "session_id", "start_time", "end_time"], slots(), "permanence slots")

    def slot_bookings():
        for n in range(0, n_slots, 2):
            j = n // SLOTS_PER_SESSION
            t = j % T
            day, _morning = session_day(j)
            c = case_of_team(t, n, plan)
            yield (
                code(),
                session0 + j,
                slot0 + n,
                person0 + c,
                case0 + c,
                "booked" if day >= today else ("attended" if n % 3 else "no_show"),
                ref.coordinators[t],
                now,
            )

    writer.write(
        PermanenceBooking,
        ["code", "session_id", "slot_id", "person_id", "case_id", "status", "booked_by_id", "booked_at"],
        slot_bookings(),
        "permanence bookings",
    )

    # A few active assignments per ambassador, so the planner has workloads to weigh.
    assignments = []
    for t in range(T):
        for a, amb in enumerate(ref.ambassadors[t]):
            for k in range(3):
                c = case_of_team(t, a * 3 + k, plan)
                assignments.append(
                    Assignment(
                        ambassador_id=amb,
                        case_id=case0 + c,
                        status="active",
                        starts_on=today - timedelta(days=30),
                        proposed_by_id=ref.coordinators[t],
                        proposed_at=now - timedelta(days=31),
                        started_at=now - timedelta(days=30),
                    )
                )
    Assignment.objects.bulk_create(assignments, batch_size=1000)

    reset_sequences(
        [
            Person,
            PersonLanguage,
            Case,
            Referral,
            TimelineEvent,
            Consultation,
            InterpreterBooking,
            PermanenceSession,
            PermanenceSlot,
            PermanenceBooking,
            User,
        ]
    )
    # The load ran with the triggers off: the cases' copy of their person's names (the search's,
    # kept by triggers, migration cases/0013) is written now, by the same triggers.
    Case.objects.update(search_names="")
    if Case.objects.filter(search_names="").exists():  # "" is never a person's names read together
        raise RuntimeError("Cases without their person's names: the search would find nothing.")
    progress.add(0, "done", force=True)
    return counts


def first_session_monday(today: date, weeks: int) -> date:
    """The Monday the generated permanences begin: a third of their weeks in the past, and always
    a week to come (a single week would otherwise be this one, over by Friday evening: no
    session left to book)."""
    return today - timedelta(days=today.weekday()) - timedelta(weeks=min(weeks // 3, weeks - 2))


def analyse(model: type[models.Model] | None = None) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL: VACUUM ANALYZE; SQLite: ANALYZE), of one table or all."""
    table = connection.ops.quote_name(model._meta.db_table) if model else ""
    with connection.cursor() as cursor:
        cursor.execute(("VACUUM ANALYZE " if connection.vendor == "postgresql" else "ANALYZE ") + table)
