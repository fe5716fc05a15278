"""What the search finds in feedback answers: an organisation only its own, the Stabsstelle all
(``rueckmeldung.ansehen``). Answers are JSON values; their text is read per database."""

from __future__ import annotations

from typing import Any

from flask import url_for
from sqlalchemy import func, literal_column, select, true

from app.beteiligung.models import BogenFrage, Rueckmeldebogen, Rueckmeldung, RueckmeldungAntwort
from app.core.permissions import is_stabsstelle
from app.extensions import db
from app.stammdaten.models import Organisation
from app.suche.quellen import Treffer, suchquelle
from app.suche.volltext import Anfrage, ausschnitt, dokument, markiert, passt, rang


def _wert_text():
    """The answer as text (a JSON string unquoted, a list as JSON text)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return RueckmeldungAntwort.wert.op("#>>")(literal_column("'{}'"))
    return func.json_extract(RueckmeldungAntwort.wert, "$")


def _sichtbar(user: Any):
    if is_stabsstelle(user):
        return true()
    if getattr(user, "organisation_id", None) is None:
        return Rueckmeldung.id.is_(None)
    return Rueckmeldung.organisation_id == user.organisation_id


@suchquelle("rueckmeldungen", "Rückmeldungen", 25)
def rueckmeldungen(user: Any, anfrage: Anfrage, limit: int) -> list[Treffer]:
    """Answers to feedback forms, linked to the organisation's answer page."""
    doc = dokument(_wert_text())
    rows = db.session.execute(
        select(
            Rueckmeldung.id,
            Rueckmeldebogen.titel,
            Organisation.name,
            BogenFrage.text,
            ausschnitt(anfrage, doc),
        )
        .select_from(RueckmeldungAntwort)
        .join(Rueckmeldung, Rueckmeldung.id == RueckmeldungAntwort.rueckmeldung_id)
        .join(Rueckmeldebogen, Rueckmeldebogen.id == Rueckmeldung.bogen_id)
        .join(Organisation, Organisation.id == Rueckmeldung.organisation_id)
        .join(BogenFrage, BogenFrage.id == RueckmeldungAntwort.frage_id)
        .where(passt(anfrage, doc), _sichtbar(user))
        .order_by(rang(anfrage, doc).desc(), Rueckmeldung.id.desc())
        .limit(limit)
    ).all()
    return [
        Treffer(
            f"{r[1]}: {r[2]}",
            url_for("beteiligung.rueckmeldung", rueckmeldung_id=r[0]),
            markiert(r[4], anfrage),
            r[3],
        )
        for r in rows
    ]
