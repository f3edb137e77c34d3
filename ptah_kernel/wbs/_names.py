"""Short names a person would write, made from requirement texts and headings.

The draft WBS names its items from what the documents say: a section title
without its number, a category word, the role of a user story, or the
action a requirement asks for ("Refresh the display every 60 seconds"
from "The system shall refresh the display every 60 seconds.").
"""

from __future__ import annotations

import re

__all__ = [
    "category_name",
    "is_generic_title",
    "is_usable_title",
    "requirement_name",
    "section_title",
    "story_goal_name",
    "story_role",
]

NAME_LIMIT = 60

# Subsection headings that describe a part of their parent rather than a
# thing to build, as SRS templates repeat them under every function.
GENERIC_TITLES = frozenset(
    [
        "introduction",
        "overview",
        "purpose",
        "description",
        "details",
        "general",
        "notes",
        "remarks",
        "summary",
        "background",
        "inputs",
        "input",
        "outputs",
        "output",
        "processing",
        "process",
    ]
)

_SPACES = re.compile(r"\s+")
_SECTION_NUMBER = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?|[A-Z](?:\.\d+)+\.?|[A-Z]\.|[IVX]+\.)\s+"
)
_WORD = re.compile(r"[^\W\d_]{3,}")
_APPENDIX = re.compile(r"\b(appendix|annex) ([a-z])\b", re.IGNORECASE)

# A leading reference such as "SRS-001:", "[REQ 12]" or "FR.3.1 -".
_LEADING_REF = re.compile(
    r"^\s*(?:\[[^\]]{1,30}\]|[A-Z]{2,}[A-Z0-9]*[-_.]?\d[\w.-]*)\s*[:.)–-]?\s+"
)

# The binding word and the padding that often follows it; what remains is
# the action the requirement asks for.
_MODALITY = re.compile(
    r"\b(?:shall|must|should|will|may)\s+"
    r"(?:be\s+able\s+to\s+"
    r"|provide\s+(?:the\s+|a\s+)?(?:ability|capability|functionality|means)\s+to\s+"
    r"|allow\s+(?:the\s+|a\s+|an\s+)?[\w-]+\s+to\s+)?",
    re.IGNORECASE,
)
_MODALITY_REACH = 80

# "shall not ..." and "shall be shown" say nothing without their subject.
_KEEP_SUBJECT = re.compile(r"(?:not|be)\b", re.IGNORECASE)
_BULLET = re.compile(r"^[-–•*·]+\s*")
_ABLE_TO = re.compile(r"^be\s+able\s+to\s+", re.IGNORECASE)

# A name is the first sentence: a full stop before a capital letter ends it.
_SENTENCE_END = re.compile(r"(?<=[A-Za-z0-9)]{2})[.;]\s+(?=[A-Z])")
_PURPOSE = re.compile(r",?\s+(?:so\s+that|in\s+order\s+to)\b", re.IGNORECASE)

# "As a moderator, I want to ...": the role and the goal of a story.
_STORY = re.compile(
    r"\bas\s+(?:an?\s+|the\s+)?(?P<role>[^,]{1,60}?)\s*,?\s+"
    r"I\s+(?:want|would\s+like|need|wish|can|am\s+able)\s+(?:to\s+)?(?P<goal>.+)",
    re.IGNORECASE | re.DOTALL,
)


def section_title(title: str) -> str:
    """A heading as a name: no section number, no shouting, no colon.

    >>> section_title("3.2.1 THERMOSTAT SETTINGS:")
    'Thermostat settings'
    """
    text = _SECTION_NUMBER.sub("", _squash(title)).rstrip(" :.")
    if text.isupper() and len(text) > 3:
        text = _APPENDIX.sub(_upper_letter, text.capitalize())
    return text


def is_generic_title(title: str) -> bool:
    """Whether a heading only names a part of its parent ("3.1.3 Processing")."""
    return section_title(title).lower() in GENERIC_TITLES


def is_usable_title(title: str) -> bool:
    """Whether a heading says something (a word of three letters or more)."""
    return _WORD.search(title) is not None


def requirement_name(text: str, ref: str = "") -> str:
    """The action a requirement asks for, shortened to a name.

    >>> requirement_name("The system shall refresh the display every 60 seconds.")
    'Refresh the display every 60 seconds'
    """
    text = _BULLET.sub("", _squash(text))
    if ref and text.startswith(ref):
        text = text[len(ref) :].lstrip(" :.)–-")
    text = _LEADING_REF.sub("", text, count=1)

    found = _MODALITY.search(text, 0, _MODALITY_REACH)
    if found and not _KEEP_SUBJECT.match(text, found.end()):
        text = text[found.end() :]
    return _shorten(_PURPOSE.split(text, maxsplit=1)[0])


def story_role(text: str) -> str:
    """The role of a user story in lower case, or "" when it names none.

    >>> story_role("As a Moderator, I want to start a round.")
    'moderator'
    """
    found = _STORY.search(_squash(text))
    return found.group("role").strip().lower() if found else ""


def story_goal_name(text: str) -> str:
    """What a user story's role wants, shortened to a name.

    >>> story_goal_name("As a moderator, I want to start a round, so that we can go.")
    'Start a round'
    """
    found = _STORY.search(_squash(text))
    if found is None:
        return requirement_name(text)
    goal = _ABLE_TO.sub("", found.group("goal"))
    return _shorten(_PURPOSE.split(goal, maxsplit=1)[0])


def category_name(kind: str) -> str:
    """A non-functional category as a heading: "look_and_feel" -> "Look and feel"."""
    return _capitalize(_squash(kind.replace("_", " ").replace("-", " ")).lower())


def _upper_letter(found: re.Match[str]) -> str:
    return f"{found.group(1)} {found.group(2).upper()}"


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _shorten(text: str) -> str:
    text = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].rstrip(" .;:,")
    if len(text) > NAME_LIMIT:
        cut = text[: NAME_LIMIT + 1].rsplit(" ", 1)[0].rstrip(" ,;:")
        text = (cut or text[:NAME_LIMIT]) + "…"
    return _capitalize(text)


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]
