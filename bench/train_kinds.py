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
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ptah_kernel.requirements._kinds import (  # noqa: E402
    FUNCTIONAL,
    KindModel,
    words_and_pairs,
)
from tests.conftest import CORPUS  # noqa: E402

PROMISE = CORPUS / "labelled" / "promise-nfr.csv"
SHIPPED = REPO / "ptah_kernel" / "requirements" / "_kinds.json"
CODES = {
    "F": "functional",
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
# Chosen by grouped cross-validation over a small grid (1-3 projects,
# smoothing 0.1-3, lexicon weight 1-4, bias 0 or -1).
MIN_PROJECTS = 2
SMOOTHING = 0.5
LEXICON_WEIGHT = 3
BIAS = -1.0

# Two lists per category: terms that settle the category on their own
# (2 points each) and terms that only lean towards it (1 point each).
_LEXICONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "performance": (
        (
            r"response times?",
            r"respond(?:s|ed)? (?:with)?in",
            r"within \d[\d.,]* ?(?:milli)?(?:seconds?|secs?|ms|minutes?|hours?)",
            r"no (?:longer|later|more) than \d[\d.,]* ?(?:milli)?(?:seconds?|minutes?)",
            r"per second",
            r"throughput",
            r"latency",
            r"latencies",
            r"\d+\s*(?:seconds?|secs?|minutes?|min|ms)",
            r"every (?:hour|minute|second)",
            r"performance",
            r"in (?:an? )?(?:acceptable|timely|reasonable) (?:time|manner)",
        ),
        (
            r"respond\w* (?:fast|quickly)",
            r"fast",
            r"faster",
            r"quick(?:ly)?",
            r"milliseconds?",
            r"refresh\w*",
            r"in under",
            r"wait time",
            r"load time",
            r"delay",
            r"speed",
            r"timely",
            r"real[- ]time",
            r"efficien\w*",
        ),
    ),
    "scalability": (
        (
            r"peak (?:load|times?|periods?)",
            r"additional users",
            r"increas\w* (?:number|volume|load)",
            r"concurrent(?:ly)? users?",
            r"simultaneous(?:ly)? users?",
            r"scal(?:e|es|able|ability)",
            r"concurrent requests",
            r"transactions per (?:hour|day|second|minute)",
            r"number of users",
            r"multiple (?:remote )?users",
            r"users? (?:to work )?at the same time",
        ),
        (
            r"load",
            r"increas\w*",
            r"simultaneous\w*",
            r"concurrent\w*",
            r"large (?:number|volume)s?",
            r"(?:handle|support|accommodate|cater to|process) (?:up to )?\d[\d ,.]* ",
            r"grow(?:th)?",
            r"increase to",
            r"records per",
            r"volume",
            r"capacity",
            r"expand\w*",
        ),
    ),
    "security": (
        (
            r"secur\w*",
            r"authori[sz]\w*",
            r"authenticat\w*",
            r"passwords?",
            r"encrypt\w*",
            r"decrypt\w*",
            r"privacy",
            r"private information",
            r"malicious",
            r"virus",
            r"intrusion",
            r"firewall",
            r"access control",
            r"unauthori[sz]ed",
            r"log ?in",
            r"login",
            r"credentials",
            r"permissions?",
            r"privileges?",
            r"single sign[- ]on",
            r"sso",
            r"two[- ]factor",
            r"multi[- ]factor",
            r"mfa",
            r"vulnerabilit\w*",
            r"breach\w*",
            r"attack\w*",
            r"owasp",
            r"injection",
            r"cross[- ]site",
            r"xss",
            r"csrf",
            r"hash(?:ed|ing)?",
            r"pii",
            r"session time ?outs?",
            r"key management",
            r"penetration test\w*",
            r"least privilege",
            r"audit logs?",
            r"audit trails?",
            r"denial of service",
            r"ddos",
            r"only (?:the )?\w+(?: \w+)? (?:shall|can|may|will|must|are able to)",
        ),
        (
            r"only \w+(?: \w+)? (?:shall|will|must|can|may) (?:have )?access",
            r"access to",
            r"tamper",
            r"confidential\w*",
            r"integrity",
            r"protect\w*",
            r"roles?",
            r"sensitive",
            r"access level",
            r"viruses",
            r"threats?",
            r"access",
            r"valid data",
            r"invalid data",
            r"personal information",
            r"account",
            r"lock(?:ed)? out",
            r"ssl",
            r"https",
            r"certificate",
        ),
    ),
    "usability": (
        (
            r"ease of",
            r"accessib\w*",
            r"help (?:screens?|text|files?|documentation|pages?)",
            r"tool ?tips?",
            r"online help",
            r"users? (?:shall|will|must|should|can) (?:be able to )?(?:easily|quickly)",
            r"easy to (?:use|learn|understand|navigate)",
            r"ease of use",
            r"user[- ]friendly",
            r"intuitive",
            r"usab\w*",
            r"self[- ]explanatory",
            r"training",
            r"untrained",
            r"learn(?:ed|able)?",
            r"understandable",
            r"readable",
            r"accessib(?:le|ility) (?:to|for) (?:users|people)",
            r"disabilit\w*",
            r"section 508",
            r"wcag",
        ),
        (
            r"screens?",
            r"consisten\w*",
            r"efficiently",
            r"guid\w*",
            r"easy",
            r"easily",
            r"simple",
            r"mistakes",
            r"errors? messages?",
            r"help",
            r"instructions",
            r"novice",
            r"navigat\w*",
            r"understand",
            r"languages?",
            r"read",
            r"clear",
            r"convenient",
            r"satisf\w*",
            r"productiv\w*",
            r"feedback",
            r"locale",
            r"terminology",
            r"familiar",
            r"surveyed",
            r"\d+ ?% of (?:the )?users",
        ),
    ),
    "look and feel": (
        (
            r"attractive",
            r"appealing",
            r"style ?sheets?|css",
            r"graphical design",
            r"visually",
            r"look and feel",
            r"appearance",
            r"colou?r scheme",
            r"colou?rs?",
            r"fonts?",
            r"branding",
            r"logo",
            r"professional (?:look|appearance)",
            r"aesthetic\w*",
            r"style ?guide",
        ),
        (
            r"look",
            r"style",
            r"gui",
            r"graphics?",
            r"consistent",
            r"professional",
            r"appear\w*",
            r"interface standards",
            r"screens?",
            r"buttons?",
            r"menus?",
            r"layout",
            r"icons?",
            r"display(?:ed)? (?:in|with)",
            r"visual\w*",
            r"theme",
        ),
    ),
    "availability": (
        (
            r"availab(?:le|ility) (?:\d|for use|during|24|between|to users)",
            r"uptime",
            r"up time",
            r"24 ?(?:hours?|x|/) ?7",
            r"24x7",
            r"365 days",
            r"downtime",
            r"down time",
            r"outages?",
        ),
        (
            r"available",
            r"hours? (?:a|per) day",
            r"days? (?:a|per) (?:week|year)",
            r"business hours",
            r"maintenance windows?",
            r"out of \d+",
        ),
    ),
    "reliability": (
        (
            r"reliab\w*",
            r"mean time (?:between|to) failures?",
            r"mtbf",
            r"mttr",
            r"failure rate",
            r"defects? per",
        ),
        (
            r"fail(?:s|ures?)?",
            r"accura\w*",
            r"precision",
            r"correct(?:ly|ness)",
            r"consisten\w*",
            r"data loss",
            r"lose data",
        ),
    ),
    "fault tolerance": (
        (
            r"error handling",
            r"without (?:any )?(?:data )?loss",
            r"gracefully",
            r"continue (?:to )?(?:operate|function|work|run)",
            r"fault[- ]toleran\w*",
            r"offline mode",
            r"in the event of (?:a |an )?(?:failure|crash|outage)",
            r"recover\w*",
            r"failover",
            r"fail[- ]?over",
            r"redundan\w*",
            r"backup",
            r"back up",
            r"restor(?:e|ed|es)",
            r"exception log",
        ),
        (
            r"errors?",
            r"failures?",
            r"robust\w*",
            r"interruption",
            r"crash\w*",
            r"interrupt\w*",
            r"connection is (?:lost|unavailable)",
            r"degrad\w*",
            r"resilien\w*",
        ),
    ),
    "maintainability": (
        (
            r"maintenance",
            r"source code",
            r"reusab\w*",
            r"refactor\w*",
            r"documented",
            r"code (?:comments|reviews?)",
            r"changes? (?:can|shall|will|must|should) be made",
            r"maintainab\w*",
            r"maintenance releases?",
            r"modular\w*",
            r"design patterns",
            r"coding (?:standards|best practices)",
            r"well[- ]documented",
            r"configurab\w*",
            r"extensib\w*",
            r"updat(?:e|ed) (?:easily|without)",
            r"upgrad(?:e|ed|es|ability)",
        ),
        (
            r"updat\w*",
            r"new (?:features|releases?|versions?)",
            r"versions?",
            r"patch\w*",
            r"administrat\w*",
            r"maintain\w*",
            r"modifiable",
            r"new functionality",
            r"change(?:d|s)? to the (?:code|system)",
            r"document(?:ed|ation) (?:of|for) (?:the )?code",
            r"testab\w*",
            r"integrate new",
        ),
    ),
    "portability": (
        (
            r"portab\w*",
            r"cross[- ]platform",
            r"operating systems",
            r"(?:run|runs|operate) on (?:windows|linux|unix|mac|android|ios|palm)",
            r"ported",
            r"platform[- ]independen\w*",
        ),
        (
            r"windows",
            r"linux",
            r"unix",
            r"mac ?os",
            r"android",
            r"ios",
            r"palm",
            r"browsers?",
            r"platforms?",
            r"porting",
        ),
    ),
    "legal": (
        (
            r"comply with",
            r"complian\w*",
            r"conform to (?:the )?(?:legal|law)",
            r"legal\w*",
            r"laws?",
            r"regulations?",
            r"regulatory",
            r"statut\w*",
            r"licen[cs]\w*",
            r"sarbanes",
            r"hipaa",
            r"gdpr",
            r"copyright",
            r"standards? (?:of|set by)",
            r"accounting standards",
        ),
        (
            r"audit\w*",
            r"polic(?:y|ies)",
            r"liabil\w*",
            r"contract\w*",
            r"terms of",
            r"rights",
        ),
    ),
    "operational": (
        (
            r"platforms?",
            r"deployed",
            r"operating system",
            r"operating environment",
            r"operate (?:with)?in",
            r"interface with",
            r"office environment",
            r"environment typical",
            r"(?:must|shall|will) (?:be )?(?:run|operate|support) (?:on|in|within)",
            r"internet explorer",
            r"firefox",
            r"chrome",
            r"web browsers?",
            r"hardware",
            r"server",
            r"installed on",
            r"deploy\w*",
            r"corporate (?:architecture|support)",
        ),
        (
            r"operat\w*",
            r"environment",
            r"interfaces? with",
            r"workstations?",
            r"network",
            r"database management",
            r"infrastructure",
            r"install\w*",
            r"configuration",
        ),
    ),
}

# One group per category and strength, in `KINDS` order: (kind, points, terms).
_GROUPS = [
    (kind, points, terms)
    for kind, (strong, weak) in _LEXICONS.items()
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
            CODES[row["class"]],
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
    projects = collections.defaultdict(set)
    for requirement, text_grams in zip(requirements, grams, strict=True):
        for gram in text_grams:
            projects[gram].add(requirement.project)
    return sorted(
        gram
        for gram, seen in projects.items()
        if len(seen) >= MIN_PROJECTS or _groups(gram)
    )


def cross_validate(requirements: list[Labelled]) -> list[tuple[Labelled, str]]:
    """Each requirement with the guess of a model trained without its project."""
    guesses = []
    for project in sorted({r.project for r in requirements}):
        held_out = [r for r in requirements if r.project == project]
        guesses += held_out_guesses(requirements, held_out)
    return guesses


def held_out_guesses(
    requirements: list[Labelled], held_out: list[Labelled]
) -> list[tuple[Labelled, str]]:
    """The held-out requirements guessed by a model trained on the others."""
    projects = {r.project for r in held_out}
    model = KindModel.from_data(
        train([r for r in requirements if r.project not in projects])
    )
    return [(r, model.guess(r.text)) for r in held_out]


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
