"""Engines for SQLite and PostgreSQL, and the migrations that shape them.

SQLite runs in WAL mode with a busy timeout, so a notebook, a Voila
dashboard and the server extension can open one workspace at once. Each
SQLite transaction starts with `BEGIN IMMEDIATE`: two writers then queue
for the lock instead of failing halfway when both try to upgrade a read.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

logger = logging.getLogger(__name__)

__all__ = ["create_store_engine", "current_revision", "upgrade"]

BUSY_TIMEOUT_MS = 30_000
MIGRATIONS = Path(__file__).with_name("migrations")


def create_store_engine(url: str) -> Engine:
    """An engine for the workspace database at `url`."""
    from sqlalchemy import create_engine, event

    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Hand transaction control to SQLAlchemy's "begin" event (pysqlite's own
    # implicit BEGIN is deferred and cannot be made IMMEDIATE).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(engine: Engine) -> None:
    """Bring the database schema to the newest migration."""
    from alembic import command

    if current_revision(engine) == _head_revision():
        return
    with engine.begin() as connection:
        config = _alembic_config(connection)
        command.upgrade(config, "head")
    logger.info("Upgraded the workspace database to %s.", _head_revision())


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config
