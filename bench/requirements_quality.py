"""How well Ptah finds requirements and guesses their kind, against baselines.

    .venv/bin/python bench/requirements_quality.py

Part 1, finding. For every corpus document, the requirements Ptah finds
(`read_document` + `find_requirements`) by source, beside independent
counts made without Ptah's code: shall-sentences in poppler's `pdftotext`
text (PDF), in python-docx paragraphs (DOCX) or in the raw file (Markdown);
distinct id-shaped tokens (`REQ-12`, `FR 1`, `[SSS038]`) at the start of a
line or in brackets; user-story lines; and for sheets, non-empty rows under
a "Requirement" header read with openpyxl. For shall-PDFs the shall-recall
of tests/test_requirements_recall.py is printed end to end and for the
finder alone (over the windows the reader's text still holds). The
baseline is the naive detector: one requirement per sentence that says
"shall", counted on the same blocks; the ratio is Ptah's count over it.

Part 2, kind. PROMISE NFR (625 requirements, 15 projects): functional vs
non-functional precision, recall and F1 of the trained guess on projects
its model never saw: grouped cross-validation (one fold per project, the
fold's model trained on the other 14, figures pooled over folds), and a
model trained on projects 1-7 tested on 8-15. The lexicons inside the
model were written looking at projects 1-7, so the folds of 1-7 and of
8-15 are also printed apart; beside them, the same naive Bayes over words
alone, with no lexicon, whose gap between the two halves is the projects'
own difficulty (8-15 has 74 functional requirements in 255; five of its
projects have none). Baseline: every requirement functional.
"""

from __future__ import annotations

import collections
import io
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ptah_kernel.requirements._kinds import PROMISE_CODES  # noqa: E402
from tests.conftest import corpus_files  # noqa: E402
from tests.test_requirements_recall import measure, shall_windows  # noqa: E402

TUNING_PROJECTS = range(1, 8)

_SHALL_SENTENCE = re.compile(r"[^.!?]*\bshall\b[^.!?]*[.!?]?", re.I)
_ID_TOKEN = re.compile(
    r"(?m)^\s*([A-Z]{1,6}(?:-[A-Z]{1,6})*[- ]?\d{1,5}(?:[A-Z]\d{1,3})*)\b"
    r"|\[([A-Z]{2,6}\d{1,5})\]"
)
_STORY_LINE = re.compile(r"(?im)^\W*(?:#\w+#\s*)?as\s(?:an?\s)?[^,\n]*,?\s*I\s")


def main() -> None:
    """Print both parts."""
    print(__doc__.split("\n\n")[0], "\n")
    print_finding()
    print()
    print_kinds()


def print_finding() -> None:
    """Per document: Ptah's counts, independent counts, baseline ratio."""
    from ptah_kernel.documents.reading import read_document
    from ptah_kernel.requirements import find_requirements

    header = (
        f"{'document':42} {'found':>5} {'stmt':>5} {'story':>5} {'matrix':>6}"
        f" {'shall':>5} {'ids':>4} {'story':>5} {'rows':>5} {'naive':>5}"
        f" {'ratio':>5} {'sec':>5}"
    )
    print("Finding: Ptah (found, by source) | independent (shall, ids, story, rows)")
    print(header)
    totals: collections.Counter[str] = collections.Counter()
    for folder in ("pdf", "docx", "xlsx", "md", "txt"):
        for path in corpus_files(folder):
            start = time.perf_counter()
            blocks = read_document(path.read_bytes(), path.name).blocks
            found = find_requirements(blocks, lineage=path.stem)
            seconds = time.perf_counter() - start

            sources = collections.Counter(f.source for f in found)
            independent = independent_counts(path)
            naive = naive_count(blocks)
            ratio = f"{len(found) / naive:5.2f}" if naive else "    -"
            print(
                f"{path.name:42} {len(found):5} {sources['statement']:5}"
                f" {sources['story']:5} {sources['matrix']:6}"
                f" {independent['shall']:5} {independent['ids']:4}"
                f" {independent['stories']:5} {independent['rows']:5}"
                f" {naive:5} {ratio} {seconds:5.1f}"
            )
            totals.update(found=len(found), naive=naive)
    print(f"all documents: {totals['found']} found, naive baseline {totals['naive']}")
    print()
    print_shall_recall()


def independent_counts(path: Path) -> dict[str, int]:
    """Counts made from the file with other tools than Ptah's readers."""
    text = independent_text(path)
    ids = {a or b for a, b in _ID_TOKEN.findall(text)}
    return {
        "shall": len(_SHALL_SENTENCE.findall(text)) if path.suffix != ".xlsx" else 0,
        "ids": len(ids),
        "stories": len(_STORY_LINE.findall(text)),
        "rows": requirement_rows(path) if path.suffix == ".xlsx" else 0,
    }


def independent_text(path: Path) -> str:
    """The file's text by poppler, python-docx or a plain read."""
    import subprocess

    if path.suffix == ".pdf":
        run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True)
        return run.stdout.decode("utf-8", "replace")
    if path.suffix == ".docx":
        import docx

        document = docx.Document(io.BytesIO(path.read_bytes()))
        return "\n".join(p.text for p in document.paragraphs)
    if path.suffix == ".xlsx":
        return ""
    return path.read_text(encoding="utf-8", errors="replace")


def requirement_rows(path: Path) -> int:
    """Non-empty rows below a header row that has a "Requirement" cell."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = 0
    for sheet in book.worksheets:
        below_header = False
        for row in sheet.iter_rows(values_only=True):
            cells = [str(c).strip() for c in row if c is not None and str(c).strip()]
            if below_header and cells:
                count += 1
            if any(cell.lower() == "requirement" for cell in cells):
                below_header = True
    book.close()
    return count


def naive_count(blocks: list) -> int:
    """The modal-verb baseline: every sentence that says "shall"."""
    text = "\n".join(b.text for b in blocks if b.table is None)
    cells = [c for b in blocks if b.table for row in b.table.rows for c in row]
    return len(_SHALL_SENTENCE.findall(text + "\n" + "\n".join(cells)))


def print_shall_recall() -> None:
    """Shall-recall per PDF with at least ten shalls, as the test measures it."""
    from tests.shall_recall import confirmed_windows

    print("Shall-recall (tests/test_requirements_recall.py rule)")
    print(
        f"{'PDF':26} {'windows':>7} {'kept':>5} {'end to end':>10} {'finder':>7}"
        f" {'confirmed':>9} {'recall':>6}"
    )
    totals = collections.Counter()
    for path, windows in shall_windows().items():
        kept, found = measure(path, windows)
        finder = sum(w in found for w in kept) / len(kept) if kept else 1.0
        confirmed = confirmed_windows()[path]
        found_set = set(found)
        sure = sum(w in found_set for w in confirmed)
        totals.update(windows=len(windows), found=len(found))
        totals.update(confirmed=len(confirmed), sure=sure)
        print(
            f"{path.name:26} {len(windows):7} {len(kept):5}"
            f" {len(found) / len(windows):10.3f} {finder:7.3f}"
            f" {len(confirmed):9} {sure / len(confirmed):6.3f}"
        )
    print(
        f"{'all':26} {totals['windows']:7} {'':5}"
        f" {totals['found'] / totals['windows']:10.3f} {'':7}"
        f" {totals['confirmed']:9} {totals['sure'] / totals['confirmed']:6.3f}"
    )
    print(
        "confirmed: the windows poppler's -raw order holds too; the others are "
        "cells of neighbouring table columns interleaved by its layout order."
    )


def print_kinds() -> None:
    """Functional vs non-functional and per-category scores on PROMISE NFR."""
    import pandas as pd

    from bench.train_kinds import (
        cross_validate,
        held_out_guesses,
        read_promise,
        words_only_cross_validate,
    )

    requirements = read_promise()
    later = [r for r in requirements if r.project not in TUNING_PROJECTS]
    folds = cross_validate(requirements)
    # The same recipe with no lexicon in it: written by nobody, clean on
    # every fold, so its own gap between 1-7 and 8-15 is the projects'.
    words_only = words_only_cross_validate(requirements)
    splits = {}
    for name, pairs in (("grouped CV", folds), ("words only", words_only)):
        splits[f"{name}, 15 folds"] = pairs
        splits[f"{name}, folds 1-7"] = _projects(pairs, TUNING_PROJECTS)
        # The lexicons were written looking at projects 1-7 only: the
        # folds of 8-15 are the requirements neither part was tuned on.
        splits[f"{name}, folds 8-15"] = _projects(pairs, range(8, 16))
    splits["trained 1-7, held out 8-15"] = held_out_guesses(requirements, later)
    print("Kind on PROMISE NFR: functional (F) vs non-functional (NFR), held out")
    print(f"{'split':28} {'class':5} {'P':>5} {'R':>5} {'F1':>5}   baseline F1")
    frames = {}
    for name, pairs in splits.items():
        frames[name] = pd.DataFrame(
            {"truth": [r.kind for r, _ in pairs], "guess": [g for _, g in pairs]}
        )
        print_binary(name, frames[name])
    print("The shipped model is trained on all 15 projects (bench/train_kinds.py).")
    print()
    print("Per category, pooled over the grouped CV folds, and trained 1-7 on 8-15")
    print(f"{'category':16} {'n':>4} {'P':>5} {'R':>5} {'F1':>5}  {'n':>4} {'F1':>5}")
    for category in sorted(set(PROMISE_CODES.values())):
        cells = []
        for name in ("grouped CV, 15 folds", "trained 1-7, held out 8-15"):
            part = frames[name]
            truth = part.truth == category
            guess = part.guess == category
            p, r, f1 = scores(
                int((truth & guess).sum()), int(guess.sum()), int(truth.sum())
            )
            cells.append((int(truth.sum()), p, r, f1))
        (n, p, r, f1), (n_later, _, _, f1_later) = cells
        print(
            f"{category:16} {n:4} {p:5.2f} {r:5.2f} {f1:5.2f}"
            f"  {n_later:4} {f1_later:5.2f}"
        )


def _projects(pairs: list, projects: range) -> list:
    return [pair for pair in pairs if pair[0].project in projects]


def print_binary(name: str, part) -> None:
    """Precision, recall and F1 of both classes and their macro average."""
    truth_nfr = part.truth != "functional"
    guess_nfr = part.guess != "functional"
    rows = {}
    for label, truth, guess in (
        ("F", ~truth_nfr, ~guess_nfr),
        ("NFR", truth_nfr, guess_nfr),
    ):
        both = int((truth & guess).sum())
        rows[label] = scores(both, int(guess.sum()), int(truth.sum()))
    baseline = {
        "F": scores(int((~truth_nfr).sum()), len(part), int((~truth_nfr).sum())),
        "NFR": (0.0, 0.0, 0.0),
    }
    for label, (p, r, f1) in rows.items():
        print(
            f"{name:28} {label:5} {p:5.2f} {r:5.2f} {f1:5.2f}"
            f"   {baseline[label][2]:5.2f}"
        )
    macro = (rows["F"][2] + rows["NFR"][2]) / 2
    macro_baseline = (baseline["F"][2] + baseline["NFR"][2]) / 2
    print(
        f"{name:28} {'macro':5} {'':5} {'':5} {macro:5.2f}   {macro_baseline:5.2f}"
        f"   ratio {macro / macro_baseline:4.2f}"
    )


def scores(both: int, guessed: int, true: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from the counts of a confusion table."""
    precision = both / guessed if guessed else 0.0
    recall = both / true if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if both else 0.0
    return precision, recall, f1


if __name__ == "__main__":
    main()
