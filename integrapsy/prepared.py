"""Queries built and compiled once, run many times with other values.

A page's heaviest reads (a ranking with a subquery per fact, a dashboard of counts) spend more
time in the ORM building and compiling their SQL than in the database: the SQL is the same at
every request, only its values change. Such a query is written once, as a queryset, with a
``Param`` where each value goes; ``PreparedQuery`` compiles it the first time it is run in a
process (once per *shape*: a fact left out when the value is missing gives another SQL) and
then only binds the values and runs it; on PostgreSQL the statement is prepared by the server
too, which then parses it once per connection and, once its plans show one fits every value,
plans it no more (``DJANGO_DB_PREPARED``). What comes back is what the queryset would give:
model instances with their ``select_related`` rows and annotations, or ``values()`` rows.
"""

from __future__ import annotations

import functools
import json
import threading
import weakref
from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections
from django.db.models import BooleanField, Expression, F, Field, QuerySet
from django.http import Http404
from django.utils.asyncio import async_unsafe


class Param(Expression):
    """A value given when the query runs (``PreparedQuery.run(name=value)``), stood for by a marker."""

    def __init__(self, name: str, output_field: Field):
        super().__init__(output_field=output_field)
        self.name = name

    def __repr__(self):
        return f"Param({self.name!r})"

    def as_sql(self, compiler, connection):
        return "%s", [self]

    def get_group_by_cols(self):
        return []

    def bind(self, values: dict, connection):
        if self.name not in values:
            raise TypeError(f"the prepared query needs a value for {self.name!r}")
        return self.output_field.get_db_prep_value(values[self.name], connection, prepared=False)


class IdList(Field):
    """The value of a ``Param`` that is a list of ids (``IdIn``): a list for PostgreSQL, JSON elsewhere."""

    def get_db_prep_value(self, value, connection, prepared=False):
        ids = [int(i) for i in value]
        return ids if connection.vendor == "postgresql" else json.dumps(ids)


class IdIn(Expression):
    """``column`` is one of the ids the ``Param`` named ``name`` is given, a list of any length:
    one marker, so one compiled query whatever the number of ids (``column IN (%s, %s...)``
    needs a query per number). PostgreSQL: ``= ANY(%s)``, which an index on ``column``
    answers as it answers ``IN``; elsewhere the ids as a JSON list (``json_each``).
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, column: str, name: str):
        super().__init__()
        self.column = F(column)
        self.param = Param(name, IdList())

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        return f"{column} IN (SELECT value FROM json_each(%s))", [*params, self.param]  # noqa: S608 - the ids are bound

    def as_postgresql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        return f"{column} = ANY(%s)", [*params, self.param]


class PreparedQuery:
    """``build(shape)`` gives the queryset of a shape, with ``Param`` markers for its values.

    The compiled SQL is kept per database alias and shape, for the life of the process, for
    the first ``MAX_SHAPES`` shapes (a shape may be a set of teams: a query beyond them is
    compiled at each run). ``build`` must give the same SQL for the same shape: every value
    that changes is a ``Param`` (never the clock, the active language or time zone, a user's
    teams but through the shape).
    """

    MAX_SHAPES = 500

    def __init__(self, build: Callable[[Hashable], QuerySet], *, server: bool = True):
        """``server=False``: the SQL is still compiled once, but the server plans it at each run.

        A prepared statement's plan comes to be the one that fits the values on average (its
        generic plan): for rows whose number varies by thousands with the values (a case's
        timeline, 5,000 events for one case, ten for most), the plan for the few reads the many
        badly (all of a long timeline, then sorted, for its first page).
        """
        self._build = build
        self._server = server
        self._compiled: dict = {}
        # Each connection's converters of the shapes kept (``_converters``).
        self._converters_of: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def _compile(self, shape: Hashable, using: str):
        key = (using, shape)
        compiled = self._compiled.get(key)
        if compiled is None:
            queryset = self._build(shape).using(using)
            compiler = queryset.query.get_compiler(using=using)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:  # a queryset that can hold no row (``none()``): no query
                sql, params = "", ()
            compiled = (queryset, compiler, sql, tuple(params))
            with self._lock:
                if len(self._compiled) < self.MAX_SHAPES:
                    self._compiled.setdefault(key, compiled)
        return compiled

    def run(self, shape: Hashable = None, *, using: str = "default", **values) -> list:
        """The rows of ``shape``'s queryset with ``values`` bound, read.

        A list, not a queryset: a queryset chained further (filtered, counted, sliced) would
        need SQL of its own, and would run this one.
        """
        queryset, compiler, sql, params = self._compile(shape, using)
        if not sql:
            return []
        connection = connections[using]
        bound = [p.bind(values, connection) if isinstance(p, Param) else p for p in params]
        # A compiler of its own for this run, on this thread's connection, answering the SQL
        # already written; the query itself is only read.
        prepares = self._server and _prepares(connection)
        runner = _shallow(compiler, connection=_Preparing(connection) if prepares else connection)
        runner.as_sql = lambda *args, **kwargs: (sql, bound)
        runner.get_converters = functools.partial(self._converters, compiler, (using, shape), connection)
        query = _shallow(queryset.query)
        query.get_compiler = lambda using=None, connection=None, elide_empty=True: runner
        return list(_shallow(queryset, _query=query, _result_cache=None, _prefetch_done=False))

    def _converters(self, compiler, key, connection, expressions) -> dict:
        """What the compiler converts each column's values with (``get_converters``), found
        once per shape kept on each connection: the same columns at every run (finding them
        went over every column's field and the backend's converters, each time)."""
        known = self._converters_of.get(connection)
        found = known.get(key) if known is not None else None
        if found is None:
            # Django's own, with this connection's backend (not the one the SQL was written on).
            own = _shallow(compiler, connection=connection)
            found = type(compiler).get_converters(own, expressions)
            if key in self._compiled:  # a shape beyond those kept is looked up at each run, as it is compiled
                with self._lock:
                    self._converters_of.setdefault(connection, {})[key] = found
        return found


def one_or_404(prepared: PreparedQuery, shape: Hashable = None, **values):
    """The one row a prepared query finds, or a 404, as ``access.one_or_404``: no row, and a
    value its field refuses (a malformed code), answer the same."""
    try:
        found = prepared.run(shape, **values)
    except (ValueError, ValidationError) as exc:
        raise Http404 from exc
    if not found:
        raise Http404
    return found[0]


def _prepares(connection) -> bool:
    """Whether the database keeps the statement's plan: PostgreSQL, with ``prepare_threshold``
    set (psycopg prepares nothing when it is None, Django's default)."""
    options = connection.settings_dict["OPTIONS"]
    return connection.vendor == "postgresql" and options.get("prepare_threshold") is not None


class _Preparing:
    """The connection as the compiler sees it, whose cursors have the server bind the values
    and prepare the statement at its first run on the connection: PostgreSQL then parses it
    once, and after five runs plans it no more if one plan fits every value. (Prepared at the
    first run rather than after psycopg's count of runs: the plan kept comes five runs sooner
    on each connection, measured on the planner and the match; a shape run once costs one
    statement of the connection's hundred.)

    Only these statements: the connection's other cursors bind their values in the client
    (Django's default), and are never prepared. The SQL that ``connection.queries`` logs for
    them shows ``$1, $2...`` where the values go (the log's ``args`` has the values).
    """

    def __init__(self, connection):
        self._connection = connection

    def __getattr__(self, name):
        return getattr(self._connection, name)

    @async_unsafe
    def cursor(self):
        # ``BaseDatabaseWrapper._cursor`` with a cursor that binds on the server.
        connection = self._connection
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        with connection.wrap_database_errors:
            return connection._prepare_cursor(_server_binding_cursor(connection))

    chunked_cursor = cursor


@functools.cache
def _prepared_cursor_class():
    """Django's cursor that binds on the server, asking psycopg to prepare what it runs."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    class PreparedCursor(ServerBindingCursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            return super().execute(query, params, prepare=True, binary=binary)

    return PreparedCursor


def _server_binding_cursor(connection):
    """What ``create_cursor`` of Django's PostgreSQL backend makes, binding on the server."""
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    cursor = _prepared_cursor_class()(connection.connection)
    # As Django's cursors: times read in the connection's time zone when it is not the adapters'.
    tzloader = connection.connection.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    if connection.timezone != tzloader.timezone:
        register_tzloader(connection.timezone, cursor)
    return cursor


def _shallow(obj, **changes):
    """A copy of ``obj`` sharing its attributes but ``changes`` (``copy.copy`` would read a queryset)."""
    twin = object.__new__(type(obj))
    twin.__dict__.update(obj.__dict__)
    twin.__dict__.update(changes)
    return twin
