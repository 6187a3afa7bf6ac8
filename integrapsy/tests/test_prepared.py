"""A prepared query gives what its queryset gives, compiled once per shape, with each run's values."""

import uuid
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.models import CharField, Count, DateTimeField, Exists, IntegerField, OuterRef, Value
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integrapsy.accounts.models import Team
from integrapsy.accounts.tests.factories import TeamFactory
from integrapsy.directory.models import Location
from integrapsy.prepared import Param, PreparedQuery


def _places(shape, *, city=None, team_name=None):
    """The places of a city with their team and two facts: the query written with values, or with
    ``Param`` markers when no value is given."""
    city = Param("city", CharField()) if city is None else city
    rows = Location.objects.filter(city=city).select_related("team").order_by("name")
    facts = {"team_places": Count("team__locations")}
    if shape == "named":
        named = Param("team_name", CharField()) if team_name is None else team_name
        facts["team_named"] = Exists(Team.objects.filter(pk=OuterRef("team_id"), name=named))
    else:
        facts["team_named"] = Value(False)
    return rows.annotate(**facts)


@pytest.fixture
def places(db):
    north, south = TeamFactory(name="Nord"), TeamFactory(name="Sud")
    for team, name, city in [
        (north, "CAES Croisilles", "Croisilles"),
        (north, "Mairie", "Croisilles"),
        (south, "Centre de Tournai", "Tournai"),
        (south, "Croix-Rouge", "Croisilles"),
    ]:
        Location.objects.create(name=name, team=team, city=city, kind=Location.Kind.values[0], country="FR")
    return north, south


def _facts(rows):
    return [(p.name, p.team.name, p.team_places, p.team_named) for p in rows]


def test_a_run_gives_what_the_queryset_with_its_values_gives(places, django_assert_num_queries):
    prepared = PreparedQuery(_places)
    for city, team_name in [("Croisilles", "Nord"), ("Tournai", "Nord"), ("Croisilles", "Sud"), ("Nowhere", "Sud")]:
        expected = _facts(_places("named", city=city, team_name=team_name))
        with django_assert_num_queries(1):
            got = _facts(prepared.run("named", city=city, team_name=team_name))
        assert got == expected
    assert _facts(prepared.run("plain", city="Croisilles")) == _facts(_places("plain", city="Croisilles"))
    assert [name for name, *_ in _facts(prepared.run("plain", city="Croisilles"))] == [
        "CAES Croisilles",
        "Croix-Rouge",
        "Mairie",
    ]


def test_each_shape_is_built_and_compiled_once(places):
    built = []

    def build(shape):
        built.append(shape)
        return _places(shape)

    prepared = PreparedQuery(build)
    for _ in range(3):
        list(prepared.run("named", city="Croisilles", team_name="Nord"))
        list(prepared.run("plain", city="Tournai"))
    assert built == ["named", "plain"]


def test_the_related_rows_and_annotations_come_with_the_row(places, django_assert_num_queries):
    prepared = PreparedQuery(_places)
    with django_assert_num_queries(1):
        rows = prepared.run("plain", city="Tournai")
        assert isinstance(rows, list)  # read: no queryset to chain into other SQL
        assert [(p.team.name, p.team_places, p.team_named) for p in rows] == [("Sud", 2, False)]


def test_values_rows_with_values_bound_and_converted_as_their_field_says(places):
    day = timezone.make_aware(datetime(2026, 1, 5, 9, 30))
    prepared = PreparedQuery(
        lambda shape: (
            Location.objects.filter(city=Param("city", CharField()))
            .annotate(at=Param("at", DateTimeField()), n=Param("n", IntegerField()))
            .order_by("name")
            .values_list("name", "at", "n")
        )
    )
    rows = list(prepared.run(city="Croisilles", at=day, n="7"))
    assert rows == [("CAES Croisilles", day, 7), ("Croix-Rouge", day, 7), ("Mairie", day, 7)]
    later = day + timedelta(days=1)
    assert list(prepared.run(city="Tournai", at=later, n=1)) == [("Centre de Tournai", later, 1)]


def test_the_converters_of_a_shape_are_found_once_on_a_connection(places, monkeypatch):
    """Each run converts the columns' values as the first did (the time read as a time), with
    the converters found at the first run only."""
    from django.db.models.sql.compiler import SQLCompiler

    found = []
    own = SQLCompiler.get_converters
    monkeypatch.setattr(SQLCompiler, "get_converters", lambda self, e: found.append(1) or own(self, e))
    prepared = PreparedQuery(
        lambda shape: (
            Location.objects.filter(city=Param("city", CharField()))
            .annotate(at=Param("at", DateTimeField()))
            .order_by("name")
            .values_list("name", "at")
        )
    )
    day = timezone.make_aware(datetime(2026, 3, 2, 8, 15))
    for n in range(3):
        moment = day + timedelta(hours=n)
        assert prepared.run(city="Tournai", at=moment) == [("Centre de Tournai", moment)]
    assert len(found) == 1
    # A shape beyond those kept: compiled, and its converters looked up, at each run.
    monkeypatch.setattr(PreparedQuery, "MAX_SHAPES", 0)
    beyond = PreparedQuery(prepared._build)
    for _ in range(2):
        assert beyond.run(city="Tournai", at=day) == [("Centre de Tournai", day)]
    assert len(found) == 3


def test_a_missing_value_is_refused_before_any_query(places):
    prepared = PreparedQuery(_places)
    with CaptureQueriesContext(connection) as queries, pytest.raises(TypeError, match="team_name"):
        prepared.run("named", city="Croisilles")
    assert len(queries) == 0


def test_a_run_is_read_anew_each_time(places):
    prepared = PreparedQuery(_places)
    before = _facts(prepared.run("plain", city="Tournai"))
    north = Team.objects.get(name="Nord")
    Location.objects.create(name="Antenne", team=north, city="Tournai", kind=Location.Kind.values[0], country="BE")
    after = _facts(prepared.run("plain", city="Tournai"))
    assert before == [("Centre de Tournai", "Sud", 2, False)]
    assert after == [("Antenne", "Nord", 3, False), ("Centre de Tournai", "Sud", 2, False)]


def test_beyond_its_shapes_a_query_is_compiled_at_each_run(places, monkeypatch):
    built = []

    def build(shape):
        built.append(shape)
        return _places(shape)

    prepared = PreparedQuery(build)
    monkeypatch.setattr(prepared, "MAX_SHAPES", 1)
    for _ in range(2):
        assert _facts(prepared.run("plain", city="Tournai")) == [("Centre de Tournai", "Sud", 2, False)]
        assert len(_facts(prepared.run("named", city="Croisilles", team_name="Nord"))) == 3
    assert built == ["plain", "named", "named"]


def test_a_shape_that_can_hold_no_row_runs_no_query(places, django_assert_num_queries):
    prepared = PreparedQuery(lambda shape: _places(shape).none() if shape == "nobody" else _places(shape))
    with django_assert_num_queries(0):
        assert prepared.run("nobody", city="Croisilles") == []
    assert len(prepared.run("plain", city="Croisilles")) == 3


def test_one_or_404_answers_the_row_or_404_for_no_row_and_for_a_malformed_value(places):
    from django.db.models import UUIDField
    from django.http import Http404

    from integrapsy.prepared import one_or_404

    place = Location.objects.get(name="Mairie")
    by_code = PreparedQuery(lambda shape: Location.objects.filter(code=Param("code", UUIDField())))
    assert one_or_404(by_code, code=place.code) == place
    assert one_or_404(by_code, code=str(place.code)) == place
    for missing in (uuid.uuid4(), "not-a-code"):
        with pytest.raises(Http404):
            one_or_404(by_code, code=missing)


def _server_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_on_postgresql_the_server_keeps_the_statement_and_binds_each_runs_values(places, settings):
    assert connection.settings_dict["OPTIONS"]["prepare_threshold"] == settings.DB_PREPARE_THRESHOLD
    prepared = PreparedQuery(_places)
    before = len(_server_statements())
    for city, team_name in [("Croisilles", "Nord"), ("Tournai", "Sud"), ("Croisilles", "Sud"), ("Nowhere", "Nord")]:
        expected = _facts(_places("named", city=city, team_name=team_name))
        assert _facts(prepared.run("named", city=city, team_name=team_name)) == expected
        # Prepared at its first run, and that one statement for every run after.
        assert len(_server_statements()) == before + 1
    statement = _server_statements()[-1]
    # Its values are given apart ($1, $2), not written in.
    assert "$1" in statement and "Croisilles" not in statement and "Tournai" not in statement
    # The ORM's other queries are not prepared, however often they run.
    for _ in range(10):
        list(Location.objects.filter(city="Tournai"))
    assert len(_server_statements()) == before + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_prepared_reads_cursor_reads_times_as_djangos_own_cursors_do(db):
    from integrapsy.prepared import _Preparing

    sql = "SELECT %s::timestamptz, TIMESTAMPTZ '2026-01-15 23:30:00+00'"
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=timezone.get_fixed_timezone(120))
    with connection.cursor() as cursor:
        cursor.execute(sql, [moment])
        theirs = cursor.fetchone()
    with _Preparing(connection).cursor() as cursor:
        cursor.execute(sql, [moment])
        ours = cursor.fetchone()
    assert ours == theirs and [t.tzinfo for t in ours] == [t.tzinfo for t in theirs]


def test_without_prepare_threshold_the_query_is_bound_by_the_client(places, settings):
    prepared = PreparedQuery(_places)
    options = connection.settings_dict["OPTIONS"]
    saved = options.pop("prepare_threshold", None)
    try:
        with CaptureQueriesContext(connection) as queries:
            got = _facts(prepared.run("named", city="Tournai", team_name="Sud"))
    finally:
        if saved is not None:
            options["prepare_threshold"] = saved
    assert got == _facts(_places("named", city="Tournai", team_name="Sud"))
    assert "Tournai" in queries[-1]["sql"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_a_query_planned_at_each_run_is_compiled_once_but_not_prepared_by_the_server(places):
    built = []

    def build(shape):
        built.append(shape)
        return _places(shape)

    prepared = PreparedQuery(build, server=False)
    before = len(_server_statements())
    for city in ("Croisilles", "Tournai", "Croisilles"):
        assert _facts(prepared.run("plain", city=city)) == _facts(_places("plain", city=city))
    assert built == ["plain"] and len(_server_statements()) == before


def test_a_list_of_ids_is_one_marker_whatever_its_length(places):
    """``IdIn``: one compiled query for one id, three or none, each finding those rows only."""
    from integrapsy.prepared import IdIn

    by_ids = PreparedQuery(lambda shape: Location.objects.filter(IdIn("pk", "ids")).order_by("name"))
    every = list(Location.objects.order_by("name"))
    assert [p.name for p in by_ids.run(ids=[every[0].pk])] == [every[0].name]
    assert [p.name for p in by_ids.run(ids=[p.pk for p in every[1:]])] == [p.name for p in every[1:]]
    assert by_ids.run(ids=[]) == []
    assert by_ids.run(ids=[2**62]) == []
    assert len(by_ids._compiled) == 1
