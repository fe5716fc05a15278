"""Sozialraum map: GeoJSON import (all or nothing, German messages), the accessible SVG with
legend and data table, the catchment figures of a constructed case checked by hand,
Einrichtung coordinates, the map as a Sozialreport chart, access."""

from __future__ import annotations

import io
import json
import math

import pytest
from pypdf import PdfReader
from pyproj import Transformer
from sqlalchemy import func, select

from app.datenbasis.models import Einrichtung, EinrichtungTyp
from app.extensions import db
from app.karten import services
from app.karten.grenzen import GrenzenFehler, pruefen
from app.karten.models import SozialraumGrenze
from app.stammdaten.models import GremiumTyp
from tests.datenbasis.conftest import confirm, jobs, upload  # noqa: F401 (fixtures)

# Two squares of 1 km side by side, constructed in UTM zone 32 (metres) and sent as WGS 84.
X0, Y0 = 350_000.0, 5_670_000.0
_INVERS = Transformer.from_crs(32632, 4326, always_xy=True)


def _wgs(x: float, y: float) -> list[float]:
    laenge, breite = _INVERS.transform(X0 + x, Y0 + y)
    return [laenge, breite]


def _quadrat(x0: float, kante: float = 1000.0) -> list[list[list[float]]]:
    ecken = [(x0, 0), (x0 + kante, 0), (x0 + kante, kante), (x0, kante), (x0, 0)]
    return [[_wgs(x, y) for x, y in ecken]]


def _feature(props: dict, coords, typ: str = "Polygon") -> dict:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": typ, "coordinates": coords},
    }


def _datei(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


@pytest.fixture
def welt(make):
    class W:
        stab = make.stabsstelle()
        mitglied = make.user()
        traeger = make.traeger_user()
        a = make.sozialraum("Bereich A", nummer=1)
        b = make.sozialraum("Bereich B", nummer=2)
        quote = make.indikator("Quote K")
        einwohner = make.indikator("Einwohnerinnen und Einwohner", einheit="Personen")

    make.mitgliedschaft(make.gremium(GremiumTyp.PLANUNGSRUNDE), W.mitglied)
    for raum, wert, leute in ((W.a, 12.5, 2000), (W.b, 20.0, 1000)):
        make.indikatorwert(W.quote, raum, 2024, wert)
        make.indikatorwert(W.einwohner, raum, 2024, leute)
    return W


def _gut(welt) -> bytes:
    return _datei(
        _feature({"name": "Bereich A"}, _quadrat(0)),
        _feature({"nummer": 2}, _quadrat(1000)),  # matched by number
    )


def _upload(client, csrf_token, content: bytes, schematisch: bool = False):
    url = "/karte/grenzen"
    data = {
        "csrf_token": csrf_token(client, url),
        "datei": (io.BytesIO(content), "grenzen.geojson"),
    }
    if schematisch:
        data["schematisch"] = "y"
    return client.post(url, data=data, content_type="multipart/form-data")


def _anzahl() -> int:
    return db.session.scalar(select(func.count()).select_from(SozialraumGrenze))


def test_import_replaces_boundaries_and_the_map_is_accessible(
    client, login, welt, csrf_token
) -> None:
    login(welt.stab)
    response = _upload(client, csrf_token, _gut(welt), schematisch=True)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert _anzahl() == 2
    page = client.get(f"/karte/?indikator={welt.quote.id}&typ=kita").get_data(as_text=True)
    assert "Die Grenzen von 2 Sozialräumen wurden importiert." in page
    svg = page[
        page.index('<svg class="karte__svg"') : page.index(
            "</svg>", page.index('<svg class="karte__svg"')
        )
    ]
    assert (
        'role="img"' in svg
        and '<title id="karte-titel">Karte: Quote K 2024 je Sozialraum (%)</title>' in svg
    )
    assert "<desc" in svg and "Klassen (Quantile), %" in svg  # the legend, inside the image
    assert "<title>Bereich A: 12,5, Klasse 1: bis 12,5 %</title>" in svg
    assert "Schematische Grenzen" in svg and "Schematische Grenzen:" in page
    assert "Datentabelle: Karte: Quote K 2024 je Sozialraum (%)" in page
    assert f'<tr id="karte-raum-{welt.a.id}">' in page
    overlay = page[page.index('<svg class="karte__links"') :]
    assert 'aria-hidden="true"' in overlay[:200] and 'tabindex="-1"' in overlay


@pytest.mark.parametrize(
    ("features", "meldung"),
    [
        (  # a bow tie: the outline crosses itself
            lambda: [
                _feature(
                    {"name": "Bereich A"},
                    [[_wgs(0, 0), _wgs(1000, 1000), _wgs(1000, 0), _wgs(0, 1000), _wgs(0, 0)]],
                ),
                _feature({"name": "Bereich B"}, _quadrat(1000)),
            ],
            "Die Geometrie ist ungültig: Der Umriss schneidet sich selbst",
        ),
        (
            lambda: [
                _feature({"name": "Bereich A"}, _quadrat(0)),
                _feature({"name": "Bereich B"}, _quadrat(1000)),
                _feature({"name": "Bereich Z"}, _quadrat(2000)),
            ],
            "Fläche 3 („Bereich Z“): Unbekannter Sozialraum.",
        ),
        (
            lambda: [_feature({"name": "Bereich A"}, _quadrat(0))],
            "Für den Sozialraum „Bereich B“ enthält die Datei keine Grenze.",
        ),
        (
            lambda: [
                _feature({"name": "Bereich A"}, [[[X0, Y0], [X0 + 9, Y0], [X0, Y0 + 9], [X0, Y0]]]),
                _feature({"name": "Bereich B"}, _quadrat(1000)),
            ],
            "Die Koordinaten liegen außerhalb von WGS 84",
        ),
        (
            lambda: [
                _feature({"name": "Bereich A"}, _wgs(0, 0), "Point"),
                _feature({"name": "Bereich B"}, _quadrat(1000)),
            ],
            "Die Geometrie ist ein Point; erwartet wird eine Fläche",
        ),
    ],
)
def test_wrong_files_are_refused_in_german_and_nothing_is_stored(
    client, login, welt, csrf_token, features, meldung
) -> None:
    login(welt.stab)
    assert _upload(client, csrf_token, _gut(welt)).status_code == 303
    vorher = db.session.execute(select(SozialraumGrenze.id, SozialraumGrenze.geometrie)).all()
    response = _upload(client, csrf_token, _datei(*features()))
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "es wurde nichts gespeichert" in text and meldung in text
    assert (
        db.session.execute(select(SozialraumGrenze.id, SozialraumGrenze.geometrie)).all() == vorher
    )


def test_file_level_errors(ctx, welt) -> None:
    for content, meldung in (
        (b"{kaputt", "kein gültiges JSON (Zeile 1, Spalte 2)"),
        (b"\xff\xfe", "kein Text in UTF-8"),
        (b'{"type": "Polygon"}', "FeatureCollection"),
        (
            json.dumps(
                {
                    "type": "FeatureCollection",
                    "crs": {"properties": {"name": "EPSG:25832"}},
                    "features": [],
                }
            ).encode(),
            "Koordinatensystem der Datei wird nicht unterstützt",
        ),
    ):
        with pytest.raises(GrenzenFehler) as info:
            pruefen(content)
        assert meldung in info.value.fehler[0]


def test_catchment_of_a_constructed_case_checked_by_hand(
    client, ctx, login, make, welt, csrf_token
) -> None:
    login(welt.stab)
    assert _upload(client, csrf_token, _gut(welt)).status_code == 303
    for name, (x, y) in (("Kita Kante", (1000, 500)), ("Kita Ecke", (0, 0))):
        laenge, breite = _wgs(x, y)
        db.session.add(
            Einrichtung(
                name=name,
                typ=EinrichtungTyp.KITA,
                sozialraum_id=welt.a.id,
                breite=breite,
                laenge=laenge,
            )
        )
    db.session.add(
        Einrichtung(name="Kita ohne Ort", typ=EinrichtungTyp.KITA, sozialraum_id=welt.b.id)
    )
    db.session.commit()
    # radius 400 m: the kita on the shared edge covers a half circle in A and one in B,
    # the kita in A's corner a quarter circle in A; the circles do not overlap (1118 m apart)
    halb, viertel = math.pi * 400**2 / 2, math.pi * 400**2 / 4
    anteil_a, anteil_b = (halb + viertel) / 1e6, halb / 1e6  # 0.37699, 0.25133
    figures, jahr = services.versorgung(
        EinrichtungTyp.KITA, 400, services.einwohner_indikator(), services.grundlage()
    )
    by_name = {v.name: v for v in figures}
    assert jahr == 2024
    assert by_name["Bereich A"].flaeche_m2 == pytest.approx(1e6, rel=1e-4)
    assert by_name["Bereich A"].anteil == pytest.approx(anteil_a, rel=2e-3)
    assert by_name["Bereich B"].anteil == pytest.approx(anteil_b, rel=2e-3)
    assert by_name["Bereich A"].einwohner_versorgt == pytest.approx(
        2000 * anteil_a, rel=2e-3
    )  # 754
    assert by_name["Bereich B"].einwohner_versorgt == pytest.approx(
        1000 * anteil_b, rel=2e-3
    )  # 251
    page = client.get("/karte/?versorgung=kita&radius=400").get_data(as_text=True)
    assert "37,7 %" in page and "25,1 %" in page
    assert ">754<" in page and ">251<" in page
    assert "gleichmäßig verteilt" in page  # the assumption is stated
    assert "Eine Einrichtung der gewählten Arten hat keine Koordinaten" in page
    assert "Umkreis 400 m" in page and 'stroke-dasharray="5 3"' in page


def test_access_and_bad_parameters(client, login, welt, csrf_token) -> None:
    login(welt.mitglied)
    assert client.get("/karte/").status_code == 200
    assert client.get("/karte/grenzen").status_code == 403
    assert _upload(client, csrf_token, _gut(welt)).status_code == 403
    login(welt.traeger)
    assert client.get("/karte/").status_code == 403
    login(welt.stab)
    assert client.get("/karte/?typ=raumschiff").status_code == 400
    assert client.get("/karte/?indikator=999999").status_code == 404
    bad = client.get("/karte/?klassen=fest&grenzen=zehn")
    assert bad.status_code == 422 and "keine Zahl" in bad.get_data(as_text=True)
    assert client.get("/karte/?radius=5").status_code == 422


def test_einrichtung_coordinates_by_form(client, login, welt, csrf_token) -> None:
    login(welt.stab)
    url = "/datenbasis/einrichtungen/neu"
    daten = {
        "csrf_token": csrf_token(client, url),
        "name": "Treff am Markt",
        "typ": "begegnungsraum",
        "sozialraum_id": str(welt.a.id),
        "traeger_id": "0",
        "breite": "51,1682",
        "laenge": "",
    }
    halb = client.post(url, data=daten)
    assert halb.status_code == 422 and "zusammen angeben" in halb.get_data(as_text=True)
    daten.update(laenge="6.9386", csrf_token=csrf_token(client, url))
    assert client.post(url, data=daten).status_code == 303
    treff = db.session.scalar(select(Einrichtung).where(Einrichtung.name == "Treff am Markt"))
    assert (treff.breite, treff.laenge) == (51.1682, 6.9386)


def test_map_as_sozialreport_chart_and_in_the_pdf(client, login, make, welt, csrf_token) -> None:
    login(welt.stab)
    assert _upload(client, csrf_token, _gut(welt), schematisch=True).status_code == 303
    report = make.sozialreport(make.report_zyklus())
    new = f"/datenbasis/sozialreports/{report.id}/kapitel/neu"
    saved = client.post(
        new, data={"csrf_token": csrf_token(client, new), "titel": "Lage", "text": "x"}
    )
    kapitel_url = saved.headers["Location"]
    response = client.post(
        f"{kapitel_url}/diagramme",
        data={
            "csrf_token": csrf_token(client, kapitel_url),
            "diagramm-indikator_id": str(welt.quote.id),
            "diagramm-art": "karte",
            "diagramm-jahr": "",
            "diagramm-einrichtung_typen": ["kita"],
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(f"/datenbasis/sozialreports/{report.id}").get_data(as_text=True)
    assert 'class="karte__svg"' in page and 'role="img"' in page
    assert "Datentabelle: Karte: Quote K 2024 je Sozialraum (%)" in page
    pdf = client.get(f"/datenbasis/sozialreports/{report.id}/entwurf.pdf")
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Karte: Quote K 2024 je Sozialraum" in text and "Klassen (Quantile)" in text


def test_einrichtung_coordinates_from_the_infrastructure_import(
    client,
    login,
    welt,
    upload,  # noqa: F811
    jobs,  # noqa: F811
    confirm,  # noqa: F811
) -> None:
    login(welt.stab)
    kopf = "name;typ;sozialraum;strasse;breite;laenge\n"
    falsch = (
        kopf + "Kita Nord;Kita;Bereich A;Weg 1;151,2;6,93\nKita Süd;Kita;Bereich B;Weg 2;51,15;\n"
    )
    datei_id = jobs.check(upload("einrichtungen", falsch.encode(), "einrichtungen.csv"))
    seite = client.get(f"/datenbasis/import/datei/{datei_id}").get_data(as_text=True)
    assert "„151,2“ ist kein Breitengrad" in seite and "zusammen angeben" in seite
    assert db.session.scalar(select(func.count()).select_from(Einrichtung)) == 0
    gut = kopf + "Kita Nord;Kita;Bereich A;Weg 1;51,1821;6,9301\nKita Süd;Kita;Bereich B;Weg 2;;\n"
    confirm(jobs.check(upload("einrichtungen", gut.encode(), "einrichtungen.csv")))
    rows = {e.name: (e.breite, e.laenge) for e in db.session.scalars(select(Einrichtung))}
    assert rows == {"Kita Nord": (51.1821, 6.9301), "Kita Süd": (None, None)}


def test_map_page_queries_do_not_grow_with_einrichtungen(
    client, login, make, welt, csrf_token, query_counter
) -> None:
    login(welt.stab)
    assert _upload(client, csrf_token, _gut(welt)).status_code == 303

    def kitas(n: int, start: int) -> None:
        for i in range(start, start + n):
            laenge, breite = _wgs(100 + 50 * i, 100)
            db.session.add(
                Einrichtung(
                    name=f"Kita {i}",
                    typ=EinrichtungTyp.KITA,
                    sozialraum_id=welt.a.id,
                    breite=breite,
                    laenge=laenge,
                )
            )
        db.session.commit()

    url = f"/karte/?indikator={welt.quote.id}&typ=kita&versorgung=kita&radius=300"
    kitas(1, 0)
    with query_counter() as few:
        assert client.get(url).status_code == 200
    kitas(6, 1)
    with query_counter() as more:
        page = client.get(url).get_data(as_text=True)
    assert page.count('<g class="karte__symbol">') == 7
    assert len(more) == len(few)


def test_too_large_file_is_refused(ctx, welt, monkeypatch) -> None:
    from app.karten import grenzen

    monkeypatch.setattr(grenzen, "MAX_BYTES", 100)
    with pytest.raises(GrenzenFehler) as info:
        pruefen(_gut(welt))
    assert "größer als 10 MB" in info.value.fehler[0]


def test_detailed_boundaries_are_drawn_simplified(client, login, welt, csrf_token) -> None:
    """A circle with 4000 points per area still gives a small SVG (half a pixel of detail)."""
    import shapely

    def rund(x0: float) -> list:
        kreis = shapely.Point(x0 + 500, 500).buffer(500, quad_segs=1000)
        return [[_wgs(x, y) for x, y in kreis.exterior.coords]]

    login(welt.stab)
    datei = _datei(
        _feature({"name": "Bereich A"}, rund(0)), _feature({"name": "Bereich B"}, rund(1000))
    )
    assert _upload(client, csrf_token, datei).status_code == 303
    page = client.get(f"/karte/?indikator={welt.quote.id}").get_data(as_text=True)
    start = page.index('<svg class="karte__svg"')
    svg = page[start : page.index("</svg>", start)]
    assert len(svg) < 60_000  # unsimplified, the two outlines alone would be ~300 kB
