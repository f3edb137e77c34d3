"""Words of PDF text put back together: ligatures and line-end hyphens.

PDFium hands back ligature code points (U+FB00-FB06) as they are, marks a
hyphen it removed at a line end with U+FFFE, and some fonts map the "fi"
glyph to "!" (pypdf #598, #1351 are the same quirk on pypdf's side). The
functions here take those marks out with the whole document in view.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

LIGATURES = str.maketrans(
    {
        "\ufb00": "ff",
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
        "\u0000": "",
        "\u0002": "\ufffe",
        "\u00ad": "\ufffe",
    }
)
BREAK = "\ufffe"  # PDFium marks a hyphen it removed at a line end with U+FFFE.
# "@" and "&" are left out: e-mail addresses and "R&D" use them in words.
IN_WORD_SYMBOL = re.compile(r"(?<=[a-z])([!\"#$%*+<=>^|~])(?=[a-z])")
SYMBOLS = '!"#$%*+<=>^|~'
LIGATURE_GUESSES = ("fi", "fl", "ff", "ffi", "ffl")
KEEP_HYPHEN_PREFIXES = {"non", "self", "cross", "well", "third", "real", "end", "multi"}


def join_lines(text: str, more: str) -> str:
    if (
        text.endswith("-")
        and len(text) > 1
        and text[-2].isalpha()
        and more[:1].isalpha()
    ):
        return text[:-1] + BREAK + more
    if text.endswith(BREAK):
        return text + more
    return f"{text} {more}"


def ligature_repair(texts: list[str]) -> Callable[[str], str]:
    """A function that puts back ligatures a font maps to punctuation.

    Some fonts' ToUnicode maps give the "fi" glyph as "!" and "fl" as "#"
    ("identi!ers", "work#ow"). A symbol found inside words again and again
    is such a glyph; the ligature it stands for is the one that turns most
    broken words into words the document spells elsewhere, else the
    commonest ligatures in order of the symbols' frequency.
    """
    whole = "\n".join(texts)
    if sum(whole.count(symbol) for symbol in SYMBOLS) < 3:
        return lambda text: text
    inside = Counter(IN_WORD_SYMBOL.findall(whole))
    broken = [symbol for symbol, count in inside.most_common() if count >= 3]
    if not broken:
        return lambda text: text
    words = set(re.findall(r"[a-z]+", whole.lower()))
    choice = {}
    for rank, symbol in enumerate(broken):
        pattern = re.compile(r"[a-z]*" + re.escape(symbol) + r"[a-z]+")
        found = set(pattern.findall(whole.lower()))
        default = LIGATURE_GUESSES[min(rank, len(LIGATURE_GUESSES) - 1)]
        choice[symbol] = max(
            LIGATURE_GUESSES,
            key=lambda lig: (
                sum(w.replace(symbol, lig) in words for w in found),
                lig == default,
            ),
        )
    pattern = re.compile(
        r"(?:(?<=[A-Za-z_])|(?<![^\s(/-]))(["
        + re.escape("".join(choice))
        + r"])(?=[a-z])"
    )
    return lambda text: pattern.sub(lambda m: choice[m.group(1)], text)


def hyphen_mender(texts: list[str]) -> Callable[[str], str]:
    """A function that resolves each line-end hyphen break in a text."""
    if not any(BREAK in text for text in texts):
        return lambda text: text
    # One pass for the words and hyphenated compounds the document uses.
    known = set(re.findall(r"\w+(?:-\w+)*", " ".join(texts).lower()))
    for compound in [word for word in known if "-" in word]:
        parts = compound.split("-")
        known.update(f"{a}-{b}" for a, b in zip(parts, parts[1:], strict=False))

    def choose(match: re.Match[str]) -> str:
        head, tail = match.group(1), match.group(2)
        if not head or not tail:
            return f"{head}-{tail}"
        if (head + tail).lower() in known:
            return head + tail
        if head.lower() in KEEP_HYPHEN_PREFIXES or f"{head}-{tail}".lower() in known:
            return f"{head}-{tail}"
        if head[-1:].isalpha() and tail[:1].islower():
            return head + tail
        return f"{head}-{tail}"

    def mend(text: str) -> str:
        if BREAK not in text:
            return text
        text = re.sub(r"(\w*)\ufffe\s*(\w*)", choose, text)
        return text.replace(BREAK, "-")

    return mend
