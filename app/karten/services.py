"""Maps from the database: an indicator per Sozialraum, Einrichtungen, catchment figures.

Each map costs a fixed number of queries (boundaries, values, Einrichtungen), whatever the
number of areas and symbols.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shapely import unary_union
from sqlalchemy import func, select

from app.datenbasis.models import Einrichtung, EinrichtungTyp, Indikator, Indikatorwert
from app.extensions import db
from app.karten import einzugsbereich, grenzen, karte, projektion
from app.karten.karte import Gebiet, Karte, Symbol

SCHEMATISCH = "Schematische Grenzen – keine amtliche Abgrenzung."


@dataclass
class Grundlage:
    """The boundaries in metres, their projection and whether they are schematic."""

    flaechen: list[tuple[int, str, object]]
    epsg: int
    schematisch: bool


def grundlage() -> Grundlage | None:
    """Stored boundaries projected to the city's UTM zone; None when none are imported."""
    rows = grenzen.grenzen()
    if not rows:
        return None
    mitte = unary_union([geom for _, geom, _ in rows]).centroid
    epsg = projektion.utm_epsg(mitte.x, mitte.y)
    flaechen = [(raum.id, raum.name, projektion.projizieren(geom, epsg)) for raum, geom, _ in rows]
    return Grundlage(flaechen, epsg, any(s for _, _, s in rows))


def jahre(indikator_id: int) -> list[int]:
    """Years with values per Sozialraum, newest first."""
    return list(
        db.session.scalars(
            select(Indikatorwert.jahr)
            .where(
                Indikatorwert.indikator_id == indikator_id,
                Indikatorwert.sozialraum_id.is_not(None),
                Indikatorwert.wert.is_not(None),
            )
            .group_by(Indikatorwert.jahr)
            .order_by(Indikatorwert.jahr.desc())
        )
    )


def werte(indikator_id: int, jahr: int) -> dict[int, float | None]:
    rows = db.session.execute(
        select(Indikatorwert.sozialraum_id, Indikatorwert.wert).where(
            Indikatorwert.indikator_id == indikator_id,
            Indikatorwert.jahr == jahr,
            Indikatorwert.sozialraum_id.is_not(None),
        )
    )
    return dict(rows.all())


def einrichtungen(typen: list[EinrichtungTyp]) -> list[tuple[Einrichtung, str]]:
    """Einrichtungen of the types that have coordinates, with their Sozialraum's name."""
    if not typen:
        return []
    from app.stammdaten.models import Sozialraum

    rows = db.session.execute(
        select(Einrichtung, Sozialraum.name)
        .join(Sozialraum, Sozialraum.id == Einrichtung.sozialraum_id)
        .where(
            Einrichtung.typ.in_(typen),
            Einrichtung.breite.is_not(None),
            Einrichtung.laenge.is_not(None),
        )
        .order_by(Einrichtung.typ, Einrichtung.name)
    )
    return [(e, name) for e, name in rows]


def ohne_koordinaten(typen: list[EinrichtungTyp]) -> int:
    """How many Einrichtungen of the types cannot be drawn (no coordinates)."""
    if not typen:
        return 0
    return db.session.scalar(
        select(func.count(Einrichtung.id)).where(
            Einrichtung.typ.in_(typen), Einrichtung.breite.is_(None)
        )
    )


def indikator_karte(
    key: str,
    indikator: Indikator,
    jahr: int | None,
    typen: list[EinrichtungTyp],
    *,
    basis: Grundlage | None = None,
    anzahl: int = 4,
    feste: list[float] | None = None,
    radius_m: int | None = None,
    kreise_typ: EinrichtungTyp | None = None,
    url_gebiet: Callable[[int], str] | None = None,
    url_einrichtung: Callable[[Einrichtung], str] | None = None,
    zusatz: dict[int, str] | None = None,
) -> Karte | None:
    """A choropleth of the indicator in ``jahr`` (default: the latest) with Einrichtungen."""
    basis = basis or grundlage()
    if basis is None:
        return None
    if jahr is None:
        vorhanden = jahre(indikator.id)
        jahr = vorhanden[0] if vorhanden else None
    daten = werte(indikator.id, jahr) if jahr is not None else {}
    gebiete = [
        Gebiet(rid, name, geom, daten.get(rid), url_gebiet(rid) if url_gebiet else None)
        for rid, name, geom in basis.flaechen
    ]
    vorhandene = [g.wert for g in gebiete if g.wert is not None]
    klassen = karte.klassen_bilden(vorhandene, anzahl, feste, indikator.einheit)
    for g in gebiete:
        g.klasse = karte.klasse_von(g.wert, klassen)
        g.zusatz = (zusatz or {}).get(g.raum_id, "")
    formen = {t: karte.SYMBOLE[i % len(karte.SYMBOLE)] for i, t in enumerate(typen)}
    symbole = []
    for e, raum_name in einrichtungen(typen):
        x, y = projektion.punkt(e.laenge, e.breite, basis.epsg)
        symbole.append(
            Symbol(
                e.id,
                e.name,
                e.typ.label,
                formen[e.typ],
                x,
                y,
                raum_name,
                url_einrichtung(e) if url_einrichtung else None,
            )
        )
    methode = "Klassen (feste Grenzen)" if feste else "Klassen (Quantile)"
    jahr_text = f" {jahr}" if jahr is not None else ""
    titel = f"Karte: {indikator.name}{jahr_text} je Sozialraum ({indikator.einheit})"
    beschreibung = (
        f"Karte der {len(gebiete)} Sozialräume, eingefärbt nach {indikator.name}{jahr_text} "
        f"in {len(klassen)} Klassen"
        + (f", mit {len(symbole)} Einrichtungen als Symbolen" if typen else "")
        + "; die Werte stehen in der Tabelle darunter."
    )
    result = Karte(
        key,
        titel,
        beschreibung,
        svg=karte.Markup(""),
        links=karte.Markup(""),
        klassen=klassen,
        gebiete=gebiete,
        symbole=symbole,
        methode=f"{methode}, {indikator.einheit}",
        typen=[(t.label, formen[t]) for t in typen],
    )
    kreise = None
    kreis_text = ""
    if radius_m:
        mitte = [
            (s.x, s.y) for s in symbole if kreise_typ is None or s.typ_label == kreise_typ.label
        ]
        kreise = einzugsbereich.kreise(mitte, radius_m) if mitte else None
        kreis_text = f"Umkreis {radius_m:,} m".replace(",", ".")
    hinweise = [SCHEMATISCH] if basis.schematisch else []
    karte.zeichnen(result, kreise, kreis_text, hinweise)
    return result


def werte_karte(
    key: str,
    titel: str,
    merkmal: str,
    einheit: str,
    daten: dict[int, float | None],
    *,
    url_gebiet: Callable[[int], str] | None = None,
    anzahl: int = 3,
) -> Karte | None:
    """A choropleth of any figure per Sozialraum (e.g. released measures in the portal)."""
    basis = grundlage()
    if basis is None:
        return None
    gebiete = [
        Gebiet(rid, name, geom, daten.get(rid), url_gebiet(rid) if url_gebiet else None)
        for rid, name, geom in basis.flaechen
    ]
    klassen = karte.klassen_bilden(
        [g.wert for g in gebiete if g.wert is not None], anzahl, None, ""
    )
    for g in gebiete:
        g.klasse = karte.klasse_von(g.wert, klassen)
    result = Karte(
        key,
        titel,
        f"Karte der {len(gebiete)} Sozialräume, eingefärbt nach {merkmal} in {len(klassen)} "
        "Klassen; die Werte stehen in der Tabelle darunter.",
        svg=karte.Markup(""),
        links=karte.Markup(""),
        klassen=klassen,
        gebiete=gebiete,
        symbole=[],
        methode=f"Klassen (Quantile), {einheit}",
    )
    karte.zeichnen(result, None, "", [SCHEMATISCH] if basis.schematisch else [])
    return result


def einwohner_indikator() -> Indikator | None:
    """The population indicator for the catchment: by name ("Einwohner…"), else None."""
    return db.session.scalar(
        select(Indikator).where(Indikator.name.ilike("%einwohner%")).order_by(Indikator.id)
    )


def versorgung(
    typ: EinrichtungTyp, radius_m: int, bevoelkerung: Indikator | None, basis: Grundlage
) -> tuple[list[einzugsbereich.Versorgung], int | None]:
    """Per Sozialraum: the share within ``radius_m`` of an Einrichtung of ``typ``, and people."""
    punkte = [projektion.punkt(e.laenge, e.breite, basis.epsg) for e, _ in einrichtungen([typ])]
    jahr = None
    einwohner: dict[int, float] = {}
    if bevoelkerung is not None:
        vorhanden = jahre(bevoelkerung.id)
        if vorhanden:
            jahr = vorhanden[0]
            einwohner = {k: v for k, v in werte(bevoelkerung.id, jahr).items() if v is not None}
    return einzugsbereich.versorgung(basis.flaechen, punkte, radius_m, einwohner), jahr
