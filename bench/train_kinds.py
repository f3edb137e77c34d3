"""Train the kind model `guess_kind` ships, and measure it on held-out projects.

    .venv/bin/python bench/train_kinds.py

Reads PROMISE NFR (`labelled/promise-nfr.csv` in the corpus; 625 requirements
of 15 projects) and rewrites `ptah_kernel/requirements/_kinds.json` from it,
the same bytes on every run. Only derived weights go into the package, never
a requirement's text. The model is trained on all 15 projects;
`bench/requirements_quality.py` prints how well the same recipe does on
projects it was not trained on.

The recipe is multinomial naive Bayes, functional against non-functional,
over lowercase words and adjacent word pairs that occur in at least two
projects (a word one project uses is its domain, not a quality). The quality
lexicons below add one feature per category and strength: every word or pair
that a lexicon term matches in full counts `LEXICON_WEIGHT` times for it, so
what the lexicons know reaches words the training set barely shows. The
lexicons also give the category, as points. They were written looking at
projects 1-7 only.
"""

from __future__ import annotations

import collections
import csv
import functools
import json
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ptah_kernel.requirements._kind_rules import LEXICONS  # noqa: E402
from ptah_kernel.requirements._kinds import (  # noqa: E402
    FUNCTIONAL,
    NON_FUNCTIONAL,
    PROMISE_CODES,
    KindModel,
    guess_with,
    words_and_pairs,
)
from tests.conftest import CORPUS  # noqa: E402

PROMISE = CORPUS / "labelled" / "promise-nfr.csv"
SHIPPED = REPO / "ptah_kernel" / "requirements" / "_kinds.json"
# Chosen by grouped cross-validation over a small grid (1-3 projects,
# smoothing 0.1-3, lexicon weight 1-4, bias 0 or -1).
MIN_PROJECTS = 2
SMOOTHING = 0.5
LEXICON_WEIGHT = 3
BIAS = -1.0

# One group per category and strength, in `KINDS` order: (kind, points, terms).
_GROUPS = [
    (kind, points, terms)
    for kind, (strong, weak) in LEXICONS.items()
    for points, terms in ((2, strong), (1, weak))
]
_GROUP_TERMS = [re.compile("|".join(terms)) for _, _, terms in _GROUPS]
_STEM = re.compile(r"([a-z]+)(?:\[([a-z]+)\])?\\w\*")


@dataclass(frozen=True)
class Labelled:
    """One PROMISE requirement: its project, text and kind."""

    project: int
    text: str
    kind: str


def read_promise(path: Path = PROMISE) -> list[Labelled]:
    """The PROMISE NFR requirements, their quotes stripped, codes as kinds."""
    if not path.is_file():
        raise FileNotFoundError(
            f"PROMISE NFR is not at {path}. Set PTAH_CORPUS to the corpus folder."
        )
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    return [
        Labelled(
            int(row["ProjectID"]),
            row["RequirementText"].strip("' ").replace("\\%", "%"),
            PROMISE_CODES[row["class"]],
        )
        for row in rows
    ]


@functools.cache
def _groups(gram: str) -> tuple[int, ...]:
    """The lexicon groups (category and strength) whose terms match the gram."""
    return tuple(n for n, terms in enumerate(_GROUP_TERMS) if terms.fullmatch(gram))


@functools.cache
def _lexicon_stems() -> dict[str, tuple[int, ...]]:
    """Stem terms (`secur\\w*`, `authori[sz]\\w*`) as literal stems: their groups."""
    stems: dict[str, set[int]] = collections.defaultdict(set)
    for n, (_, _, terms) in enumerate(_GROUPS):
        for term in terms:
            match = _STEM.fullmatch(term)
            for ending in (match[2] or [""]) if match else ():
                stems[match[1] + ending].add(n)
    return {stem: tuple(sorted(groups)) for stem, groups in sorted(stems.items())}


def _stem(word: str, stems: dict[str, tuple[int, ...]]) -> str | None:
    """The longest stem the word starts with, as `KindModel` looks it up."""
    for end in range(len(word), 3, -1):
        if word[:end] in stems:
            return word[:end]
    return None


def _features(grams: list[str], known: set[str]) -> collections.Counter:
    """Counts of known grams, and of the lexicon groups they or stems name."""
    stems = _lexicon_stems()
    counts: collections.Counter = collections.Counter()
    for gram in grams:
        if gram in known:
            counts[gram] += 1
            groups = _groups(gram)
        elif " " not in gram and (stem := _stem(gram, stems)):
            groups = stems[stem]
        else:
            groups = ()
        for group in groups:
            counts[group] += LEXICON_WEIGHT
    return counts


def _naive_bayes(features: list[collections.Counter], is_nfr: list[bool]) -> dict:
    """Per feature, the smoothed log-odds of non-functional against functional."""
    counts = {True: collections.Counter(), False: collections.Counter()}
    for text_features, nfr in zip(features, is_nfr, strict=True):
        counts[nfr].update(text_features)
    vocabulary = counts[True].keys() | counts[False].keys()
    totals = {
        nfr: sum(c.values()) + SMOOTHING * len(vocabulary) for nfr, c in counts.items()
    }
    return {
        feature: math.log((counts[True][feature] + SMOOTHING) / totals[True])
        - math.log((counts[False][feature] + SMOOTHING) / totals[False])
        for feature in vocabulary
    }


def _points(groups: tuple[int, ...]) -> dict[str, int]:
    """Lexicon points per category for these groups."""
    points: dict[str, int] = collections.Counter()
    for group in groups:
        kind, score, _ = _GROUPS[group]
        points[kind] += score
    return dict(sorted(points.items()))


def train(requirements: list[Labelled]) -> dict:
    """The model's JSON form, trained on these requirements."""
    grams = [words_and_pairs(r.text)[1] for r in requirements]
    known = _known_grams(requirements, grams)
    features = [_features(text_grams, set(known)) for text_grams in grams]
    log_odds = _naive_bayes(features, [r.kind != FUNCTIONAL for r in requirements])

    def odds(own: float, groups: tuple[int, ...]) -> float:
        lexicon = sum(log_odds.get(group, 0.0) for group in groups)
        return round(own + LEXICON_WEIGHT * lexicon, 4)

    data = {
        "bias": BIAS,
        "weights": {
            gram: odds(log_odds.get(gram, 0.0), _groups(gram)) for gram in known
        },
        "points": {gram: _points(_groups(gram)) for gram in known if _groups(gram)},
        "stems": {
            stem: [odds(0.0, groups), _points(groups)]
            for stem, groups in _lexicon_stems().items()
        },
        # Leaning non-functional without naming any quality is not enough:
        # on real specifications such guesses were mostly functional text.
        "fallback": FUNCTIONAL,
    }
    return data


def _known_grams(requirements: list[Labelled], grams: list[list[str]]) -> list[str]:
    """Grams in at least `MIN_PROJECTS` projects, and grams a lexicon names."""
    seen = _projects_of(requirements, grams)
    return sorted(
        gram for gram, projects in seen.items() if _shared(projects) or _groups(gram)
    )


def _shared_grams(requirements: list[Labelled], grams: list[list[str]]) -> set[str]:
    """Grams in at least `MIN_PROJECTS` projects."""
    seen = _projects_of(requirements, grams)
    return {gram for gram, projects in seen.items() if _shared(projects)}


def _shared(projects: set[int]) -> bool:
    # A word only one project uses is its domain, not a quality.
    return len(projects) >= MIN_PROJECTS


def _projects_of(
    requirements: list[Labelled], grams: list[list[str]]
) -> dict[str, set[int]]:
    projects = collections.defaultdict(set)
    for requirement, text_grams in zip(requirements, grams, strict=True):
        for gram in text_grams:
            projects[gram].add(requirement.project)
    return projects


Guesses = list[tuple[Labelled, str]]


def cross_validate(
    requirements: list[Labelled],
    guesses_of: Callable[[list[Labelled], list[Labelled]], Guesses] | None = None,
) -> Guesses:
    """Each requirement with the guess of a model trained without its project."""
    guesses_of = guesses_of or held_out_guesses
    guesses = []
    for project in sorted({r.project for r in requirements}):
        held_out = [r for r in requirements if r.project == project]
        guesses += guesses_of(requirements, held_out)
    return guesses


def held_out_guesses(
    requirements: list[Labelled], held_out: list[Labelled]
) -> list[tuple[Labelled, str]]:
    """The held-out requirements guessed by a model trained on the others."""
    projects = {r.project for r in held_out}
    model = KindModel.from_data(
        train([r for r in requirements if r.project not in projects])
    )
    return [(r, guess_with(model, r.text)) for r in held_out]


def words_only_cross_validate(
    requirements: list[Labelled],
) -> list[tuple[Labelled, str]]:
    """Grouped CV of the same naive Bayes with no lexicon and no rule in it.

    Nothing in this guess was written by looking at any project, so every
    fold is clean. It tells how much of the gap between the folds of 1-7
    and of 8-15 is the projects' own difficulty rather than the lexicons'
    tuning.
    """
    return cross_validate(requirements, _words_only_guesses)


def _words_only_guesses(
    requirements: list[Labelled], held_out: list[Labelled]
) -> list[tuple[Labelled, str]]:
    projects = {r.project for r in held_out}
    train_on = [r for r in requirements if r.project not in projects]
    grams = [words_and_pairs(r.text)[1] for r in train_on]
    known = _shared_grams(train_on, grams)
    features = [collections.Counter(g for g in text if g in known) for text in grams]
    weights = _naive_bayes(features, [r.kind != FUNCTIONAL for r in train_on])
    guesses = []
    for r in held_out:
        odds = BIAS + sum(weights.get(gram, 0.0) for gram in words_and_pairs(r.text)[1])
        guesses.append((r, FUNCTIONAL if odds <= 0 else NON_FUNCTIONAL))
    return guesses


def serialised(data: dict) -> str:
    """The JSON text of a model, the same for the same model."""
    return json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n"


def main() -> None:
    """Rewrite the shipped model from the corpus and say what was written."""
    text = serialised(train(read_promise()))
    SHIPPED.write_text(text, encoding="utf-8")
    print(f"wrote {SHIPPED.relative_to(REPO)}: {len(text.encode()):,} bytes")


if __name__ == "__main__":
    main()
