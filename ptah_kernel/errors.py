"""Every error Ptah raises on purpose, each with a sentence a person can act on.

The tree::

    PtahError
    ├── SettingsError                 a setting in jupyter_config.py is wrong
    ├── WorkspaceError                the workspace cannot be opened or changed
    │   ├── ProjectNotFound
    │   ├── ProjectExists
    │   ├── InvalidProjectCode
    │   ├── DocumentNotFound
    │   └── ConflictError             someone else changed the same thing first
    ├── DocumentError                 a file cannot be read; carries `filename`
    │   ├── FileMissing               no file at the path given
    │   ├── UnsupportedFormat         legacy .doc/.xls, RTF, HTML, unknown bytes
    │   ├── EmptyDocument
    │   ├── CorruptDocument           truncated or malformed container
    │   ├── EncryptedDocument         a password is needed
    │   ├── DocumentTooLarge          past a reader limit (size, pages, rows …)
    │   ├── UnsafeDocument            zip bomb, XML entity bomb, external entity
    │   └── ReadTimeout               extraction ran past its time limit
    ├── WBSError                      a WBS change that would break the tree
    ├── AnnotationError               an annotation that cannot be placed
    └── ClaudeError                   a conversation with Claude could not go on
        ├── MissingAPIKey             no key to call Claude with
        ├── ClaudeUnavailable         refused, rate limited, overloaded, cut off
        └── StructuredAnswerError     a structured answer that cannot be used

Messages are composed here, in one place, so the wording stays consistent.
File names are shown escaped (`describe_name`) because a name is user input.
"""

from __future__ import annotations

__all__ = [
    "AnnotationError",
    "ClaudeError",
    "ClaudeUnavailable",
    "ConflictError",
    "CorruptDocument",
    "DocumentError",
    "DocumentNotFound",
    "DocumentTooLarge",
    "EmptyDocument",
    "EncryptedDocument",
    "FileMissing",
    "InvalidProjectCode",
    "MissingAPIKey",
    "ProjectExists",
    "ProjectNotFound",
    "PtahError",
    "ReadTimeout",
    "SettingsError",
    "StructuredAnswerError",
    "UnsafeDocument",
    "UnsupportedFormat",
    "WBSError",
    "WorkspaceError",
    "describe_name",
]


def describe_name(name: str) -> str:
    """Quote a user-supplied file name so control characters cannot hide.

    A name holding a newline is shown with the two characters backslash, n.
    """
    escaped = name.encode("unicode_escape").decode("ascii")
    return "'" + escaped.replace("'", "\\'") + "'"


class PtahError(Exception):
    """Base class of every error Ptah raises on purpose."""


class SettingsError(PtahError):
    """A setting has a value Ptah cannot use."""


class WorkspaceError(PtahError):
    """The workspace cannot be opened or changed as asked."""


class ProjectNotFound(WorkspaceError):
    """No project has the given code."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"No project has the code {describe_name(code)}. "
            "Run `ptah projects` to list the codes, or create it first."
        )
        self.code = code


class ProjectExists(WorkspaceError):
    """A project with this code exists already."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"A project with the code {describe_name(code)} exists already. "
            "Open it with `workspace.project(code)` or choose another code."
        )
        self.code = code


class InvalidProjectCode(WorkspaceError):
    """A project code that cannot become a subdomain."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"The project code {describe_name(code)} cannot be used: a code "
            "becomes a subdomain, so use 1 to 40 lowercase letters, digits and "
            "hyphens, starting with a letter and not ending with a hyphen "
            "(for example 'acme-portal')."
        )
        self.code = code


class DocumentNotFound(WorkspaceError):
    """No document in the project matches the given id or name."""

    def __init__(self, project: str, key: str, reason: str | None = None) -> None:
        super().__init__(
            reason
            or f"Project {describe_name(project)} has no current document "
            f"{describe_name(key)}. Use a document id or file name from "
            f"`ptah show {project}` (a replaced version is not listed there)."
        )


class ConflictError(WorkspaceError):
    """Someone else changed the same thing since it was read."""


class WBSError(PtahError):
    """A change that would leave the WBS inconsistent."""


class AnnotationError(PtahError):
    """An annotation that cannot be placed or changed as asked."""


class DocumentError(PtahError):
    """A file that cannot be read; nothing of it is kept.

    `reason` is the part after the file name, so a batch report can show it
    next to the name without repeating it.
    """

    def __init__(self, filename: str, reason: str) -> None:
        super().__init__(f"{describe_name(filename)}: {reason}")
        self.filename = filename
        self.reason = reason


class FileMissing(DocumentError):
    """No file at the path given."""


class UnsupportedFormat(DocumentError):
    """A format Ptah does not read, with what to convert it to."""


class EmptyDocument(DocumentError):
    """A file with no bytes or no text at all."""


class CorruptDocument(DocumentError):
    """A truncated or malformed file."""


class EncryptedDocument(DocumentError):
    """A file that needs a password."""


class DocumentTooLarge(DocumentError):
    """A file past one of the reader limits."""


class UnsafeDocument(DocumentError):
    """A file built to exhaust memory or reach outside the document."""


class ReadTimeout(DocumentError):
    """Reading took longer than the time limit allows."""


class ClaudeError(PtahError):
    """A conversation with Claude could not go on; what was said so far is kept."""


class MissingAPIKey(ClaudeError):
    """No Anthropic API key is set in the kernel's environment."""

    def __init__(self) -> None:
        super().__init__(
            "No Anthropic API key is set: export ANTHROPIC_API_KEY in the "
            "environment that starts Jupyter or the `ptah` command, then ask again."
        )


class ClaudeUnavailable(ClaudeError):
    """Claude refused the request or stopped answering; `status` says how."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class StructuredAnswerError(ClaudeError):
    """A structured answer that was cut off, refused or invalid; nothing applied."""
