"""While invitations are created the meeting page polls the state and reloads by itself."""

from __future__ import annotations

from app.extensions import db
from app.sitzungen.models import Sitzung


def test_page_polls_while_sending_and_state_endpoint(client, login, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium, titel="Runde im Mai")
    db.session.get(Sitzung, sitzung.id).versand_ausstehend = True
    db.session.commit()
    login(runde.vorsitz)
    body = client.get(f"/sitzungen/{sitzung.id}").get_data(as_text=True)
    assert f'data-versand-url="/sitzungen/{sitzung.id}/versandstand"' in body
    assert "js/versandstand.js" in body and "aktualisiert sich von selbst" in body
    assert "Bitte laden Sie die Seite gleich neu" not in body
    stand = client.get(f"/sitzungen/{sitzung.id}/versandstand")
    assert stand.get_json() == {"ausstehend": True}
    assert stand.headers["Cache-Control"] == "no-store"

    db.session.get(Sitzung, sitzung.id).versand_ausstehend = False
    db.session.commit()
    assert client.get(f"/sitzungen/{sitzung.id}/versandstand").get_json() == {"ausstehend": False}
    assert "versandstand.js" not in client.get(f"/sitzungen/{sitzung.id}").get_data(as_text=True)

    login(runde.mitglieder[0])
    assert client.get(f"/sitzungen/{sitzung.id}/versandstand").status_code == 403
    login(runde.aussen)
    assert client.get(f"/sitzungen/{sitzung.id}/versandstand").status_code in (403, 404)


def test_agenda_items_are_numbered_once(app, client, login, make, runde) -> None:
    """Each item says "TOP n:" itself; the list draws no second number ("1. TOP 1:")."""
    from pathlib import Path

    sitzung = make.sitzung(runde.gremium, titel="Runde im Juni")
    for titel in ("Begrüßung", "Sozialreport"):
        make.top(sitzung, titel)
    login(runde.vorsitz)
    body = client.get(f"/sitzungen/{sitzung.id}").get_data(as_text=True)
    assert "TOP 1: Begrüßung" in body and "TOP 2: Sozialreport" in body
    agenda = client.get(f"/sitzungen/{sitzung.id}/tagesordnung").get_data(as_text=True)
    assert agenda.count("TOP 1:") == 1 and '<ol class="tagesordnung">' in agenda
    css = Path(app.static_folder, "css", "app.css").read_text()
    assert ".tagesordnung { list-style: none;" in css
