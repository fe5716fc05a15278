"""Browser journey: the Stabsstelle imports the Sozialraum boundaries (a broken file first),
chooses an indicator and a catchment on the map page, adds the map to a Sozialreport, sees it
there and in the report's PDF. Axe finds 0 violations on every page showing the map."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import delete

from app.datenbasis.demo import load_demo_datenbasis
from app.extensions import db
from app.karten.demo import geojson, load_demo_karte
from app.karten.models import SozialraumGrenze
from app.stammdaten.demo import DEMO_PASSWORD, load_demo_data
from app.workflows.models import Phase, Zyklus
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def setup(app):
    with app.app_context():
        load_demo_data()
        load_demo_datenbasis()
        load_demo_karte()  # gives the demo Einrichtungen their positions …
        db.session.execute(delete(SozialraumGrenze))  # … the boundaries come from the journey
        db.session.add(
            Zyklus(
                titel="Sozialplanung 2028",
                beginn=date(2028, 1, 1),
                ende=date(2028, 12, 31),
                phase=Phase.DATENBASIS,
            )
        )
        db.session.commit()


def _datei(page, name: str, content: bytes) -> None:
    page.get_by_label("GeoJSON-Datei der Sozialraumgrenzen").set_input_files(
        files=[{"name": name, "mimeType": "application/geo+json", "buffer": content}]
    )


def test_boundaries_map_sozialreport_and_pdf(live_server, page, setup) -> None:
    base = live_server
    page.goto(f"{base}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill("stabsstelle@demo.hilden.example")
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{base}/start")

    page.get_by_role("link", name="Karte", exact=True).first.click()
    assert page.get_by_text("Es sind noch keine Sozialraumgrenzen importiert.").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Grenzen importieren (GeoJSON)").click()
    assert_accessible(page)
    kaputt = json.loads(geojson())
    kaputt["features"][0]["properties"] = {"name": "Stadtbereich Atlantis"}
    _datei(page, "falsch.geojson", json.dumps(kaputt).encode())
    page.get_by_role("button", name="Grenzen importieren").click()
    fehler = page.get_by_role("alert")
    assert "es wurde nichts gespeichert" in fehler.inner_text()
    assert "Unbekannter Sozialraum" in fehler.inner_text()
    assert_accessible(page)
    _datei(page, "hilden.geojson", geojson())
    page.get_by_label("Die Grenzen sind schematisch").check()
    page.get_by_role("button", name="Grenzen importieren").click()
    assert page.get_by_text("Die Grenzen von 5 Sozialräumen wurden importiert.").is_visible()

    page.get_by_label("Indikator").select_option(label="Kinderarmutsquote")
    page.get_by_label("Kita", exact=True).check()
    page.get_by_label("Art der Einrichtung").select_option(label="Kita")
    page.get_by_label("Radius in Metern").fill("600")
    page.get_by_role("button", name="Karte zeigen").click()
    karte = page.locator("svg.karte__svg[role=img]")
    assert karte.count() == 1
    assert (
        "Karte: Kinderarmutsquote 2024 je Sozialraum (%)"
        in karte.locator("title").first.text_content()
    )
    assert page.get_by_role("table", name="Versorgung je Sozialraum").is_visible()
    assert page.get_by_text("gleichmäßig verteilt").is_visible()
    assert page.get_by_text("Schematische Grenzen:").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Sozialreports").first.click()
    page.get_by_role("link", name="Sozialreport anlegen").click()
    page.get_by_label("Planungszyklus").select_option(label="Sozialplanung 2028")
    page.get_by_label("Titel").fill("Sozialreport 2028")
    page.get_by_role("button", name="Entwurf anlegen").click()
    page.get_by_role("link", name="Kapitel hinzufügen").click()
    page.get_by_label("Kapitelüberschrift").fill("Lage in den Stadtbereichen")
    page.get_by_role("button", name="Kapitel speichern").click()
    page.get_by_label("Indikator").select_option(label="Kinderarmutsquote")
    page.get_by_label("Art des Diagramms").select_option(label="Karte der Sozialräume")
    page.get_by_label("Kita", exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Diagramm hinzufügen").click()
    assert page.get_by_text("Das Diagramm wurde hinzugefügt.").is_visible()
    page.get_by_role("link", name="Zurück zum Sozialreport").click()
    karte = page.locator("svg.karte__svg[role=img]")
    assert karte.count() == 1 and karte.is_visible()
    assert page.get_by_role("table", name="Einrichtungen auf der Karte").is_visible()
    assert_accessible(page)
    pdf_url = page.get_by_role("link", name="Entwurf als PDF").get_attribute("href")
    pdf = page.request.get(f"{base}{pdf_url}")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Karte: Kinderarmutsquote 2024 je Sozialraum" in text
    assert "Schematische Grenzen" in text and "Stadtbereich Mitte" in text
