"""Weak, vague and open-ended words that make a requirement hard to verify.

The vocabulary gathers the lists practitioners check requirements against:
INCOSE Guide for Writing Requirements rule R7 (vague terms such as "some",
"several", "approximately") and R8 (escape clauses such as "where possible",
"if necessary"), Wiegers' ambiguous terms ("user-friendly", "robust",
"maximize"), the weak phrases and incomplete markers of NASA's ARM tool
("adequate", "as appropriate", "TBD"), and the open-ended terms of US Navy
specification guidance ("as directed", "subject to approval"). Open-ended
wording matters to an estimate: every such word is scope the client can
widen after the price is fixed.
"""

from __future__ import annotations

import re

__all__ = ["ambiguity_flags"]

# Each flag is reported in the spelling below, however the text writes it.
_FLAGS = {
    # INCOSE R8 escape clauses and Navy open-ended terms.
    "as far as possible": r"as far as (?:is )?possible|so far as (?:is )?possible",
    "as little as possible": r"as little as possible",
    "as much as possible": r"as much as (?:possible|practicable)",
    "where possible": r"where(?:ver)? (?:possible|practical|feasible)",
    "if necessary": r"if (?:it should prove )?necessary",
    "to the extent necessary": r"to the extent (?:necessary|practicable|possible)",
    "as appropriate": r"as appropriate",
    "as required": r"as (?:may be )?required",
    "as necessary": r"as necessary",
    "as directed": r"as directed",
    "subject to approval": r"subject to (?:the )?approval",
    "satisfactory to": r"satisfactory to",
    "including but not limited to": r"including,? but not limited to",
    "and/or": r"and\s*/\s*or",
    "etc.": r"etc\b\.?",
    # INCOSE R7 vague quantities and frequencies.
    "some": r"some",
    "any": r"any",
    "several": r"several",
    "many": r"many",
    "a lot of": r"a lot of|lots of",
    "few": r"a few|few",
    "most": r"most",
    "various": r"various",
    "almost always": r"almost always",
    "approximately": r"approximately|approx\.|roughly",
    "about": r"about(?= \d)",
    "close to": r"close to",
    "normally": r"normal(?:ly)?|usually|typically|generally",
    "often": r"often|frequently|occasionally",
    "allowable": r"allowable",
    # Wiegers' ambiguous terms and ARM weak phrases.
    "acceptable": r"acceptable",
    "adequate": r"adequate(?:ly)?",
    "sufficient": r"sufficient(?:ly)?",
    "reasonable": r"reasonabl[ey]",
    "efficient": r"efficient(?:ly)?",
    "effective": r"effective(?:ly)?",
    "flexible": r"flexib(?:le|ility)",
    "robust": r"robust",
    "seamless": r"seamless(?:ly)?",
    "transparent": r"transparent(?:ly)?",
    "user-friendly": r"user[- ]friendly",
    "easy": r"eas(?:y|ily)",
    "simple": r"simple|simply",
    "intuitive": r"intuitive(?:ly)?",
    "fast": r"fast|quick(?:ly)?|rapid(?:ly)?",
    "timely": r"timely|in a timely manner",
    "improved": r"improved?|better|enhanced?",
    "maximize": r"maximi[sz]e",
    "minimize": r"minimi[sz]e",
    "optimize": r"optimi[sz]e",
    "state of the art": r"state[- ]of[- ]the[- ]art",
    "significant": r"significant(?:ly)?",
    "be able to": r"be able to",
    "be capable of": r"be capable of",
    "provide for": r"provide for",
    # ARM incomplete markers.
    "TBD": r"tbd|tbs|tbr|tbc|to be (?:determined|specified|confirmed|defined)",
}

# One pattern, scanned once over the lowercased text. Every alternative of
# every flag starts with a letter, and the alternatives are grouped by it
# behind a one-letter look-ahead: at each word the scan tests a score of
# letters, not every alternative. Group `f<n>` is the n-th alternative, in
# the order of `_FLAGS`, so longer phrases still win over words. The word
# boundary stands outside, so inside a word the scan fails at once.


def _split_alternatives(pattern: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for at, char in enumerate(pattern):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(pattern[start:at])
            start = at + 1
    return [*parts, pattern[start:]]


_ALTERNATIVES = [
    (name, alternative)
    for name, pattern in _FLAGS.items()
    for alternative in _split_alternatives(pattern)
]
_NAMES = [name for name, _ in _ALTERNATIVES]
_BY_LETTER: dict[str, list[str]] = {}
for _n, (_, _alternative) in enumerate(_ALTERNATIVES):
    _BY_LETTER.setdefault(_alternative[0], []).append(f"(?P<f{_n}>{_alternative})")
_TERMS = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(
        f"(?={letter})(?:{'|'.join(alternatives)})"
        for letter, alternatives in _BY_LETTER.items()
    )
    + r")(?![\w-])"
)


def ambiguity_flags(text: str) -> list[str]:
    """The weak or open-ended terms a requirement uses, in order of appearance.

    >>> ambiguity_flags("The system shall respond fast where possible (TBD).")
    ['fast', 'where possible', 'TBD']
    """
    flags = (_NAMES[int(str(m.lastgroup)[1:])] for m in _TERMS.finditer(text.lower()))
    return list(dict.fromkeys(flags))
