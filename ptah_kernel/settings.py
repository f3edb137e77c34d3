"""Settings from `jupyter_config.py`, as `c.Ptah.<name>`.

The file is found through `PTAH_CONFIG`, then `jupyter_config.py` in the
current folder, then the first `jupyter_config.py` on Jupyter's config path.
The same file configures JupyterLab and Voila, so a team edits one file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ptah_kernel.errors import SettingsError

__all__ = ["ReaderLimits", "Settings", "find_config_file", "load_settings"]

CONFIG_NAME = "jupyter_config.py"


@dataclass(frozen=True)
class ReaderLimits:
    """Bounds on what one file may cost to read; each can be raised."""

    max_file_bytes: int = 100 * 1024 * 1024
    max_pages: int = 2_000
    max_unzipped_bytes: int = 500 * 1024 * 1024
    max_zip_ratio: int = 200
    max_rows: int = 100_000
    max_cells: int = 5_000_000
    max_seconds: float = 120.0
    # Memory one reader process may hold while it reads a file (0: no bound).
    # A few KB of PDF can ask PDFium for gigabytes; past this, it is refused.
    max_reader_memory: int = 2 * 1024**3
    # Characters of text one document may hold: the kernel keeps all of them
    # (about ten bytes each while it stores them). 20 million is some 10,000
    # dense pages.
    max_characters: int = 20_000_000
    # Worker processes that read (and find requirements) side by side: a
    # PDF's pages, or a long Word body, are shared out between them. 1
    # reads in one process.
    reader_processes: int = 2


@dataclass(frozen=True)
class Settings:
    """Every Ptah setting with its default."""

    workspace: Path | None = None
    database_url: str | None = None
    user: str | None = None
    limits: ReaderLimits = field(default_factory=ReaderLimits)
    model: str = "claude-sonnet-5-5"
    # USD per million tokens, by model id: {"input", "output", "cache_write",
    # "cache_read"} and optionally "cache_write_1h". Empty: costs are unknown.
    prices: dict[str, dict[str, float]] = field(default_factory=dict)
    config_file: Path | None = None

    def with_workspace(self, path: str | os.PathLike[str]) -> Settings:
        """A copy that points at another workspace folder."""
        return replace(self, workspace=Path(path).expanduser())


def find_config_file() -> Path | None:
    """The `jupyter_config.py` Ptah reads, or None when there is none."""
    explicit = os.environ.get("PTAH_CONFIG")
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise SettingsError(
                f"PTAH_CONFIG points at '{path}', which is not a file. "
                "Point it at your jupyter_config.py or unset it."
            )
        return path
    local = Path.cwd() / CONFIG_NAME
    if local.is_file():
        return local
    return _config_on_jupyter_path()


def _config_on_jupyter_path() -> Path | None:
    from jupyter_core.paths import jupyter_config_path

    for folder in jupyter_config_path():
        candidate = Path(folder) / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_settings(config_file: Path | None = None) -> Settings:
    """Read `c.Ptah` from the config file, falling back to defaults."""
    path = config_file or find_config_file()
    if path is None:
        return Settings()
    values = _read_ptah_section(path)
    return _settings_from(values, path)


def _read_ptah_section(path: Path) -> dict[str, Any]:
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

    loader = PyFileConfigLoader(path.name, path=str(path.parent))
    try:
        config = loader.load_config()
    except ConfigFileNotFound as exc:
        raise SettingsError(f"Cannot read the settings file '{path}'.") from exc
    except Exception as exc:
        raise SettingsError(
            f"The settings file '{path}' failed to run: {exc}. Fix the line it "
            "names, or set PTAH_CONFIG to another file."
        ) from exc
    return dict(config.get("Ptah", {}))


def _settings_from(values: dict[str, Any], path: Path) -> Settings:
    limit_names = {f.name for f in fields(ReaderLimits)}
    known = {f.name for f in fields(Settings)} - {"limits", "config_file"}
    unknown = sorted(set(values) - known - limit_names)
    if unknown:
        raise SettingsError(
            f"{path} sets c.Ptah.{unknown[0]}, which Ptah does not know. "
            f"Known settings: {', '.join(sorted(known | limit_names))}."
        )
    limits = ReaderLimits(**{k: v for k, v in values.items() if k in limit_names})
    plain = {k: v for k, v in values.items() if k in known}
    if plain.get("workspace"):
        plain["workspace"] = _resolve(path, plain["workspace"])
    return Settings(limits=limits, config_file=path, **plain)


def _resolve(config_file: Path, value: str | os.PathLike[str]) -> Path:
    folder = Path(value).expanduser()
    return folder if folder.is_absolute() else config_file.parent / folder
