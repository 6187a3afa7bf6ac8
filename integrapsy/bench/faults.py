"""A throwaway PostgreSQL cluster to restart under load (never the machine's main cluster).

``Cluster`` runs ``initdb`` into a temporary directory as the ``postgres`` user (this needs
root, or to be that user), starts it on a free port of 127.0.0.1, and removes it afterwards.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from integrapsy.bench.load import free_port

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


class Cluster:
    def __init__(self):
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="integrapsy-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log = self.root / "server.log"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def __enter__(self) -> Cluster:
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            pg = pwd.getpwnam("postgres")
            for path in (self.root, self.socket_dir):
                os.chown(path, pg.pw_uid, pg.pw_gid)
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8"])
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def pg_ctl(self, *args: str) -> None:
        _as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1",
                "-w",
                *args,
            ]
        )

    def start(self) -> None:
        self.pg_ctl("start")

    def restart(self) -> float:
        """Restart at once (in-flight transactions are cut); returns how long it was down, in seconds."""
        started = time.monotonic()
        self.pg_ctl("restart", "-m", "immediate")
        return time.monotonic() - started
