"""The benchmark's own database: named, created, migrated and switched to; never the dev or test one."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import environ
from django.conf import settings
from django.core.management import call_command
from django.db import connections

BENCH_PG_NAME = "integrapsy_bench"
BENCH_SQLITE_NAME = "bench.sqlite3"
META_TABLE = "bench_meta"


def bench_settings(url: str | None = None) -> dict:
    """Settings of the benchmark database.

    From ``url`` when given; otherwise the server of the project's database with the name
    ``integrapsy_bench`` (PostgreSQL), or ``bench.sqlite3`` beside the project (SQLite).
    """
    default = connections["default"].settings_dict
    if url:
        bench = environ.Env.db_url_config(url)
    elif default["ENGINE"].endswith("postgresql"):
        bench = {k: default.get(k) for k in ("ENGINE", "HOST", "PORT", "USER", "PASSWORD")}
        bench["NAME"] = BENCH_PG_NAME
    else:
        bench = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(Path(settings.BASE_DIR) / BENCH_SQLITE_NAME)}
    refuse_project_database(bench, default)
    if bench["ENGINE"].endswith("sqlite3"):
        # As the project's settings do: WAL, and IMMEDIATE transactions so writers queue.
        bench["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    else:
        bench["CONN_MAX_AGE"] = 0
        bench["CONN_HEALTH_CHECKS"] = True
        if settings.DB_PREPARE_THRESHOLD is not None:  # as the project's own database
            bench["OPTIONS"] = {**bench.get("OPTIONS", {}), "prepare_threshold": settings.DB_PREPARE_THRESHOLD}
    return bench


def refuse_project_database(bench: dict, default: dict) -> None:
    """Never the development database, nor a test database."""
    name = str(bench.get("NAME") or "")
    forbidden = {str(default.get("NAME") or ""), str((default.get("TEST") or {}).get("NAME") or "")}
    forbidden.add("test_" + Path(str(default.get("NAME") or "")).name)
    forbidden.discard("")
    if name in forbidden or Path(name).name in {"db.sqlite3", "test-db.sqlite3"}:
        raise ValueError(f"The benchmark will not use the project's database {name!r}: name another one.")
    if bench["ENGINE"].endswith("postgresql") and name in {"postgres", "template0", "template1"}:
        raise ValueError(f"The benchmark will not use the system database {name!r}.")


def small_settings(bench: dict) -> dict:
    """The second, smaller database of ``--check-constant``."""
    small = dict(bench)
    name = str(bench["NAME"])
    if bench["ENGINE"].endswith("sqlite3"):
        path = Path(name)
        small["NAME"] = str(path.with_name(path.stem + "_small" + path.suffix))
    else:
        small["NAME"] = name + "_small"
    return small


def _pg_admin(bench: dict):
    import psycopg

    return psycopg.connect(
        host=bench.get("HOST") or None,
        port=bench.get("PORT") or None,
        user=bench.get("USER") or None,
        password=bench.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


def exists(bench: dict) -> bool:
    if bench["ENGINE"].endswith("sqlite3"):
        return Path(bench["NAME"]).exists()
    with _pg_admin(bench) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench["NAME"]]).fetchone() is not None


def drop(bench: dict) -> None:
    if bench["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(bench["NAME"] + suffix).unlink(missing_ok=True)
        return
    from psycopg import sql

    with _pg_admin(bench) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(bench["NAME"])))


def create(bench: dict) -> None:
    if bench["ENGINE"].endswith("sqlite3"):
        Path(bench["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        return
    from psycopg import sql

    with _pg_admin(bench) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(bench["NAME"])))


def use(bench: dict) -> None:
    """Point the ``default`` connection of this process at ``bench``."""
    connections["default"].close()
    configured = connections.configure_settings({"default": dict(bench)})["default"]
    connections.settings["default"] = configured
    settings.DATABASES["default"] = configured
    del connections["default"]


_sqlite_migrated: list[str] = []


def migrate(bench: dict | None = None) -> bool:
    """Apply the migrations (``True`` when there were some to apply); a second fresh SQLite file
    of the same run is a copy of the first."""
    from django.db.migrations.executor import MigrationExecutor

    fresh_sqlite = bench is not None and bench["ENGINE"].endswith("sqlite3")
    if fresh_sqlite and _sqlite_migrated and Path(_sqlite_migrated[0]).exists():
        connections["default"].close()
        shutil.copyfile(_sqlite_migrated[0], bench["NAME"])
        return True
    executor = MigrationExecutor(connections["default"])
    pending = bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    call_command("migrate", interactive=False, verbosity=0)
    if fresh_sqlite:
        connections["default"].close()
        template = bench["NAME"] + ".migrated"
        shutil.copyfile(bench["NAME"], template)
        _sqlite_migrated[:] = [template]
    return pending


def read_meta() -> dict[str, str]:
    from django.db import connection

    if META_TABLE not in connection.introspection.table_names():
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, value FROM bench_meta")
        return dict(cursor.fetchall())


def write_meta(values: dict[str, str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key varchar(40) PRIMARY KEY, value text)")
        for key, value in values.items():
            cursor.execute("DELETE FROM bench_meta WHERE key = %s", [key])
            cursor.execute("INSERT INTO bench_meta (key, value) VALUES (%s, %s)", [key, str(value)])


def cleanup() -> None:
    """Remove the migrated SQLite copy kept during a run."""
    for path in _sqlite_migrated:
        Path(path).unlink(missing_ok=True)
    _sqlite_migrated.clear()


def url_of(bench: dict) -> str:
    """The benchmark database as a ``DATABASE_URL``, for a server started on it."""
    if bench["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(bench['NAME']).resolve()}"
    user = quote(bench.get("USER") or "")
    password = f":{quote(bench['PASSWORD'])}" if bench.get("PASSWORD") else ""
    host = bench.get("HOST") or "127.0.0.1"
    port = f":{bench['PORT']}" if bench.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(bench['NAME'])}"
