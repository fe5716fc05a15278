"""Browser journey: the Stabsstelle creates a Gremium and adds a member; 0 axe violations."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.stammdaten.models import Funktion, Gremium, GremiumTyp, Mitgliedschaft
from tests.factories import PASSWORD
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def people(app, make):
    with app.app_context():
        stab = make.stabsstelle(email="stab@journey.example", name="Stefanie Stab")
        org = make.organisation(name="AWO Hilden", kurzname="AWO")
        berta = make.user(email="berta@journey.example", name="Berta Beispiel", organisation=org)
        raum = make.sozialraum(name="Stadtbereich Nord", nummer=1)
        make.gremium(
            GremiumTyp.STADTTEILARBEITSKREIS, name="Stadtteilarbeitskreis Nord", sozialraum=raum
        )
        return {"stab": stab.email, "berta_id": berta.id, "org_id": org.id, "raum_id": raum.id}


def _login(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")


def test_stabsstelle_creates_gremium_and_adds_member(app, live_server, page, people) -> None:
    _login(page, live_server, people["stab"])
    assert_accessible(page)

    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Stammdaten"
    ).click()
    page.wait_for_url(f"{live_server}/stammdaten/")
    assert page.get_by_role("heading", level=1).inner_text() == "Stammdaten"
    assert_accessible(page)

    page.get_by_role("navigation", name="Stammdaten").get_by_role("link", name="Gremien").click()
    page.wait_for_url(f"{live_server}/stammdaten/gremien")
    assert_accessible(page)

    page.get_by_role("link", name="Neues Gremium").click()
    page.wait_for_url(f"{live_server}/stammdaten/gremien/neu")
    assert_accessible(page)

    # a Stadtteilarbeitskreis without Sozialraum is explained, the name stays
    page.get_by_label("Name", exact=True).fill("Arbeitskreis Inklusion")
    page.get_by_label("Art des Gremiums").select_option(label="Stadtteilarbeitskreis")
    page.get_by_role("button", name="Speichern").click()
    alert = page.get_by_role("alert")
    assert "Ein Stadtteilarbeitskreis gehört zu einem Sozialraum" in alert.inner_text()
    assert page.get_by_label("Name", exact=True).input_value() == "Arbeitskreis Inklusion"
    assert_accessible(page)

    page.get_by_label("Art des Gremiums").select_option(label="Trägerrunde")
    page.get_by_label("Beschreibung").fill("Träger, die Inklusionsangebote machen.")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(re.compile(rf"{live_server}/stammdaten/gremien/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Arbeitskreis Inklusion"
    assert page.get_by_text("Das Gremium „Arbeitskreis Inklusion“ wurde angelegt.").is_visible()
    assert_accessible(page)

    page.get_by_label("Person").select_option(label="Berta Beispiel (berta@journey.example)")
    page.get_by_label("Funktion").select_option(label="Vorsitz")
    page.get_by_label("Für Organisation").select_option(label="AWO Hilden")
    page.get_by_role("button", name="Mitglied hinzufügen").click()
    assert page.get_by_text("Berta Beispiel wurde als Vorsitz hinzugefügt.").is_visible()
    row = page.get_by_role("table", name="Mitglieder des Gremiums").get_by_role(
        "row", name=re.compile("Berta Beispiel")
    )
    assert "Vorsitz" in row.inner_text() and "AWO Hilden" in row.inner_text()
    assert_accessible(page)

    with app.app_context():
        gremium = db.session.scalars(
            select(Gremium).where(Gremium.name == "Arbeitskreis Inklusion")
        ).one()
        [m] = db.session.scalars(
            select(Mitgliedschaft).where(Mitgliedschaft.gremium_id == gremium.id)
        ).all()
        assert (gremium.typ, m.user_id, m.funktion, m.organisation_id) == (
            GremiumTyp.TRAEGERRUNDE,
            people["berta_id"],
            Funktion.VORSITZ,
            people["org_id"],
        )
        db.session.remove()


def test_administration_pages_are_accessible(app, live_server, page, people) -> None:
    """Every other kind of master-data page, including an error state and a confirmation."""
    _login(page, live_server, people["stab"])
    with app.app_context():
        sak_id = db.session.scalar(
            select(Gremium.id).where(Gremium.name == "Stadtteilarbeitskreis Nord")
        )
        db.session.remove()
    paths = [
        "/stammdaten/organisationen",
        "/stammdaten/organisationen/neu",
        f"/stammdaten/organisationen/{people['org_id']}",
        f"/stammdaten/organisationen/{people['org_id']}/bearbeiten",
        f"/stammdaten/organisationen/{people['org_id']}/deaktivieren",
        "/stammdaten/sozialraeume",
        "/stammdaten/sozialraeume/neu",
        f"/stammdaten/sozialraeume/{people['raum_id']}",
        f"/stammdaten/gremien/{sak_id}/bearbeiten",
        "/stammdaten/benutzer",
        "/stammdaten/benutzer?status=geheim",
        "/stammdaten/benutzer/neu",
        f"/stammdaten/benutzer/{people['berta_id']}",
        f"/stammdaten/benutzer/{people['berta_id']}/bearbeiten",
    ]
    for path in paths:
        page.goto(f"{live_server}{path}")
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
    # a refused deactivation (the Sozialraum still has its Arbeitskreis)
    page.goto(f"{live_server}/stammdaten/sozialraeume/{people['raum_id']}/deaktivieren")
    page.get_by_role("button", name="Deaktivieren").click()
    assert "Stadtteilarbeitskreis Nord" in page.get_by_role("alert").inner_text()
    assert_accessible(page)


def test_traeger_edits_own_organisation(app, live_server, page, people) -> None:
    _login(page, live_server, "berta@journey.example")
    page.get_by_role("link", name="Meine Organisation").click()
    assert page.get_by_role("heading", level=1).inner_text() == "AWO Hilden"
    assert_accessible(page)
    page.get_by_role("link", name="Kontaktdaten bearbeiten").click()
    page.get_by_label("E-Mail-Adresse der Organisation").fill("kein-gueltiger-wert")
    page.get_by_role("button", name="Speichern").click()
    assert (
        "Bitte geben Sie eine gültige E-Mail-Adresse ein." in page.get_by_role("alert").inner_text()
    )
    assert_accessible(page)
    page.get_by_label("E-Mail-Adresse der Organisation").fill("info@awo-hilden.example")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_url(f"{live_server}/stammdaten/meine-organisation")
    assert page.get_by_role("link", name="info@awo-hilden.example").is_visible()
    assert_accessible(page)
