"""PDF reading on small PDFs built here, one per quirk."""

from __future__ import annotations

import io

import pytest

from ptah_kernel.documents._pdf_layout import Line, layout_blocks, ligature_repair
from ptah_kernel.documents.reading import read_document
from ptah_kernel.errors import CorruptDocument, EmptyDocument, EncryptedDocument
from ptah_kernel.settings import ReaderLimits

HERE = ReaderLimits(max_seconds=0)


def make_pdf(pages: list[list[tuple[float, float, str]]], rotate: int = 0) -> bytes:
    """A PDF whose pages draw each (x, y, text) in Helvetica 11 pt.

    A text starting with "*" is drawn in Helvetica-Bold, without the star.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold >>",
    ]
    kids = []
    for lines in pages:
        stream = b"".join(_show(x, y, text) for x, y, text in lines)
        objects.append(
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        )
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Rotate %d "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (rotate, len(objects))
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(kids),
        len(kids),
    )
    return _assemble(objects)


def _show(x: float, y: float, text: str) -> bytes:
    font = b"/F2" if text.startswith("*") else b"/F1"
    text = (
        text.lstrip("*").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    )
    return b"BT %s 11 Tf %.1f %.1f Td (%s) Tj ET\n" % (
        font,
        x,
        y,
        text.encode("latin-1"),
    )


def _assemble(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def paragraph(y: float, *lines: str) -> list[tuple[float, float, str]]:
    return [(72, y - 13 * i, text) for i, text in enumerate(lines)]


def read(data: bytes, name: str = "spec.pdf", **kwargs):
    return read_document(data, name, limits=HERE, **kwargs)


def texts(content) -> list[str]:
    return [block.text for block in content.blocks]


def test_pdf_named_docx_is_read_as_pdf():
    data = make_pdf([paragraph(700, "The system shall log every login.")])

    content = read(data, "spec.docx")

    assert content.format == "pdf"
    assert texts(content) == ["The system shall log every login."]
    assert content.blocks[0].anchor == "p.1 ¶1"


def test_pdf_lines_of_one_paragraph_join_and_gaps_split():
    page = paragraph(
        700, "The system shall keep a record of", "each change to an order."
    )
    page += paragraph(650, "Operators may export the record.")

    content = read(make_pdf([page]))

    assert texts(content) == [
        "The system shall keep a record of each change to an order.",
        "Operators may export the record.",
    ]


def test_pdf_hyphen_at_line_end_joins_word():
    page = paragraph(
        700, "The system shall meet each require-", "ment listed in the annex below."
    )

    content = read(make_pdf([page]))

    assert "each requirement listed" in texts(content)[0]


def test_pdf_real_hyphen_kept_when_document_uses_it():
    page = paragraph(
        700,
        "Every non-functional need is listed. Each non-",
        "functional need has an owner.",
    )

    content = read(make_pdf([page]))

    assert "Each non-functional need" in texts(content)[0]


def test_pdf_running_header_footer_and_page_number_dropped():
    pages = [
        [
            (72, 760, "ACME Portal SRS"),
            *paragraph(700, f"Requirement {n} shall hold."),
            (280, 40, f"Page {n} of 5"),
        ]
        for n in range(1, 6)
    ]

    content = read(make_pdf(pages))

    assert texts(content) == [f"Requirement {n} shall hold." for n in range(1, 6)]
    assert [b.anchor for b in content.blocks][-1] == "p.5 ¶1"


def test_pdf_rotated_page_is_read():
    data = make_pdf([paragraph(700, "The rotated table shall be read.")], rotate=90)

    content = read(data)

    assert texts(content) == ["The rotated table shall be read."]


def test_pdf_numbered_headings_give_levels_and_path():
    page = [(72, 700, "*3. Functional Requirements"), (72, 670, "*3.1 Login")]
    page += paragraph(640, "The system shall lock an account after five failures.")

    blocks = read(make_pdf([page])).blocks

    assert [(b.kind, b.level) for b in blocks] == [
        ("heading", 1),
        ("heading", 2),
        ("paragraph", 0),
    ]
    assert blocks[2].heading_path == ("3. Functional Requirements", "3.1 Login")


def test_pdf_numbered_list_item_is_not_a_heading():
    page = paragraph(700, "1. the operator shall sign in first.")

    blocks = read(make_pdf([page])).blocks

    assert blocks[0].kind == "list item"


def test_pdf_layout_turns_ligatures_into_letters():
    line = Line(
        "The \ufb01rst \ufb02ow is e\ufb00ective.", 1, 100, 72, 300, 11, False, 0.5
    )

    blocks = layout_blocks([[line]])

    assert blocks[0].text == "The first flow is effective."


def _encrypted(password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(
        clone_from=PdfReader(io.BytesIO(make_pdf([paragraph(700, "Secret plan.")])))
    )
    writer.encrypt(user_password=password, owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_with_password_needs_it():
    data = _encrypted("hunter2")

    with pytest.raises(EncryptedDocument, match="password=") as caught:
        read(data)

    assert "hunter2" not in str(caught.value)
    assert texts(read(data, password="hunter2")) == ["Secret plan."]


def test_pdf_wrong_password_is_refused_without_echo():
    with pytest.raises(EncryptedDocument, match="does not open") as caught:
        read(_encrypted("hunter2"), password="guess-123")

    assert "guess-123" not in str(caught.value)


def test_pdf_truncated_is_corrupt():
    data = make_pdf([paragraph(700, "The system shall log every login.")])

    with pytest.raises(CorruptDocument, match="spec.pdf"):
        read(data[: len(data) // 2])


def test_pdf_layout_repairs_ligatures_a_font_maps_to_symbols():
    texts = ["identi!ers, de!ned, con!gured", "work#ow, in#ow, over#ow", "a@b.org"]

    repair = ligature_repair(texts)

    assert repair("identi!ers for work#ow") == "identifiers for workflow"
    assert repair("mail a@b.org") == "mail a@b.org"


def test_pdf_paragraph_goes_on_across_a_page_break():
    pages = [
        paragraph(700, "Intro line that ends here."),
        paragraph(700, "continues on the next page."),
    ]
    pages[0] += paragraph(600, "The system shall keep a record of")

    blocks = read(make_pdf(pages)).blocks

    assert (
        blocks[1].text
        == "The system shall keep a record of continues on the next page."
    )
    assert (blocks[1].anchor, len(blocks)) == ("p.1 ¶2", 2)


def test_pdf_bullets_nest_by_indent():
    page = [(72, 700, "- Accounts"), (90, 687, "- Locking"), (72, 674, "- Reports")]

    blocks = read(make_pdf([page])).blocks

    assert [(b.kind, b.text, b.level) for b in blocks] == [
        ("list item", "Accounts", 1),
        ("list item", "Locking", 2),
        ("list item", "Reports", 1),
    ]


def test_pdf_without_text_is_empty_and_suggests_ocr():
    with pytest.raises(EmptyDocument, match="OCR"):
        read(make_pdf([[]]))


@pytest.mark.parametrize("parts", [2, 3])
def test_pdf_read_in_parts_equals_the_pdf_read_whole(parts):
    from ptah_kernel.documents._pdf import content_from_parts, read_page_lines
    from tests.conftest import corpus_files

    for path in corpus_files("pdf", ".pdf")[:6]:
        data = path.read_bytes()
        whole = read_document(data, path.name, limits=HERE)
        pieces = [
            read_page_lines(data, path.name, HERE, None, part, parts)
            for part in range(parts)
        ]

        assert content_from_parts(path.name, pieces) == whole, path.name


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_pdf_without_text_is_empty_on_any_number_of_readers(processes):
    limits = ReaderLimits(reader_processes=processes)

    with pytest.raises(EmptyDocument, match="OCR"):
        read_document(make_pdf([[], []]), "scan.pdf", limits=limits)
