"""At 390 px (a small phone) no internal page scrolls sideways: every demo role opens its start
page and every entry of its main navigation, plus the first detail page linked from each, and
the page is never wider than the screen. axe checks each role's start page (KERN UX styles);
the print view leaves out navigation and buttons."""

from __future__ import annotations

import pytest

from app.demo import DEMO_LOADERS, _load_optional
from app.extensions import db
from app.stammdaten.demo import DEMO_PASSWORD, load_demo_data
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser

BREITE = 390
ROLLEN = (
    "stabsstelle@demo.hilden.example",
    "sozialamt@demo.hilden.example",
    "awo@demo.traeger.example",
    "moderation.nord@demo.hilden.example",
    "buergerin.nord@demo.hilden.example",
    "vorstand@demo.hilden.example",
    "ausschuss@demo.hilden.example",
)
# Elements wider than the screen, for a useful failure message.
ZU_BREIT = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
               && !e.closest('.tabelle-rahmen, [role=region]'))
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
            + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)')"""
# Links to detail pages: the first one inside the main content that leads to another page.
ERSTER_LINK = """() => { const a = [...document.querySelectorAll('main a[href^="/"]')]
  .find(a => !a.closest('nav') && !/\\.(pdf|ics|csv|xlsx|zip)|download|export|abmelden/.test(a.getAttribute('href')));
  return a ? a.getAttribute('href') : null; }"""


@pytest.fixture
def demo(app):
    with app.app_context():
        load_demo_data()
        for loader in DEMO_LOADERS:
            _load_optional(loader)
        db.session.commit()


def _login(page, base: str, email: str) -> None:
    page.goto(f"{base}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{base}/start")


def _assert_schmal(page, where: str, fehler: list[str]) -> None:
    """Collects every page that is too wide (all are reported at once)."""
    breite = page.evaluate("document.documentElement.scrollWidth")
    if breite > BREITE:
        fehler.append(f"{where}: {breite} px breit – {page.evaluate(ZU_BREIT)}")


def test_no_internal_page_scrolls_sideways_at_390_px(browser, live_server, demo) -> None:
    geprueft: set[str] = set()
    fehler: list[str] = []
    for email in ROLLEN:
        context = browser.new_context(
            locale="de-DE",
            timezone_id="Europe/Berlin",
            viewport={"width": BREITE, "height": 800},
        )
        page = context.new_page()
        page.set_default_timeout(20000)
        try:
            _login(page, live_server, email)
            _assert_schmal(page, f"{email} /start", fehler)
            try:
                assert_accessible(page)
            except AssertionError as exc:
                fehler.append(f"{email} axe: {exc}"[:1500])
            nav = page.get_by_role("navigation", name="Hauptnavigation")
            ziele = [a.get_attribute("href") for a in nav.get_by_role("link").all()]
            assert len(ziele) >= 2, email
            details = []
            for ziel in ziele:
                page.goto(f"{live_server}{ziel}")
                _assert_schmal(page, f"{email} {ziel}", fehler)
                geprueft.add(ziel)
                detail = page.evaluate(ERSTER_LINK)
                if detail and detail not in geprueft:
                    details.append(detail)
            for detail in details:
                if detail in geprueft:
                    continue
                response = page.goto(f"{live_server}{detail}")
                if response is not None and response.status == 200:
                    _assert_schmal(page, f"{email} {detail}", fehler)
                geprueft.add(detail)
        finally:
            context.close()
    assert not fehler, "\n".join(fehler)
    assert len(geprueft) >= 20, sorted(geprueft)


def test_print_view_leaves_out_navigation_and_buttons(browser, live_server, demo) -> None:
    context = browser.new_context(locale="de-DE", viewport={"width": 1024, "height": 800})
    page = context.new_page()
    try:
        _login(page, live_server, "stabsstelle@demo.hilden.example")
        page.goto(f"{live_server}/sitzungen/")
        nav = page.get_by_role("navigation", name="Hauptnavigation")
        assert nav.is_visible()
        page.set_viewport_size({"width": 390, "height": 800})
        page.emulate_media(media="print")
        assert not nav.is_visible()
        assert not page.get_by_role("button", name="Abmelden").is_visible()
        assert page.get_by_role("heading", level=1).is_visible()
    finally:
        context.close()
