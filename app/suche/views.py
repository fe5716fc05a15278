"""Blueprint ``suche``: the results page behind the search field in the header."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from app.core.permissions import require
from app.suche.quellen import Quelle, Treffer, quellen
from app.suche.volltext import MAX_LAENGE, Anfrage

bp = Blueprint("suche", __name__, url_prefix="/suche")

#: hits shown per kind; one more is fetched to say that there are further ones
JE_ART = 20


@dataclass
class Gruppe:
    quelle: Quelle
    treffer: list[Treffer]
    weitere: bool


@bp.route("/")
@login_required
def ergebnisse():
    """Hits grouped by kind; each source sees only what this person may see."""
    require("suche.benutzen")
    text = request.args.get("q", "", type=str)
    anfrage = Anfrage.aus(text)
    gruppen: list[Gruppe] = []
    if not anfrage.leer:
        for quelle in quellen():
            treffer = quelle.suchen(current_user, anfrage, JE_ART + 1)
            if treffer:
                gruppen.append(Gruppe(quelle, treffer[:JE_ART], len(treffer) > JE_ART))
    zu_lang = len(" ".join(text.split())) > MAX_LAENGE
    return render_template(
        "suche/ergebnisse.html",
        anfrage=anfrage,
        gruppen=gruppen,
        zu_lang=zu_lang,
        anzahl=sum(len(g.treffer) for g in gruppen),
    )
