"""A throwaway PostgreSQL server for tests and benchmarks: initdb in a temp folder, 127.0.0.1, a free port.

Debian's `postgresql` package refuses to run as root, so as root the server runs as the
`postgres` user. `start_postgres()` returns None when the binaries are not installed.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass
class TempPostgres:
    folder: Path
    port: int
    bin: Path
    as_user: list[str]

    def url(self, database: str = "verify") -> str:
        return f"postgresql+psycopg://verify@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "verify", name)
        return self.url(name)

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, tool: str, *args: str, check: bool = True) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / tool), *args],
            check=check,
            capture_output=True,
            timeout=120,
        )


def postgres_bin() -> Path | None:
    """The folder of initdb/pg_ctl: on PATH, else Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(os.path.realpath(found)).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def start_postgres() -> TempPostgres | None:
    folder_bin = postgres_bin()
    if folder_bin is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix="verify-pg-", dir="/tmp"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = TempPostgres(folder, port, folder_bin, as_user)
    server._run("initdb", "-D", str(folder / "data"), "-A", "trust", "-U", "verify", "-E", "UTF8")
    options = f"-h 127.0.0.1 -p {port} -k {folder} -c fsync=off -c full_page_writes=off"
    server._run("pg_ctl", "-D", str(folder / "data"), "-o", options, "-l", str(folder / "log"), "-w", "start")
    deadline = time.time() + 30
    while True:
        try:
            server.create_database("verify")
            return server
        except subprocess.CalledProcessError:
            if time.time() > deadline:
                server.stop()
                raise
            time.sleep(0.3)


def postgres_or_skip() -> Iterator[TempPostgres]:
    """The body of a `postgres` fixture: a server for the tests that use it, stopped afterwards."""
    import pytest

    server = start_postgres()
    if server is None:
        pytest.skip("PostgreSQL binaries (initdb, pg_ctl) are not installed: apt-get install postgresql")
    try:
        yield server
    finally:
        server.stop()
