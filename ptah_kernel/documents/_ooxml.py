"""Zip containers (DOCX, XLSX) opened with their limits checked first.

The zip directory states every part's inflated size. It is checked before
any part is inflated: the total against `max_unzipped_bytes`, each big
part's ratio against `max_zip_ratio`. A part that inflates past its stated
size is a lie, so reads stop one byte past it. XML is parsed by lxml with
entities left unresolved, no network and no DTD loading, and any part that
declares a DTD is refused: OOXML never needs one, and billion-laughs and
external-entity attacks both live there.
"""

from __future__ import annotations

import io
import logging
import zipfile
import zlib
from typing import Any

from ptah_kernel.documents import _refusals
from ptah_kernel.settings import ReaderLimits

logger = logging.getLogger(__name__)

# What a damaged zip raises while a part inflates.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
)
RATIO_CHECKED_FROM = 1024 * 1024  # small parts compress well and harm no one
HEAD_BYTES = 4096


def open_package(
    data: bytes, filename: str, limits: ReaderLimits, kind: str
) -> zipfile.ZipFile:
    """The zip archive, after its directory passed the size and ratio limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise _refusals.corrupt(
            filename, kind, "its zip directory is unreadable"
        ) from exc

    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    if total > limits.max_unzipped_bytes:
        raise _refusals.too_large(
            filename,
            "The unzipped size in bytes",
            total,
            limits.max_unzipped_bytes,
            "max_unzipped_bytes",
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_CHECKED_FROM and ratio > limits.max_zip_ratio:
            raise _refusals.unsafe(
                filename,
                f"its part {info.filename!r} inflates {ratio:,.0f} times (the "
                f"limit is {limits.max_zip_ratio}), the mark of a zip bomb",
            )
    _refuse_entity_declarations(archive, infos, filename, kind)
    return archive


def _refuse_entity_declarations(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], filename: str, kind: str
) -> None:
    # A DTD sits before the root element, so the head of each XML part is
    # enough; this also covers parts that openpyxl parses on its own.
    for info in infos:
        if not info.filename.endswith((".xml", ".rels", ".vml")):
            continue
        try:
            with archive.open(info) as part:
                head = part.read(HEAD_BYTES)
        except ZIP_ERRORS as exc:
            raise _refusals.corrupt(
                filename, kind, f"the part {info.filename!r} is damaged"
            ) from exc
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise _refusals.unsafe(
                filename, f"its part {info.filename!r} declares XML entities"
            )


def has_part(archive: zipfile.ZipFile, name: str) -> bool:
    """Whether the archive holds a part of this name."""
    try:
        archive.getinfo(name)
    except KeyError:
        return False
    return True


def read_part(archive: zipfile.ZipFile, name: str, filename: str, kind: str) -> bytes:
    """A part's bytes, never more than the directory said it holds."""
    try:
        info = archive.getinfo(name)
        with archive.open(info) as part:
            data = part.read(info.file_size + 1)
    except KeyError as exc:
        raise _refusals.corrupt(
            filename, kind, f"the part {name!r} is missing"
        ) from exc
    except ZIP_ERRORS as exc:
        raise _refusals.corrupt(
            filename, kind, f"the part {name!r} is damaged"
        ) from exc
    if len(data) > info.file_size:
        raise _refusals.unsafe(
            filename, f"its part {name!r} holds more than its zip directory states"
        )
    return data


def parse_xml(data: bytes, filename: str, part: str, kind: str) -> Any:
    """The root element of an XML part, parsed by a hardened lxml parser."""
    from lxml import etree

    if b"<!DOCTYPE" in data[:65536] or b"<!ENTITY" in data[:65536]:
        raise _refusals.unsafe(filename, f"its part {part!r} declares XML entities")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        kinds = {e.type_name: e.message for e in parser.error_log}
        if "ERR_NO_MEMORY" in kinds:
            raise MemoryError(f"parsing the part {part!r}") from exc
        if "ERR_RESOURCE_LIMIT" in kinds:
            raise _refusals.unsafe(filename, _past_limit(part, kinds)) from exc
        raise _refusals.corrupt(
            filename, kind, f"the part {part!r} is not well-formed XML"
        ) from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise _refusals.unsafe(filename, f"its part {part!r} declares XML entities")
    return root


def _past_limit(part: str, kinds: dict[str, str]) -> str:
    # libxml2's safety limits: 256 levels of nesting, 10 MB in one text.
    if "depth" in kinds["ERR_RESOURCE_LIMIT"]:
        return f"its part {part!r} nests elements more than 256 levels deep"
    return f"its part {part!r} holds a single text of more than 10 MB"


def part_xml(archive: zipfile.ZipFile, name: str, filename: str, kind: str) -> Any:
    """Read and parse one XML part."""
    return parse_xml(read_part(archive, name, filename, kind), filename, name, kind)


def relationship_targets(
    archive: zipfile.ZipFile, source: str, filename: str, kind: str
) -> dict[str, str]:
    """Relationship type (last path segment) to the part name it points at."""
    folder, _, base = source.rpartition("/")
    rels_name = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
    if not has_part(archive, rels_name):
        return {}
    root = part_xml(archive, rels_name, filename, kind)
    targets: dict[str, str] = {}
    for rel in root:
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        kind_name = rel.get("Type", "").rsplit("/", 1)[-1]
        targets.setdefault(kind_name, _resolve(folder, target))
    return targets


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    parts = [p for p in folder.split("/") if p] if folder else []
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def core_properties(
    archive: zipfile.ZipFile, filename: str, kind: str
) -> dict[str, str]:
    """Title, creator and the like from `docProps/core.xml`, when present."""
    if not has_part(archive, "docProps/core.xml"):
        return {}
    root = part_xml(archive, "docProps/core.xml", filename, kind)
    found = {}
    for element in root:
        if not isinstance(element.tag, str):
            continue
        name = element.tag.rsplit("}", 1)[-1]
        if element.text and element.text.strip():
            found[name] = element.text.strip()
    return found
