"""The workspace: one organization's projects, in a database and a blob folder.

The embedded default is a folder holding `ptah.db` (SQLite) and `blobs/`.
Its location comes from the `path` argument, then `PTAH_HOME`, then
`c.Ptah.workspace` in jupyter_config.py, then `~/.local/share/ptah`
(`$XDG_DATA_HOME/ptah` where that is set). `c.Ptah.database_url` points the
same code at PostgreSQL; blobs stay in the workspace folder.
"""

from __future__ import annotations

import getpass
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ptah_kernel.errors import InvalidProjectCode, ProjectExists, ProjectNotFound
from ptah_kernel.settings import Settings, load_settings

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.orm import Session

    from ptah_kernel.projects import Project
    from ptah_kernel.store.blobs import BlobStore

logger = logging.getLogger(__name__)

__all__ = ["Workspace", "default_workspace_path", "open_workspace"]

DEFAULT_ORGANIZATION = "default"
CODE_PATTERN = re.compile(r"[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?")


def default_workspace_path(settings: Settings) -> Path:
    """Where the workspace lives when no path is given."""
    if os.environ.get("PTAH_HOME"):
        return Path(os.environ["PTAH_HOME"]).expanduser()
    if settings.workspace is not None:
        return settings.workspace
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "ptah"


def open_workspace(
    path: str | os.PathLike[str] | None = None, *, settings: Settings | None = None
) -> Workspace:
    """Open the workspace at `path`, creating it on first use.

    Without `path` the location is chosen as the module docstring says.
    Opening also finishes what an interrupted ingest left: blobs whose
    writer died before its database transaction committed are removed.
    """
    settings = settings or load_settings()
    folder = Path(path).expanduser() if path else default_workspace_path(settings)
    return Workspace(folder, settings)


def check_project_code(code: str) -> str:
    """Return `code` if it can be a subdomain, else raise InvalidProjectCode."""
    if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code):
        raise InvalidProjectCode(str(code))
    if "--" in code:
        raise InvalidProjectCode(code)
    return code


class Workspace:
    """One organization's projects, documents and WBS."""

    def __init__(self, folder: Path, settings: Settings) -> None:
        from ptah_kernel.store.blobs import BlobStore
        from ptah_kernel.store.database import create_store_engine, upgrade

        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.settings = settings
        self.user = settings.user or _login_name()
        self.database_url = settings.database_url or f"sqlite:///{folder / 'ptah.db'}"
        self.engine = create_store_engine(self.database_url)
        upgrade(self.engine)
        self.blobs: BlobStore = BlobStore(folder / "blobs")
        self.organization_id = self._ensure_organization(DEFAULT_ORGANIZATION)
        self.blobs.recover(self.is_blob_referenced)

    def __repr__(self) -> str:
        return f"<Workspace {str(self.folder)!r}>"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on error."""
        from sqlalchemy.orm import Session

        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def owned(self) -> dict[str, Any]:
        """The columns every new row of this workspace carries."""
        return {"organization_id": self.organization_id, "created_by": self.user}

    def _ensure_organization(self, name: str) -> int:
        from sqlalchemy import select

        from ptah_kernel.store.models import Organization

        with self.session() as session:
            found = session.scalar(
                select(Organization.id).where(Organization.name == name)
            )
            if found is not None:
                return found
            organization = Organization(name=name, created_by=self.user)
            session.add(organization)
            session.flush()
            return organization.id

    def is_blob_referenced(self, sha: str) -> bool:
        """Whether any document in the database still uses the blob."""
        from sqlalchemy import select

        from ptah_kernel.store.models import DocumentRow

        with self.session() as session:
            query = select(DocumentRow.id).where(DocumentRow.sha256 == sha).limit(1)
            return session.scalar(query) is not None

    # Projects

    def create_project(
        self,
        code: str,
        name: str | None = None,
        *,
        client: str = "",
        tech_stack: str = "",
    ) -> Project:
        """Create a project; `code` becomes its subdomain, so it is checked."""
        from sqlalchemy.exc import IntegrityError

        from ptah_kernel.projects import Project
        from ptah_kernel.store.models import ProjectRow

        check_project_code(code)
        row = ProjectRow(
            code=code, name=name or code, client=client, tech_stack=tech_stack
        )
        try:
            with self.session() as session:
                session.add(row)
                row.organization_id, row.created_by = self.organization_id, self.user
        except IntegrityError as exc:
            raise ProjectExists(code) from exc
        return Project(self, row)

    def project(self, code: str) -> Project:
        """The project with this code."""
        from sqlalchemy import select

        from ptah_kernel.projects import Project
        from ptah_kernel.store.models import ProjectRow

        query = select(ProjectRow).where(
            ProjectRow.organization_id == self.organization_id, ProjectRow.code == code
        )
        with self.session() as session:
            row = session.scalar(query)
        if row is None:
            raise ProjectNotFound(code)
        return Project(self, row)

    def ensure_project(self, code: str, **details: str) -> Project:
        """Open the project with this code, creating it if there is none.

        Details given for an existing project (name, client, tech_stack)
        update it.
        """
        try:
            project = self.project(code)
        except ProjectNotFound:
            return self.create_project(code, **details)
        given = {key: value for key, value in details.items() if value}
        if given:
            project.update(**given)
        return project

    def projects(self) -> list[Project]:
        """Every project, by code."""
        from sqlalchemy import select

        from ptah_kernel.projects import Project
        from ptah_kernel.store.models import ProjectRow

        query = (
            select(ProjectRow)
            .where(ProjectRow.organization_id == self.organization_id)
            .order_by(ProjectRow.code)
        )
        with self.session() as session:
            rows = list(session.scalars(query))
        return [Project(self, row) for row in rows]

    def projects_frame(self) -> pd.DataFrame:
        """Every project as a table: code, name, client, documents, requirements."""
        import pandas as pd

        records = [project.summary() for project in self.projects()]
        columns = ["code", "name", "client", "tech_stack", "status", "documents"]
        return pd.DataFrame(records, columns=[*columns, "requirements"])

    def _repr_html_(self) -> str:
        frame = self.projects_frame()
        title = f"<p><b>Ptah workspace</b> {_escape(str(self.folder))}</p>"
        return title + frame.to_html(index=False, escape=True)


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "analyst"
