"""A guess of a requirement's kind: functional or a quality, rules then a model.

`guess_kind` first asks the quality lexicons of `_kind_rules`; a text they
leave functional goes to a small trained model, which catches qualities the
lexicons have no term for.

`bench/train_kinds.py` trains the model on the PROMISE NFR requirements and
ships it as `_kinds.json` beside this module; the corpus itself never enters
the package. The model is naive Bayes over lowercase words and adjacent word
pairs (numbers read as "0"), with quality lexicons folded in:

- `weights`: the log-odds, non-functional against functional, that each word
  or pair adds every time it occurs;
- `points`: for words and pairs a quality lexicon names, the points they give
  their categories (2 for a term that settles it, 1 for one that leans);
- `stems`: for a word the training set never showed, the odds and points of
  the longest lexicon stem it starts with ("encryptable" from "encrypt");
- `bias`: where the odds start, below zero to lean towards functional.

A requirement whose odds stay at or below zero is functional; otherwise it
takes the category with the most points (a tie goes to the earlier one in
`KINDS`), or `fallback` (functional) when no lexicon term occurs: words
alone lean a text towards "non-functional" without saying which quality,
and on real specifications such texts were mostly functional.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any

FUNCTIONAL = "functional"

KINDS = (
    FUNCTIONAL,
    "performance",
    "scalability",
    "security",
    "usability",
    "look and feel",
    "availability",
    "reliability",
    "fault tolerance",
    "maintainability",
    "portability",
    "legal",
    "operational",
)
"""Every kind `guess_kind` can return, functional first."""

NON_FUNCTIONAL = "non-functional"
"""The kind of a requirement its client labels non-functional, with no quality."""

PROMISE_CODES = {
    "F": FUNCTIONAL,
    "A": "availability",
    "L": "legal",
    "LF": "look and feel",
    "MN": "maintainability",
    "O": "operational",
    "PE": "performance",
    "SC": "scalability",
    "SE": "security",
    "US": "usability",
    "FT": "fault tolerance",
    "PO": "portability",
}
"""The class codes of the PROMISE NFR set, which some teams use as labels."""

_LABELS = {
    **{code.lower(): kind for code, kind in PROMISE_CODES.items()},
    **{kind: kind for kind in KINDS},
    "fr": FUNCTIONAL,
    "func": FUNCTIONAL,
    "nf": NON_FUNCTIONAL,
    "nfr": NON_FUNCTIONAL,
    "non functional": NON_FUNCTIONAL,
    "nonfunctional": NON_FUNCTIONAL,
    "quality": NON_FUNCTIONAL,
    "perf": "performance",
    "lookandfeel": "look and feel",
    "look feel": "look and feel",
    "ux": "usability",
    "compliance": "legal",
    "regulatory": "legal",
    "maintenance": "maintainability",
    "operations": "operational",
    "reliable": "reliability",
    "secure": "security",
}
_LABEL_NOISE = re.compile(r"[^a-z]+")
_LABEL_ENDINGS = re.compile(r"\s+(?:requirements?|reqs?)$")

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[a-z]+|0")


def words_and_pairs(text: str) -> tuple[list[str], list[str]]:
    """The text's words, then its words and adjacent pairs, as the model sees them.

    >>> words_and_pairs("Respond within 2.5 seconds")
    (['respond', 'within', '0', 'seconds'], ['respond', 'within', '0', \
'seconds', 'respond within', 'within 0', '0 seconds'])
    """
    words = _WORD.findall(_NUMBER.sub("0", text.lower()))
    return words, words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


@dataclass(frozen=True)
class KindModel:
    """The trained data `guess_kind` reads; see the module docstring."""

    bias: float
    weights: dict[str, float]
    points: dict[str, dict[str, int]]
    stems: dict[str, tuple[float, dict[str, int]]]
    fallback: str
    _stem_of: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> KindModel:
        """The model from the JSON form `bench/train_kinds.py` writes."""
        stems = {stem: (odds, points) for stem, (odds, points) in data["stems"].items()}
        return cls(
            data["bias"], data["weights"], data["points"], stems, data["fallback"]
        )

    def guess(self, text: str) -> str:
        """`functional`, or the quality category the text most likely names."""
        words, grams = words_and_pairs(text)
        weights = self.weights
        odds = self.bias + sum(map(weights.get, grams, repeat(0.0)))
        stems = self._stems([word for word in words if word not in weights])
        if stems:
            odds += sum([self.stems[stem][0] for stem in stems])
        if odds <= 0:
            return FUNCTIONAL

        return self._category(grams, stems) or self.fallback

    def lexicon_category(self, text: str) -> str:
        """The category the lexicons give the most points in the text, or ""."""
        words, grams = words_and_pairs(text)
        weights = self.weights
        return self._category(
            grams, self._stems([w for w in words if w not in weights])
        )

    def _stems(self, unknown_words: list[str]) -> list[str]:
        """The longest lexicon stem each word starts with, for those that have one."""
        known = self._stem_of
        stems = [known[w] if w in known else self._find_stem(w) for w in unknown_words]
        return [stem for stem in stems if stem]

    def _find_stem(self, word: str) -> str:
        """The longest stem the word starts with, or "", remembered for next time.

        Only prefixes as long as the longest stem are tried, so a word of a
        hundred thousand letters (a hostile file's) costs no more than a
        short one; only short words are remembered.
        """
        longest = min(len(word), self._longest_stem)
        prefixes = (word[:end] for end in range(longest, 3, -1))
        stem = next((prefix for prefix in prefixes if prefix in self.stems), "")
        if len(self._stem_of) < 100_000 and len(word) <= 2 * self._longest_stem:
            self._stem_of[word] = stem
        return stem

    @functools.cached_property
    def _longest_stem(self) -> int:
        return max(map(len, self.stems), default=0)

    def _category(self, grams: list[str], stems: list[str]) -> str:
        """The category with the most lexicon points, or "" if none scores."""
        tally = dict.fromkeys(KINDS[1:], 0)
        found = [self.points[gram] for gram in grams if gram in self.points]
        for points in found + [self.stems[stem][1] for stem in stems]:
            for kind, score in points.items():
                tally[kind] += score

        kind, score = max(tally.items(), key=lambda item: item[1])
        return kind if score > 0 else ""


@functools.cache
def shipped_model() -> KindModel:
    """The model trained on every PROMISE project, read once from `_kinds.json`."""
    import json
    from importlib.resources import files

    text = files(__package__).joinpath("_kinds.json").read_text(encoding="utf-8")
    return KindModel.from_data(json.loads(text))


def guess_kind(text: str) -> str:
    """`functional`, or the non-functional category the text most likely names.

    >>> guess_kind("The system shall refresh the display every 60 seconds.")
    'performance'
    >>> guess_kind("The clerk shall print the monthly invoice.")
    'functional'
    """
    return guess_with(shipped_model(), text)


def label_kind(label: str) -> str:
    """The kind a client's label names ("NFR", "Security", "PE"), or ""."""
    words = _LABEL_NOISE.sub(" ", label.lower()).strip()
    words = _LABEL_ENDINGS.sub("", words)
    return _LABELS.get(words, "")


def kind_of(text: str, label: str = "") -> str:
    """The kind of a requirement: its client's label first, else the guess.

    A label that says only "non-functional" keeps the guessed quality when
    there is one, since the client and the guess agree it is not functional.
    """
    labelled = label_kind(label)
    if labelled and labelled != NON_FUNCTIONAL:
        return labelled
    guess = guess_kind(text)
    if labelled and guess == FUNCTIONAL:
        return shipped_model().lexicon_category(text) or NON_FUNCTIONAL
    return guess


def guess_with(model: KindModel, text: str) -> str:
    """The lexicons' category when they name one firmly, else the model's guess.

    The lexicons are precise where they speak (single sign-on is security);
    the model catches the qualities they have no term for.
    """
    from ptah_kernel.requirements._kind_rules import rules_kind

    kind = rules_kind(text)
    return kind if kind != FUNCTIONAL else model.guess(text)
