"""Requirement statements: the sentences that bind with shall, must, will ...

A paragraph often holds several requirements, so a statement is one
sentence, not the paragraph. Sentences are split at `.`, `!` or `?` followed
by a capital, except after common abbreviations (`e.g.`, `No.`, `Fig.`); a
bracketed reference id after the full stop (`... plans. [SSS058]`) stays
with the sentence before it, where the document put it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ptah_kernel.requirements._refs import bracketed_ref, is_ref
from ptah_kernel.requirements.model import Modality

# Binding strength, strongest first: a sentence's modality is the strongest
# modal verb it uses ("If the operator may ..., the system shall ..." binds
# with shall). RFC 2119 puts MUST with SHALL and SHOULD above MAY; "will" is
# a commitment in contract language, so it sits between them.
MODALS: tuple[Modality, ...] = ("shall", "must", "will", "should", "may")

_MODAL = re.compile(
    r"(?<![\"'\u201c\u2018])\b(shall|must|will|should|may)\b(?![\"'\u201d\u2019])", re.I
)
# "the systems that will interface with THEMAS": a weak modal inside a
# relative clause describes, it does not bind. Shall and must bind anywhere.
_RELATIVE_WEAK_MODAL = re.compile(
    r"\b(?:that|which|who|whom)\s+(?:will|may|should)\b", re.I
)
_MONTH_MAY = re.compile(r"\b\d{1,2}\s+May\b|\bMay\s+\d")
_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n\s*(?=\w)")
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\u201d]*\s+(?=[\[(\"'\u201c]?[A-Z0-9*\u2022])")
_LEADING_BRACKET = re.compile(r"\[(?P<ref>[^\]\s]{2,16})\]\.?")
_ABBREVIATION_WORDS = """
e.g i.e etc fig figs no nos vs approx sec sect cf al mr mrs ms dr st inc ltd co
corp jr sr ref refs vol p pp para eq min max ch art dept govt u.s
"""
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)+\.?\s+(?=[A-Z*\"\u201c])")
_DOT_LEADERS = re.compile(r"(?:\.\s?){4,}\s*\S{0,6}\s*$|\.{4,}")
_META = re.compile(
    r"^\W*(?:in\s+)?(?:this|these|the\s+following|section|chapter|appendix|we)\b"
    r"[^,;]{0,40}?\b(?:document|section|sections|chapter|appendix|annex|paper|report"
    r"|we)\b[^,;]{0,30}?\b(?:will|shall|may|should)\s+(?:also\s+)?(?:be\s+)?"
    r"(?:describe|present|contain|outline|list|explain|introduce|discuss|summari[sz]e"
    r"|cover|address|described|presented|discussed|outlined|listed|explained"
    r"|introduced|summari[sz]ed|covered|addressed|organi[sz]ed)\b",
    re.I,
)


def tidy(text: str) -> str:
    """One line of text: hyphenated line breaks joined, spaces folded."""
    if "\n" in text:
        text = _HYPHEN_BREAK.sub(r"\1-", text)
    return " ".join(text.split())


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph, in order, each on one line."""
    text = tidy(text)
    sentences, start = [], 0
    for boundary in _BOUNDARY.finditer(text):
        if boundary.start() < start or _ends_in_abbreviation(
            text[start : boundary.start()]
        ):
            continue
        end = boundary.end()
        bracket = _LEADING_BRACKET.match(text, end)
        if bracket is not None and is_ref(bracket["ref"]):
            end = bracket.end()
        sentences.append(text[start:end].strip())
        start = end
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def _ends_in_abbreviation(sentence: str) -> bool:
    words = sentence.rsplit(None, 1)
    last = words[-1].lower().rstrip(".").lstrip("(\"'") if words else ""
    return last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha())


@lru_cache(maxsize=4096)
def modality(sentence: str) -> Modality:
    """The binding word of a sentence, lowercase, or "" when it has none.

    Negations bind with the same word: "shall not" is shall.
    """
    lower = sentence.lower()
    if not any(modal in lower for modal in MODALS):
        return ""  # none of the words, so no regex to run
    if "may" in lower:
        sentence = _MONTH_MAY.sub("", sentence)
    if "will" in lower or "may" in lower or "should" in lower:
        sentence = _RELATIVE_WEAK_MODAL.sub("", sentence)
    found = {m.lower() for m in _MODAL.findall(sentence)}
    return next((modal for modal in MODALS if modal in found), "")


def is_statement(sentence: str) -> bool:
    """Whether a sentence states a requirement rather than describes the document.

    Questions, table-of-contents lines and "This section will describe ..."
    sentences do not bind anyone, whatever verb they use.
    """
    if not modality(sentence) or sentence.rstrip().endswith("?"):
        return False
    return not (_DOT_LEADERS.search(sentence) or _META.match(sentence))


def is_lead_in(sentence: str) -> bool:
    """Whether a sentence introduces a list ("The system shall:")."""
    if bracketed_ref(sentence):
        sentence = sentence[: sentence.rfind("[")]
    return sentence.rstrip().endswith(":")


def without_section_number(text: str) -> str:
    """The text without a leading section number such as `3.2.1.1`."""
    return _SECTION_NUMBER.sub("", text, count=1)


def is_table_of_contents(text: str) -> bool:
    """Whether a block is a table-of-contents line (dot leaders to a page)."""
    return bool(_DOT_LEADERS.search(text))
