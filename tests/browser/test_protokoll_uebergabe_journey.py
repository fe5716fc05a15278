"""Browser journey: the moderator hands in the minutes, the Stabsstelle sends them back with a
comment from its task, the moderator revises and hands in again, the Stabsstelle approves.

Driven by visible German labels; every page passes axe (WCAG 2.1 AA).
"""

from __future__ import annotations

import re

import pytest

from app.stammdaten.models import Funktion, GremiumTyp
from app.workflows.models import Phase
from tests.factories import PASSWORD
from tests.support.a11y import assert_accessible
from tests.support.dateien import MINIMAL_PDF

pytestmark = pytest.mark.browser

TASK = re.compile(r"Protokoll freigeben: Arbeitskreis Süd im April")


@pytest.fixture
def people(app, make, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    with app.app_context():
        raum = make.sozialraum("Stadtbereich Süd", nummer=2)
        stab = make.stabsstelle(email="stab@uebergabe.example", name="Stefanie Stab")
        kreis = make.gremium(
            GremiumTyp.STADTTEILARBEITSKREIS, name="Stadtteilarbeitskreis Süd", sozialraum=raum
        )
        mona = make.user(email="mona@uebergabe.example", name="Mona Moderation")
        make.mitgliedschaft(kreis, mona, Funktion.MODERATION)
        zyklus = make.zyklus([kreis], titel="Sozialplanung 2028", phase=Phase.BETEILIGUNG)
        make.vergangene_sitzung(kreis, titel="Arbeitskreis Süd im April", zyklus_id=zyklus.id)
        return {"stab": stab.email, "mona": mona.email}


def _login(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")
    assert_accessible(page)


def _new_page(browser):
    page = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    page.set_default_timeout(15000)
    return page


def _open_task(page, name: re.Pattern) -> None:
    page.get_by_role("link", name=name).click()
    page.wait_for_url(re.compile(r".*/protokolle/sitzung/\d+$"))
    assert_accessible(page)


def test_moderator_hands_in_and_stabsstelle_approves_from_its_task(
    live_server, browser, page, people, tmp_path
) -> None:
    # the moderator uploads the file from the start-page task and hands it in
    mona = _new_page(browser)
    _login(mona, live_server, people["mona"])
    _open_task(mona, re.compile("Protokoll hochladen: Arbeitskreis Süd im April"))
    assert mona.get_by_text("Die Moderation (Mona Moderation) lädt das Protokoll hoch").is_visible()
    datei = tmp_path / "protokoll-april.pdf"
    datei.write_bytes(MINIMAL_PDF)
    mona.get_by_label("Protokolldatei").set_input_files(str(datei))
    mona.get_by_role("button", name="Protokoll hochladen").click()
    assert mona.get_by_text("Fassung 1 des Protokolls wurde gespeichert.").is_visible()
    assert_accessible(mona)
    mona.get_by_role("button", name="Zur Freigabe einreichen").click()
    assert mona.get_by_text(
        "Das Protokoll ist zur Freigabe eingereicht; 1 Person wurde"
    ).is_visible()
    assert mona.get_by_text(
        "Das Protokoll wartet auf die Freigabe durch die Stabsstelle Sozialplanung."
    ).is_visible()
    assert mona.get_by_role("button", name="Protokoll freigeben").count() == 0
    # focus moved to the status message, so a keyboard user hears what happened
    assert mona.evaluate("document.activeElement.className") == "meldungen"
    assert_accessible(mona)

    # the Stabsstelle finds the task and the notification, and hands the minutes back
    _login(page, live_server, people["stab"])
    assert (
        page.get_by_role("link", name=re.compile("Benachrichtigungen"))
        .get_by_text("1 ungelesen")
        .is_visible()
    )
    _open_task(page, TASK)
    page.locator("summary", has_text="Zur Überarbeitung zurückgeben").click()
    page.get_by_label("Was ist zu überarbeiten?").fill("Bitte die Zahl der Teilnehmenden ergänzen.")
    page.get_by_role("button", name="Zurückgeben").click()
    assert page.get_by_text("Das Protokoll ist an die Moderation zurückgegeben.").is_visible()
    assert_accessible(page)

    # the moderator sees the comment, revises and hands in again
    mona.goto(f"{live_server}/start")
    assert_accessible(mona)
    _open_task(mona, re.compile("Protokoll überarbeiten: Arbeitskreis Süd im April"))
    hinweis = mona.get_by_role("region", name="Hinweis zur Überarbeitung")
    assert hinweis.get_by_text("Bitte die Zahl der Teilnehmenden ergänzen.").is_visible()
    mona.locator("summary", has_text="Teilnahme und Ergebnisse bearbeiten").click()
    mona.get_by_label("Zahl der Teilnehmenden").fill("12")
    mona.get_by_role("button", name="Ergebnisse speichern").click()
    assert mona.get_by_text("Die Ergebnisse wurden gespeichert.").is_visible()
    mona.get_by_role("button", name="Zur Freigabe einreichen").click()
    assert mona.get_by_text("Das Protokoll ist zur Freigabe eingereicht").is_visible()
    assert_accessible(mona)

    # the Stabsstelle approves from its task; the history shows every step
    page.goto(f"{live_server}/start")
    _open_task(page, TASK)
    page.get_by_role("button", name="Protokoll freigeben").click()
    assert page.get_by_text("Das Protokoll ist freigegeben; 1 Mitglied wurde").is_visible()
    verlauf = page.get_by_role("table", name=re.compile("Hochladen, Einreichen"))
    for schritt in (
        "neue Fassung hochgeladen",
        "zur Überarbeitung zurückgegeben",
        "Teilnahme und Ergebnisse geändert",
        "freigegeben",
    ):
        assert verlauf.get_by_role("cell", name=schritt, exact=True).first.is_visible(), schritt
    assert verlauf.get_by_role("cell", name="zur Freigabe eingereicht", exact=True).count() == 2
    assert_accessible(page)
    page.goto(f"{live_server}/start")
    assert page.get_by_role("link", name=TASK).count() == 0
    assert_accessible(page)
    mona.context.close()
