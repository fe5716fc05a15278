"""Browser journey: the Stabsstelle gives a seat a Stellvertretung in the membership form; the
pages that show it (Gremium, person, start page of the deputy, reply pages of member and
deputy, attendance list) have 0 axe violations."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.sitzungen import services
from app.sitzungen.models import Antwort, SitzungStatus
from app.stammdaten.models import Funktion, GremiumTyp, Mitgliedschaft
from tests.factories import PASSWORD
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def people(app, make):
    with app.app_context():
        stab = make.stabsstelle(email="stab@vertretung.example", name="Stefanie Stab")
        gremium = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Nord (Reise)")
        make.mitgliedschaft(gremium, stab, Funktion.MODERATION)
        mia = make.user(email="mia@vertretung.example", name="Mia Mitglied")
        sitz = make.mitgliedschaft(gremium, mia)
        dora = make.user(email="dora@vertretung.example", name="Dora Deputy")
        return {"gremium_id": gremium.id, "sitz_id": sitz.id, "mia": mia, "dora": dora}


def _login(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")


def _reply_links(app, make, people) -> tuple[int, str, str]:
    """A meeting where Mia declined and Dora was invited in her place; both reply links."""
    with app.test_request_context():
        sitzung = make.sitzung(
            _gremium(people), titel="SAK Nord Juni", status=SitzungStatus.EINGELADEN
        )
        mia = make.einladung(sitzung, people["mia"], antwort=Antwort.ABSAGE)
        dora = make.einladung(sitzung, people["dora"], vertritt_einladung_id=mia.id)
        links = (services.reply_token(mia), services.reply_token(dora))
        db.session.remove()
    return sitzung.id, *(f"/sitzungen/antwort/{t}" for t in links)


def _gremium(people):
    from app.stammdaten.models import Gremium

    return db.session.get(Gremium, people["gremium_id"])


def test_stabsstelle_sets_a_deputy_who_then_reads_and_is_invited(
    app, live_server, page, make, people
) -> None:
    _login(page, live_server, "stab@vertretung.example")
    page.goto(f"{live_server}/stammdaten/gremien/{people['gremium_id']}")
    page.get_by_role("link", name="Ändern – Mia Mitglied").click()
    page.wait_for_url(f"{live_server}/stammdaten/mitgliedschaften/{people['sitz_id']}/bearbeiten")
    assert_accessible(page)
    page.get_by_label("Stellvertretung (optional)").select_option(
        label="Dora Deputy (dora@vertretung.example)"
    )
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(rf"{live_server}/stammdaten/gremien/\d+$"))
    row = page.get_by_role("table", name="Mitglieder des Gremiums").get_by_role(
        "row", name=re.compile("Mia Mitglied")
    )
    assert "Stellvertretung: Dora Deputy" in row.inner_text()
    assert_accessible(page)
    page.goto(f"{live_server}/stammdaten/benutzer/{people['dora'].id}")
    assert "vertritt Mia Mitglied in Gremium SAK Nord (Reise)" in page.locator("main").inner_text()
    assert_accessible(page)
    with app.app_context():
        sitz = db.session.scalar(
            select(Mitgliedschaft).where(Mitgliedschaft.id == people["sitz_id"])
        )
        assert sitz.stellvertretung_id == people["dora"].id
        db.session.remove()

    sitzung_id, mia_link, dora_link = _reply_links(app, make, people)
    page.goto(f"{live_server}/sitzungen/{sitzung_id}")
    assert (
        "in Vertretung für Mia Mitglied"
        in page.get_by_role("table", name="Eingeladene und ihre Rückmeldungen").inner_text()
    )
    assert_accessible(page)
    page.goto(f"{live_server}{mia_link}")
    assert page.get_by_text("Ihre Stellvertretung Dora Deputy wurde eingeladen.").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server}{dora_link}")
    assert page.get_by_text("Sie sind in Vertretung für Mia Mitglied eingeladen.").is_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    _login(page, live_server, "dora@vertretung.example")
    gremien = page.get_by_role(
        "table", name="Gremien, in denen Sie Mitglied oder Stellvertretung sind"
    )
    assert "Stellvertretung für Mia Mitglied" in gremien.inner_text()
    assert_accessible(page)
    gremien.get_by_role("link", name="SAK Nord (Reise)").click()
    assert page.get_by_role("heading", level=1).inner_text() == "SAK Nord (Reise)"
    assert_accessible(page)
