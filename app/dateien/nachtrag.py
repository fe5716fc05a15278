"""Text for documents uploaded before the search existed (``flask volltext-nachtragen``)."""

from __future__ import annotations

from sqlalchemy import select

from app.dateien.models import Datei
from app.dateien.services import file_path
from app.dateien.volltext import DOCX, ODT, PDF, text_aus
from app.extensions import db


def nachtragen(limit: int = 50) -> int:
    """Read the text of up to ``limit`` stored documents that have none yet; an unreadable one
    gets "" so it is not tried again. The caller commits."""
    dateien = db.session.scalars(
        select(Datei)
        .where(Datei.volltext.is_(None), Datei.content_type.in_([PDF, DOCX, ODT]))
        .order_by(Datei.id)
        .limit(limit)
    ).all()
    for datei in dateien:
        pfad = file_path(datei)
        datei.volltext = (text_aus(pfad, datei.content_type) if pfad.is_file() else None) or ""
    return len(dateien)
