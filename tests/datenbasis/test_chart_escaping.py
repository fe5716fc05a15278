"""Every chart escapes every text that reaches it (names, units, titles, labels)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.beteiligung.ergebnisse import balkendiagramm
from app.datenbasis.charts import Series, comparison, time_series
from app.datenbasis.models import Diagramm, DiagrammArt, Indikator
from app.extensions import db
from app.stammdaten.models import GremiumTyp

PAYLOAD = '"><svg onload=alert(1)>'
SVG = "{http://www.w3.org/2000/svg}"


def assert_inert(svg: str) -> None:
    """Well-formed SVG with exactly one <svg> element, no event attribute, payload as text."""
    root = ET.fromstring(str(svg))
    elements = list(root.iter())
    assert sum(e.tag in ("svg", f"{SVG}svg") for e in elements) == 1
    assert not [a for e in elements for a in e.attrib if a.lower().startswith("on")]
    assert PAYLOAD in "".join(root.itertext())


def _indikator() -> Indikator:
    return Indikator(id=1, name=PAYLOAD, einheit=PAYLOAD)


def test_time_series_escapes_names_units_and_key() -> None:
    series = [Series(PAYLOAD, {2024: 1.0, 2025: 2.5}), Series("Gesamtstadt", {2025: 3.0})]
    assert_inert(time_series(PAYLOAD, _indikator(), series).svg)


def test_comparison_escapes_the_unit_next_to_each_bar() -> None:
    """Former injection: the Einheit was emitted raw next to every bar."""
    series = [Series(PAYLOAD, {2025: 12.5}), Series("Gesamtstadt", {2025: 10.0})]
    chart = comparison(PAYLOAD, _indikator(), series, None)
    assert_inert(chart.svg)
    assert f"12,5 {PAYLOAD}" in "".join(ET.fromstring(str(chart.svg)).itertext())


def test_result_bar_chart_escapes_title_labels_and_id() -> None:
    assert_inert(balkendiagramm(PAYLOAD, PAYLOAD, [(PAYLOAD, 3), ("b", 1)], 4))


def test_report_pages_show_a_hostile_unit_as_text(client, login, make) -> None:
    """Internal and public report pages, with the payload in indicator, area and title."""
    raum = make.sozialraum(name=PAYLOAD)
    indikator = make.indikator(name=PAYLOAD, einheit=PAYLOAD)
    make.indikatorwert(indikator, raum, 2025, 12.5)
    make.indikatorwert(indikator, None, 2025, 10.0)
    report = make.sozialreport(status="veroeffentlicht", titel=PAYLOAD)
    for art in DiagrammArt:
        db.session.add(
            Diagramm(kapitel_id=report.kapitel[0].id, indikator_id=indikator.id, art=art)
        )
    db.session.commit()
    login(make.stabsstelle())
    for url in (
        f"/datenbasis/sozialreports/{report.id}",
        f"/sozialreport/{report.id}",
        f"/datenbasis/indikatoren/{indikator.id}",
    ):
        body = client.get(url).get_data(as_text=True)
        assert "<svg onload" not in body, url
        assert "&#34;&gt;&lt;svg onload=alert(1)&gt;" in body, url


def test_cycle_diagram_escapes_title_and_strang_names(client, login, make) -> None:
    gremium = make.gremium(GremiumTyp.TRAEGERRUNDE, name=PAYLOAD)
    zyklus = make.zyklus([gremium], titel=PAYLOAD)
    login(make.stabsstelle())
    body = client.get(f"/zyklen/{zyklus.id}").get_data(as_text=True)
    assert "<svg onload" not in body
    assert "&lt;svg onload=alert(1)&gt;" in body


def test_sozialraum_map_escapes_names_titles_legend_and_symbols() -> None:
    """The map (added later) takes area, facility, type and legend texts from users too."""
    from shapely.geometry import box

    from app.karten.karte import Gebiet, Karte, Symbol, klasse_von, klassen_bilden, zeichnen

    klassen = klassen_bilden([1.0, 5.0], 2, None, PAYLOAD)
    gebiete = [
        Gebiet(1, PAYLOAD, box(0, 0, 1000, 1000), 1.0, url="/x", zusatz=PAYLOAD),
        Gebiet(2, "Süd", box(1000, 0, 2000, 1000), 5.0),
    ]
    for g in gebiete:
        g.klasse = klasse_von(g.wert, klassen)
    karte = Karte(
        key=PAYLOAD,
        titel=PAYLOAD,
        beschreibung=PAYLOAD,
        svg=None,
        links=None,
        klassen=klassen,
        gebiete=gebiete,
        symbole=[Symbol(1, PAYLOAD, PAYLOAD, "kreis", 500.0, 500.0, PAYLOAD, url="/e")],
        methode="quantile",
        typen=[(PAYLOAD, "kreis")],
    )
    zeichnen(karte, kreis_text=PAYLOAD, hinweise=[PAYLOAD])
    assert_inert(karte.svg)
    assert "<svg onload" not in str(karte.links)
