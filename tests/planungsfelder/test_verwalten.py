"""Planungsfelder as master data: the six standard fields, adding, renaming, deactivating."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.planungsfelder.models import Planungsfeld
from app.planungsfelder.services import ensure_standard_felder, make_schluessel


def test_standard_fields_are_created_once(ctx, make) -> None:
    make.planungsfelder()
    ensure_standard_felder()
    names = db.session.scalars(select(Planungsfeld.name).order_by(Planungsfeld.position)).all()
    assert names == [
        "Sozialplanung",
        "Jugendhilfeplanung",
        "Bildungskoordination",
        "Nahversorgung",
        "Mobilität",
        "Stadtentwicklung",
    ]
    kern = db.session.scalars(select(Planungsfeld.schluessel).where(Planungsfeld.kern)).all()
    assert sorted(kern) == ["bildungskoordination", "jugendhilfeplanung", "sozialplanung"]


def test_keys_are_ascii_slugs() -> None:
    assert make_schluessel("Mobilität") == "mobilitaet"
    assert make_schluessel("  Wohnen & Straße ") == "wohnen-strasse"


def test_stabsstelle_adds_renames_and_deactivates_a_field(client, login, welt, csrf_token) -> None:
    login(welt.stab)
    page = client.get("/planungsfelder/verwalten")
    assert page.status_code == 200 and "Jugendhilfeplanung" in page.get_data(as_text=True)
    token = csrf_token(client, "/planungsfelder/verwalten/neu")
    added = client.post(
        "/planungsfelder/verwalten/neu",
        data={"csrf_token": token, "name": "Wohnen", "beschreibung": "Wohnraum", "position": ""},
    )
    assert added.status_code == 303
    wohnen = db.session.scalar(select(Planungsfeld).where(Planungsfeld.name == "Wohnen"))
    assert (wohnen.schluessel, wohnen.position, wohnen.kern) == ("wohnen", 7, False)
    wohnen_id = wohnen.id

    twice = client.post(
        "/planungsfelder/verwalten/neu",
        data={"csrf_token": token, "name": "wohnen", "beschreibung": "", "position": ""},
    )
    assert twice.status_code == 422
    assert "Ein Planungsfeld „wohnen“ gibt es bereits." in twice.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Planungsfeld.id))) == 7

    renamed = client.post(
        f"/planungsfelder/verwalten/{wohnen_id}",
        data={"csrf_token": token, "name": "Wohnen und Quartier", "position": "9"},
    )
    assert renamed.status_code == 303
    wohnen = db.session.get(Planungsfeld, wohnen_id, populate_existing=True)
    assert (wohnen.name, wohnen.schluessel, wohnen.position) == ("Wohnen und Quartier", "wohnen", 9)

    off = client.post(
        f"/planungsfelder/verwalten/{wohnen.id}/deaktivieren", data={"csrf_token": token}
    )
    assert off.status_code == 303
    assert not db.session.get(Planungsfeld, wohnen.id, populate_existing=True).aktiv


def test_the_three_fields_of_the_stabsstelle_stay_active(client, login, welt, csrf_token) -> None:
    login(welt.stab)
    token = csrf_token(client, "/planungsfelder/verwalten/neu")
    feld = welt.felder["jugendhilfeplanung"]
    response = client.post(
        f"/planungsfelder/verwalten/{feld.id}/deaktivieren", data={"csrf_token": token}
    )
    assert response.status_code == 409
    assert "bleibt aktiv" in response.get_data(as_text=True)
    assert db.session.get(Planungsfeld, feld.id, populate_existing=True).aktiv
    no_token = client.post(f"/planungsfelder/verwalten/{welt.felder['mobilitaet'].id}/deaktivieren")
    assert no_token.status_code == 400  # CSRF


def test_only_the_stabsstelle_administers_fields(client, login, welt, csrf_token) -> None:
    feld = welt.felder["mobilitaet"]
    assert client.get("/planungsfelder/verwalten").status_code == 302  # login first
    login(welt.planer)
    token = csrf_token(client, "/planungsfelder/")
    assert client.get("/planungsfelder/verwalten").status_code == 403
    assert client.get(f"/planungsfelder/verwalten/{feld.id}").status_code == 403
    response = client.post(
        f"/planungsfelder/verwalten/{feld.id}/deaktivieren", data={"csrf_token": token}
    )
    assert response.status_code == 403
    login(welt.stab)
    assert client.get("/planungsfelder/verwalten/999999").status_code == 404
