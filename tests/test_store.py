"""The store on SQLite and PostgreSQL: schema, projects, blobs, recovery."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from ptah_kernel.errors import InvalidProjectCode, ProjectExists, ProjectNotFound
from ptah_kernel.settings import Settings
from ptah_kernel.store.blobs import BlobStore, sha256_of
from ptah_kernel.store.models import Base, ProjectRow
from ptah_kernel.workspace import open_workspace


def test_migrations_build_exactly_the_models(workspace):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with workspace.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = compare_metadata(context, Base.metadata)

    assert differences == []


def test_workspace_reopens_without_migrating_again(workspace, tmp_path):
    from ptah_kernel.store.database import current_revision

    again = open_workspace(workspace.folder, settings=workspace.settings)

    assert current_revision(again.engine) == current_revision(workspace.engine)
    assert again.organization_id == workspace.organization_id
    again.close()


def test_sqlite_workspace_runs_in_wal_mode(sqlite_workspace):
    with sqlite_workspace.engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()

    assert mode == "wal"
    assert keys == 1


def test_project_create_list_update(workspace):
    workspace.create_project("acme-portal", "Acme portal", client="Acme")
    workspace.create_project("beta", tech_stack="Django")

    workspace.project("beta").update(client="Beta Ltd", status="estimating")

    frame = workspace.projects_frame()
    assert list(frame["code"]) == ["acme-portal", "beta"]
    assert workspace.project("beta").client == "Beta Ltd"
    assert workspace.project("acme-portal").created_by == "tester"


def test_project_rows_belong_to_the_organization(workspace):
    workspace.create_project("acme")

    with workspace.session() as session:
        row = session.scalar(select(ProjectRow))

    assert row.organization_id == workspace.organization_id
    assert row.created_by == "tester"


def test_project_code_taken_twice_is_refused(workspace):
    workspace.create_project("acme")

    with pytest.raises(ProjectExists, match="'acme' exists already"):
        workspace.create_project("acme")


@pytest.mark.parametrize(
    "code",
    [
        "",
        "Acme",
        "acme_portal",
        "-acme",
        "acme-",
        "1acme",
        "a--b",
        "a.b",
        "a" * 41,
        "acme portal",
        "../etc",
        "acme\n",
    ],
)
def test_project_code_that_cannot_be_a_subdomain_is_refused(sqlite_workspace, code):
    with pytest.raises(InvalidProjectCode, match="letters, digits and hyphens"):
        sqlite_workspace.create_project(code)

    assert sqlite_workspace.projects() == []


def test_project_unknown_code_names_it(sqlite_workspace):
    with pytest.raises(ProjectNotFound, match="'nope'.*ptah projects"):
        sqlite_workspace.project("nope")


def test_project_update_refuses_unknown_fields(sqlite_workspace):
    project = sqlite_workspace.create_project("acme")

    with pytest.raises(TypeError, match="no field 'colour'"):
        project.update(colour="red")


def test_workspace_location_from_ptah_home(tmp_path, monkeypatch):
    monkeypatch.setenv("PTAH_HOME", str(tmp_path / "home"))

    ws = open_workspace(settings=Settings())

    assert ws.folder == tmp_path / "home"
    assert (tmp_path / "home" / "ptah.db").is_file()
    ws.close()


def test_workspace_location_from_config_file(tmp_path, monkeypatch):
    config = tmp_path / "jupyter_config.py"
    config.write_text("c.Ptah.workspace = 'team-ws'\nc.Ptah.max_pages = 50\n")
    monkeypatch.delenv("PTAH_HOME", raising=False)
    monkeypatch.setenv("PTAH_CONFIG", str(config))

    ws = open_workspace()

    assert ws.folder == tmp_path / "team-ws"
    assert ws.settings.limits.max_pages == 50
    ws.close()


def test_blob_store_names_bytes_by_hash(tmp_path):
    blobs = BlobStore(tmp_path)
    data = b"requirement text"
    sha = sha256_of(data)

    with blobs.writing(data, sha):
        pass

    assert blobs.read(sha) == data
    assert list(blobs.names()) == [sha]


def test_blob_store_removes_blob_when_transaction_fails(tmp_path):
    blobs = BlobStore(tmp_path)
    sha = sha256_of(b"x")

    with pytest.raises(RuntimeError), blobs.writing(b"x", sha):
        raise RuntimeError("database refused")

    assert list(blobs.names()) == []
    assert list((tmp_path / "pending").iterdir()) == []


def test_blob_store_recovers_blob_of_dead_writer(tmp_path):
    blobs = BlobStore(tmp_path)
    sha = sha256_of(b"orphan")
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    blobs._write(b"orphan", sha)
    (tmp_path / "pending" / f"{sha}.{dead.pid}").touch()

    removed = blobs.recover(lambda _sha: False)

    assert removed == [sha]
    assert list(blobs.names()) == []


def test_blob_store_keeps_blob_of_live_writer(tmp_path):
    blobs = BlobStore(tmp_path)
    sha = sha256_of(b"busy")
    blobs._write(b"busy", sha)
    (tmp_path / "pending" / f"{sha}.{os.getppid()}").touch()

    assert blobs.recover(lambda _sha: False) == []
    assert blobs.exists(sha)


def test_blob_store_refuses_names_that_are_not_hashes(tmp_path):
    with pytest.raises(ValueError, match="not a sha256"):
        BlobStore(tmp_path).path("../../etc/passwd")


def test_store_tables_are_the_expected_set(workspace):
    names = set(inspect(workspace.engine).get_table_names())

    assert names - {"alembic_version"} == set(Base.metadata.tables)
    assert {"projects", "documents", "blocks", "requirements", "wbs"} <= names


def test_default_location_is_per_user(monkeypatch, tmp_path):
    from ptah_kernel.workspace import default_workspace_path

    monkeypatch.delenv("PTAH_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))

    assert default_workspace_path(Settings()) == Path(tmp_path) / "ptah"


def test_bulk_insert_stores_what_the_orm_reads_back(workspace):
    from sqlalchemy import select

    from ptah_kernel.store.bulk import insert_rows
    from ptah_kernel.store.models import RequirementRow

    project = workspace.create_project("bulk")
    document = project.add_document(b"# Spec\n\nThe portal shall log in.\n", "s.md")
    row = {
        "project_id": project.id,
        "document_id": document.id,
        "rid": "s:R-1",
        "ref": "R-1",
        "text": "Quotes ' and \" and ünïcode stay.",
        "anchor": "Spec",
        "modality": "shall",
        "kind": "security",
        "source": "statement",
        "section": "Spec",
        "position": 7,
        "ambiguity": ["fast", "TBD"],
        **workspace.owned(),
    }
    with workspace.session() as session:
        insert_rows(session, RequirementRow.__table__, [row, {**row, "rid": "s:R-2"}])
    with workspace.session() as session:
        stored = session.scalars(
            select(RequirementRow).where(RequirementRow.rid.in_(["s:R-1", "s:R-2"]))
        ).all()

    assert len(stored) == 2
    assert stored[0].ambiguity == ["fast", "TBD"]
    assert stored[0].text == row["text"]
    assert stored[0].created_at is not None
    assert stored[0].created_at.year >= 2024
