"""Browser journey: from a Stadtteilarbeitskreis' minutes to a committee's decision.

A moderator uploads the minutes with two impulses; the Stabsstelle approves them, turns one
impulse into a Maßnahme with Drittmittel, generates the Vorlage PDF for the Verwaltungsvorstand,
records the board's and the committee's decisions, and the impulse's page shows the whole
chain. Every page passes axe (WCAG 2.1 AA).
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from app.extensions import db
from app.stammdaten.models import Funktion, GremiumTyp
from app.workflows.models import Phase, Zyklus
from tests.factories import PASSWORD
from tests.support.a11y import assert_accessible
from tests.support.dateien import MINIMAL_PDF

pytestmark = pytest.mark.browser

PDF = MINIMAL_PDF


@pytest.fixture
def people(app, make, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    with app.app_context():
        raum = make.sozialraum("Stadtbereich Nord", nummer=1)
        stab = make.stabsstelle(email="stab@protokoll.example", name="Stefanie Stab")
        kreis = make.gremium(
            GremiumTyp.STADTTEILARBEITSKREIS, name="Stadtteilarbeitskreis Nord", sozialraum=raum
        )
        mona = make.user(email="mona@stellwerk.example", name="Mona Moderation")
        make.mitgliedschaft(kreis, mona, Funktion.MODERATION)
        make.gremium(GremiumTyp.VERWALTUNGSVORSTAND, name="Verwaltungsvorstand")
        make.gremium(GremiumTyp.FACHAUSSCHUSS, name="Sozialausschuss")
        zyklus = make.zyklus([kreis], titel="Sozialplanung 2027", phase=Phase.BETEILIGUNG)
        make.vergangene_sitzung(kreis, titel="Arbeitskreis Nord im März", zyklus_id=zyklus.id)
        return {"stab": stab.email, "mona": mona.email}


def _login(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/anmelden")
    assert_accessible(page)
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")
    assert_accessible(page)


def _open_minutes(page, live_server: str) -> None:
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Protokolle"
    ).click()
    page.wait_for_url(f"{live_server}/protokolle/")
    assert_accessible(page)
    page.get_by_role("link", name="Arbeitskreis Nord im März").click()
    page.wait_for_url(re.compile(r".*/protokolle/sitzung/\d+$"))
    assert_accessible(page)


def _add_impulse(page, titel: str, thema: str, adressat: str) -> None:
    page.locator("summary", has_text="Impuls erfassen").click()
    page.get_by_label("Titel des Impulses").fill(titel)
    page.get_by_label("Beschreibung").fill(f"{titel} – aus der Sitzung im März.")
    page.get_by_label("Thema").fill(thema)
    page.get_by_label("Adressiert an").select_option(label=adressat)
    assert_accessible(page)
    page.get_by_role("button", name="Impuls erfassen").click()
    assert page.get_by_text(f"Der Impuls „{titel}“ wurde erfasst.").is_visible()
    assert_accessible(page)


def _moderator_uploads(browser, live_server: str, people: dict, tmp_path) -> None:
    page = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    page.set_default_timeout(15000)
    _login(page, live_server, people["mona"])
    assert page.get_by_role("link", name=re.compile("Protokoll hochladen: Arbeitskreis Nord"))
    _open_minutes(page, live_server)
    datei = tmp_path / "protokoll-maerz.pdf"
    datei.write_bytes(PDF)
    page.get_by_label("Protokolldatei").set_input_files(str(datei))
    page.get_by_role("button", name="Protokoll hochladen").click()
    assert page.get_by_text("Fassung 1 des Protokolls wurde gespeichert.").is_visible()
    assert page.get_by_role("link", name="protokoll-maerz.pdf").is_visible()
    assert_accessible(page)
    page.locator("summary", has_text="Teilnahme und Ergebnisse bearbeiten").click()
    page.get_by_label("Zahl der Teilnehmenden").fill("14")
    page.get_by_label("Ergebnisse", exact=True).fill("- Bedarf an einem **offenen Treff**")
    page.get_by_role("button", name="Ergebnisse speichern").click()
    assert page.locator(".markdown strong", has_text="offenen Treff").is_visible()
    _add_impulse(page, "Offener Treff für Jugendliche", "Jugend", "Städtische Planungsrunde")
    _add_impulse(page, "Bessere Busanbindung", "Mobilität", "Politik (Fachausschüsse)")
    assert page.get_by_role("button", name="Protokoll freigeben").count() == 0
    page.context.close()


def _decide(page, gremium: str, ergebnis: str, datum: str, drucksache: str = "") -> None:
    page.locator("summary", has_text="Beschluss erfassen").click()
    page.get_by_label("Gremium").select_option(label=gremium)
    page.get_by_label("Ergebnis").select_option(label=ergebnis)
    page.get_by_label("Datum").fill(datum)
    page.get_by_label("Drucksachennummer").fill(drucksache)
    page.get_by_role("button", name="Beschluss erfassen").click()
    assert page.get_by_text("Der Beschluss wurde erfasst.").is_visible()
    assert_accessible(page)


def _phase(app, phase: Phase) -> None:
    """Test setup between the steps: the cycle moves on (the move itself is tested elsewhere)."""
    with app.app_context():
        zyklus = db.session.scalar(db.select(Zyklus).where(Zyklus.titel == "Sozialplanung 2027"))
        zyklus.phase = phase
        db.session.commit()


def test_minutes_to_committee_decision(app, live_server, browser, page, people, tmp_path) -> None:
    _moderator_uploads(browser, live_server, people, tmp_path)

    # the Stabsstelle approves the minutes
    _login(page, live_server, people["stab"])
    _open_minutes(page, live_server)
    page.get_by_role("button", name="Protokoll freigeben").click()
    assert page.get_by_text("Das Protokoll ist freigegeben; 1 Mitglied wurde").is_visible()
    assert_accessible(page)

    # the next Planungsrunde turns one impulse into a Maßnahme with Drittmittel
    _phase(app, Phase.PLANUNGSRUNDE)

    page.get_by_role("link", name="Offener Treff für Jugendliche").click()
    page.wait_for_url(re.compile(r".*/impulse/\d+$"))
    impuls_url = page.url
    assert_accessible(page)
    page.get_by_role("link", name="Maßnahme aus diesem Impuls anlegen").click()
    assert_accessible(page)
    assert page.get_by_label("Titel").input_value() == "Offener Treff für Jugendliche"
    page.get_by_label("Geschätzte Kosten (Euro)").fill("48.000")
    page.get_by_label("Davon aus dem Haushalt (Euro)").fill("28.000,00")
    page.get_by_label("Bürgerschaftliches Engagement").fill("Ehrenamtliche an zwei Abenden")
    page.get_by_label("Priorität (Rang)").fill("1")
    page.get_by_role("button", name="Maßnahme speichern").click()
    page.wait_for_url(re.compile(r".*/massnahmen/\d+$"))
    assert_accessible(page)
    page.locator("summary", has_text="Drittmittelquelle hinzufügen").click()
    page.get_by_label("Drittmittelquelle", exact=True).fill(
        "Landesprogramm Kinder- und Jugendarbeit"
    )
    page.get_by_label("Betrag (Euro)").fill("20.000")
    page.get_by_label("Stand").select_option(label="beantragt")
    page.get_by_role("button", name="Drittmittel hinzufügen").click()
    assert page.get_by_role("cell", name="20.000,00 €").is_visible()
    assert_accessible(page)
    massnahme_url = page.url.split("#")[0]

    # the Vorlage for the Verwaltungsvorstand as PDF
    page.get_by_role("link", name=re.compile("Zurück zu den Maßnahmen")).click()
    assert_accessible(page)
    href = page.get_by_role("link", name="Vorlage für den Verwaltungsvorstand (PDF)").get_attribute(
        "href"
    )
    response = page.request.get(f"{live_server}{href}")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Vorlage für den Verwaltungsvorstand" in text
    assert "1. Offener Treff für Jugendliche" in text and "48.000,00 €" in text
    assert (
        "Landesprogramm Kinder- und Jugendarbeit" in text and "Stadtteilarbeitskreis Nord" in text
    )

    # board and committee decide (in the phases Verwaltungsvorstand and Politik)
    _phase(app, Phase.VERWALTUNGSVORSTAND)
    page.goto(massnahme_url)
    _decide(page, "Verwaltungsvorstand (Verwaltungsvorstand)", "zugestimmt", "2027-03-10")
    _phase(app, Phase.POLITIK)
    page.reload()
    _decide(
        page, "Sozialausschuss (Fachausschuss)", "zugestimmt", "2027-04-22", "WP 20-25 SV 51/123"
    )
    assert page.get_by_text("beschlossen", exact=True).first.is_visible()

    # the impulse's page shows the whole chain
    page.goto(impuls_url)
    chain = page.locator("ol.kette")
    for text in (
        "Protokoll der Sitzung „Arbeitskreis Nord im März“",
        "in Prüfung → aufgenommen",
        "Offener Treff für Jugendliche (Sozialplanung 2027",
        "Verwaltungsvorstand: zugestimmt",
        "Sozialausschuss: zugestimmt, Drucksache WP 20-25 SV 51/123",
    ):
        assert chain.get_by_text(text).first.is_visible(), text
    assert_accessible(page)
    chain.get_by_role("link", name=re.compile("Protokoll der Sitzung")).click()
    page.wait_for_url(re.compile(r".*/protokolle/sitzung/\d+$"))
    assert page.get_by_text("freigegeben am").is_visible()
    assert_accessible(page)
