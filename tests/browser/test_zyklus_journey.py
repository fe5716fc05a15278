"""Browser journey: the Stabsstelle runs a planning cycle from creation to the end in Chromium.

Every page visited is checked with axe (WCAG 2.1 AA); the diagram, its text alternative and the
timeline must show each step.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app.stammdaten.models import Funktion, GremiumTyp
from app.workflows.guards import only_guards
from tests import factories
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def beteiligte(app):
    """A Stabsstelle and one Gremium of each kind with a member (committed for the live server)."""
    with app.app_context(), only_guards():
        stab = factories.stabsstelle(email="stab.journey@test.example", name="Sabine Stab")
        for typ, name in [
            (GremiumTyp.PLANUNGSRUNDE, "Städtische Planungsrunde"),
            (GremiumTyp.TRAEGERRUNDE, "Trägerrunde Dezernat III"),
            (GremiumTyp.STADTTEILARBEITSKREIS, "Stadtteilarbeitskreis Nord"),
            (GremiumTyp.STADTTEILARBEITSKREIS, "Stadtteilarbeitskreis Ost"),
            (GremiumTyp.VERWALTUNGSVORSTAND, "Verwaltungsvorstand"),
            (GremiumTyp.FACHAUSSCHUSS, "Sozialausschuss"),
        ]:
            gremium = factories.gremium(typ, name=name)
            factories.mitgliedschaft(gremium, factories.user(), Funktion.MITGLIED)
        yield stab


def _check_page(page: Page, aktuell: str, eintraege: int) -> None:
    """Diagram and text alternative mark ``aktuell``; the timeline has ``eintraege`` entries."""
    diagram = page.locator(".kreislauf__svg--quer")  # the wide one (the phone one is hidden)
    expect(diagram).to_be_visible()
    expect(diagram).to_have_role("img")
    expect(diagram).to_have_accessible_name(re.compile("Planungskreislauf"))
    expect(
        page.locator(".kreislauf__svg--quer .kreislauf__phase--aktuell .kreislauf__name")
    ).to_have_text(aktuell)
    expect(page.locator('.phasenliste [aria-current="step"] strong')).to_contain_text(aktuell)
    expect(page.locator(".zeitleiste > li")).to_have_count(eintraege)
    assert_accessible(page)


def _move(
    page: Page, link: str, button: str = "Phase wechseln", begruendung: str | None = None
) -> None:
    page.get_by_role("link", name=f"{link} …").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(link)
    assert_accessible(page)
    if begruendung:
        page.get_by_label(re.compile("Begründung der Rückverweisung")).fill(begruendung)
    page.get_by_role("button", name=button).click()
    expect(page.locator(".meldung--erfolg")).to_be_visible()


def test_stabsstelle_runs_a_cycle_through_every_phase(live_server, page, beteiligte) -> None:
    with only_guards():
        _journey(live_server, page)


def _journey(live_server: str, page: Page) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill("stab.journey@test.example")
    page.get_by_label("Passwort").fill(factories.PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Planungszyklen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Planungszyklen")
    assert_accessible(page)
    page.get_by_role("link", name="Neuen Planungszyklus anlegen").click()
    assert_accessible(page)
    page.get_by_role("button", name="Planungszyklus anlegen").click()  # empty: German errors
    expect(page.get_by_role("alert")).to_contain_text("Bitte geben Sie einen Titel ein.")
    assert_accessible(page)
    page.get_by_label("Titel").fill("Sozialplanung 2027")
    page.get_by_label("Beginn").fill("2027-01-01")
    page.get_by_label("Ende").fill("2027-12-31")
    expect(
        page.get_by_role("checkbox", name=re.compile("Stadtteilarbeitskreis Ost"))
    ).to_be_checked()
    page.get_by_role("button", name="Planungszyklus anlegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sozialplanung 2027")
    _check_page(page, "Datenbasis", 1)
    expect(page.locator(".kreislauf__svg--quer .kreislauf__strang--offen")).to_have_count(3)

    _move(page, "Datenbasis an die Planungsrunde geben")
    _check_page(page, "Planungsrunde", 2)
    _move(page, "Beteiligung starten")
    _check_page(page, "Beteiligung", 3)

    # on a phone the diagram is drawn top-down: nothing scrolls sideways
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator(".kreislauf__svg--hoch")).to_be_visible()
    expect(page.locator(".kreislauf__svg--quer")).to_be_hidden()
    expect(page.locator(".kreislauf__svg--hoch")).to_have_accessible_name(
        re.compile("Planungskreislauf")
    )
    expect(page.locator(".kreislauf__svg--hoch .kreislauf__phase--aktuell")).to_contain_text(
        "Beteiligung"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # the parallel Stränge: one concluded on its own, the rest closed with a reason
    page.get_by_role("link", name="Abschließen – Trägerrunde Dezernat III").click()
    assert_accessible(page)
    page.get_by_label("Anmerkung (optional)").fill("Alle Träger haben geantwortet.")
    page.get_by_role("button", name="Strang abschließen").click()
    expect(page.locator(".kreislauf__svg--quer .kreislauf__strang--abgeschlossen")).to_have_count(1)
    _check_page(page, "Beteiligung", 4)
    expect(
        page.get_by_text("Noch offen: Stadtteilarbeitskreis Nord, Stadtteilarbeitskreis Ost.")
    ).to_be_visible()
    page.get_by_role("link", name="Verbleibende Stränge mit Begründung schließen …").click()
    assert_accessible(page)
    page.get_by_label("Begründung").fill("Die Arbeitskreise tagen erst nach der Sommerpause.")
    page.get_by_role("button", name="Offene Stränge schließen").click()
    expect(page.locator(".kreislauf__svg--quer .kreislauf__strang--abgeschlossen")).to_have_count(3)
    _check_page(page, "Beteiligung", 6)

    _move(page, "Ergebnisse an den Verwaltungsvorstand geben")
    _check_page(page, "Verwaltungsvorstand", 7)
    _move(
        page,
        "An die Planungsrunde zurückverweisen",
        "Zurückverweisen",
        begruendung="Die Prioritäten für den Mitteleinsatz sind nicht begründet.",
    )
    _check_page(page, "Planungsrunde", 8)
    expect(page.locator(".zeitleiste__eintrag--rueckverweisung")).to_contain_text(
        "Die Prioritäten für den Mitteleinsatz sind nicht begründet."
    )

    _move(page, "Beteiligung starten")
    _check_page(page, "Beteiligung", 9)
    expect(page.locator(".kreislauf__svg--quer .kreislauf__strang--offen")).to_have_count(
        3
    )  # a new round
    page.get_by_role("link", name="Verbleibende Stränge mit Begründung schließen …").click()
    page.get_by_label("Begründung").fill("Nur die Prioritäten wurden überarbeitet.")
    page.get_by_role("button", name="Offene Stränge schließen").click()
    _check_page(page, "Beteiligung", 12)

    _move(page, "Ergebnisse an den Verwaltungsvorstand geben")
    _check_page(page, "Verwaltungsvorstand", 13)
    _move(page, "In die Fachausschüsse einbringen")
    _check_page(page, "Politik", 14)
    _move(page, "Zyklus abschließen")
    expect(page.locator(".kreislauf__svg--quer .kreislauf__phase--erledigt")).to_have_count(6)
    expect(page.locator(".kreislauf__svg--quer")).to_contain_text("Zyklus abgeschlossen")
    expect(page.locator(".zeitleiste > li")).to_have_count(15)
    expect(page.get_by_text("Der Zyklus ist abgeschlossen.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Folgezyklus anlegen").click()
    expect(page.get_by_label("Titel")).to_have_value("Sozialplanung 2028")
    assert_accessible(page)
