"""Browser journey: import with an error and the fix, a report with two charts, a comment from
the Planungsrunde, publication, and the public page without login; 0 axe violations throughout."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.datenbasis.models import (
    ImportArt,
    Importdatei,
    ImportStatus,
    Indikator,
    Richtung,
    Sozialreport,
)
from app.extensions import db
from app.stammdaten.demo import DEMO_PASSWORD, load_demo_data
from app.workflows.models import Phase, Zyklus
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser

STAB = "stabsstelle@demo.hilden.example"
MITGLIED = "jugendamt@demo.hilden.example"
HEADER = "indikator;sozialraum;jahr;wert\n"
ROWS = [
    "Kinderarmutsquote (Test);Stadtbereich Nord;2023;12,4",
    "Kinderarmutsquote (Test);Stadtbereich Nord;2024;11,8",
    "Kinderarmutsquote (Test);Stadtbereich Ost;2023;19,6",
    "Kinderarmutsquote (Test);Stadtbereich Ost;2024;18,9",
    "Kinderarmutsquote (Test);Gesamtstadt;2023;15,2",
    "Kinderarmutsquote (Test);Gesamtstadt;2024;14,7",
]


@pytest.fixture
def setup(app):
    with app.app_context():
        load_demo_data()
        stab = db.session.scalar(select(User).where(User.email == STAB))
        running = Importdatei(
            art=ImportArt.INDIKATORWERTE,
            dateiname="gross.csv",
            inhalt=b"indikator;sozialraum;jahr;wert\n",
            user_id=stab.id,
            status=ImportStatus.PRUEFUNG,
            kodierung="UTF-8",
            zeilen_gelesen=1234,
            zeilen_geschaetzt=5000,
            fehler_bisher=2,
        )
        db.session.add(running)
        db.session.add(
            Indikator(
                name="Kinderarmutsquote (Test)", einheit="%", richtung=Richtung.HOEHER_SCHLECHTER
            )
        )
        zyklus = Zyklus(
            titel="Sozialplanung 2026", beginn=date(2026, 1, 1), ende=date(2026, 12, 31)
        )
        db.session.add(zyklus)
        db.session.commit()
        return zyklus.id, running.id


def _login(page, base: str, email: str) -> None:
    page.goto(f"{base}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{base}/start")


def _logout(page) -> None:
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/anmelden**")


def _upload(page, content: str) -> None:
    page.get_by_label("Datei (CSV oder Excel)").set_input_files(
        files=[{"name": "werte.csv", "mimeType": "text/csv", "buffer": content.encode()}]
    )
    page.get_by_role("button", name="Datei prüfen").click()


def _running_job_page(page, base: str, datei_id: int) -> None:
    """A job the worker is still reading: progress bar, rows and errors so far, accessible."""
    page.goto(f"{base}/datenbasis/import/datei/{datei_id}")
    assert page.get_by_role("heading", name="Die Datei wird geprüft").is_visible()
    assert page.get_by_label("Fortschritt").is_visible()
    page.get_by_text("Zeilen gelesen: 1.234 von etwa 5.000").wait_for()
    assert_accessible(page)


def _import_with_error_then_fixed(page, base: str) -> None:
    page.get_by_role("link", name="Datenbasis").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Indikatorwerte importieren (CSV oder Excel)").click()
    assert_accessible(page)
    broken = [*ROWS[:2], "Kinderarmutsquote (Test);Stadtbereich Ost;2023;viel", *ROWS[3:]]
    _upload(page, HEADER + "\n".join(broken))
    page.wait_for_url(f"{base}/datenbasis/import/datei/*")
    report = page.get_by_role("alert")  # the job page reloads itself when the check is done
    report.wait_for()
    assert "es wurde nichts importiert" in report.inner_text()
    assert "„viel“ ist keine Zahl" in report.inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Neue Datei hochladen").click()
    _upload(page, HEADER + "\n".join(ROWS))
    page.wait_for_url(f"{base}/datenbasis/import/datei/*")
    button = page.get_by_role("button", name="Jetzt 6 Zeilen importieren")
    button.wait_for()
    assert page.get_by_role("cell", name="keine Angabe").count() == 0
    assert page.get_by_role("cell", name="12,4").count() == 2  # as written and as read
    assert_accessible(page)
    button.click()
    page.get_by_text("Diese Datei wurde am").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Zu den importierten Daten").click()
    page.wait_for_url(f"{base}/datenbasis/indikatoren")


def _report_with_two_charts(page, base: str) -> None:
    page.get_by_role("link", name="Sozialreports").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Sozialreport anlegen").click()
    page.get_by_label("Titel").fill("Sozialreport Hilden 2026")
    page.get_by_label("Einleitung (Markdown)").fill("Die Daten im **Überblick**.")
    assert_accessible(page)
    page.get_by_role("button", name="Entwurf anlegen").click()
    page.get_by_role("link", name="Kapitel hinzufügen").click()
    page.get_by_label("Kapitelüberschrift").fill("Kinderarmut")
    page.get_by_label("Text (Markdown)").fill("Die Quote *sinkt* in allen Stadtbereichen.")
    assert_accessible(page)
    page.get_by_role("button", name="Kapitel speichern").click()
    for art, jahr in (("Zeitreihe je Sozialraum", ""), ("Vergleich der Sozialräume", "2024")):
        page.get_by_label("Indikator").select_option(label="Kinderarmutsquote (Test)")
        page.get_by_label("Art des Diagramms").select_option(label=art)
        page.get_by_label("Jahr (Vergleich und Karte)").fill(jahr)
        page.get_by_role("button", name="Diagramm hinzufügen").click()
        assert page.get_by_text("Das Diagramm wurde hinzugefügt.").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Zurück zum Sozialreport").click()
    charts = page.locator("svg[role=img]")
    assert charts.count() == 2
    assert "18,9 %" in charts.nth(1).inner_html()
    assert_accessible(page)
    page.get_by_role("button", name="In die Planungsrunde geben").click()
    assert page.get_by_text("Der Sozialreport liegt jetzt der Planungsrunde vor.").is_visible()
    assert_accessible(page)


def _member_comments(page, base: str) -> None:
    page.get_by_role("link", name="Sozialreports").first.click()
    page.get_by_role("link", name="Sozialreport Hilden 2026").click()
    assert_accessible(page)
    page.get_by_label("Ihr Kommentar").fill("Bitte die Werte von 2022 ergänzen.")
    page.get_by_role("button", name="Kommentar senden").click()
    assert page.get_by_text("Ihr Kommentar wurde gespeichert.").is_visible()
    assert page.get_by_text("Bitte die Werte von 2022 ergänzen.").is_visible()
    assert page.get_by_role("button", name="Veröffentlichen").count() == 0
    assert_accessible(page)


def test_stabsstelle_builds_and_publishes_a_sozialreport(
    app, live_server, page, setup, celery_worker
) -> None:
    base = live_server
    zyklus_id, running_id = setup
    _login(page, base, STAB)
    _running_job_page(page, base, running_id)
    _import_with_error_then_fixed(page, base)
    _report_with_two_charts(page, base)
    _logout(page)
    _login(page, base, MITGLIED)
    _member_comments(page, base)
    _logout(page)
    with app.app_context():  # the cycle moves on in app.workflows (its own journey covers that UI)
        db.session.get(Zyklus, zyklus_id).phase = Phase.BETEILIGUNG
        db.session.commit()
    _login(page, base, STAB)
    page.get_by_role("link", name="Sozialreports").first.click()
    page.get_by_role("link", name="Sozialreport Hilden 2026").click()
    page.get_by_role("button", name="Veröffentlichen").click()
    assert page.get_by_text("Der Sozialreport ist veröffentlicht.").is_visible()
    assert_accessible(page)
    _logout(page)
    page.goto(f"{base}/sozialreport/")
    assert_accessible(page)
    page.get_by_role("link", name="Sozialreport Hilden 2026").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sozialreport Hilden 2026"
    assert page.locator("svg[role=img]").count() == 2
    assert "Bitte die Werte von 2022" not in page.content()  # comments stay internal
    assert_accessible(page)
    with app.app_context():
        report_id = db.session.scalar(select(Sozialreport.id))
    pdf = page.request.get(f"{base}/sozialreport/{report_id}.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
