"""Demo Datenbasis for Hilden's five Stadtbereiche: synthetic numbers, marked as demo everywhere.

Idempotent: catalogue entries, Einrichtungen and interviews are looked up by their natural key;
values are only added where none exist. Needs the Sozialräume from ``app.stammdaten.demo``.
"""

from __future__ import annotations

from sqlalchemy import select

from app.datenbasis.models import (
    Einrichtung,
    EinrichtungTyp,
    Indikator,
    Indikatorwert,
    Interview,
    Richtung,
)
from app.datenbasis.services import save_interview
from app.extensions import db
from app.planungsfelder.services import ensure_standard_felder
from app.stammdaten.models import Organisation, Sozialraum

QUELLE = "Demo-Daten (synthetisch, keine amtlichen Werte)"
JAHRE = range(2019, 2025)

# name, unit, direction, definition, base value per Stadtbereich 1–5, change per year
INDIKATOREN = [
    (
        "Einwohnerinnen und Einwohner",
        "Personen",
        Richtung.NEUTRAL,
        "Hauptwohnsitz am 31.12.",
        (11800, 10900, 12400, 9800, 11300),
        40.0,
    ),
    (
        "SGB-II-Quote",
        "%",
        Richtung.HOEHER_SCHLECHTER,
        "Anteil der Personen in Bedarfsgemeinschaften nach SGB II an der Bevölkerung "
        "unter 65 Jahren.",
        (7.8, 11.9, 6.1, 9.4, 13.2),
        -0.15,
    ),
    (
        "Kinderarmutsquote",
        "%",
        Richtung.HOEHER_SCHLECHTER,
        "Anteil der Kinder unter 15 Jahren in Bedarfsgemeinschaften nach SGB II.",
        (12.5, 19.8, 9.7, 15.1, 21.4),
        -0.2,
    ),
    (
        "Anteil der Menschen ab 65 Jahren",
        "%",
        Richtung.NEUTRAL,
        "Anteil der Einwohnerinnen und Einwohner ab 65 Jahren.",
        (24.1, 21.3, 27.9, 23.0, 19.6),
        0.3,
    ),
    (
        "Betreuungsquote unter Dreijähriger",
        "%",
        Richtung.HOEHER_BESSER,
        "Anteil der Kinder unter drei Jahren mit einem Betreuungsplatz in Kita oder Tagespflege.",
        (38.0, 31.5, 42.2, 35.1, 29.8),
        1.1,
    ),
]

# indicator -> keys of its Planungsfelder
FELDER = {
    "Einwohnerinnen und Einwohner": ("sozialplanung", "stadtentwicklung"),
    "SGB-II-Quote": ("sozialplanung",),
    "Kinderarmutsquote": ("sozialplanung", "jugendhilfeplanung"),
    "Anteil der Menschen ab 65 Jahren": ("sozialplanung", "stadtentwicklung"),
    "Betreuungsquote unter Dreijähriger": ("jugendhilfeplanung", "bildungskoordination"),
}

EINRICHTUNGEN = [
    ("Kita Sonnenblume (Demo)", EinrichtungTyp.KITA, "Musterweg 1", 1, "AWO"),
    ("Kita Regenbogen (Demo)", EinrichtungTyp.KITA, "Beispielstraße 12", 2, "Diakonie"),
    ("Kita Am Park (Demo)", EinrichtungTyp.KITA, "Parkallee 3", 3, "Caritas"),
    ("Kita Kleine Strolche (Demo)", EinrichtungTyp.KITA, "Probeweg 7", 5, "DRK"),
    (
        "Grundschule Nord (Demo)",
        EinrichtungTyp.SCHULE,
        "Schulstraße 2",
        1,
        "Stadt Hilden (Schulträger)",
    ),
    ("Grundschule Ost (Demo)", EinrichtungTyp.SCHULE, "Lernweg 5", 2, "Stadt Hilden (Schulträger)"),
    (
        "Gesamtschule (Demo)",
        EinrichtungTyp.SCHULE,
        "Bildungsplatz 1",
        4,
        "Stadt Hilden (Schulträger)",
    ),
    ("Familienberatung (Demo)", EinrichtungTyp.BERATUNGSSTELLE, "Hilfeweg 4", 5, "SKFM"),
    ("Schuldnerberatung (Demo)", EinrichtungTyp.BERATUNGSSTELLE, "Rathausplatz 9", 5, "Diakonie"),
    ("Hausarztpraxis Beispiel (Demo)", EinrichtungTyp.ARZTPRAXIS, "Gesundweg 8", 1, ""),
    ("Kinderarztpraxis Muster (Demo)", EinrichtungTyp.ARZTPRAXIS, "Heilstraße 3", 3, ""),
    ("Lebensmittelmarkt Ost (Demo)", EinrichtungTyp.NAHVERSORGUNG, "Marktstraße 20", 2, ""),
    ("Wochenmarkt Mitte (Demo)", EinrichtungTyp.NAHVERSORGUNG, "Marktplatz", 5, "Stadtmarketing"),
    ("Haltestelle Nordpark (Demo)", EinrichtungTyp.HALTESTELLE, "Nordpark", 1, ""),
    ("Haltestelle Westring (Demo)", EinrichtungTyp.HALTESTELLE, "Westring", 4, ""),
    ("Stadtteiltreff West (Demo)", EinrichtungTyp.BEGEGNUNGSRAUM, "Treffpunkt 1", 4, "AWO"),
    (
        "Nachbarschaftscafé Ost (Demo)",
        EinrichtungTyp.BEGEGNUNGSRAUM,
        "Begegnungsweg 2",
        2,
        "Caritas",
    ),
    ("Jugendzentrum (Demo)", EinrichtungTyp.JUGENDEINRICHTUNG, "Jugendweg 10", 5, "Jugendamt"),
    ("Seniorenbegegnung Süd (Demo)", EinrichtungTyp.SENIORENEINRICHTUNG, "Altenweg 6", 3, "DRK"),
]

INTERVIEWS = [
    (
        "Gespräch mit Kita-Leitungen (Demo)",
        2,
        "Kita, Familien, Sprache",
        "Die Leitungen berichten von steigender Nachfrage nach Sprachförderung und von Familien, "
        "die Beratungsangebote nicht kennen. Wunsch: Sprechstunden direkt in der Kita.",
    ),
    (
        "Seniorinnen im Stadtteiltreff (Demo)",
        4,
        "Senioren, Mobilität, Begegnung",
        "Die Teilnehmenden schätzen den Treff; die Busanbindung am Nachmittag gilt als zu dünn. "
        "Es fehlen barrierefreie Sitzgelegenheiten auf dem Weg zum Markt.",
    ),
    (
        "Jugendliche im Jugendzentrum (Demo)",
        5,
        "Jugend, Freizeit, Begegnung",
        "Jugendliche wünschen sich längere Öffnungszeiten am Wochenende und einen "
        "überdachten Treffpunkt.",
    ),
    (
        "Fachkräfte der Schulsozialarbeit (Demo)",
        None,
        "Schule, Familien, Armut",
        "Stadtweit nehmen Anfragen zu Lernförderung und Schulmaterial zu, besonders im "
        "Osten und in der Mitte.",
    ),
]


def load_demo_datenbasis() -> None:
    """Create the demo catalogue, values, Einrichtungen and interviews if missing."""
    raeume = {
        r.nummer: r
        for r in db.session.scalars(
            select(Sozialraum).where(Sozialraum.nummer.in_([1, 2, 3, 4, 5]))
        )
    }
    if len(raeume) < 5:
        raise RuntimeError(
            "Die Demo-Datenbasis braucht die fünf Demo-Sozialräume (load_demo_data())."
        )
    felder = {f.schluessel: f for f in ensure_standard_felder()}
    for entry in INDIKATOREN:
        indikator = _demo_indikator(entry, raeume)
        if not indikator.planungsfelder:
            indikator.planungsfelder = [felder[k] for k in FELDER.get(indikator.name, ())]
    _demo_einrichtungen(raeume)
    _demo_interviews(raeume)
    db.session.flush()


def _demo_indikator(entry: tuple, raeume: dict[int, Sozialraum]) -> Indikator:
    """One catalogue entry with values for six years, only those still missing."""
    name, einheit, richtung, definition, basis, trend = entry
    indikator = db.session.scalar(select(Indikator).where(Indikator.name == name))
    if indikator is None:
        indikator = Indikator(
            name=name,
            einheit=einheit,
            richtung=richtung,
            definition=definition,
            quelle=QUELLE,
            demo=True,
        )
        db.session.add(indikator)
        db.session.flush()
    query = select(Indikatorwert.sozialraum_id, Indikatorwert.jahr).where(
        Indikatorwert.indikator_id == indikator.id
    )
    existing = {tuple(row) for row in db.session.execute(query)}
    for jahr in JAHRE:
        werte = {raeume[n].id: _synthetic(basis[n - 1], trend, n, jahr) for n in raeume}
        werte[None] = _city_value(einheit, list(werte.values()))
        for raum_id, wert in werte.items():
            if (raum_id, jahr) not in existing:
                db.session.add(
                    Indikatorwert(
                        indikator_id=indikator.id, sozialraum_id=raum_id, jahr=jahr, wert=wert
                    )
                )
    return indikator


def _synthetic(basis: float, trend: float, nummer: int, jahr: int) -> float:
    """A plausible, reproducible value: base, trend and a small wobble per area and year."""
    wobble = ((nummer * 7 + jahr * 3) % 5 - 2) * abs(basis) * 0.006
    value = basis + trend * (jahr - JAHRE.start) * (1 + nummer / 10) + wobble
    return round(value) if basis >= 1000 else round(value, 1)


def _city_value(einheit: str, werte: list[float]) -> float:
    """Counts add up; shares are averaged (a simplification fitting demo data)."""
    return sum(werte) if einheit == "Personen" else round(sum(werte) / len(werte), 1)


def _demo_einrichtungen(raeume: dict[int, Sozialraum]) -> None:
    """Demo Einrichtungen, linked to the demo Träger where one runs them."""
    orgs = {o.kurzname: o.id for o in db.session.scalars(select(Organisation)) if o.kurzname}
    for name, typ, strasse, nummer, betreiber in EINRICHTUNGEN:
        if db.session.scalar(
            select(Einrichtung.id).where(Einrichtung.name == name, Einrichtung.strasse == strasse)
        ):
            continue
        traeger_id = orgs.get(betreiber)
        db.session.add(
            Einrichtung(
                name=name,
                typ=typ,
                strasse=strasse,
                plz="40721",
                ort="Hilden",
                sozialraum_id=raeume[nummer].id,
                traeger_id=traeger_id,
                betreiber="" if traeger_id else betreiber,
                demo=True,
            )
        )


def _demo_interviews(raeume: dict[int, Sozialraum]) -> None:
    """Demo interview summaries with tags."""
    for titel, nummer, tags, text in INTERVIEWS:
        if db.session.scalar(select(Interview.id).where(Interview.titel == titel)):
            continue
        interview = save_interview(
            None,
            titel=titel,
            datum=None,
            sozialraum_id=raeume[nummer].id if nummer else None,
            zusammenfassung=text,
            schlagworte=tags,
        )
        interview.demo = True
