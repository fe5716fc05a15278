"""Browser journeys: the board's chair and a committee member find the Vorlage on their start
page and record their body's decision themselves (axe on every page)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from app.stammdaten.models import Funktion, GremiumTyp
from app.vorlagen import services as vorlagen
from app.vorlagen.zyklus import GUARD_VORSTAND
from app.workflows.guards import only_guards
from app.workflows.models import Phase, Zyklus
from app.workflows.services import change_phase
from tests import factories
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser

TITEL = "Prioritäten der Sozialplanung – Sozialplanung 2030"


@pytest.fixture
def welt(app):
    """A cycle before the board with two measures, its Vorlage on both bodies' agendas."""
    with app.app_context():
        stab = factories.stabsstelle(email="stab.vorlage@test.example", name="Sabine Stab")
        vorstand = factories.gremium(GremiumTyp.VERWALTUNGSVORSTAND, name="Verwaltungsvorstand")
        ausschuss = factories.gremium(GremiumTyp.FACHAUSSCHUSS, name="Sozialausschuss")
        chef = factories.user(email="vorsitz.vorlage@test.example", name="Vera Vorsitz")
        factories.mitgliedschaft(vorstand, chef, Funktion.VORSITZ)
        mitglied = factories.user(email="ausschuss.vorlage@test.example", name="Anna Ausschuss")
        factories.mitgliedschaft(ausschuss, mitglied, Funktion.MITGLIED)
        zyklus = factories.zyklus(
            [vorstand, ausschuss], titel="Sozialplanung 2030", phase=Phase.VERWALTUNGSVORSTAND
        )
        factories.massnahme(zyklus, "Jugendtreff Nord", prioritaet=1)
        factories.massnahme(zyklus, "Spielplatz Süd", prioritaet=2)
        vv_sitzung = factories.sitzung(vorstand, titel="Verwaltungsvorstand Mai")
        sa_sitzung = factories.sitzung(ausschuss, titel="Sozialausschuss Juni")
        vorlage = vorlagen.create_vorlage(zyklus, stab, drucksache="SV 51/2030")
        vv, sa = vorlage.beratungen
        vorlagen.assign_sitzung(vv, vv_sitzung)
        vorlagen.assign_sitzung(sa, sa_sitzung)
        vorlagen.grant_recht(ausschuss, mitglied, stab)
        db.session.commit()
        yield {"stab_id": stab.id, "zyklus_id": zyklus.id}


def _login(page: Page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(factories.PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")


def _decide_from_start_page(page: Page, gremium: str, ergebnis: str, spielplatz: str) -> None:
    expect(page.get_by_role("heading", name="Was von mir erwartet wird")).to_be_visible()
    assert_accessible(page)
    page.get_by_role(
        "link", name=f"Beschluss von „{gremium}“ zur Vorlage „{TITEL}“ erfassen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Beschluss von {gremium} erfassen")
    assert_accessible(page)
    page.get_by_label("Beschluss zur Vorlage insgesamt").select_option(label=ergebnis)
    sitzung = page.get_by_label("Sitzung und Tagesordnungspunkt")
    sitzung.select_option(label=sitzung.locator("option", has_text="TOP 1: Vorlage").text_content())
    page.get_by_label("2. Spielplatz Süd").select_option(label=spielplatz)
    page.get_by_role("button", name="Beschluss speichern").click()
    expect(page.locator(".meldung--erfolg")).to_contain_text(f"Der Beschluss von „{gremium}“")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Vorlage: {TITEL}")
    assert_accessible(page)


def test_board_and_committee_decide_themselves(live_server, page, welt, app) -> None:
    _login(page, live_server, "vorsitz.vorlage@test.example")
    _decide_from_start_page(page, "Verwaltungsvorstand", "zugestimmt", "abgelehnt")
    expect(page.get_by_text("Beschluss: zugestimmt")).to_be_visible()
    expect(
        page.get_by_role("link", name="Beschlussauszug von Verwaltungsvorstand (PDF)")
    ).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Spielplatz Süd"))).to_contain_text("abgelehnt")

    with app.app_context(), only_guards(GUARD_VORSTAND):
        from app.auth.models import User

        zyklus = db.session.get(Zyklus, welt["zyklus_id"])
        change_phase(
            zyklus.id,
            Phase.POLITIK,
            user=db.session.get(User, welt["stab_id"]),
            expected_version=zyklus.version,
        )
        db.session.commit()

    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, live_server, "ausschuss.vorlage@test.example")
    # the stepper reflows: nothing scrolls sideways on a phone
    breit = page.evaluate(
        """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
           .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 60))"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, breit
    _decide_from_start_page(page, "Sozialausschuss", "geändert beschlossen", "zugestimmt")
    expect(page.get_by_text("Beschluss: geändert beschlossen")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Jugendtreff Nord"))).to_contain_text(
        "beschlossen"
    )
    expect(page.get_by_role("row", name=re.compile("Spielplatz Süd"))).to_contain_text(
        "beschlossen"
    )
