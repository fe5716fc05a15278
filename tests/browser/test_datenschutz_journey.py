"""Browser journey: a Träger sets the weekly digest, downloads "Meine Daten" (built by the
real worker) and unsubscribes by link; the Stabsstelle finds the download in the
Änderungsprotokoll and opens the deletion page; the retention periods are public. 0 axe
violations on every page."""

from __future__ import annotations

import json
import zipfile

import pytest

from app.benachrichtigungen.einstellungen import abmelde_token
from tests.factories import PASSWORD
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def people(app, make):
    with app.app_context():
        org = make.organisation(name="Diakonie Hilden", kurzname="Diakonie")
        traeger = make.user(email="tina@diakonie.example", name="Tina Träger", organisation=org)
        stab = make.stabsstelle(email="stab@datenschutz.example", name="Sven Stab")
        return {
            "traeger": traeger.email,
            "stab": stab.email,
            "abmelden": abmelde_token(traeger.id, "impulse"),
            "traeger_id": traeger.id,
        }


def _login(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")


def test_traeger_digest_and_own_data_found_by_the_stabsstelle(
    app, live_server, page, people, celery_worker
) -> None:
    _login(page, live_server, people["traeger"])
    page.get_by_role("link", name="Benachrichtigungen").first.click()
    page.get_by_role("link", name="Einstellungen: wann Sie E-Mails erhalten").click()
    page.wait_for_url(f"{live_server}/benachrichtigungen/einstellungen")
    assert_accessible(page)
    gruppe = page.get_by_role("group", name="Planungszyklus")
    gruppe.get_by_label("Wöchentliche Zusammenfassung").check()
    page.get_by_role("button", name="Einstellungen speichern").click()
    page.wait_for_url(f"{live_server}/benachrichtigungen/einstellungen")
    assert "wurden gespeichert" in page.inner_text("main")
    assert (
        page.get_by_role("group", name="Planungszyklus")
        .get_by_label("Wöchentliche Zusammenfassung")
        .is_checked()
    )
    assert_accessible(page)

    # "Meine Daten": requested on the account page, built by the worker, offered as a link
    page.get_by_role("link", name="Mein Konto").click()
    page.wait_for_url(f"{live_server}/konto/")
    assert_accessible(page)
    page.get_by_role("button", name="Meine Daten anfordern").click()
    page.wait_for_url(f"{live_server}/konto/")
    assert "werden zusammengestellt" in page.inner_text("main")
    link = page.get_by_role("link", name="Meine Daten herunterladen (ZIP)")
    for _ in range(60):
        if link.count():
            break
        page.wait_for_timeout(500)
        page.reload()
    assert_accessible(page)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.startswith("meine-daten-")
    archive = zipfile.ZipFile(download.path())
    daten = json.loads(archive.read("meine-daten.json"))
    assert daten["Konto"][0]["name"] == "Tina Träger"
    assert {e["rhythmus"] for e in daten["Benachrichtigungseinstellung"]} == {"woechentlich"}

    # the Stabsstelle finds the download in the log
    page.get_by_role("button", name="Abmelden").click()
    _login(page, live_server, people["stab"])
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Änderungsprotokoll"
    ).click()
    page.get_by_label("Person").select_option(label="Tina Träger")
    page.get_by_label("Aktion").select_option(label="Export")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**/protokoll/?**")
    row = page.get_by_role("row").filter(has_text="Meine Daten")
    assert row.count() == 1 and "Tina Träger" in row.inner_text()
    assert_accessible(page)
    page.get_by_label("Aktion").select_option(label="Datenauskunft (Meine Daten)")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_url("**/protokoll/?**")
    assert page.get_by_role("row").filter(has_text="Tina Träger").count() == 1
    page.goto(f"{live_server}/konten/{people['traeger_id']}/loeschen")
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto(f"{live_server}/datenschutz/loeschfristen")
    assert "Aufbewahrungsfristen" in page.inner_text("main")
    assert_accessible(page)
    page.goto(f"{live_server}/benachrichtigungen/abbestellen/{people['abmelden']}")
    assert_accessible(page)
    page.get_by_role("button", name="Abbestellen").click()
    assert "Impulse: Aus" in page.inner_text("main")
    assert_accessible(page)
