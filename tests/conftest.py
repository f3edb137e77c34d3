"""Fixtures shared by the suite: the real corpus, a fresh workspace."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("PTAH_CORPUS", REPO.parent / "shared" / "corpus"))


def corpus_files(folder: str, suffix: str | None = None) -> list[Path]:
    """The corpus files of one folder, sorted, optionally by suffix."""
    paths = sorted((CORPUS / folder).iterdir())
    return [p for p in paths if suffix is None or p.suffix == suffix]


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The folder of real requirement documents (read-only, never copied)."""
    if not CORPUS.is_dir():
        raise RuntimeError(
            f"The corpus is not at {CORPUS}. Check out the project beside "
            "shared/, or set PTAH_CORPUS to the corpus folder."
        )
    return CORPUS


# Databases: every store test runs on SQLite and on a real PostgreSQL server
# that this fixture starts from the system's binaries (`.ci/run` installs
# them), on a loopback port, in a temporary folder.


@pytest.fixture(scope="session")
def postgres_server():
    """The URL of a PostgreSQL server the suite owns, without a database."""
    from tests.postgres import running_postgres

    external = os.environ.get("PTAH_TEST_POSTGRES_URL")
    if external:
        yield external
        return
    with running_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ptah.db'}"
    from tests.postgres import fresh_database

    server = request.getfixturevalue("postgres_server")
    return fresh_database(server)


@pytest.fixture
def workspace(tmp_path: Path, database_url: str):
    """An empty workspace on each kind of database."""
    from ptah_kernel.settings import Settings
    from ptah_kernel.workspace import open_workspace

    settings = Settings(database_url=database_url, user="tester")
    ws = open_workspace(tmp_path / "ws", settings=settings)
    yield ws
    ws.close()


@pytest.fixture
def sqlite_workspace(tmp_path: Path):
    """An empty embedded workspace (SQLite), for tests about documents."""
    from ptah_kernel.settings import Settings
    from ptah_kernel.workspace import open_workspace

    ws = open_workspace(tmp_path / "ws", settings=Settings(user="tester"))
    yield ws
    ws.close()
