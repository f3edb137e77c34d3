"""Start a throwaway PostgreSQL server from the system's binaries."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_counter = itertools.count(1)


def _binary(name: str) -> str:
    found = shutil.which(name) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None
    )
    if found is None:
        raise RuntimeError(
            f"PostgreSQL's {name} is not installed. Run `apt-get install postgresql` "
            "(`.ci/run` does), or set PTAH_TEST_POSTGRES_URL to a server you own."
        )
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_owner(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; run them as 'postgres'.
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _run(command: list[str]) -> None:
    done = subprocess.run(_as_owner(command), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {done.stderr or done.stdout}")


@contextmanager
def running_postgres() -> Iterator[str]:
    """Run a server with trust auth on 127.0.0.1 until the block ends."""
    # Not under pytest's tmp_path: its parents are private to root, and the
    # server runs as 'postgres'.
    folder = Path(tempfile.mkdtemp(prefix="ptah-postgres-"))
    data = folder / "data"
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    try:
        yield from _serve(folder, data)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _serve(folder: Path, data: Path) -> Iterator[str]:
    _run([_binary("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"])
    port = _free_port()
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = _binary("pg_ctl")
    start = [pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w"]
    _run([*start, "start"])
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        stop = [pg_ctl, "-D", str(data), "-m", "immediate", "stop"]
        subprocess.run(_as_owner(stop), check=False, capture_output=True)


def fresh_database(server_url: str) -> str:
    """Create an empty database on the server and return its URL."""
    from sqlalchemy import create_engine, text

    name = f"ptah_test_{os.getpid()}_{next(_counter)}"
    engine = create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{server_url}/{name}"
