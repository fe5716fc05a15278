"""Browser journey: the Stabsstelle plans a meeting with three TOPs and a document, invites;
a guest answers from the link in the mail the SMTP server received (Absage mit Vertretung);
the attendance list shows it. 0 axe violations on every page."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from app.core.types import utcnow
from app.stammdaten.models import GremiumTyp
from tests.dateien.conftest import PDF
from tests.factories import PASSWORD
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser

GAST = "gerd.gast@extern.example"


@pytest.fixture
def people(app, make, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    with app.app_context():
        stab = make.stabsstelle(email="stab@sitzung.example", name="Stefanie Stab")
        gremium = make.gremium(GremiumTyp.PLANUNGSRUNDE, name="Planungsrunde (Reise)")
        mia = make.user(email="mia@sitzung.example", name="Mia Mitglied")
        make.mitgliedschaft(gremium, mia)
        return {"stab": stab.email, "gremium": gremium.name}


def _login(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")


def _add_top(page, titel: str, beschreibung: str, datei=None) -> None:
    page.get_by_label("Titel des Tagesordnungspunkts").fill(titel)
    page.get_by_label("Beschreibung").fill(beschreibung)
    if datei is not None:
        page.get_by_label("Anlage (optional)").set_input_files(str(datei))
    page.get_by_role("button", name="Tagesordnungspunkt hinzufügen").click()
    assert page.get_by_text("Der Tagesordnungspunkt wurde hinzugefügt.").is_visible()


def test_meeting_invitation_and_reply_with_substitute(
    app, live_server, page, browser, people, celery_worker, smtp_server, tmp_path
) -> None:
    _login(page, live_server, people["stab"])
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Sitzungen"
    ).click()
    page.wait_for_url(f"{live_server}/sitzungen/")
    assert_accessible(page)

    page.get_by_role("link", name="Neue Sitzung").click()
    assert_accessible(page)
    day = (utcnow() + timedelta(days=10)).strftime("%Y-%m-%d")
    page.get_by_label("Gremium", exact=True).select_option(label=people["gremium"])
    page.get_by_label("Titel", exact=True).fill("Planungsrunde Dezember")
    page.get_by_label("Beginn", exact=True).fill(f"{day}T14:30")
    page.get_by_label("Ende", exact=True).fill(f"{day}T12:00")
    page.get_by_label("Ort", exact=True).fill("Rathaus Hilden")
    page.get_by_role("button", name="Speichern").click()
    assert "Das Ende muss nach dem Beginn liegen." in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Titel", exact=True).input_value() == "Planungsrunde Dezember"
    assert_accessible(page)
    page.get_by_label("Ende", exact=True).fill(f"{day}T16:30")
    page.get_by_label("Raum", exact=True).fill("Ratssaal")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(rf"{live_server}/sitzungen/\d+/tagesordnung$"))
    assert_accessible(page)

    bericht = tmp_path / "Sozialreport 2027.pdf"
    bericht.write_bytes(PDF)
    _add_top(page, "Begrüßung", "Vorstellungsrunde")
    _add_top(page, "Sozialreport 2027", "Vorstellung der Daten", bericht)
    _add_top(page, "Verschiedenes", "Termine und Hinweise")
    assert page.get_by_role("link", name="Sozialreport 2027.pdf").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Weiter zu den Einladungen").click()
    assert page.get_by_text("Mia Mitglied (mia@sitzung.example)").is_visible()
    assert_accessible(page)
    page.get_by_label("Gäste (optional)").fill(f"Gerd Gast <{GAST}>")
    page.get_by_role("button", name="Einladungen versenden").click()
    page.wait_for_url(re.compile(rf"{live_server}/sitzungen/\d+$"))
    detail_url = page.url
    assert_accessible(page)
    # the page refreshes itself once the worker created the invitations (no manual reload)
    page.get_by_role("table", name="Eingeladene und ihre Rückmeldungen").wait_for(timeout=60000)
    assert page.get_by_text("Bitte laden Sie").count() == 0

    [mail] = smtp_server.wait_for(GAST, timeout=60)
    smtp_server.wait_for("mia@sitzung.example", timeout=60)
    assert "TOP 2: Sozialreport 2027" in mail.text()
    link = re.search(r"http://\S+/sitzungen/antwort/\S+", mail.text()).group(0)

    guest = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    reply = guest.new_page()
    reply.set_default_timeout(15000)
    try:
        reply.goto(f"{live_server}{urlsplit(link).path}")
        assert (
            reply.get_by_role("heading", level=1).inner_text()
            == "Rückmeldung: Planungsrunde Dezember"
        )
        assert reply.get_by_role("link", name="Sozialreport 2027.pdf").is_visible()
        assert_accessible(reply)
        reply.get_by_label("Vertretung – ich nehme nicht teil, mich vertritt:").check()
        reply.get_by_role("button", name="Rückmeldung senden").click()
        assert "Bitte nennen Sie die Person" in reply.get_by_role("alert").inner_text()
        assert_accessible(reply)
        reply.get_by_label("Name der Vertretung").fill("Vera Vertretung")
        reply.get_by_label("Kommentar (optional)").fill("Ich bin im Urlaub.")
        reply.get_by_role("button", name="Rückmeldung senden").click()
        assert reply.get_by_text("Vielen Dank, Ihre Rückmeldung wurde gespeichert.").is_visible()
        assert_accessible(reply)
    finally:
        guest.close()

    page.goto(detail_url)
    row = page.get_by_role("table", name="Eingeladene und ihre Rückmeldungen").get_by_role(
        "row", name=re.compile("Gerd Gast")
    )
    assert "Absage mit Vertretung" in row.inner_text()
    assert "Vera Vertretung" in row.inner_text() and "Ich bin im Urlaub." in row.inner_text()
    assert page.get_by_role("table", name=re.compile("Änderungen an Rückmeldungen")).is_visible()
    assert_accessible(page)
