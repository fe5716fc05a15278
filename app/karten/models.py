"""Boundaries of the Sozialräume, as imported (GeoJSON geometry in WGS 84)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.types import UTCDateTime, utcnow
from app.extensions import db

if TYPE_CHECKING:
    from app.stammdaten.models import Sozialraum


class SozialraumGrenze(db.Model):
    """The boundary of one Sozialraum: a Polygon or MultiPolygon, longitude/latitude (WGS 84)."""

    __audit_name__ = "Sozialraumgrenze"
    __audit_ignore__ = frozenset({"geometrie"})  # large; the import is recorded by its file name

    id: Mapped[int] = mapped_column(primary_key=True)
    sozialraum_id: Mapped[int] = mapped_column(
        ForeignKey("sozialraum.id", ondelete="CASCADE"), unique=True
    )
    geometrie: Mapped[str] = mapped_column(Text)  # GeoJSON geometry object
    schematisch: Mapped[bool] = mapped_column(default=False)  # a sketch, not surveyed boundaries
    dateiname: Mapped[str] = mapped_column(String(255), default="")
    importiert_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    sozialraum: Mapped[Sozialraum] = relationship()
