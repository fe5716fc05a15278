"""Browser journeys of the Träger's requests, driven by visible German labels, axe on every page.

1. A Träger asks for a correction of its submitted answer; the Stabsstelle grants it from its
   start page; the Träger corrects, confirms and submits again.
2. The deadline passes while a Träger types: "Einreichen" keeps the values (as a draft) and the
   page offers the extension request right there; the Stabsstelle grants a new deadline and the
   Träger submits.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.stammdaten.models import GremiumTyp
from tests.factories import PASSWORD
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser

FRAGEN = [
    {"typ": "kurztext", "text": "Name der Einrichtung", "pflicht": True},
    {"typ": "zahl", "text": "Zahl der Plätze"},
    {"typ": "langtext", "text": "Was fehlt im Stadtteil?"},
]
TITEL = "Rückmeldung zum Sozialreport 2027"


@pytest.fixture
def welt(app, make):
    with app.app_context():
        make.sozialraum("Stadtbereich Nord", nummer=1)
        stab = make.stabsstelle(email="stab@korrektur.example", name="Stefanie Stab")
        runde = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde Dezernat III")
        awo = make.organisation("AWO Hilden", kurzname="AWO")
        anna = make.traeger_user(email="anna@awo.example", name="Anna Awo", organisation=awo)
        make.mitgliedschaft(runde, anna)
        bogen = make.rueckmeldebogen(
            TITEL, fragen=FRAGEN, organisationen=[awo], veroeffentlicht=True
        )
        return {"stab": stab.email, "anna": anna.email, "bogen": bogen.id, "awo": awo.id}


def _login(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")
    assert_accessible(page)


def _new_page(browser):
    tab = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin").new_page()
    tab.set_default_timeout(15000)
    return tab


def _fill_and_submit(page, name: str, plaetze: str) -> None:
    """Fill in, click "Einreichen", confirm on the confirmation page."""
    page.get_by_label(re.compile("Name der Einrichtung")).fill(name)
    page.get_by_label(re.compile("Zahl der Plätze")).fill(plaetze)
    page.get_by_role("button", name="Einreichen").click()
    assert page.get_by_role("heading", name="Rückmeldung einreichen?").is_visible()
    assert page.get_by_text(plaetze, exact=True).is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Jetzt verbindlich einreichen").click()
    assert page.get_by_text("Ihre Rückmeldung wurde eingereicht.").is_visible()
    assert_accessible(page)


def test_trager_asks_for_a_correction_and_gets_it(app, live_server, browser, page, welt) -> None:
    # Anna answers the form from her start page and submits after the confirmation
    _login(page, live_server, welt["anna"])
    page.get_by_role("link", name=f"Rückmeldung „{TITEL}“ ausfüllen").click()
    assert_accessible(page)
    _fill_and_submit(page, "Familienzentrum Nord", "120")

    # she notices the wrong number and asks for a correction
    page.get_by_label("Was möchten Sie korrigieren?").fill("Es sind 150 Plätze, nicht 120.")
    page.get_by_role("button", name="Korrektur anfragen").click()
    assert page.get_by_text("Ihre Korrekturanfrage wurde an die Stabsstelle").is_visible()
    assert_accessible(page)

    # the Stabsstelle finds it on its start page and grants it
    stab = _new_page(browser)
    _login(stab, live_server, welt["stab"])
    stab.get_by_role("link", name=re.compile("Korrektur für AWO Hilden entscheiden")).click()
    assert stab.get_by_text("Es sind 150 Plätze, nicht 120.").first.is_visible()
    assert_accessible(stab)
    stab.get_by_label("Kommentar an die Organisation").fill("Bitte korrigieren Sie die Zahl.")
    stab.get_by_role("button", name="Korrektur gewähren").click()
    assert stab.get_by_text("wurde gewährt").is_visible()
    assert stab.get_by_role("cell", name="wieder geöffnet").is_visible()
    assert_accessible(stab)

    # Anna corrects from her start page; both submissions stay in the history
    page.goto(f"{live_server}/start")
    assert_accessible(page)
    page.get_by_role("link", name=f"Rückmeldung „{TITEL}“ ausfüllen").click()
    assert page.get_by_label(re.compile("Zahl der Plätze")).input_value() == "120"
    assert_accessible(page)
    _fill_and_submit(page, "Familienzentrum Nord", "150")
    assert page.get_by_role("cell", name="eingereicht", exact=True).count() == 2
    assert page.get_by_role("cell", name="gewährt", exact=True).is_visible()


def test_deadline_passes_while_typing_and_values_are_kept(
    app, live_server, browser, page, welt
) -> None:
    from app.beteiligung.models import Rueckmeldebogen
    from app.core.types import utcnow
    from app.extensions import db

    _login(page, live_server, welt["anna"])
    page.get_by_role("link", name=f"Rückmeldung „{TITEL}“ ausfüllen").click()
    assert_accessible(page)
    page.get_by_label(re.compile("Name der Einrichtung")).fill("Familienzentrum Nord")
    page.get_by_label(re.compile("Was fehlt im Stadtteil")).fill("Ein offener Jugendtreff.")
    with app.app_context():  # the deadline passes while Anna types
        db.session.get(Rueckmeldebogen, welt["bogen"]).frist = utcnow() - timedelta(seconds=1)
        db.session.commit()
    page.get_by_role("button", name="Einreichen").click()
    assert page.get_by_role(
        "heading", name="Die Frist ist abgelaufen – Ihre Eingaben sind als Entwurf gespeichert"
    ).is_visible()
    assert page.get_by_text("Ihre Rückmeldung wurde deshalb nicht eingereicht.").is_visible()
    assert (
        page.get_by_label(re.compile("Was fehlt im Stadtteil")).input_value()
        == "Ein offener Jugendtreff."
    )
    assert_accessible(page)
    page.get_by_label("Warum benötigen Sie mehr Zeit?").fill("Die Frist ist uns durchgerutscht.")
    page.get_by_role("button", name="Fristverlängerung anfragen").click()
    assert page.get_by_text("Ihre Anfrage auf Fristverlängerung wurde").is_visible()
    assert page.get_by_text("Ein offener Jugendtreff.").first.is_visible()  # the stored draft
    assert_accessible(page)

    # the Stabsstelle grants a new deadline for the AWO
    stab = _new_page(browser)
    _login(stab, live_server, welt["stab"])
    stab.get_by_role(
        "link", name=re.compile("Fristverlängerung für AWO Hilden entscheiden")
    ).click()
    assert_accessible(stab)
    neue = (utcnow() + timedelta(days=7)).astimezone().strftime("%Y-%m-%dT%H:%M")
    stab.get_by_label("Neue Frist für diese Organisation").first.fill(neue)
    stab.get_by_role("button", name="Fristverlängerung gewähren").click()
    assert stab.get_by_text("wurde gewährt").is_visible()
    assert_accessible(stab)

    # Anna finishes the draft she typed and submits
    page.goto(f"{live_server}/start")
    assert_accessible(page)
    page.get_by_role("link", name=f"Rückmeldung „{TITEL}“ ausfüllen").click()
    assert page.get_by_text("für Ihre Organisation verlängert").is_visible()
    assert (
        page.get_by_label(re.compile("Was fehlt im Stadtteil")).input_value()
        == "Ein offener Jugendtreff."
    )
    assert_accessible(page)
    _fill_and_submit(page, "Familienzentrum Nord", "150")
