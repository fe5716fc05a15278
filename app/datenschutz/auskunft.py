"""What is stored about a person, as one JSON document, CSV copies and their uploaded files.

Found generically: every row of every model with a foreign key to the account (so a new
model with a ``user_id`` is included without changes here), plus the organisation's answers
the person edited or submitted, the outbox mails to their address and the audit entries
about them. Secret columns (tokens, password hashes, as the audit log knows them) never
leave the database.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import inspect, or_, select

from app.audit import erfassung
from app.audit.models import AuditEintrag
from app.audit.services import about_person
from app.auth.models import User
from app.core.types import utcnow
from app.extensions import db

EXPORT_DIR = "datenauskunft"
AUSGELASSEN = frozenset({"password_hash", "link_nonce"})


def export_dir() -> Path:
    """Where finished ZIPs wait for their download (outside the web root)."""
    path = Path(current_app.instance_path) / EXPORT_DIR
    path.mkdir(parents=True, exist_ok=True)
    return path


def _row(obj: Any) -> dict[str, Any]:
    """A row as plain JSON values, without secret columns."""
    cfg = erfassung.model_config(type(obj))
    state = inspect(obj)
    return {
        prop.key: erfassung.plain(state.dict.get(prop.key, getattr(obj, prop.key)))
        for prop in cfg.columns
        if prop.key not in cfg.secret and prop.key not in AUSGELASSEN
    }


def _user_columns() -> list[tuple[type, list[Any]]]:
    """Every model with columns pointing to ``user.id``, and those columns."""
    found = []
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        if cls is User or cls is AuditEintrag:
            continue
        columns = [
            c
            for c in mapper.local_table.columns
            if any(fk.column.table.name == "user" for fk in c.foreign_keys)
        ]
        if columns:
            found.append((cls, columns))
    return sorted(found, key=lambda item: item[0].__name__)


def collect(user: User) -> dict[str, Any]:
    """Everything stored about ``user``, by section (model name)."""
    daten: dict[str, Any] = {
        "erstellt_am": utcnow().isoformat(),
        "hinweis": (
            "Auskunft nach Art. 15 und Datenübertragbarkeit nach Art. 20 DSGVO: alle Daten, "
            "die die Plattform über Ihr Konto speichert."
        ),
        "Konto": [_row(user)],
    }
    if user.organisation is not None:
        daten["Organisation"] = [_row(user.organisation)]
    for cls, columns in _user_columns():
        rows = db.session.scalars(
            select(cls)
            .where(or_(*(c == user.id for c in columns)))
            .order_by(*inspect(cls).primary_key)
        ).all()
        if rows:
            daten[cls.__name__] = [_row(r) for r in rows]
    daten["Antworten"] = _antworten(user)
    daten["Mail"] = _mails(user)
    daten["Änderungsprotokoll"] = [_row(e) for e in db.session.scalars(about_person(user.id))]
    return {k: v for k, v in daten.items() if v}


def _antworten(user: User) -> list[dict[str, Any]]:
    """The answers of the Rückmeldungen the person edited or submitted, question by question."""
    from app.beteiligung.models import Rueckmeldung, RueckmeldungAntwort

    rows = db.session.scalars(
        select(RueckmeldungAntwort)
        .join(Rueckmeldung, Rueckmeldung.id == RueckmeldungAntwort.rueckmeldung_id)
        .where(
            or_(
                Rueckmeldung.bearbeitet_von_id == user.id,
                Rueckmeldung.eingereicht_von_id == user.id,
            )
        )
        .order_by(RueckmeldungAntwort.id)
    ).all()
    return [
        {
            "rueckmeldung_id": a.rueckmeldung_id,
            "bogen": a.rueckmeldung.bogen.titel,
            "organisation": a.rueckmeldung.organisation.name,
            "frage": a.frage.text,
            "sozialraum": a.sozialraum.name if a.sozialraum else None,
            "antwort": erfassung.plain(a.wert),
        }
        for a in rows
    ]


def _mails(user: User) -> list[dict[str, Any]]:
    """Mails to the person's address (what was sent when; bodies hold personal links)."""
    from app.mail.models import Mail

    rows = db.session.scalars(
        select(Mail).where(Mail.recipient == user.email).order_by(Mail.id)
    ).all()
    return [
        {
            "betreff": m.subject,
            "art": m.kind,
            "status": m.status.value,
            "angelegt": erfassung.plain(m.created_at),
            "versendet": erfassung.plain(m.sent_at),
        }
        for m in rows
    ]


def _csv(rows: list[dict[str, Any]]) -> str:
    """One section as CSV (semicolon, UTF-8 with BOM for spreadsheet programs)."""
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=keys, delimiter=";", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: _formula_safe(
                    json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                )
                for k, v in row.items()
            }
        )
    return "\ufeff" + out.getvalue()


def _formula_safe(value: Any) -> Any:
    """A text cell never starts a spreadsheet formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def build_zip(user: User) -> bytes:
    """The ZIP: ``meine-daten.json``, one CSV per section, the files the person uploaded."""
    from app.dateien.models import Datei
    from app.dateien.services import file_path

    daten = collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "meine-daten.json", json.dumps(daten, ensure_ascii=False, indent=2, default=str)
        )
        for name, rows in daten.items():
            if isinstance(rows, list) and rows:
                archive.writestr(f"csv/{_safe(name)}.csv", _csv(rows))
        dateien = db.session.scalars(
            select(Datei).where(Datei.uploaded_by_id == user.id).order_by(Datei.id)
        ).all()
        for datei in dateien:
            path = file_path(datei)
            if path.is_file():
                archive.write(path, f"dateien/{datei.id}-{_safe(datei.original_name)}")
    return buffer.getvalue()


def _safe(name: str) -> str:
    """A file name inside the ZIP without path parts."""
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return cleaned.strip("._") or "datei"
