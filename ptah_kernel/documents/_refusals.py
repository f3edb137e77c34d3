"""The sentences readers use to refuse a file, composed in one place.

Each function returns the exception to raise; the caller adds `from exc`
where a library error lies underneath.
"""

from __future__ import annotations

from ptah_kernel.errors import (
    CorruptDocument,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    ReadTimeout,
    UnsafeDocument,
    UnsupportedFormat,
)

READ_FORMATS = "PDF, DOCX, XLSX, Markdown (.md) and plain text (.txt)"


def too_large(
    filename: str, what: str, value: int, limit: int, setting: str
) -> Exception:
    """A limit was passed: name the limit, the value and the setting to raise."""
    return DocumentTooLarge(
        filename,
        f"{what} is {value:,}; the limit is {limit:,}. Raise "
        f"`c.Ptah.{setting} = ...` in jupyter_config.py to read it.",
    )


def empty(filename: str, format: str) -> Exception:
    """A file with no bytes (`format` empty), or one that holds no text."""
    if not format:
        reason = "the file is empty (0 bytes); add it again once it holds the document."
    elif format == "pdf":
        reason = (
            "the PDF holds no text (it is probably a scan); run OCR on it, "
            "for example with `ocrmypdf`, and add the result."
        )
    else:
        reason = "the file holds no text; check that it is the document you meant."
    return EmptyDocument(filename, reason)


def corrupt(filename: str, kind: str, detail: str = "") -> Exception:
    """A truncated or malformed file of a known kind."""
    detail = f" ({detail})" if detail else ""
    return CorruptDocument(
        filename,
        f"the {kind} file is damaged or cut short{detail}; open it in the program "
        "that made it and save it again, or fetch a fresh copy.",
    )


def unsafe(filename: str, why: str) -> Exception:
    """A file built to exhaust memory or to reach outside itself."""
    return UnsafeDocument(
        filename,
        f"{why}, which Ptah refuses to read; ask the author for a plain copy "
        "saved straight from Word, Excel or a PDF printer.",
    )


def encrypted(filename: str, password_given: bool) -> Exception:
    """A PDF whose user password is not empty (the password is never shown)."""
    if password_given:
        return EncryptedDocument(
            filename,
            "the password given does not open this PDF; check it and give the "
            "right one (`password=` in Python, --ask-password with ptah analyze).",
        )
    return EncryptedDocument(
        filename,
        "the PDF is protected by a password; give it to read the file "
        "(`password=` in Python, --ask-password with ptah analyze).",
    )


def timed_out(filename: str, seconds: float) -> Exception:
    """Extraction ran past `max_seconds`."""
    return ReadTimeout(
        filename,
        f"reading took longer than the limit of {seconds:g} seconds and was "
        f"stopped. {_raise_if_big('max_seconds')}",
    )


def too_long(filename: str, count: int, limit: int) -> Exception:
    """The document's text runs past `max_characters`."""
    return too_large(
        filename, "The text's length in characters", count, limit, "max_characters"
    )


def out_of_memory(filename: str, limit: int) -> Exception:
    """Reading needed more memory than one reader process may hold."""
    return DocumentTooLarge(
        filename,
        f"reading it needed more memory than the limit of {_size(limit)}. "
        f"{_raise_if_big('max_reader_memory')}",
    )


def crashed(filename: str, limit: int) -> Exception:
    """The reader process died of the file: damaged data, or out of memory."""
    if limit <= 0:
        return corrupt(filename, "document", "the reader crashed on it")
    return CorruptDocument(
        filename,
        "the reader crashed on it: the file is damaged, or asks for more memory "
        f"than the limit of {_size(limit)}. Open it in the program that made it "
        f"and save it again. {_raise_if_big('max_reader_memory')}",
    )


def _raise_if_big(setting: str) -> str:
    return (
        f"Raise `c.Ptah.{setting} = ...` in jupyter_config.py if the file is "
        "simply big."
    )


def _size(count: int) -> str:
    if count >= 1024**3 and count % 1024**3 == 0:
        return f"{count // 1024**3} GiB"
    return f"{count / 1024**2:,.0f} MiB"


def unsupported(filename: str, kind: str) -> Exception:
    """A format Ptah does not read, with what to convert it to."""
    advice = {
        "doc": "it is a legacy Word .doc file; open it in Word and save it as "
        ".docx (File > Save As > Word Document), or export it as PDF.",
        "xls": "it is a legacy Excel .xls file; open it in Excel and save it "
        "as .xlsx (File > Save As > Excel Workbook).",
        "ole": "it is a legacy Office file (.doc, .xls or .ppt); save it from "
        "Office as .docx or .xlsx, or export it as PDF.",
        "rtf": "it is an RTF file; open it in Word or LibreOffice and save it "
        "as .docx, or export it as PDF.",
        "html": "it is an HTML page; print it to PDF from a browser, or save "
        "it as Markdown.",
        "zip": "it is a zip archive that is neither a Word (.docx) nor an "
        "Excel (.xlsx) file; unpack it and add the documents inside.",
        "pptx": "it is a PowerPoint file; export it as PDF.",
        "odf": "it is an OpenDocument file; save it as .docx or .xlsx, or "
        "export it as PDF.",
    }.get(kind)
    if advice is None:
        advice = (
            f"its contents are not a format Ptah reads ({READ_FORMATS}); "
            "convert it to PDF or DOCX."
        )
    return UnsupportedFormat(filename, advice)
