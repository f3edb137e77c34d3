"""The shall-recall rule: windows around "shall" in poppler's reading of a PDF.

Shared by `tests/test_requirements_recall.py` and `bench/ingest.py`; the
rule and its choices are described in the test module's docstring.
"""

from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from tests.conftest import corpus_files

__all__ = [
    "confirmed_windows",
    "contains",
    "normalise",
    "sentences",
    "shall_windows",
]

_MIN_SHALLS = 10
_PUNCTUATION = re.compile(r"[^\w\s]+")
_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n\s*(?=\w)")
_SENTENCES = re.compile(
    r"\n\s*\n|\n(?=\s*\d+(?:\.\d+)+\.?\s)|(?<=[.!?])\s+(?=[\[(\"\u201c]?[A-Z])"
    r"|\s(?=[A-Z]{1,6} ?\d+(?:\.\d+)* [\u2013\u2014])"
)
_LABEL = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?|\[?[A-Z]{1,6}(?:-[A-Z]{1,6})*[ _-]?\d+[A-Z0-9.]*\]?)"
    r"\s*[:\u2013\u2014-]*\s+"
)
_HEADING_LINE = re.compile(r"^\s*\d+(?:\.\d+)+\.?\s[^\n]{0,80}\n")


def normalise(text: str) -> str:
    text = _HYPHEN_BREAK.sub(r"\1", text)
    return " ".join(_PUNCTUATION.sub("", text.lower()).split())


def _poppler_text(path: Path, *options: str) -> str:
    run = subprocess.run(
        ["pdftotext", *options, str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout


def _windows(text: str) -> list[str]:
    windows = []
    for sentence in _SENTENCES.split(text):
        words = normalise(_without_labels(sentence)).split()
        if "shall" in words:
            at = words.index("shall")
            windows.append(" ".join(words[max(0, at - 2) : at + 5]))
    return windows


def _without_labels(sentence: str) -> str:
    heading = _HEADING_LINE.match(sentence)
    if heading is not None and "shall" not in heading[0].lower():
        sentence = sentence[heading.end() :]
    return _LABEL.sub("", sentence, count=1)


def contains(text: str, window: str) -> bool:
    return window in text or window.replace(" ", "") in text.replace(" ", "")


def sentences(text: str) -> list[str]:
    """The text split into sentences the way the windows are taken."""
    return [normalise(part) for part in _SENTENCES.split(text) if part.strip()]


@cache
def shall_windows() -> dict[Path, list[str]]:
    """The shall windows of every corpus PDF with at least ten shalls."""
    paths = corpus_files("pdf", ".pdf")
    with ThreadPoolExecutor() as pool:
        texts = dict(zip(paths, pool.map(_poppler_text, paths), strict=True))
    return {
        path: _windows(text)
        for path, text in texts.items()
        if len(re.findall(r"\bshall\b", text, re.I)) >= _MIN_SHALLS
    }


@cache
def confirmed_windows() -> dict[Path, list[str]]:
    """The shall windows that poppler's content-stream order also holds.

    `pdftotext` reads in layout order by default, and on tables laid out in
    columns it interleaves the cells of neighbouring columns ("the
    contractor shall modularity analysis alter and"): such a window is no
    sentence of the document, and no faithful reader can return it. Its
    raw mode (`-raw`, the order of the content stream) keeps table cells
    whole but breaks rotated pages. A window both orders hold is a sentence
    poppler reads the same twice; the rest are left out of this measure.
    """
    windows = shall_windows()
    with ThreadPoolExecutor() as pool:
        raw = dict(zip(windows, pool.map(_raw_text, windows), strict=True))
    return {
        path: [w for w in found if contains(raw[path], w)]
        for path, found in windows.items()
    }


def _raw_text(path: Path) -> str:
    return normalise(_poppler_text(path, "-raw"))
