"""An anonymous visitor, by visible German labels: landing page → published Sozialreport →
next month's public meetings → a meeting's agenda → a released impulse with its answer → the
measure it led to. axe finds 0 violations on every page; at 390 px nothing scrolls sideways."""

from __future__ import annotations

import pytest

from tests.oeffentlich.conftest import stadt, upload_dir  # noqa: F401  (shared fixtures)
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser


def _check(page, width: int) -> None:
    assert_accessible(page)
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url}: {scroll} px breit bei {width} px"


def _nav(page, name: str) -> None:
    """Follow a main-navigation link (on narrow screens it wraps, but stays visible)."""
    page.get_by_role("navigation", name="Öffentliches Portal").get_by_role(
        "link", name=name, exact=True
    ).click()


@pytest.mark.parametrize("width", [1280, 390])
def test_visitor_follows_report_meetings_impulse_and_measure(
    browser,
    live_server,
    stadt,  # noqa: F811  (fixture imported above)
    width,
) -> None:
    context = browser.new_context(
        locale="de-DE", timezone_id="Europe/Berlin", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{live_server}/")
        page.wait_for_url("**/oeffentlich/")
        assert page.get_by_role("link", name="Anmelden", exact=True).is_visible()
        assert page.get_by_role("heading", level=1).inner_text().startswith("Sozialplanung")
        _check(page, width)

        _nav(page, "Sozialreports")
        _check(page, width)
        page.get_by_role("link", name="Sozialreport 2026").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Sozialreport 2026"
        assert page.get_by_role("link", name="als PDF herunterladen").is_visible()
        assert page.get_by_role("img", name="Kinderarmutsquote").first.is_visible()
        _check(page, width)

        _nav(page, "Sitzungen")
        _check(page, width)
        page.get_by_role("link", name="Nächster Monat").click()
        page.wait_for_url("**monat=*")
        meeting = page.get_by_role("link", name="Sozialausschuss Juni")
        assert meeting.is_visible()
        assert page.get_by_text("Geheime Klausur").count() == 0
        _check(page, width)
        meeting.click()
        assert page.get_by_role("heading", level=1).inner_text() == "Sozialausschuss Juni"
        agenda = page.locator("ol.tagesordnung")
        assert "Jugendtreff im Norden" in agenda.inner_text()
        assert page.get_by_role("link", name="vorlage-jugendtreff.pdf").is_visible()
        assert page.get_by_role("link", name="In den Kalender (.ics)").is_visible()
        _check(page, width)
        page.get_by_role("link", name="Vorlage „Prioritäten der Sozialplanung 2027“").click()
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Prioritäten der Sozialplanung 2027"
        )
        assert page.get_by_role("cell", name="zugestimmt am 20.04.2026").is_visible()
        assert page.get_by_text("Interne Maßnahme").count() == 0
        _check(page, width)
        _nav(page, "Vorlagen")
        assert page.get_by_role("link", name="Prioritäten der Sozialplanung 2027").is_visible()
        _check(page, width)

        _nav(page, "Impulse")
        _check(page, width)
        page.get_by_role("link", name="Offener Treff für Jugendliche").click()
        assert page.get_by_text("Die Stabsstelle prüft einen Standort.").is_visible()
        assert page.get_by_text("Entwurfsantwort geheim").count() == 0
        _check(page, width)
        page.get_by_role("link", name="Jugendtreff Nord").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Jugendtreff Nord"
        assert page.get_by_text("40 % umgesetzt").is_visible()
        assert page.get_by_role("cell", name="SV 12/2026").is_visible()
        assert page.get_by_role("link", name="Offener Treff für Jugendliche").is_visible()
        _check(page, width)

        page.get_by_role("link", name="Stadtbereich Nord").first.click()
        assert page.get_by_role("heading", level=1).inner_text() == "Stadtbereich Nord"
        _check(page, width)
        _nav(page, "Planungszyklus")
        assert page.get_by_text("läuft gerade").is_visible()
        _check(page, width)
        _nav(page, "Protokolle")
        page.get_by_role("link", name="SAK Nord Frühjahr").click()
        assert page.get_by_text("Ein offener Treff wird gewünscht.").is_visible()
        _check(page, width)
    finally:
        context.close()
