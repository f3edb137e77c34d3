"""A content-addressed folder of original document bytes.

A blob's name is the sha256 of its bytes, under a two-letter fan-out folder.
Writes go to a temporary file that is renamed into place, so a reader never
sees half a blob. A writer leaves an intent marker (`pending/<sha>.<pid>`)
while its database transaction is open; `recover()` removes blobs whose
writer died before committing, so a killed ingest leaves no orphan behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger(__name__)

__all__ = ["BlobStore", "sha256_of"]


def sha256_of(data: bytes) -> str:
    """The hex sha256 that names a blob."""
    return hashlib.sha256(data).hexdigest()


class BlobStore:
    """Original bytes on disk, named by their sha256."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._pending = root / "pending"
        self._pending.mkdir(parents=True, exist_ok=True)

    def path(self, sha: str) -> Path:
        """Where the blob named `sha` lives (it may not exist)."""
        if len(sha) != 64 or not all(c in "0123456789abcdef" for c in sha):
            raise ValueError(f"{sha!r} is not a sha256 hex digest.")
        return self.root / sha[:2] / sha[2:]

    def read(self, sha: str) -> bytes:
        """The bytes of a stored blob."""
        return self.path(sha).read_bytes()

    def exists(self, sha: str) -> bool:
        """Whether the blob is stored."""
        return self.path(sha).is_file()

    def names(self) -> Iterator[str]:
        """Every stored blob's sha256."""
        for folder in self.root.iterdir():
            if len(folder.name) == 2 and folder.is_dir():
                yield from (folder.name + f.name for f in folder.iterdir())

    @contextmanager
    def writing(
        self,
        data: bytes,
        sha: str,
        still_needed: Callable[[], bool] | None = None,
    ) -> Iterator[None]:
        """Store `data` while the caller's transaction runs inside the block.

        The intent marker stays until the block ends, so `recover()` in
        another process can tell a live writer from a dead one. When the
        block fails, a blob this call wrote is removed unless `still_needed`
        says another writer committed a row that uses it meanwhile.
        """
        marker = self._pending / f"{sha}.{os.getpid()}"
        marker.touch()
        try:
            existed = self.exists(sha)
            self._write(data, sha)
            try:
                yield
            except BaseException:
                if not existed and not (still_needed and still_needed()):
                    self.path(sha).unlink(missing_ok=True)
                raise
        finally:
            marker.unlink(missing_ok=True)

    def _write(self, data: bytes, sha: str) -> None:
        target = self.path(sha)
        if target.is_file():
            return
        target.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".tmp-{os.getpid()}-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def delete(self, sha: str) -> None:
        """Remove a blob; a missing one is not an error."""
        self.path(sha).unlink(missing_ok=True)

    def recover(self, is_referenced: Callable[[str], bool]) -> list[str]:
        """Remove blobs and temp files left by writers that died mid-write.

        Returns the sha256 of each blob removed.
        """
        removed = []
        for marker in self._pending.iterdir():
            sha, _, pid = marker.name.partition(".")
            if pid.isdigit() and _is_alive(int(pid)):
                continue
            if not is_referenced(sha):
                self.delete(sha)
                removed.append(sha)
            marker.unlink(missing_ok=True)
        self._remove_stale_temp_files()
        if removed:
            logger.warning("Removed %d blob(s) of an interrupted ingest.", len(removed))
        return removed

    def _remove_stale_temp_files(self) -> None:
        for tmp in self.root.glob("??/.tmp-*"):
            pid = tmp.name.split("-")[1]
            if not (pid.isdigit() and _is_alive(int(pid))):
                tmp.unlink(missing_ok=True)


def _is_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _is_not_zombie(pid)


def _is_not_zombie(pid: int) -> bool:
    # A killed child stays a zombie until its parent reaps it; it writes nothing.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[0] != "Z"
