"""A meeting can be placed in the planning cycle: a phase of a Zyklus, or a Gremium's Strang."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.core.types import utcnow
from app.extensions import db
from app.sitzungen import services
from app.sitzungen.models import Sitzung
from app.stammdaten.models import Funktion, GremiumTyp
from app.workflows.models import Phase


def _form(gremium_id: int, zyklus_id: int | str, phase: str = "") -> dict:
    day = (utcnow() + timedelta(days=12)).strftime("%Y-%m-%d")
    return {
        "gremium_id": str(gremium_id),
        "titel": "Arbeitskreis Nord",
        "beginn": f"{day}T18:00",
        "ende": f"{day}T20:00",
        "ort_name": "Stadtteilzentrum",
        "erinnerung_an": "offene",
        "zyklus_id": str(zyklus_id),
        "phase": phase,
    }


def test_meeting_of_a_stadtteilarbeitskreis_lands_on_its_strang(
    client, login, csrf_token, make
) -> None:
    sak = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS)
    moderation = make.user()
    make.mitgliedschaft(sak, moderation, Funktion.MODERATION)
    zyklus = make.zyklus([sak, make.gremium()])
    login(moderation)
    token = csrf_token(client, "/sitzungen/neu")
    assert (
        client.post(
            "/sitzungen/neu", data={**_form(sak.id, zyklus.id), "csrf_token": token}
        ).status_code
        == 303
    )
    sitzung = db.session.scalar(select(Sitzung).where(Sitzung.titel == "Arbeitskreis Nord"))
    [strang] = [s for s in zyklus.straenge if s.gremium_id == sak.id]
    assert (sitzung.zyklus_id, sitzung.phase, sitzung.strang_id) == (
        zyklus.id,
        Phase.BETEILIGUNG,
        strang.id,
    )
    page = client.get(f"/sitzungen/{sitzung.id}").get_data(as_text=True)
    assert zyklus.titel in page and "Planungszyklus" in page
    with client.application.test_request_context():
        assert [s.id for s in services.sitzungen_of_zyklus(zyklus.id, Phase.BETEILIGUNG)] == [
            sitzung.id
        ]
        assert [s.id for s in services.sitzungen_of_zyklus(zyklus.id, strang_id=strang.id)] == [
            sitzung.id
        ]


def test_explicit_phase_and_untie(client, login, csrf_token, make) -> None:
    runde = make.gremium(GremiumTyp.PLANUNGSRUNDE)
    zyklus = make.zyklus([runde])
    login(make.stabsstelle())
    token = csrf_token(client, "/sitzungen/neu")
    data = {**_form(runde.id, zyklus.id, "datenbasis"), "csrf_token": token}
    assert client.post("/sitzungen/neu", data=data).status_code == 303
    sitzung = db.session.scalar(select(Sitzung).where(Sitzung.titel == "Arbeitskreis Nord"))
    assert (sitzung.phase, sitzung.strang_id) == (Phase.DATENBASIS, None)
    url = f"/sitzungen/{sitzung.id}/bearbeiten"
    response = client.post(url, data={**_form(runde.id, ""), "csrf_token": csrf_token(client, url)})
    assert response.status_code == 303
    sitzung = db.session.get(Sitzung, sitzung.id, populate_existing=True)
    assert (sitzung.zyklus_id, sitzung.phase) == (None, None)


def test_cycle_without_the_gremium_is_refused(client, login, csrf_token, make) -> None:
    runde = make.gremium()
    zyklus = make.zyklus([make.gremium()])
    login(make.stabsstelle())
    token = csrf_token(client, "/sitzungen/neu")
    response = client.post(
        "/sitzungen/neu", data={**_form(runde.id, zyklus.id), "csrf_token": token}
    )
    assert response.status_code == 400
    assert "nimmt am Planungszyklus" in response.get_data(as_text=True)
    assert db.session.scalar(select(Sitzung.id)) is None


def test_a_later_meeting_is_filed_under_the_current_phase_not_a_past_one(
    client, login, csrf_token, make
) -> None:
    runde = make.gremium(GremiumTyp.PLANUNGSRUNDE)
    vorstand = make.gremium(GremiumTyp.VERWALTUNGSVORSTAND)
    zyklus = make.zyklus([runde, vorstand], phase=Phase.BETEILIGUNG)
    login(make.stabsstelle())
    for gremium, titel in ((runde, "Planungsrunde spät"), (vorstand, "Vorstand früh")):
        token = csrf_token(client, "/sitzungen/neu")
        data = {**_form(gremium.id, zyklus.id), "titel": titel, "csrf_token": token}
        assert client.post("/sitzungen/neu", data=data).status_code == 303
    phasen = dict(db.session.execute(select(Sitzung.titel, Sitzung.phase)).all())
    # the Planungsrunde's phase is over: the meeting belongs to where the cycle stands now;
    # the board's phase is still ahead: its meeting prepares that phase
    assert phasen == {
        "Planungsrunde spät": Phase.BETEILIGUNG,
        "Vorstand früh": Phase.VERWALTUNGSVORSTAND,
    }
