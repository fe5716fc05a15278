"""Uploads go to a temporary directory per test; sample files of every allowed type."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.support.dateien import MINIMAL_PDF

PDF = MINIMAL_PDF
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40 + b"\xff\xd9"
HTML_AS_PDF = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
PLAIN_ZIP = _zip({"readme.txt": b"nur ein Archiv"})


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test stores its uploads in its own directory."""
    target = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(target))
    return target
