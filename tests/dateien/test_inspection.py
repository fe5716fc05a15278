"""Content checks of uploads: programs, active PDFs, zip bombs, macros, bidi names."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from werkzeug.datastructures import FileStorage

from app.dateien import inspection
from app.dateien.services import UploadError, store_upload
from tests.dateien.conftest import DOCX, PDF

DOS_STUB = b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode.\r\r\n$"


def _file(data: bytes, name: str) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name, content_type="application/octet-stream")


def _refused(data: bytes, name: str, message: str, upload_dir) -> None:
    with pytest.raises(UploadError) as info:
        store_upload(_file(data, name))
    assert message in str(info.value)
    assert info.value.status_code == 400
    assert list(upload_dir.iterdir()) == []  # nothing left behind


def _pdf_with_javascript() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=100, height=100)
    writer.add_open_action(JavaScript("app.alert('x');"))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_real_pdf_is_accepted(ctx) -> None:
    assert store_upload(_file(PDF, "protokoll.pdf")).content_type == "application/pdf"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PDF + b"<html><body><script>alert(1)</script></body></html>", inspection.PDF_ACTIVE),
        (b"%PDF-1.4\n<!DOCTYPE html><p>kein PDF</p>", inspection.PDF_ACTIVE),
        (_pdf_with_javascript(), inspection.PDF_ACTIVE),
        (b"%PDF-1.7\nirgendwas, aber kein PDF\n%%EOF\n", inspection.PDF_UNREADABLE),
        (b"%PDF-1.4\n" + DOS_STUB, inspection.EXECUTABLE),
    ],
    ids=["html-polyglott", "html-mit-pdf-kopf", "javascript", "unlesbar", "exe-mit-pdf-kopf"],
)
def test_pdfs_that_hide_something_are_refused(ctx, upload_dir, data, message) -> None:
    _refused(data, "bericht.pdf", message, upload_dir)


def test_docx_bomb_is_refused_by_ratio_and_size(ctx, upload_dir) -> None:
    """Former acceptance: a 204 KB .docx unpacking to 200 MiB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        with archive.open("word/media/bild.png", "w", force_zip64=True) as part:
            for _ in range(200):
                part.write(b"\0" * (1024 * 1024))
    bomb = buffer.getvalue()
    assert len(bomb) < 400 * 1024
    _refused(bomb, "vorlage.docx", "ungewöhnlich stark komprimiert", upload_dir)


def test_unpacked_size_is_bounded_even_at_a_plausible_ratio(app, ctx, upload_dir, monkeypatch):
    monkeypatch.setitem(app.config, "DATEI_ZIP_MAX_BYTES", 64 * 1024)
    import os

    big = _zip(
        {"[Content_Types].xml": b"<Types/>", "word/document.xml": os.urandom(100 * 1024)},
        zipfile.ZIP_STORED,
    )
    _refused(big, "vorlage.docx", "mehr als 0 MB", upload_dir)


def test_too_many_entries_are_refused(app, ctx, upload_dir, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "DATEI_ZIP_MAX_EINTRAEGE", 10)
    entries = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
    entries.update({f"word/teil{i}.xml": b"<x/>" for i in range(10)})
    _refused(_zip(entries), "vorlage.docx", "mehr als 10 Teilen", upload_dir)


@pytest.mark.parametrize(
    "extra",
    [{"word/vbaProject.bin": b"makro"}, {"word/programm.exe": b"x"}, {"word/bild.png": DOS_STUB}],
    ids=["makro", "exe-name", "exe-inhalt"],
)
def test_office_files_with_macros_or_programs_are_refused(ctx, upload_dir, extra) -> None:
    data = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>", **extra})
    _refused(data, "vorlage.docx", inspection.ZIP_MACROS, upload_dir)


def test_plain_office_file_still_passes(ctx) -> None:
    assert store_upload(_file(DOCX, "vorlage.docx")).size == len(DOCX)


def test_bidi_controls_leave_the_file_name(ctx) -> None:
    """Former acceptance: 'rechnung<RLO>fdp.exe' shows as 'rechnungexe.pdf'."""
    datei = store_upload(_file(PDF, "rechnung\u202efdp.pdf"))
    assert datei.original_name == "rechnungfdp.pdf"
    datei = store_upload(_file(PDF, "\u2067protokoll\u2069.pdf"))
    assert datei.original_name == "protokoll.pdf"
