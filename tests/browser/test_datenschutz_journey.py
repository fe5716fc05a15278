"""Browser journey: a Träger sets the weekly digest and unsubscribes by link; 0 axe violations."""

from __future__ import annotations

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
        }


def _login(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")


def test_traeger_chooses_the_weekly_digest(app, live_server, page, people) -> None:
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

    page.context.clear_cookies()
    page.goto(f"{live_server}/benachrichtigungen/abbestellen/{people['abmelden']}")
    assert_accessible(page)
    page.get_by_role("button", name="Abbestellen").click()
    assert "Impulse: Aus" in page.inner_text("main")
    assert_accessible(page)
