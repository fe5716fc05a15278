"""The minutes template offered on the meeting's page (a section registered with the page)."""

from __future__ import annotations

from typing import Any

from flask import url_for

from app.core.abschnitte import Abschnitt, abschnitt_provider
from app.core.permissions import can

TEMPLATE = "protokolle/_vorlage_abschnitt.html"


@abschnitt_provider("sitzung")
def _protokollvorlage(sitzung: Any, user: Any) -> Abschnitt | None:
    """Before the meeting, those who write or approve the minutes get the template."""
    if not sitzung.offen_fuer_aenderungen or not can(user, "protokoll.vorlage", sitzung):
        return None
    url = url_for("protokolle.vorlage_docx", sitzung_id=sitzung.id)
    return Abschnitt(TEMPLATE, {"url": url}, order=60)
