"""Reference ids as documents write them: `REQ-12`, `SRS 1`, `FR-01`, `SSS038`.

A reference id is a short upper-case prefix and a number. Section numbers
such as `3.2.1` are not reference ids, and neither are the names of standards
(`ISO-9001`, `UTF-8`) that look like one. An id counts only where documents
put them: at the start of a block, alone in a block, in square brackets inside
a sentence (`... mission plan. [SSS058]`), or in parentheses at the end of a
heading (`Load H/C Unit Definitions (SRS -001)`).
"""

from __future__ import annotations

import re

# Prefix: upper-case words joined by hyphens (`APAF-FR`), or `Req`/`Requirement`
# in any case. Number: digits, then optional sub-parts (`F-100C1`, `REQ-1.2`).
_PREFIX = r"(?:[A-Z]{1,6}(?:[-_][A-Z]{1,6}){0,2}|(?i:req(?:uirement)?))"
_NUMBER = r"\d{1,5}(?:[A-Z]{1,2}\d{1,3})*(?:\.\d{1,3}){0,3}"
_REF = (
    rf"(?:{_PREFIX}\s?[-_]\s?{_NUMBER}"  # REQ-12, SRS -001, FR_3
    rf"|[A-Z]{{2,6}}{_NUMBER}"  # SR1, SSS038
    rf"|[A-Z]\d{{3,5}}(?:[A-Z]{{1,2}}\d{{1,3}})*"  # F806B2, H120B1
    # FR 1, SRS 1, F 11, NFR 11.1; not "A 10-second" or "I 2"
    rf"|(?![AI] )[A-Z]{{1,5}} \d{{1,4}}(?:\.\d{{1,3}}){{0,3}})"
)

_LEADING = re.compile(
    rf"^\s*[\[(]?(?P<ref>{_REF})[\])]?"
    r"(?:\s*[:.)\]\u2013\u2014-]+\s*(?!\d)|\s+(?=[A-Z*\"'\u201c(])|\s*$)"
)
_ALONE = re.compile(rf"^\s*[\[(]?(?P<ref>{_REF})[\])]?\s*[:.]?\s*$")
_BRACKETED = re.compile(rf"\[(?P<ref>{_REF})\]")
_HEADING = re.compile(
    rf"\((?P<ref>{_REF})\)\s*$|^\s*(?P<lead>{_REF})\s*[:\u2013\u2014-]"
)

# Names of standards, units and products that have the shape of an id.
_NOT_REF_WORDS = """
AES ANNEX ANSI APPENDIX ARINC CFR CHAPTER CMMI COVID DAY DES DO ECMA EN FAR FIG
FIGURE FIPS GB GHZ GMT HTTP HZ IEC IEEE IPV ISO ITEM KB KHZ LEVEL MB MD MHZ MIL
MP NIST NOTE NT OS PAGE PART PHASE RFC ROUND RSA SECTION SHA SP SPRINT SSL STAGE
STD STEP TABLE TB TIER TLS USC UTC UTF VERSION WCAG WEEK WIN X
"""
_NOT_REFS = frozenset(_NOT_REF_WORDS.split())
# A reference id inside a block that opens a new requirement: `... by size
# NFR 2 — The tools shall scale`. The dash or colon after it is required, so
# a mention such as `(see NFR 5)` does not split a sentence.
_INLINE = re.compile(rf"(?<=\s)(?P<ref>{_REF})\s*(?:\u2014|\u2013|--|:)\s+(?=\S)")
_INLINE_HINT = re.compile(r"\d\s*(?:\u2014|\u2013|--|:)")
_SPACE_AROUND_HYPHEN = re.compile(r"\s*([-_])\s*")
_PREFIX_OF = re.compile(r"^[A-Za-z]+")
_DIGITS = re.compile(r"\d+")
_COMPACT_ONE_DIGIT = re.compile(r"[A-Za-z]+\d")
_PAGE_NUMBER = re.compile(r"[A-Za-z]\s?[-_]?\s?\d{1,2}")


def leading_ref(text: str) -> tuple[str, str] | None:
    """The reference id a block starts with, and the text after it.

    >>> leading_ref("FR 1 — The tools shall scale.")
    ('FR 1', 'The tools shall scale.')
    """
    match = _LEADING.match(text)
    if match is None or not is_ref(match["ref"]):
        return None
    return tidy_ref(match["ref"]), text[match.end() :].strip()


def ref_alone(text: str) -> str:
    """The reference id when it is all a block holds (`REQ-1:`), else "".

    Alone, a compact id needs two digits (`SRS93`, `H120B1`) and a one-letter
    prefix three (`F-811`), since names such as `MM5` and page numbers such
    as `C-10` also stand alone on a line.
    """
    match = _ALONE.match(text)
    if match is None or not is_ref(match["ref"]):
        return ""
    ref = match["ref"]
    if _COMPACT_ONE_DIGIT.fullmatch(ref) or _PAGE_NUMBER.fullmatch(ref):
        return ""
    return tidy_ref(ref)


def bracketed_ref(sentence: str) -> str:
    """The first `[SSS038]`-style reference id in a sentence, else ""."""
    for match in _BRACKETED.finditer(sentence):
        if is_ref(match["ref"]):
            return tidy_ref(match["ref"])
    return ""


def heading_ref(title: str) -> str:
    """The reference id a heading names (`Load Definitions (SRS -001)`)."""
    match = _HEADING.search(title)
    if match is None:
        return ""
    ref = match["ref"] or match["lead"]
    return tidy_ref(ref) if is_ref(ref) else ""


def is_ref(candidate: str) -> bool:
    """Whether an id-shaped token is a reference id, not a standard's name.

    A one-letter prefix needs two digits: `F-100` is an id, `B-3` is the
    third page of appendix B.
    """
    prefix = _PREFIX_OF.match(candidate)
    if prefix is None or prefix[0].upper() in _NOT_REFS:
        return False
    return len(prefix[0]) > 1 or len(_DIGITS.findall(candidate)[0]) > 1


def tidy_ref(ref: str) -> str:
    """A reference id without the stray spaces PDFs put around its hyphen."""
    return _SPACE_AROUND_HYPHEN.sub(r"\1", ref.strip())


def split_at_refs(text: str) -> list[str]:
    """The text cut before each reference id that opens a new requirement.

    PDF readers join lines such as `number of items NFR 2 — The tools ...`;
    the first piece is whatever came before the first id.
    """
    if not _INLINE_HINT.search(text):
        return [text.strip()] if text.strip() else []
    cuts = [m.start() for m in _INLINE.finditer(text) if is_ref(m["ref"])]
    bounds = [0, *cuts, len(text)]
    pieces = [
        text[start:end].strip() for start, end in zip(bounds, bounds[1:], strict=False)
    ]
    return [piece for piece in pieces if piece]
