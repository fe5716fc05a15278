"""Browser journey: the Stabsstelle narrows an indicator's period without JavaScript-only
controls and pages through the Postausgang; 0 axe violations on both."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.datenbasis.models import Indikator, Indikatorwert, Richtung
from app.extensions import db
from app.mail.models import Mail, MailStatus
from app.stammdaten.demo import DEMO_PASSWORD, load_demo_data
from app.stammdaten.models import Sozialraum
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser

STAB = "stabsstelle@demo.hilden.example"


@pytest.fixture
def setup(app):
    with app.app_context():
        load_demo_data()
        raum = db.session.scalar(select(Sozialraum).order_by(Sozialraum.nummer))
        ind = Indikator(name="Langzeitreihe (Test)", einheit="%", richtung=Richtung.NEUTRAL)
        db.session.add(ind)
        db.session.flush()
        for jahr in range(1990, 2025):
            db.session.add(
                Indikatorwert(
                    indikator_id=ind.id, sozialraum_id=raum.id, jahr=jahr, wert=jahr / 100
                )
            )
        for n in range(60):
            db.session.add(
                Mail(
                    recipient=f"p{n}@example.org",
                    subject=f"Testmail {n}",
                    body_text="x",
                    message_id=f"<test-{n}@bench.example>",
                    status=MailStatus.SENT,
                )
            )
        db.session.commit()
        return ind.id


def test_period_and_pages(page, live_server, setup) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(STAB)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    page.goto(f"{live_server}/datenbasis/indikatoren/{setup}")
    assert page.get_by_text("Gezeigt: 2020 bis 2024.").is_visible()
    assert_accessible(page)
    page.get_by_label("von (Jahr)").fill("1995")
    page.get_by_label("bis (Jahr)").fill("1997")
    page.get_by_role("button", name="Zeitraum anzeigen").click()
    page.get_by_text("Gezeigt: 1995 bis 1997.").wait_for()
    assert page.get_by_role("columnheader", name="1996").count() == 1
    assert page.get_by_role("columnheader", name="2024").count() == 0
    page.get_by_label("bis (Jahr)").fill("1990")
    page.get_by_role("button", name="Zeitraum anzeigen").click()
    page.get_by_text("Das Endjahr darf nicht vor dem Anfangsjahr liegen.").wait_for()
    assert_accessible(page)

    page.goto(f"{live_server}/postausgang/")
    nav = page.get_by_role("navigation", name="Seiten des Postausgangs")
    assert nav.get_by_role("link", name="Seite 1").get_attribute("aria-current") == "page"
    nav.get_by_role("link", name="Ältere").click()
    nav = page.get_by_role("navigation", name="Seiten des Postausgangs")
    assert nav.get_by_role("link", name="Seite 2").get_attribute("aria-current") == "page"
    assert_accessible(page)
