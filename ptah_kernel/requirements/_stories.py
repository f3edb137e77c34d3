"""User stories: "As a <role>, I want <goal> [so that <benefit>]".

Backlog exports tag each line with a group marker such as `#G23#`; the
marker is not part of the story and is stripped. A line that carries the
marker but does not start a story continues the story above it.
"""

from __future__ import annotations

import re

_MARKER = re.compile(r"^\s*#\w{1,12}#\s*")
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d{1,3}[.)])\s+")
_STORY = re.compile(
    r"^as\s+(?:an?\s+|the\s+)?(?P<role>[^,]{1,80}?)\s*,?\s*"
    r"I(?:\s+(?:only|also|really|just|still|always|never))?"
    r"(?:\s+(?:want|would\s+like|need|wish|can|should|do\s?n[o'\u2019]t\s+want)"
    r"|['\u2019]d\s+like)\b(?P<goal>.+?)"
    r"(?:,?\s+so\s+that\s+(?P<benefit>.+))?$",
    re.IGNORECASE | re.DOTALL,
)


def strip_marker(text: str) -> tuple[str, bool]:
    """The text without a backlog group marker, and whether it had one."""
    stripped = _MARKER.sub("", text, count=1)
    return stripped.strip(), stripped != text


def story_text(text: str) -> str:
    """The story a block holds, without marker or bullet, else ""."""
    text, _ = strip_marker(text)
    text = _BULLET.sub("", text, count=1).strip()
    return text if _STORY.match(text) else ""


def story_parts(text: str) -> dict[str, str] | None:
    """Role, goal and benefit of a story ("" where it gives no benefit)."""
    match = _STORY.match(story_text(text))
    if match is None:
        return None
    parts = match.groupdict(default="")
    return {name: value.strip(" .") for name, value in parts.items()}


def is_continuation(text: str) -> bool:
    """Whether a marked line carries on the story of the line above it.

    Such a line starts in lowercase (`#G23# to support data migration ...`).
    """
    stripped, marked = strip_marker(text)
    return marked and stripped[:1].islower()
