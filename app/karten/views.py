"""Blueprint ``karten``: the Sozialraum map with catchment, and the boundary import."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.core.navigation import nav_entry
from app.core.permissions import can, require
from app.core.zahlen import ZahlFehler, parse_zahl
from app.datenbasis.models import EinrichtungTyp, Indikator
from app.extensions import db
from app.karten import services
from app.karten.forms import GrenzenForm
from app.karten.grenzen import GrenzenFehler, import_grenzen

bp = Blueprint("karten", __name__, url_prefix="/karte")
nav_entry("Karte", "karten.karte", "karte.ansehen", order=32)

RADIUS_MIN, RADIUS_MAX = 50, 20000


def _typen(werte: list[str]) -> list[EinrichtungTyp]:
    erlaubt = {t.value for t in EinrichtungTyp}
    if any(w not in erlaubt for w in werte):
        abort(400)
    return [t for t in EinrichtungTyp if t.value in werte]


def _feste_grenzen(text: str) -> list[float]:
    """Fixed class limits, German numbers separated by semicolons; ZahlFehler if not."""
    teile = [t for t in (x.strip() for x in text.split(";")) if t]
    if not teile:
        raise ZahlFehler("Bitte geben Sie feste Klassengrenzen an, z. B. 10; 15; 20.")
    if len(teile) > 4:
        raise ZahlFehler("Höchstens vier feste Klassengrenzen (also fünf Klassen).")
    return [float(parse_zahl(t)) for t in teile]


@bp.route("/")
@login_required
def karte() -> tuple[str, int]:
    """An indicator per Sozialraum, chosen Einrichtungen, and the catchment of one type."""
    require("karte.ansehen")
    indikatoren = list(
        db.session.execute(select(Indikator.id, Indikator.name).order_by(Indikator.name))
    )
    gewaehlt = request.args.get("indikator", type=int)
    indikator = db.session.get(Indikator, gewaehlt) if gewaehlt else None
    if gewaehlt and indikator is None:
        abort(404)
    if indikator is None and indikatoren:
        standard = services.einwohner_indikator()
        indikator = db.session.get(Indikator, indikatoren[0][0]) if standard is None else standard
    jahr = request.args.get("jahr", type=int)
    typen = _typen(request.args.getlist("typ"))
    methode = request.args.get("klassen", "quantile")
    anzahl = request.args.get("anzahl", 4, type=int)
    fehler: list[str] = []
    feste = None
    if methode == "fest":
        try:
            feste = _feste_grenzen(request.args.get("grenzen", ""))
        except ZahlFehler as exc:
            fehler.append(f"Klassengrenzen: {exc}")
    if not 2 <= anzahl <= 5:
        fehler.append("Bitte 2 bis 5 Klassen wählen.")
        anzahl = 4
    versorgung_typ = (
        _typen([request.args["versorgung"]])[0] if request.args.get("versorgung") else None
    )
    radius = request.args.get("radius", 500, type=int)
    if not RADIUS_MIN <= radius <= RADIUS_MAX:
        fehler.append(
            f"Der Radius liegt zwischen {RADIUS_MIN} und {RADIUS_MAX:,} Metern.".replace(",", ".")
        )
        radius = 500
    if versorgung_typ is not None and versorgung_typ not in typen:
        typen = [t for t in EinrichtungTyp if t in (*typen, versorgung_typ)]

    basis = services.grundlage()
    karte_obj = versorgung = None
    einwohner_jahr = None
    zusatz: dict[int, str] = {}
    if basis is not None and versorgung_typ is not None:
        versorgung, einwohner_jahr = services.versorgung(
            versorgung_typ, radius, services.einwohner_indikator(), basis
        )
        zusatz = {v.sozialraum_id: f"{v.anteil * 100:.1f} %".replace(".", ",") for v in versorgung}
    if basis is not None and indikator is not None:
        bearbeiten = can(current_user, "datenbasis.bearbeiten")
        karte_obj = services.indikator_karte(
            "karte",
            indikator,
            jahr,
            typen,
            basis=basis,
            anzahl=anzahl,
            feste=feste,
            radius_m=radius if versorgung_typ else None,
            kreise_typ=versorgung_typ,
            url_gebiet=lambda rid: url_for("datenbasis.einrichtungen", sozialraum=rid),
            url_einrichtung=lambda e: (
                url_for("datenbasis.einrichtung_bearbeiten", einrichtung_id=e.id)
                if bearbeiten
                else url_for(
                    "datenbasis.einrichtungen", sozialraum=e.sozialraum_id, typ=e.typ.value
                )
            ),
            zusatz={k: f"; im Umkreis: {v}" for k, v in zusatz.items()},
        )
    page = render_template(
        "karten/karte.html",
        basis=basis,
        karte=karte_obj,
        indikatoren=indikatoren,
        indikator=indikator,
        jahre=services.jahre(indikator.id) if indikator else [],
        jahr=jahr,
        typen=typen,
        alle_typen=list(EinrichtungTyp),
        methode=methode,
        grenzen_text=request.args.get("grenzen", ""),
        anzahl=anzahl,
        versorgung_typ=versorgung_typ,
        radius=radius,
        versorgung=versorgung,
        einwohner_jahr=einwohner_jahr,
        ohne_koordinaten=services.ohne_koordinaten(typen),
        zusatz=zusatz,
        fehler=fehler,
        link_gebiet=lambda rid: url_for("datenbasis.einrichtungen", sozialraum=rid),
    )
    return page, 422 if fehler else 200


@bp.route("/grenzen", methods=["GET", "POST"])
@login_required
def grenzen_import() -> Response | tuple[str, int]:
    """Import the boundaries as GeoJSON: all of them or none, with German messages."""
    require("karte.grenzen")
    form = GrenzenForm()
    fehler: list[str] = []
    if form.validate_on_submit():
        datei = form.datei.data
        try:
            anzahl = import_grenzen(datei.read(), datei.filename or "", form.schematisch.data)
        except GrenzenFehler as exc:
            db.session.rollback()
            fehler = exc.fehler
        else:
            db.session.commit()
            text = (
                "Die Grenze eines Sozialraums wurde importiert."
                if anzahl == 1
                else f"Die Grenzen von {anzahl} Sozialräumen wurden importiert."
            )
            flash(text, "erfolg")
            return redirect(url_for("karten.karte"), 303)
    status = 422 if (fehler or form.errors) else 200
    return render_template(
        "karten/grenzen.html", form=form, fehler=fehler, basis=services.grundlage()
    ), status


from app.karten import bericht  # noqa: E402, F401  (registers the map chart type)
