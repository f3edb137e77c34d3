"""DOCX reading on small Word files built here."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from ptah_kernel.documents.reading import read_document
from ptah_kernel.errors import (
    CorruptDocument,
    DocumentTooLarge,
    EmptyDocument,
    UnsafeDocument,
)
from ptah_kernel.settings import ReaderLimits

HERE = ReaderLimits(max_seconds=0)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
DOC_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/numbering" '
    'Target="numbering.xml"/><Relationship Id="rId2" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
STYLES = (
    f'<w:styles xmlns:w="{W}"><w:style w:type="paragraph" w:styleId="H1">'
    '<w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>'
    '</w:style><w:style w:type="paragraph" w:styleId="H2"><w:name w:val="heading 2"/>'
    '<w:basedOn w:val="H1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr>'
    "</w:style></w:styles>"
)
NUMBERING = (
    f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/><w:pStyle w:val="H1"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1.%2"/><w:pStyle w:val="H2"/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%1)"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>'
)


def para(text: str, style: str = "", num: str = "", bold: bool = False) -> str:
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num:
        props += f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>'
    run_props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f"<w:p><w:pPr>{props}</w:pPr><w:r>{run_props}<w:t>{text}</w:t></w:r></w:p>"


def make_docx(body: str, prolog: str = "", **extra: bytes) -> bytes:
    document = f'{prolog}<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    return _docx_with(document.encode(), **extra)


def _docx_with(document: bytes, numbering: str = NUMBERING, **extra: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/_rels/document.xml.rels", DOC_RELS)
        archive.writestr("word/styles.xml", STYLES)
        archive.writestr("word/numbering.xml", numbering)
        archive.writestr("word/document.xml", document)
        for name, data in extra.items():
            archive.writestr(name.replace("__", "/"), data)
    return out.getvalue()


def read(data: bytes):
    return read_document(data, "spec.docx", limits=HERE)


def test_docx_heading_numbers_from_style_numbering():
    body = (
        para("Scope", "H1")
        + para("Purpose", "H2")
        + para("Text.")
        + para("Users", "H1")
    )
    body += para("Roles", "H2")

    blocks = read(make_docx(body)).blocks

    assert [b.text for b in blocks] == [
        "1. Scope",
        "1.1 Purpose",
        "Text.",
        "2. Users",
        "2.1 Roles",
    ]
    assert [b.anchor for b in blocks[1:3]] == ["§1.1", "§1.1 ¶1"]


def test_docx_list_numbers_in_letters():
    body = (
        para("Intro", "H1")
        + para("shall log in", num="2")
        + para("shall log out", num="2")
    )

    blocks = read(make_docx(body)).blocks

    assert [(b.kind, b.text) for b in blocks[1:]] == [
        ("list item", "(a) shall log in"),
        ("list item", "(b) shall log out"),
    ]


def test_docx_merged_cells_read_once():
    cell = "<w:tc>{props}<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
    restart = cell.format(
        props='<w:tcPr><w:vMerge w:val="restart"/></w:tcPr>', text="R1"
    )
    cont = "<w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>"
    wide = cell.format(props='<w:tcPr><w:gridSpan w:val="2"/></w:tcPr>', text="Both")
    a, b = cell.format(props="", text="a"), cell.format(props="", text="b")
    table = (
        f"<w:tbl><w:tr>{restart}{a}</w:tr><w:tr>{cont}{b}</w:tr>"
        f"<w:tr>{wide}</w:tr></w:tbl>"
    )

    block = read(make_docx(table)).blocks[0]

    assert block.table.rows == (("R1", "a"), ("", "b"), ("Both", ""))
    assert block.table.row_anchors[2] == "table 1 row 3"


def test_docx_content_controls_hyperlinks_and_text_boxes_read():
    box = (
        "<w:p><w:r><w:drawing><w:txbxContent>"
        + para("Boxed note.")
        + "</w:txbxContent></w:drawing></w:r></w:p>"
    )
    sdt = (
        "<w:sdt><w:sdtContent>" + para("Inside a control.") + "</w:sdtContent></w:sdt>"
    )
    link = "<w:p><w:hyperlink><w:r><w:t>See annex</w:t></w:r></w:hyperlink></w:p>"

    texts = [b.text for b in read(make_docx(sdt + link + box)).blocks]

    assert texts == ["Inside a control.", "See annex", "Boxed note."]


def test_docx_bold_short_paragraph_is_heading():
    body = para("Functional Requirements", bold=True) + para("The system shall print.")

    blocks = read(make_docx(body)).blocks

    assert blocks[0].kind == "heading"
    assert blocks[1].anchor == "§Functional Requirements ¶1"


def test_docx_truncated_is_corrupt():
    data = make_docx(para("Text."))

    with pytest.raises(CorruptDocument, match="damaged or cut short"):
        read(data[: len(data) // 2])


def test_docx_billion_laughs_is_unsafe():
    prolog = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )

    with pytest.raises(UnsafeDocument, match="entities"):
        read(make_docx(para("&lol2;"), prolog))


def test_docx_external_entity_is_unsafe():
    prolog = (
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    )

    with pytest.raises(UnsafeDocument, match="entities"):
        read(make_docx(para("&x;"), prolog))


def test_docx_tables_nested_past_the_parser_limit_are_unsafe():
    cell = para("Deep.")
    for _ in range(90):  # three elements a level: 270 deep
        cell = f"<w:tbl><w:tr><w:tc>{cell}</w:tc></w:tr></w:tbl>"

    with pytest.raises(UnsafeDocument, match="more than 256 levels deep"):
        read(make_docx(cell))
    assert read(make_docx(para("Shallow."))).blocks[0].text == "Shallow."


def _declare_size(data: bytes, part: str, size: int) -> bytes:
    # Rewrite the central directory entry of `part` to claim `size` bytes,
    # as a zip bomb's directory does; nothing is ever inflated.
    name = part.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == name:
            return data[: at + 24] + size.to_bytes(4, "little") + data[at + 28 :]
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(part)


def test_docx_zip_bomb_refused_from_directory():
    data = _declare_size(make_docx(para("Text.")), "word/document.xml", 4_000_000_000)

    with pytest.raises(DocumentTooLarge, match="max_unzipped_bytes"):
        read(data)


def test_docx_part_ratio_past_limit_is_unsafe():
    data = make_docx(para("Text."), word__filler_xml=b"<a/>" + b" " * 5_000_000)

    with pytest.raises(UnsafeDocument, match="zip bomb"):
        read(data)


def _counted_everywhere_body() -> str:
    # Numbers run on through merged cells, text boxes and content controls,
    # and bold lines take their depth from the headings before them.
    merged = (
        '<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr>'
        + para("merged", num="2")
        + "</w:tc><w:tc>"
        + para("x")
        + "</w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>"
        + para("hidden", num="2")
        + "</w:tc><w:tc>"
        + para("beside", num="2")
        + "</w:tc></w:tr></w:tbl>"
    )
    box = (
        "<w:p><w:r><w:t>Figure</w:t><w:drawing><w:txbxContent>"
        + para("boxed", num="2")
        + "</w:txbxContent></w:drawing></w:r></w:p>"
    )
    control = "<w:sdt><w:sdtContent>" + para("controlled", num="2")
    section = (
        para("Scope", "H1")
        + para("first", num="2")
        + merged
        + box
        + para("Overview", bold=True)
        + para("second", num="2")
        + para("Users", "H1")
        + para("Roles", "H2")
        + para("Notes", bold=True)
        + para("More Notes", bold=True)
        + control
        + "</w:sdtContent></w:sdt>"
        + para("The clerk shall print.")
    )
    return section * 3


def _counted_everywhere() -> bytes:
    return make_docx(_counted_everywhere_body())


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_docx_read_in_parts_equals_the_docx_read_whole(parts):
    from ptah_kernel.documents._docx import content_from_parts, read_docx_part
    from tests.conftest import corpus_files

    documents = {path.name: path.read_bytes() for path in corpus_files("docx")}
    documents["counted.docx"] = _counted_everywhere()
    for name, data in documents.items():
        whole = read_document(data, name, limits=HERE)
        pieces = [read_docx_part(data, name, HERE, n, parts) for n in range(parts)]

        assert content_from_parts(pieces, name, HERE) == whole, name


def test_docx_numbers_run_on_through_cells_boxes_and_controls():
    blocks = read(_counted_everywhere()).blocks
    texts = [b.text for b in blocks]

    assert "(r) controlled" in texts  # three sections of six numbered texts
    assert "6.1 Roles" in texts
    assert not any("hidden" in text for text in texts)
    table = next(b for b in blocks if b.kind == "table")
    assert table.table.rows == (("(b) merged", "x"), ("", "(c) beside"))
    depth = {b.text: b.level for b in blocks if b.kind == "heading"}
    assert depth["Overview"] == 2 and depth["More Notes"] == 3


def _shared(body: str) -> bytes:
    # Noise that does not compress takes the file past the size at which
    # the readers share a Word body out.
    from ptah_kernel.documents._worker import DOCX_SHARED_FROM

    noise = random.Random(7).randbytes(DOCX_SHARED_FROM)
    return make_docx(body, word__media__noise_bin=noise)


def test_docx_shared_between_two_readers_reads_as_one_reads_it():
    two = ReaderLimits(reader_processes=2)
    data = _shared(_counted_everywhere_body())

    assert read_document(data, "spec.docx", limits=two) == read(data)


@pytest.mark.parametrize(
    ("body", "error", "words"),
    [
        (para("Text.") + "<w:p>", CorruptDocument, "not well-formed"),
        ("", EmptyDocument, "no text"),
    ],
)
def test_docx_shared_between_two_readers_is_refused_as_one_refuses_it(
    body, error, words
):
    two = ReaderLimits(reader_processes=2)

    with pytest.raises(error, match=words):
        read_document(_shared(body), "spec.docx", limits=two)


def test_docx_share_cut_where_the_tags_fooled_the_count_is_read_whole():
    from ptah_kernel.documents._docx import content_from_parts, read_docx_part

    # Text that looks like an end tag makes the table seem closed too soon.
    fooled = "<w:p><w:r><w:t><![CDATA[</w:tbl>]]></w:t></w:r></w:p>"
    cell = fooled + "".join(para(f"Row text {n}.") for n in range(40))
    table = f"<w:tbl><w:tr><w:tc>{cell}</w:tc></w:tr></w:tbl>"
    data = make_docx(para("Before.") + table + para("After."))

    pieces = [read_docx_part(data, "spec.docx", HERE, n, 2) for n in range(2)]

    assert any(piece["whole"] for piece in pieces)
    assert content_from_parts(pieces, "spec.docx", HERE) == read(data)


def _paragraphs(count: int, word: str = "Line") -> str:
    return "".join(para(f"{word} {n}.", num="2") for n in range(count))


_ROOT = f'<w:document xmlns:w="{W}">'
_TRICKS = {
    "end tag of the body in a trailing comment": (
        f"{_ROOT}<w:body>{_paragraphs(30)}</w:body>"
        f"<!-- {_paragraphs(30, 'Hidden')}</w:body> --></w:document>"
    ),
    "two bodies": (
        f"{_ROOT}<w:body>{_paragraphs(30)}</w:body>"
        f"<w:body>{_paragraphs(30, 'Second')}</w:body></w:document>"
    ),
    "a body of another prefix holding a w:body": (
        f'<ns0:document xmlns:ns0="{W}" xmlns:w="{W}"><ns0:body>'
        f"{_paragraphs(20)}<w:body>{_paragraphs(20, 'Inner')}</w:body>"
        f"{_paragraphs(20, 'After')}</ns0:body></ns0:document>"
    ),
    "UTF-16": (
        f'<?xml version="1.0" encoding="UTF-16"?>{_ROOT}<w:body>'
        f"{_paragraphs(30)}</w:body></w:document>"
    ),
}


@pytest.mark.parametrize("trick", sorted(_TRICKS))
def test_docx_body_in_an_unusual_place_reads_the_same_in_shares(trick):
    from ptah_kernel.documents._docx import content_from_parts, read_docx_part

    encoding = "utf-16" if trick == "UTF-16" else "utf-8"
    data = _docx_with(_TRICKS[trick].encode(encoding))
    whole = read(data)
    for parts in (2, 3, 5):
        pieces = [
            read_docx_part(data, "spec.docx", HERE, n, parts) for n in range(parts)
        ]

        assert content_from_parts(pieces, "spec.docx", HERE) == whole, parts


def test_docx_shares_are_cut_in_documents_word_writes():
    import zipfile as zips

    from ptah_kernel.documents._docx import _body_share
    from tests.conftest import corpus_files

    documents = [
        zips.ZipFile(path).read("word/document.xml") for path in corpus_files("docx")
    ]
    documents.append(
        zips.ZipFile(io.BytesIO(_counted_everywhere())).read("word/document.xml")
    )
    for xml in documents:
        for parts in (2, 3, 7):
            assert all(_body_share(xml, n, parts) for n in range(parts))


def test_docx_long_number_labels_are_refused_in_shares_as_whole():
    # Labels are made after reading: 300 labels of 10,000 characters each.
    from ptah_kernel.documents._worker import DOCX_SHARED_FROM

    long_label = NUMBERING.replace('w:val="(%1)"', f'w:val="{"x" * 10_000} %1"')
    document = f"{_ROOT}<w:body>{_paragraphs(300)}</w:body></w:document>"
    noise = random.Random(7).randbytes(DOCX_SHARED_FROM)
    data = _docx_with(document.encode(), long_label, word__media__noise_bin=noise)
    for processes in (1, 2, 3):
        limits = ReaderLimits(reader_processes=processes, max_characters=2_000_000)

        with pytest.raises(DocumentTooLarge, match="max_characters"):
            read_document(data, "spec.docx", limits=limits)
    assert len(read(data).blocks) == 300


def test_docx_labels_stop_being_made_once_past_max_characters(monkeypatch):
    # Labels are made in the kernel: the first one past the limit stops it,
    # before the rest take the kernel's memory.
    from ptah_kernel.documents import _docx
    from ptah_kernel.documents._docx_numbering import Numbering

    long_label = NUMBERING.replace('w:val="(%1)"', f'w:val="{"x" * 10_000} %1"')
    document = f"{_ROOT}<w:body>{_paragraphs(300)}</w:body></w:document>"
    data = _docx_with(document.encode(), long_label)
    made = []
    label = Numbering.label
    monkeypatch.setattr(
        Numbering, "label", lambda self, *mark: made.append(mark) or label(self, *mark)
    )
    limits = ReaderLimits(max_seconds=0, max_characters=50_000)
    part = _docx.read_docx_part(data, "spec.docx", limits, 0, 1)

    with pytest.raises(DocumentTooLarge, match="max_characters"):
        _docx.content_from_parts([part], "spec.docx", limits)
    assert len(part["marks"]) == 300
    assert len(made) == 5  # 5 labels of 10,000 characters pass 50,000
