"""The audit entry: who changed which object when, and how (append-only)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, String, Text, TypeDecorator
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import UTCDateTime, utcnow
from app.extensions import db


class JSONText(TypeDecorator):
    """JSON stored as readable UTF-8 text, so a LIKE finds a name on SQLite and PostgreSQL alike."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect) -> str | None:
        return None if value is None else json.dumps(value, ensure_ascii=False, default=str)

    def process_result_value(self, value: str | None, dialect) -> Any:
        return None if value is None else json.loads(value)


class Aktion:
    """What an entry records; row changes come from the hook, the others are explicit events."""

    ANGELEGT = "angelegt"
    GEAENDERT = "geaendert"
    GELOESCHT = "geloescht"
    ANMELDUNG = "anmeldung"
    ANMELDUNG_FEHLGESCHLAGEN = "anmeldung_fehlgeschlagen"
    ABMELDUNG = "abmeldung"
    EXPORT = "export"
    DATENAUSKUNFT = "datenauskunft"
    KONTO_GELOESCHT = "konto_geloescht"
    BEREINIGUNG = "bereinigung"

    LABELS = {
        ANGELEGT: "Angelegt",
        GEAENDERT: "Geändert",
        GELOESCHT: "Gelöscht",
        ANMELDUNG: "Anmeldung",
        ANMELDUNG_FEHLGESCHLAGEN: "Fehlgeschlagene Anmeldung",
        ABMELDUNG: "Abmeldung",
        EXPORT: "Export",
        DATENAUSKUNFT: "Datenauskunft (Meine Daten)",
        KONTO_GELOESCHT: "Konto gelöscht",
        BEREINIGUNG: "Löschfristen angewandt",
    }


class AuditEintrag(db.Model):
    """One recorded change or event; never edited by a route, only appended."""

    __audit__ = False  # the log does not log itself
    __table_args__ = (
        Index("ix_audit_eintrag_objekt", "objekt_typ", "objekt_id"),
        Index("ix_audit_eintrag_akteur", "akteur_id", "zeitpunkt"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    zeitpunkt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # no foreign key: the log outlives the rows it describes
    akteur_id: Mapped[int | None] = mapped_column(Integer)
    akteur_name: Mapped[str] = mapped_column(String(200))
    aktion: Mapped[str] = mapped_column(String(40), index=True)
    berechtigung: Mapped[bool] = mapped_column(default=False)
    objekt_typ: Mapped[str | None] = mapped_column(String(80))
    objekt_id: Mapped[str | None] = mapped_column(String(64))
    objekt_label: Mapped[str | None] = mapped_column(String(300))
    aenderungen: Mapped[dict | None] = mapped_column(JSONText)
    hinweis: Mapped[str | None] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(String(64))
    vorgang: Mapped[str | None] = mapped_column(String(32))

    @property
    def aktion_label(self) -> str:
        return Aktion.LABELS.get(self.aktion, self.aktion)
