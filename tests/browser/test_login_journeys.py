"""Browser journey: every demo role logs in and reaches its start page, 0 axe violations."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.stammdaten.demo import DEMO_PASSWORD, PERSONEN, load_demo_data
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(app):
    with app.app_context():
        load_demo_data()
        db.session.commit()


ROLES = {p.rolle: p.email for p in PERSONEN}


@pytest.mark.parametrize(
    "rolle",
    [
        "Stabsstelle",
        "Planungsrunde (Vorsitz)",
        "Träger (AWO)",
        "Moderation SAK Nord",
        "Verwaltungsvorstand",
        "Sozialausschuss, Jugendhilfeausschuss",
        "SAK Nord (Mitglied)",
    ],
)
def test_role_logs_in_to_start_page(live_server, page, demo, rolle) -> None:
    page.goto(f"{live_server}/anmelden")
    assert_accessible(page)
    page.get_by_label("E-Mail-Adresse").fill(ROLES[rolle])
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Guten Tag")
    assert page.get_by_role("heading", name="Meine Gremien").is_visible()
    assert_accessible(page)


def test_login_error_is_accessible(live_server, page, demo) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill("stabsstelle@demo.hilden.example")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    assert page.get_by_text("E-Mail-Adresse oder Passwort ist nicht korrekt.").first.is_visible()
    # keyboard users land on the error summary, not at the top of the page
    assert page.evaluate("document.activeElement.id") == "fehlerliste"
    assert_accessible(page)


def test_public_pages_are_accessible(live_server, page) -> None:
    for path in ("/barrierefreiheit", "/impressum", "/datenschutz", "/gibt-es-nicht"):
        page.goto(f"{live_server}{path}")
        assert page.locator("h1").count() == 1
        assert_accessible(page)
