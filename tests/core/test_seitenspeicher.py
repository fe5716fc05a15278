"""Whole page contents cached per reader (app.core.seitenspeicher): a page warmed by one
person is never shown to another, refusals stay refusals, and a write shows up at once."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.workflows.models import Phase


def _zwei(app, login, make, fremd):
    """The Stabsstelle's client and a stranger's, both logged in before anything is cached
    (a login is a write and would empty the cache)."""
    stab_client = login(make.stabsstelle())
    return stab_client, login(fremd, app.test_client())


def _warm(client, url: str) -> str:
    """Fetch twice: the second answer comes from the cache."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.fixture
def fremd(make):
    """A logged-in person with no Gremium, no organisation's forms, no role."""
    person = make.user(name="Fremde Person")
    db.session.commit()
    return person


def test_cycle_page_warmed_by_the_stabsstelle_is_refused_to_a_stranger(
    app, client, login, make, fremd
) -> None:
    zyklus = make.zyklus(titel="Sozialplanung 2031", phase=Phase.BETEILIGUNG)
    client, other = _zwei(app, login, make, fremd)
    seite = _warm(client, f"/zyklen/{zyklus.id}")
    assert "Sozialplanung 2031" in seite
    assert '<section class="verlauf"' in seite and "&lt;" not in seite  # history as markup
    assert other.get(f"/zyklen/{zyklus.id}").status_code in (403, 404)
    assert client.get("/zyklen/99999999999999999999").status_code == 404


def test_report_draft_warmed_by_the_stabsstelle_stays_hidden(
    app, client, login, make, fremd
) -> None:
    report = make.sozialreport(titel="Entwurf 2031")
    client, other = _zwei(app, login, make, fremd)
    url = f"/datenbasis/sozialreports/{report.id}"
    assert "Entwurf 2031" in _warm(client, url)
    assert other.get(url).status_code == 404


def test_impulse_page_is_per_reader_and_shows_a_change_at_once(
    app, client, login, make, fremd
) -> None:
    from app.impulse.models import Impuls

    impuls = make.impuls(titel="Mehr Bänke am Markt")
    client, other = _zwei(app, login, make, fremd)
    url = f"/impulse/{impuls.id}"
    assert "Mehr Bänke am Markt" in _warm(client, url)
    assert other.get(url).status_code in (403, 404)
    db.session.get(Impuls, impuls.id).titel = "Mehr Bänke am Alten Markt"
    db.session.commit()
    assert "Mehr Bänke am Alten Markt" in client.get(url).get_data(as_text=True)


def test_status_page_forms_get_fresh_tokens_and_no_placeholder(client, login, make) -> None:
    org = make.organisation()
    bogen = make.rueckmeldebogen(organisationen=[org], veroeffentlicht=True)
    login(make.stabsstelle())
    url = f"/beteiligung/{bogen.id}/status"
    erste, zweite = _warm(client, url), client.get(url).get_data(as_text=True)
    token = re.compile(r'name="formular_token" value="([^"]+)"')
    assert token.findall(erste) and set(token.findall(erste)).isdisjoint(token.findall(zweite))
    assert "<!--formular-felder" not in zweite
