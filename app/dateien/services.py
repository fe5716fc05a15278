"""Upload validation and storage shared by every feature; downloads always as attachment.

Public interface (used by Sitzungen and Protokolle):

- ``store_upload(file_storage, allowed_types=DOKUMENTE, uploaded_by=None) -> Datei``: checks
  name, size and type (by content, magic bytes), the content (``inspection``: no programs, PDFs
  that parse without HTML or script, Office zips without bombs or macros), stores the bytes
  under a random name in
  ``UPLOAD_DIR`` (default ``instance/uploads``) and flushes the row; raises ``UploadError``
  with a German message and ``status_code`` 400 or 413. The file is removed again when the
  transaction rolls back.
- ``send_datei(datei) -> Response``: the download (attachment, nosniff, sandbox CSP); call it
  only after the feature's own permission check.
- ``read_datei(datei) -> bytes``, ``delete_datei(datei)``, ``detect_type(path)``,
  content-type constants and ``DOKUMENTE`` / ``BILDER`` / ``LABELS``.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, send_file
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.core.after_commit import after_commit
from app.core.boundary import remove_bidi
from app.dateien import inspection, volltext
from app.dateien.errors import UploadError
from app.dateien.models import Datei
from app.extensions import db

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
PNG = "image/png"
JPEG = "image/jpeg"

LABELS = {
    PDF: "PDF",
    DOCX: "Word (DOCX)",
    XLSX: "Excel (XLSX)",
    ODT: "OpenDocument-Text (ODT)",
    ODS: "OpenDocument-Tabelle (ODS)",
    PNG: "PNG-Bild",
    JPEG: "JPEG-Bild",
}
EXTENSIONS = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    ODT: (".odt",),
    ODS: (".ods",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
}
DOKUMENTE = frozenset({PDF, DOCX, XLSX, ODT, ODS, PNG, JPEG})
BILDER = frozenset({PNG, JPEG})

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_CHUNK = 64 * 1024
_STORED_NAME = re.compile(r"^[0-9a-f]{64}$")
_PENDING_KEY = "dateien_neu"


def upload_dir() -> Path:
    """Where files live: ``UPLOAD_DIR`` or ``instance/uploads``, never below ``static``."""
    configured = current_app.config.get("UPLOAD_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_bytes() -> int:
    """The size limit per file (``DATEI_MAX_BYTES``)."""
    return int(current_app.config.get("DATEI_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_name(filename: str | None) -> str:
    """The original name as shown later; path parts and control characters are refused."""
    name = unicodedata.normalize("NFC", remove_bidi(filename or "").strip())
    if not name:
        raise UploadError("Bitte wählen Sie eine Datei aus.")
    unsafe = (
        "/" in name
        or "\\" in name
        or name.startswith(".")
        or ":" in name
        or any(ord(c) < 32 or ord(c) == 127 for c in name)
        or len(name) > 255
    )
    if unsafe:
        raise UploadError(
            "Der Dateiname ist nicht zulässig (keine Pfadangaben, Doppelpunkte oder Steuerzeichen, "
            "höchstens 255 Zeichen). Bitte benennen Sie die Datei um."
        )
    return name


def _zip_type(path: Path) -> str | None:
    """OpenDocument names its type in ``mimetype``; Office Open XML by its main part."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    declared = part.read(100).decode("ascii", "replace").strip()
                return declared if declared in (ODT, ODS) else None
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return DOCX
                if "xl/workbook.xml" in names:
                    return XLSX
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError):
        return None
    return None


def detect_type(path: Path) -> str | None:
    """The content type from the file's first bytes (and zip structure); None when unknown."""
    with path.open("rb") as fh:
        head = fh.read(16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(path)
    return None


def _write_stream(stream: Any, target: Path, limit: int) -> tuple[int, str]:
    """Copy the upload to ``target`` while counting and hashing; stops past ``limit``."""
    digest = hashlib.sha256()
    size = 0
    with target.open("xb") as out:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise UploadError(
                    "Die Datei ist zu groß. Erlaubt sind höchstens "
                    f"{limit // (1024 * 1024) or 1} MB.",
                    413,
                )
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def _allowed_text(allowed_types: frozenset[str] | set[str]) -> str:
    return ", ".join(sorted(LABELS.get(t, t) for t in allowed_types))


def _checked_type(path: Path, allowed_types: frozenset[str] | set[str]) -> str:
    content_type = detect_type(path)
    if content_type is None or content_type not in allowed_types:
        raise UploadError(
            "Der Inhalt der Datei entspricht keinem erlaubten Dateityp "
            f"(erlaubt: {_allowed_text(allowed_types)}). "
            "Maßgeblich ist der Inhalt, nicht die Endung."
        )
    return content_type


def inspect_content(path: Path, content_type: str) -> None:
    """What the type check cannot see: programs, active PDF content, zip bombs, macros."""
    inspection.refuse_executable(path)
    if content_type == PDF:
        inspection.check_pdf(path)
    elif content_type in (DOCX, XLSX, ODT, ODS):
        inspection.check_office_zip(path)


def store_upload(
    file_storage: Any,
    allowed_types: frozenset[str] | set[str] = DOKUMENTE,
    *,
    uploaded_by: Any = None,
) -> Datei:
    """Validate and store one upload; the row is flushed, the file removed again on rollback."""
    name = check_name(getattr(file_storage, "filename", None))
    directory = upload_dir()
    stored_name = secrets.token_hex(32)
    partial = directory / f"{stored_name}.part"
    try:
        size, sha256 = _write_stream(file_storage.stream, partial, max_bytes())
        if size == 0:
            raise UploadError("Die Datei ist leer.")
        content_type = _checked_type(partial, allowed_types)
        inspect_content(partial, content_type)
        text = volltext.text_aus(partial, content_type) if volltext.lesbar(content_type) else None
        if text is None and volltext.lesbar(content_type):
            text = ""  # read, nothing found: not tried again by ``nachtragen``
        partial.rename(directory / stored_name)
    finally:
        partial.unlink(missing_ok=True)
    datei = Datei(
        original_name=name,
        stored_name=stored_name,
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by_id=_uploader_id(uploaded_by),
        volltext=text,
    )
    db.session.add(datei)
    db.session.flush()
    db.session().info.setdefault(_PENDING_KEY, []).append(directory / stored_name)
    return datei


def _uploader_id(uploaded_by: Any) -> int | None:
    if uploaded_by is not None:
        return uploaded_by.id
    with contextlib.suppress(RuntimeError, AttributeError):
        if current_user and current_user.is_authenticated:
            return current_user.id
    return None


def file_path(datei: Datei) -> Path:
    """The stored file of ``datei``; the stored name is checked before it becomes a path."""
    if not _STORED_NAME.match(datei.stored_name):
        abort(404)
    return upload_dir() / datei.stored_name


def read_datei(datei: Datei) -> bytes:
    """The content, e.g. to attach it to a mail."""
    return file_path(datei).read_bytes()


def download_name(datei: Datei) -> str:
    """The original name, with the extension of the real type when the name claims another."""
    extensions = EXTENSIONS.get(datei.content_type, ())
    if not extensions or datei.original_name.lower().endswith(extensions):
        return datei.original_name
    return datei.original_name + extensions[0]


def send_datei(datei: Datei, as_attachment: bool = True) -> Response:
    """Serve ``datei`` as a download (or inline, sandboxed) that no browser sniffs."""
    path = file_path(datei)
    if not path.is_file():
        abort(404)
    response = send_file(
        path,
        mimetype=datei.content_type,
        as_attachment=as_attachment,
        download_name=download_name(datei),
        max_age=0,
        etag=datei.sha256,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def delete_datei(datei: Datei) -> None:
    """Delete the row now and the file once the deletion is committed."""
    path = file_path(datei)
    db.session.delete(datei)
    after_commit(lambda: path.unlink(missing_ok=True))


@event.listens_for(Session, "after_commit")
def _keep_new_files(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


@event.listens_for(Session, "after_rollback")
def _remove_new_files(session: Session) -> None:
    """A rolled-back upload leaves no orphaned file behind."""
    for path in session.info.pop(_PENDING_KEY, []):
        path.unlink(missing_ok=True)
