"""Indicators, Themen, measures and impulses carry Planungsfelder; their lists filter by them."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from app.datenbasis.models import Indikator
from app.extensions import db
from app.impulse.models import Impuls
from app.massnahmen.models import Massnahme, Thema
from app.workflows.models import Phase
from app.workflows.services import start_folgezyklus


def _ids(felder: dict, *keys: str) -> list[str]:
    return [str(felder[k].id) for k in keys]


def test_indicator_is_tagged_and_the_catalogue_filters(client, login, welt, make, csrf_token):
    login(welt.stab)
    url = "/datenbasis/indikatoren/neu"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "name": "Betreuungsquote U3 (PF)",
            "einheit": "%",
            "richtung": "hoeher_besser",
            "planungsfelder": _ids(welt.felder, "jugendhilfeplanung", "bildungskoordination"),
        },
    )
    assert response.status_code == 303
    indikator = db.session.scalar(select(Indikator).where(Indikator.name.like("%U3 (PF)")))
    assert [f.schluessel for f in indikator.planungsfelder] == [
        "jugendhilfeplanung",
        "bildungskoordination",
    ]
    make.indikator("Haltestellen je km² (PF)", planungsfelder=[welt.felder["mobilitaet"]])
    page = client.get("/datenbasis/indikatoren?feld=bildungskoordination").get_data(as_text=True)
    assert "Betreuungsquote U3 (PF)" in page and "Haltestellen je km²" not in page
    everything = client.get("/datenbasis/indikatoren").get_data(as_text=True)
    assert "Betreuungsquote U3 (PF)" in everything and "Haltestellen je km²" in everything
    edit = client.get(f"/datenbasis/indikatoren/{indikator.id}/bearbeiten").get_data(as_text=True)
    checked = set(re.findall(r'<input checked [^>]*value="(\d+)"', edit))
    assert checked == set(_ids(welt.felder, "jugendhilfeplanung", "bildungskoordination"))


def test_unknown_field_is_refused_in_german(client, login, welt, csrf_token) -> None:
    login(welt.stab)
    url = "/datenbasis/indikatoren/neu"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "name": "Unbekannt (PF)",
            "einheit": "%",
            "richtung": "neutral",
            "planungsfelder": ["999999"],
        },
    )
    assert response.status_code == 422
    assert "Bitte wählen Sie nur vorhandene Planungsfelder." in response.get_data(as_text=True)
    assert db.session.scalar(select(Indikator).where(Indikator.name == "Unbekannt (PF)")) is None


def test_measure_and_thema_are_tagged_and_the_cycle_page_filters(
    client, login, welt, csrf_token
) -> None:
    login(welt.stab)
    url = f"/massnahmen/zyklus/{welt.zyklus.id}/neu"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "titel": "Schulwegbegleitung (PF)",
            "art": "neu",
            "sozialraum_id": str(welt.nord.id),
            "planungsfelder": _ids(welt.felder, "bildungskoordination", "mobilitaet"),
        },
    )
    assert response.status_code == 303
    massnahme = db.session.scalar(select(Massnahme).where(Massnahme.titel.like("Schulweg%")))
    assert {f.schluessel for f in massnahme.planungsfelder} == {
        "bildungskoordination",
        "mobilitaet",
    }
    url = f"/massnahmen/zyklus/{welt.zyklus.id}/themen/neu"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "titel": "Einkaufen im Quartier (PF)",
            "planungsfelder": _ids(welt.felder, "nahversorgung"),
        },
    )
    assert response.status_code == 303
    client.get(response.location)  # shows (and so clears) the confirmation naming the Thema
    thema = db.session.scalar(select(Thema).where(Thema.titel.like("Einkaufen%")))
    assert [f.name for f in thema.planungsfelder] == ["Nahversorgung"]

    page = client.get(f"/massnahmen/zyklus/{welt.zyklus.id}?feld=mobilitaet").get_data(as_text=True)
    assert "Schulwegbegleitung (PF)" in page and "Einkaufen im Quartier" not in page
    assert "Keine Themen im Planungsfeld „Mobilität“." in page
    page = client.get(f"/massnahmen/zyklus/{welt.zyklus.id}?feld=nahversorgung").get_data(
        as_text=True
    )
    assert "Einkaufen im Quartier (PF)" in page and "Schulwegbegleitung" not in page
    detail = client.get(f"/massnahmen/{massnahme.id}").get_data(as_text=True)
    assert "Bildungskoordination" in detail and "Mobilität" in detail


def test_impulse_are_tagged_filtered_and_carried_over(client, login, welt, make, csrf_token, app):
    login(welt.stab)
    url = "/impulse/neu"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "quelle": "politik",
            "titel": "Mehr Kitaplätze (PF)",
            "adressiert_an": "planungsrunde",
            "zyklus_id": str(welt.zyklus.id),
            "planungsfelder": _ids(welt.felder, "jugendhilfeplanung"),
        },
    )
    assert response.status_code == 303
    kita = db.session.scalar(select(Impuls).where(Impuls.titel == "Mehr Kitaplätze (PF)"))
    assert [f.schluessel for f in kita.planungsfelder] == ["jugendhilfeplanung"]
    bus = make.impuls("Busanbindung (PF)", zyklus_id=welt.zyklus.id)
    detail = f"/impulse/{bus.id}"
    tagged = client.post(
        f"{detail}/planungsfelder",
        data={
            "csrf_token": csrf_token(client, detail),
            "planungsfelder": _ids(welt.felder, "mobilitaet"),
        },
    )
    assert tagged.status_code == 303
    bus = db.session.get(Impuls, bus.id, populate_existing=True)
    assert [f.name for f in bus.planungsfelder] == ["Mobilität"]
    feld_id = welt.felder["mobilitaet"].id
    page = client.get(f"/impulse/?planungsfeld_id={feld_id}").get_data(as_text=True)
    assert "Busanbindung (PF)" in page and "Mehr Kitaplätze" not in page

    login(welt.planer)
    token = csrf_token(client, "/planungsfelder/")
    assert client.post(f"{detail}/planungsfelder", data={"csrf_token": token}).status_code == 403

    make.massnahme(welt.zyklus, "Rufbus (PF)", planungsfelder=[welt.felder["mobilitaet"]])
    alt = db.session.get(type(welt.zyklus), welt.zyklus.id)
    alt.phase = Phase.ABGESCHLOSSEN
    db.session.commit()
    with app.test_request_context():
        neu, _ = start_folgezyklus(
            alt.id,
            user=welt.stab,
            titel="Folgezyklus (PF)",
            beginn=date(2028, 1, 1),
            ende=date(2028, 12, 31),
        )
        db.session.commit()
    kopie = db.session.scalar(
        select(Impuls).where(Impuls.zyklus_id == neu.id, Impuls.titel == "Busanbindung (PF)")
    )
    assert [f.name for f in kopie.planungsfelder] == ["Mobilität"]
    rufbus = db.session.scalar(select(Massnahme).where(Massnahme.zyklus_id == neu.id))
    assert (rufbus.titel, [f.name for f in rufbus.planungsfelder]) == ("Rufbus (PF)", ["Mobilität"])
