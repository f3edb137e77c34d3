"""Ingest speed as ratios against bare libraries, measured in one run.

    .venv/bin/python bench/ingest.py [--repeat N]

For each format, the time Ptah takes to ingest every corpus file of that
format (read, find requirements, store) is divided by the time of the
fastest bare library doing only its own text extraction on the same files:
pypdfium2 for PDF, python-docx for DOCX, openpyxl (read-only) for XLSX.
python-docx's `Document.paragraphs` leaves out every table, so DOCX is
also divided by python-docx reading the whole body, tables included (the
text Ptah reads), on a second line. Each side is warmed up, each file
timed `--repeat` times and the median kept; times are summed over the
corpus. The sides take turns in each round, so the machine's drift falls
on all of them alike. Also: re-adding an unchanged file against its first
ingest, `import ptah_kernel` against `import pandas`, and markitdown (a
bench-only peer) on the same files, with the shall-recall of its text
against Ptah's.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))

TARGETS = {"pdf": 2.0, "docx": 1.5, "xlsx": 1.5}


def median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_pdf(data: bytes) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    text = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    pdf.close()
    return "\n".join(text)


def bare_docx(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def bare_docx_body(data: bytes) -> str:
    """python-docx's text of the whole body: paragraphs and table cells in order.

    `Document.paragraphs` skips every table, and the openETCS specifications
    keep their requirements in tables; this is the same text Ptah reads.
    """
    import docx
    from docx.text.paragraph import Paragraph

    texts = []
    for item in docx.Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(item, Paragraph):
            texts.append(item.text)
        else:
            texts.extend(cell.text for row in item.rows for cell in row.cells)
    return "\n".join(texts)


def bare_xlsx(data: bytes) -> str:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = [
        str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row
    ]
    book.close()
    return " ".join(cells)


BARE = {"pdf": bare_pdf, "docx": bare_docx, "xlsx": bare_xlsx}
# A second baseline, printed beside the first: the body with its tables.
ALSO = {"docx": bare_docx_body}


PEER_FAILURES: set[str] = set()


def markitdown_text(path: Path) -> str:
    """markitdown's text of a file, or "" where it fails (the file is noted)."""
    from markitdown import MarkItDown

    try:
        return MarkItDown().convert(str(path)).text_content
    except Exception:  # a peer's failure is a result, not a reason to stop
        PEER_FAILURES.add(path.name)
        return ""


class Ingest:
    """A fresh project per call, so every ingest does the whole work."""

    def __init__(self) -> None:
        from ptah_kernel.settings import Settings
        from ptah_kernel.workspace import open_workspace

        self.folder = tempfile.TemporaryDirectory()
        self.workspace = open_workspace(self.folder.name, settings=Settings())
        self.count = 0

    def __call__(self, data: bytes, name: str):
        self.count += 1
        project = self.workspace.create_project(f"bench-{self.count}")
        return project, project.add_document(data, filename=name)


def measure_format(fmt: str, ingest: Ingest, repeat: int) -> dict[str, float]:
    totals = dict.fromkeys(["ptah", "bare", "also", "markitdown", "readd"], 0.0)
    files = sorted((CORPUS / fmt).iterdir())
    for path in files:
        for side, seconds in measure_file(fmt, path, ingest, repeat).items():
            totals[side] += seconds
    return {"files": len(files), **totals}


def measure_file(fmt: str, path: Path, ingest: Ingest, repeat: int) -> dict:
    data = path.read_bytes()
    also = ALSO.get(fmt, lambda data: "")
    ingest(data, path.name)
    BARE[fmt](data)
    also(data)
    project, _ = ingest(data, path.name)
    sides = {
        "ptah": lambda: ingest(data, path.name),
        "bare": lambda: BARE[fmt](data),
        "also": lambda: also(data),
    }
    return {
        **interleaved_medians(sides, repeat),
        # The peer is slow on large PDFs and only compared, not targeted: one
        # run, after markitdown itself was warmed up on the first file.
        "markitdown": median_time(lambda: markitdown_text(path), 1),
        "readd": median_time(lambda: project.add_document(data), repeat),
    }


def interleaved_medians(
    sides: dict[str, Callable[[], object]], repeat: int
) -> dict[str, float]:
    """Each side's median time, the sides taking turns in every round.

    A shared machine's speed drifts within seconds; taking turns lets the
    drift fall on every side alike instead of on whichever ran last.
    """
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(repeat):
        for name, action in sides.items():
            start = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(found) for name, found in times.items()}


def peer_ratio(fmt: str, m: dict[str, float]) -> str:
    """markitdown's time over Ptah's, unless markitdown failed on some file."""
    failed = [p.name for p in (CORPUS / fmt).iterdir() if p.name in PEER_FAILURES]
    if failed:
        return f"failed on {len(failed)}"
    return f"{m['markitdown'] / m['ptah']:.2f}"


def import_ratio(repeat: int) -> tuple[float, float]:
    def timed(statement: str) -> float:
        code = f"import time; s=time.perf_counter(); {statement}; "
        code += "print(time.perf_counter()-s)"
        runs = [
            float(subprocess.check_output([sys.executable, "-c", code], cwd=REPO))
            for _ in range(repeat)
        ]
        return statistics.median(runs)

    return timed("import ptah_kernel"), timed("import pandas")


def recall_against_markitdown() -> None:
    """Shall-recall of Ptah's requirements and of markitdown's sentences."""
    from ptah_kernel.documents.reading import read_document
    from ptah_kernel.requirements.finding import find_requirements
    from tests.shall_recall import contains, normalise, sentences, shall_windows

    totals = {"windows": 0, "ptah": 0, "markitdown": 0}
    print(f"\n{'shall-recall':<24} {'windows':>7} {'ptah':>7} {'markitdown':>10}")
    for path, windows in shall_windows().items():
        blocks = read_document(path.read_bytes(), path.name).blocks
        found = [normalise(r.text) for r in find_requirements(blocks, lineage="b")]
        peer = sentences(markitdown_text(path))
        ptah = sum(any(contains(t, w) for t in found) for w in windows)
        other = sum(any(contains(t, w) for t in peer) for w in windows)
        print(
            f"{path.name:<24} {len(windows):>7} {ptah / len(windows):>7.1%} "
            f"{other / len(windows):>10.1%}"
        )
        for key, value in (
            ("windows", len(windows)),
            ("ptah", ptah),
            ("markitdown", other),
        ):
            totals[key] += value
    n = totals["windows"]
    ptah, other = totals["ptah"] / n, totals["markitdown"] / n
    print(f"{'all':<24} {n:>7} {ptah:>7.1%} {other:>10.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ingest = Ingest()
    markitdown_text(sorted((CORPUS / "md").iterdir())[0])
    print(
        f"{'format':<6} {'files':>5} {'ptah s':>8} {'bare s':>8} {'ratio':>6} "
        f"{'target':>6} {'markitdown/ptah':>15} {'re-add':>7}"
    )
    for fmt in ("pdf", "docx", "xlsx"):
        m = measure_format(fmt, ingest, args.repeat)
        ratio = m["ptah"] / m["bare"]
        print(
            f"{fmt:<6} {m['files']:>5} {m['ptah']:>8.3f} {m['bare']:>8.3f} "
            f"{ratio:>6.2f} {TARGETS[fmt]:>6.1f} "
            f"{peer_ratio(fmt, m):>15} {m['readd'] / m['ptah']:>7.1%}"
        )
        if fmt in ALSO:
            print(
                f"{'':<6} {'':>5} {'':>8} {m['also']:>8.3f} "
                f"{m['ptah'] / m['also']:>6.2f}  against {ALSO[fmt].__name__}"
            )
    ptah_import, pandas_import = import_ratio(max(args.repeat, 5))
    print(
        f"import ptah_kernel {ptah_import * 1000:.0f} ms / import pandas "
        f"{pandas_import * 1000:.0f} ms = {ptah_import / pandas_import:.2f} "
        "(target at most 1.2)"
    )
    recall_against_markitdown()
    if PEER_FAILURES:
        print(f"markitdown could not convert: {', '.join(sorted(PEER_FAILURES))}")


if __name__ == "__main__":
    main()
