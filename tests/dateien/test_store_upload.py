"""The shared upload validation: type by content, size, names, storage and download."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from app.dateien import services
from app.dateien.models import Datei
from app.dateien.services import UploadError, send_datei, store_upload
from app.extensions import db
from config import BASE_DIR
from tests.dateien.conftest import DOCX, HTML_AS_PDF, JPEG, ODT, PDF, PLAIN_ZIP, PNG, XLSX


def _file(data: bytes, name: str = "dokument.pdf") -> FileStorage:
    return FileStorage(
        stream=io.BytesIO(data), filename=name, content_type="application/octet-stream"
    )


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (PDF, "einladung.pdf", services.PDF),
        (DOCX, "vorlage.docx", services.DOCX),
        (ODT, "vorlage.odt", services.ODT),
        (XLSX, "zahlen.xlsx", services.XLSX),
        (PNG, "karte.png", services.PNG),
        (JPEG, "foto.jpg", services.JPEG),
    ],
)
def test_allowed_types_are_recognised_by_content(ctx, upload_dir, data, name, content_type) -> None:
    datei = store_upload(_file(data, name))
    assert (datei.content_type, datei.original_name, datei.size) == (content_type, name, len(data))
    assert datei.sha256 == hashlib.sha256(data).hexdigest()
    stored = upload_dir / datei.stored_name
    assert stored.read_bytes() == data
    assert len(datei.stored_name) == 64 and name not in datei.stored_name


def test_type_follows_content_not_extension(ctx) -> None:
    datei = store_upload(_file(PDF, "scan.docx"))
    assert datei.content_type == services.PDF
    assert services.download_name(datei) == "scan.docx.pdf"


@pytest.mark.parametrize(
    ("data", "name"),
    [(HTML_AS_PDF, "bericht.pdf"), (PLAIN_ZIP, "archiv.docx"), (b"MZ\x90\x00", "programm.pdf")],
)
def test_disguised_content_is_refused_in_german(ctx, upload_dir, data, name) -> None:
    with pytest.raises(UploadError, match="entspricht keinem erlaubten Dateityp") as info:
        store_upload(_file(data, name))
    assert info.value.status_code == 400
    assert list(upload_dir.iterdir()) == []


def test_allowed_types_can_be_narrowed(ctx) -> None:
    with pytest.raises(UploadError, match=r"erlaubt: PDF\)"):
        store_upload(_file(PNG, "bild.png"), {services.PDF})


def test_empty_file_is_refused(ctx, upload_dir) -> None:
    with pytest.raises(UploadError, match="Die Datei ist leer"):
        store_upload(_file(b"", "leer.pdf"))
    assert list(upload_dir.iterdir()) == []


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\boot.pdf",
        "/etc/cron.pdf",
        ".htaccess",
        "a\x00b.pdf",
        "C:datei.pdf",
    ],
)
def test_path_traversal_and_odd_names_are_refused(ctx, name) -> None:
    with pytest.raises(UploadError, match="Dateiname ist nicht zulässig"):
        store_upload(_file(PDF, name))


def test_missing_file_name_asks_for_a_file(ctx) -> None:
    with pytest.raises(UploadError, match="Bitte wählen Sie eine Datei aus"):
        store_upload(_file(PDF, ""))


def test_oversized_file_is_413_and_leaves_nothing(app, ctx, upload_dir, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "DATEI_MAX_BYTES", 1024)
    with pytest.raises(UploadError, match=r"zu groß\. Erlaubt sind höchstens 1 MB") as info:
        store_upload(_file(PDF + b"0" * 2000, "gross.pdf"))
    assert info.value.status_code == 413
    assert list(upload_dir.iterdir()) == []
    assert store_upload(_file(PDF, "klein.pdf")).size == len(PDF)


def test_storage_is_outside_the_web_root_by_default(app, ctx, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "UPLOAD_DIR", None)
    directory = services.upload_dir()
    assert directory == Path(app.instance_path) / "uploads"
    assert BASE_DIR / "static" not in directory.parents


def test_rolled_back_upload_leaves_no_file(ctx, upload_dir) -> None:
    datei = store_upload(_file(PDF))
    path = upload_dir / datei.stored_name
    assert path.exists()
    db.session.rollback()
    assert not path.exists()


def test_committed_upload_keeps_its_file_and_uploader(ctx, upload_dir, make) -> None:
    person = make.user()
    datei = store_upload(_file(PDF), uploaded_by=person)
    db.session.commit()
    stored = db.session.get(Datei, datei.id)
    assert stored.uploaded_by_id == person.id and stored.uploaded_at is not None
    assert (upload_dir / datei.stored_name).exists()


def test_download_is_an_attachment_that_is_never_sniffed(ctx) -> None:
    datei = store_upload(_file(PDF, "Tagesordnung März.pdf"))
    response = send_datei(datei)
    response.direct_passthrough = False
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Tagesordnung" in response.headers["Content-Disposition"]
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.get_data() == PDF
    response.close()


def test_deleted_datei_loses_its_file_after_commit(ctx, upload_dir) -> None:
    datei = store_upload(_file(PDF))
    db.session.commit()
    path = upload_dir / datei.stored_name
    services.delete_datei(datei)
    assert path.exists()
    db.session.commit()
    assert not path.exists()
