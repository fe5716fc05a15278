"""The text of uploaded documents for the search: PDF and DOCX at upload, older files later."""

from __future__ import annotations

import io
import zipfile

import pytest
from werkzeug.datastructures import FileStorage

from app.core.pdf import html_to_pdf
from app.dateien.nachtrag import nachtragen
from app.dateien.services import DOKUMENTE, store_upload
from app.extensions import db

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))


def _docx(*absaetze: str) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{a}</w:t></w:r></w:p>" for a in absaetze)
    xml = f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", xml.encode("utf-8"))
    return buffer.getvalue()


def _upload(data: bytes, name: str):
    return store_upload(FileStorage(io.BytesIO(data), filename=name), DOKUMENTE)


def test_pdf_and_docx_text_is_read_at_upload(ctx) -> None:
    pdf = _upload(html_to_pdf("<p>Quartiersküche im Süden</p>"), "protokoll.pdf")
    docx = _upload(_docx("Erster Absatz", "Spielplätze im Norden"), "protokoll.docx")
    assert "Quartiersküche im Süden" in pdf.volltext
    assert docx.volltext == "Erster Absatz\nSpielplätze im Norden"


def test_older_documents_get_their_text_later(app, ctx) -> None:
    datei = _upload(_docx("Nachgetragener Text"), "alt.docx")
    datei.volltext = None  # as uploaded before the search existed
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["volltext-nachtragen"])
    assert result.exit_code == 0 and "Text von 1 Dokument(en) gelesen." in result.output
    assert db.session.get(type(datei), datei.id).volltext == "Nachgetragener Text"
    assert nachtragen() == 0  # nothing left, also not the ones without text
