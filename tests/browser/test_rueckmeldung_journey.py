"""Browser journey: a Rückmeldebogen from the builder to the Träger's receipt and the XLSX export.

The Stabsstelle builds a form with every question type and publishes it; a Träger user follows
the link in the invitation mail (real worker, real SMTP server), saves a draft, comes back,
submits and receives the receipt; the Stabsstelle sees the charts and downloads the XLSX.
Every page passes axe (WCAG 2.1 AA).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.stammdaten.models import GremiumTyp
from tests.factories import PASSWORD
from tests.support.a11y import assert_accessible
from tests.support.dateien import MINIMAL_PDF

pytestmark = pytest.mark.browser

PDF = MINIMAL_PDF
FRAGEN = [
    ("Kurzer Text", "Name der Einrichtung", {"pflicht": True}),
    ("Langer Text", "Was fehlt im Stadtteil?", {"hilfe": "Bitte möglichst konkret."}),
    ("Einfachauswahl", "Wichtigstes Handlungsfeld", {"optionen": "Kinder\nFamilien\nSenioren"}),
    ("Mehrfachauswahl", "Ihre Angebote", {"optionen": "Beratung\nTreffpunkt\nKita"}),
    ("Skala 1–5", "Zufriedenheit mit der Datenlage", {"skala": ("gering", "hoch")}),
    ("Zahl", "Zahl der Plätze", {"zahl": ("0", "500")}),
    ("Ja/Nein", "Planen Sie neue Angebote?", {}),
    ("Matrix je Stadtbereich", "Bedarf je Stadtbereich", {"optionen": "hoch\nmittel\ngering"}),
    ("Dateianhang", "Konzept", {}),
]


@pytest.fixture
def people(app, make):
    with app.app_context():
        make.sozialraum("Stadtbereich Nord", nummer=1)
        make.sozialraum("Stadtbereich Süd", nummer=2)
        stab = make.stabsstelle(email="stab@rueckmeldung.example", name="Stefanie Stab")
        traegerrunde = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde Dezernat III")
        awo = make.organisation("AWO Hilden", kurzname="AWO")
        anna = make.traeger_user(email="anna@awo.example", name="Anna Awo", organisation=awo)
        make.mitgliedschaft(traegerrunde, anna)
        return {"stab": stab.email, "anna": anna.email}


def _login(page, live_server: str, email: str, target: str | None = None) -> None:
    if target is None:
        page.goto(f"{live_server}/anmelden")
    assert_accessible(page)
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(target or f"{live_server}/start")


def _build_form(page, live_server: str) -> str:
    """Create the form with one question of every type; returns its URL."""
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Rückmeldebögen"
    ).click()
    page.wait_for_url(f"{live_server}/beteiligung/")
    assert_accessible(page)
    page.get_by_role("link", name="Neuer Rückmeldebogen").click()
    assert_accessible(page)
    page.get_by_label("Titel").fill("Rückmeldung zum Sozialreport 2027")
    page.get_by_label("Einleitung").fill(
        "Bitte geben Sie uns Ihre Einschätzung zu Daten und Maßnahmen."
    )
    page.get_by_label("Gremium als Adressat").select_option(
        label="Trägerrunde Dezernat III (Trägerrunde)"
    )
    page.get_by_label("Öffnet am").fill("2020-01-01T09:00")
    page.get_by_label("Frist (schließt am)").fill("2099-12-31T18:00")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(r".*/beteiligung/\d+$"))
    url = page.url
    assert_accessible(page)
    page.get_by_label("Überschrift des Abschnitts").fill("Daten und Bedarfe")
    page.get_by_role("button", name="Abschnitt speichern").click()
    page.wait_for_url(re.compile(r".*/beteiligung/\d+$"))
    for index, (typ, text, extra) in enumerate(FRAGEN):
        _add_question(page, typ, text, extra, check=index == 0)
    assert page.locator(".fragenliste > li").count() == len(FRAGEN)
    assert_accessible(page)
    return url


def _add_question(page, typ: str, text: str, extra: dict, *, check: bool) -> None:
    page.get_by_role("link", name=re.compile(r"^Frage hinzufügen")).click()
    page.wait_for_url(re.compile(r".*/fragen/neu$"))
    if check:
        assert_accessible(page)
    page.get_by_label("Art der Frage").select_option(label=typ)
    page.get_by_label("Fragetext").fill(text)
    if "hilfe" in extra:
        page.get_by_label("Hilfetext").fill(extra["hilfe"])
    if extra.get("pflicht"):
        page.get_by_label(re.compile("^Pflichtfrage")).check()
    if "optionen" in extra:
        page.get_by_label("Antwortmöglichkeiten").fill(extra["optionen"])
    if "skala" in extra:
        page.get_by_label("Bezeichnung für 1").fill(extra["skala"][0])
        page.get_by_label("Bezeichnung für 5").fill(extra["skala"][1])
    if "zahl" in extra:
        page.get_by_label("Kleinster erlaubter Wert").fill(extra["zahl"][0])
        page.get_by_label("Größter erlaubter Wert").fill(extra["zahl"][1])
    page.get_by_role("button", name="Frage speichern").click()
    page.wait_for_url(re.compile(r".*/beteiligung/\d+#frage-\d+$"))
    assert page.get_by_text(f"Die Frage „{text}“ wurde hinzugefügt.").is_visible()


def _group(page, name: str):
    return page.get_by_role("group", name=re.compile(re.escape(name)))


def _fill_answers(page, tmp_path) -> None:
    page.get_by_label(re.compile(r"Name der Einrichtung")).fill("Familienzentrum Nord")
    page.get_by_label(re.compile(r"Was fehlt im Stadtteil\?")).fill(
        "Ein offener Treff für Jugendliche."
    )
    _group(page, "Wichtigstes Handlungsfeld").get_by_label("Familien").check()
    _group(page, "Ihre Angebote").get_by_label("Beratung").check()
    _group(page, "Ihre Angebote").get_by_label("Kita").check()
    _group(page, "Zufriedenheit mit der Datenlage").get_by_label("4", exact=True).check()
    page.get_by_label(re.compile(r"Zahl der Plätze")).fill("42")
    _group(page, "Planen Sie neue Angebote?").get_by_label("Ja", exact=True).check()
    _group(page, "Stadtbereich Nord").get_by_label("hoch").check()
    _group(page, "Stadtbereich Süd").get_by_label("gering").check()
    konzept = tmp_path / "konzept.pdf"
    konzept.write_bytes(PDF)
    page.get_by_label(re.compile(r"Konzept")).set_input_files(str(konzept))


def test_rueckmeldung_from_builder_to_receipt_and_export(
    app,
    live_server,
    browser,
    page,
    people,
    celery_worker,
    smtp_server,
    tmp_path,
) -> None:
    # the Stabsstelle builds, previews and publishes
    _login(page, live_server, people["stab"])
    bogen_url = _build_form(page, live_server)
    page.get_by_role("link", name="Vorschau").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Vorschau")
    assert_accessible(page)
    page.goto(bogen_url)
    page.get_by_role("button", name="Veröffentlichen").click()
    assert page.get_by_text("Der Bogen wurde veröffentlicht.").is_visible()
    assert_accessible(page)

    # the Träger follows the link in the invitation mail
    [invitation] = smtp_server.wait_for(people["anna"])
    assert (
        invitation.message["Subject"] == "Bitte um Rückmeldung: Rückmeldung zum Sozialreport 2027"
    )
    link = re.search(r"http://\S+/beteiligung/\d+/ausfuellen", invitation.text()).group(0)
    traeger = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    traeger.set_default_timeout(15000)
    traeger.goto(link)
    _login(traeger, live_server, people["anna"], target=link)
    assert_accessible(traeger)

    # a draft with an invalid number keeps everything, then saves
    _fill_answers(traeger, tmp_path)
    traeger.get_by_label(re.compile(r"Zahl der Plätze")).fill("viele")
    traeger.get_by_role("button", name="Entwurf speichern").click()
    summary = traeger.get_by_role("alert")
    assert summary.get_by_role(
        "link", name=re.compile("Zahl der Plätze: Bitte geben Sie eine Zahl ein")
    ).is_visible()
    assert (
        traeger.get_by_label(re.compile(r"Name der Einrichtung")).input_value()
        == "Familienzentrum Nord"
    )
    assert traeger.get_by_role("link", name="konzept.pdf").is_visible()
    assert_accessible(traeger)
    traeger.get_by_label(re.compile(r"Zahl der Plätze")).fill("42")
    traeger.get_by_role("button", name="Entwurf speichern").click()
    assert traeger.get_by_text("Ihr Entwurf wurde gespeichert.").is_visible()
    assert_accessible(traeger)

    # comes back later through the start page
    traeger.goto(f"{live_server}/start")
    assert_accessible(traeger)
    traeger.get_by_role(
        "link", name="Rückmeldung „Rückmeldung zum Sozialreport 2027“ ausfüllen"
    ).click()
    assert traeger.get_by_label(re.compile(r"Zahl der Plätze")).input_value() == "42"
    assert _group(traeger, "Stadtbereich Süd").get_by_label("gering").is_checked()
    traeger.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Offene Rückmeldungen"
    ).click()
    assert_accessible(traeger)
    traeger.get_by_role("link", name="Rückmeldung zum Sozialreport 2027").click()
    traeger.get_by_role("button", name="Einreichen").click()
    assert traeger.get_by_role("heading", name="Rückmeldung einreichen?").is_visible()
    assert_accessible(traeger)
    traeger.get_by_role("button", name="Jetzt verbindlich einreichen").click()
    assert traeger.get_by_text("Ihre Rückmeldung wurde eingereicht.").is_visible()
    assert traeger.get_by_text("Ein offener Treff für Jugendliche.").first.is_visible()
    assert_accessible(traeger)

    # the receipt with the answers
    receipt = smtp_server.wait_for(people["anna"], count=2)[1]
    assert receipt.message["Subject"] == "Eingangsbestätigung: Rückmeldung zum Sozialreport 2027"
    for text in (
        "Familienzentrum Nord",
        "Beratung, Kita",
        "42",
        "Stadtbereich Süd: gering",
        "konzept.pdf",
    ):
        assert text in receipt.text(), text

    # the Stabsstelle sees status, charts and downloads the XLSX
    page.goto(bogen_url)
    page.get_by_role("link", name="Status je Organisation").click()
    assert (
        page.get_by_role("row", name=re.compile("AWO Hilden"))
        .get_by_text("eingereicht")
        .is_visible()
    )
    assert_accessible(page)
    page.get_by_role("link", name="Ergebnisse").first.click()
    charts = page.locator('svg[role="img"]')
    assert charts.count() == 4
    assert page.get_by_role("img", name=re.compile("Wichtigstes Handlungsfeld")).is_visible()
    assert page.get_by_role(
        "table", name=re.compile("Datentabelle zu „Ihre Angebote“")
    ).is_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export als Excel (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    rows = list(book["Rückmeldungen"].iter_rows(values_only=True))
    assert rows[1][0] == "AWO Hilden" and rows[1][1] == "eingereicht"
    assert {
        "Familienzentrum Nord",
        "Ein offener Treff für Jugendliche.",
        "Familien",
        "Beratung, Kita",
        4,
        42,
        "Ja",
        "hoch",
        "gering",
        "konzept.pdf",
    } <= set(rows[1])
