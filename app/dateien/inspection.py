"""Content checks after the type is known: what a file must not hide.

- Executables are refused by signature, at the start and embedded (a PDF header in front of a
  Windows program does not make it a document).
- A PDF must parse with pypdf and may contain neither HTML markup nor script (JavaScript or
  launch actions), so no browser or viewer runs anything from it.
- Office files (OOXML, OpenDocument) are zips: the number of entries, the total unpacked size
  and the compression ratio are bounded (measured while unpacking, not trusted from the
  headers); macros and programs inside are refused.

Every refusal raises ``UploadError`` with a German message.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from flask import current_app

from app.dateien.errors import UploadError

_CHUNK = 1024 * 1024
_OVERLAP = 64
EXECUTABLE_HEADS = (
    b"MZ",  # Windows PE/DOS
    b"\x7fELF",  # Linux
    b"\xfe\xed\xfa\xce",  # Mach-O 32
    b"\xfe\xed\xfa\xcf",  # Mach-O 64
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # scripts
)
_EMBEDDED_PROGRAM = re.compile(
    rb"This program (cannot be run in DOS mode|must be run under Win32)|\x7fELF[\x01\x02]"
)
_HTML = re.compile(rb"<\s*(html|script|body|iframe|svg|object|embed)\b|<!doctype\s+html", re.I)
_PDF_SCRIPT = re.compile(rb"/(JavaScript|JS|Launch)(?![A-Za-z0-9])")
_ZIP_PROGRAMS = re.compile(
    r"(\.(exe|dll|com|scr|bat|cmd|ps1|vbs|js|jar|msi|sh)$|vbaProject\.bin$|^(Basic|Scripts)/)",
    re.I,
)

EXECUTABLE = (
    "Ausführbare Dateien (Programme, Skripte) können nicht hochgeladen werden, "
    "auch nicht unter anderem Namen."
)
PDF_UNREADABLE = "Die Datei ist kein lesbares PDF-Dokument. Bitte speichern Sie sie erneut als PDF."
PDF_ACTIVE = (
    "Das PDF enthält Skripte oder HTML-Inhalte und wird deshalb nicht angenommen. "
    "Bitte drucken Sie es als neues PDF (z. B. „Als PDF speichern“)."
)
ZIP_MACROS = "Die Datei enthält Makros oder Programme und wird deshalb nicht angenommen."


def refuse_executable(path: Path) -> None:
    """Programs by their first bytes or by an embedded program header anywhere."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(EXECUTABLE_HEADS) or _scan(path, _EMBEDDED_PROGRAM):
        raise UploadError(EXECUTABLE)


def check_pdf(path: Path) -> None:
    """The PDF parses and carries no HTML, script or launch action."""
    if _scan(path, _HTML) or _scan(path, _PDF_SCRIPT):
        raise UploadError(PDF_ACTIVE)
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path, strict=False)
        if len(reader.pages) < 1:
            raise UploadError(PDF_UNREADABLE)
        if _active_catalog(reader):
            raise UploadError(PDF_ACTIVE)
    except UploadError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OSError):
        raise UploadError(PDF_UNREADABLE) from None


def _active_catalog(reader) -> bool:
    """Document-level actions and JavaScript name trees (also when names are #-escaped)."""
    root = reader.trailer.get("/Root")
    root = root.get_object() if root is not None else {}
    if "/OpenAction" in root or "/AA" in root:
        action = root.get("/OpenAction")
        action = action.get_object() if action is not None else None
        if "/AA" in root or (hasattr(action, "get") and action.get("/S") != "/GoTo"):
            return True
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    return "/JavaScript" in names or "/EmbeddedFiles" in names


def check_office_zip(path: Path) -> None:
    """Bounded entries, unpacked size and ratio; no macros or programs inside."""
    config = current_app.config
    max_entries = int(config.get("DATEI_ZIP_MAX_EINTRAEGE", 1000))
    max_bytes = int(config.get("DATEI_ZIP_MAX_BYTES", 100 * 1024 * 1024))
    max_ratio = int(config.get("DATEI_ZIP_MAX_VERHAELTNIS", 100))
    packed = max(path.stat().st_size, 1)
    too_big = UploadError(
        "Die Datei entpackt sich auf mehr als "
        f"{max_bytes // (1024 * 1024)} MB oder ist ungewöhnlich stark komprimiert "
        "und wird deshalb nicht angenommen."
    )
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > max_entries:
                raise UploadError(
                    f"Die Datei besteht aus mehr als {max_entries} Teilen und wird deshalb "
                    "nicht angenommen."
                )
            if any(_ZIP_PROGRAMS.search(e.filename) for e in entries):
                raise UploadError(ZIP_MACROS)
            declared = sum(e.file_size for e in entries)
            if declared > max_bytes or declared / packed > max_ratio:
                raise too_big
            _unpack_bounded(archive, entries, min(max_bytes, packed * max_ratio), too_big)
    except UploadError:
        raise
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        raise UploadError("Die Datei ist beschädigt oder verschlüsselt.") from None


def _unpack_bounded(archive: zipfile.ZipFile, entries, limit: int, error: UploadError) -> None:
    """Count real unpacked bytes (headers can lie) and stop at ``limit``; look for programs."""
    total = 0
    for entry in entries:
        with archive.open(entry) as part:
            head = part.read(8)
            if head.startswith(EXECUTABLE_HEADS[:7]):
                raise UploadError(ZIP_MACROS)
            total += len(head)
            while chunk := part.read(_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise error


def _scan(path: Path, pattern: re.Pattern[bytes]) -> bool:
    """Search the whole file in chunks (with overlap, so no match is cut in two)."""
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            if pattern.search(tail + chunk):
                return True
            tail = chunk[-_OVERLAP:]
    return False
