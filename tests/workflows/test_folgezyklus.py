"""The next cycle of a finished one: Gremien, Stränge, settings and the carry-over hook."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.workflows import services
from app.workflows.models import Phase, StrangStatus, VerlaufArt, Verlaufseintrag, Zyklus
from app.workflows.signals import carry_over_provider, remove_carry_over_provider


@pytest.fixture
def fertig(welt, make):
    welt.zyklus.phase = Phase.ABGESCHLOSSEN
    welt.zyklus.erinnerung_tage = 12
    for strang in welt.zyklus.straenge:
        strang.status = StrangStatus.ABGESCHLOSSEN
    db.session.commit()
    return welt.zyklus


def test_next_cycle_copies_gremien_straenge_settings_and_runs_providers(ctx, welt, fertig) -> None:
    calls = []

    def impulse(alt: Zyklus, neu: Zyklus) -> list[str]:
        calls.append((alt.id, neu.id, neu.phase))
        return ["3 offene Impulse übernommen"]

    carry_over_provider(impulse)
    carry_over_provider(impulse)  # registering twice keeps one entry
    try:
        neu, notes = services.start_folgezyklus(
            fertig.id,
            user=welt.stab,
            titel="Sozialplanung 2028",
            beginn=date(2028, 1, 1),
            ende=date(2028, 12, 31),
        )
    finally:
        remove_carry_over_provider(impulse)
    db.session.commit()
    assert calls == [(fertig.id, neu.id, Phase.DATENBASIS)]
    assert notes == [
        "6 Gremien und 3 Beteiligungsstränge übernommen",
        "3 offene Impulse übernommen",
    ]
    assert neu.vorgaenger_id == fertig.id and neu.erinnerung_tage == 12 and neu.version == 1
    assert {g.id for g in neu.gremien} == {g.id for g in fertig.gremien}
    assert [(s.gremium_id, s.status) for s in neu.straenge] == [
        (s.gremium_id, StrangStatus.OFFEN) for s in fertig.straenge
    ]
    entry = db.session.scalar(select(Verlaufseintrag).where(Verlaufseintrag.zyklus_id == neu.id))
    assert entry.art == VerlaufArt.ANGELEGT
    assert entry.begruendung == (
        "Folgezyklus von „Sozialplanung 2027“. 6 Gremien und 3 Beteiligungsstränge "
        "übernommen; 3 offene Impulse übernommen."
    )


def test_inactive_gremien_are_left_behind(ctx, welt, fertig) -> None:
    welt.sak2.aktiv = False
    db.session.commit()
    neu, _ = services.start_folgezyklus(
        fertig.id, user=welt.stab, titel="X 2028", beginn=date(2028, 1, 1), ende=date(2028, 12, 31)
    )
    assert [s.gremium.name for s in neu.straenge] == [
        "Trägerrunde Test",
        "Stadtteilarbeitskreis Nord",
    ]


def test_only_from_a_finished_cycle_and_only_once(ctx, welt) -> None:
    with pytest.raises(services.InvalidRequest, match="erst angelegt werden, wenn"):
        services.start_folgezyklus(
            welt.zyklus.id,
            user=welt.stab,
            titel="Y",
            beginn=date(2028, 1, 1),
            ende=date(2028, 2, 1),
        )
    db.session.rollback()
    zyklus = db.session.get(Zyklus, welt.zyklus.id)
    zyklus.phase = Phase.ABGESCHLOSSEN
    db.session.commit()
    services.start_folgezyklus(
        zyklus.id, user=welt.stab, titel="Y", beginn=date(2028, 1, 1), ende=date(2028, 2, 1)
    )
    with pytest.raises(services.StaleState, match="bereits der Folgezyklus „Y“"):
        services.start_folgezyklus(
            zyklus.id, user=welt.stab, titel="Z", beginn=date(2028, 1, 1), ende=date(2028, 2, 1)
        )


def test_next_cycle_through_the_pages(client, login, csrf_token, welt, fertig) -> None:
    login(welt.stab)
    detail = client.get(f"/zyklen/{fertig.id}").get_data(as_text=True)
    assert "Der Zyklus ist abgeschlossen." in detail and "Folgezyklus anlegen" in detail
    form = client.get(f"/zyklen/{fertig.id}/folgezyklus").get_data(as_text=True)
    assert (
        'value="Sozialplanung 2028"' in form
        and 'value="2028-01-01"' in form
        and 'value="2028-12-31"' in form
    )
    token = csrf_token(client, f"/zyklen/{fertig.id}/folgezyklus")
    data = {
        "csrf_token": token,
        "titel": "Sozialplanung 2028",
        "beginn": "2028-01-01",
        "ende": "2028-12-31",
    }
    response = client.post(f"/zyklen/{fertig.id}/folgezyklus", data=data)
    assert response.status_code == 303
    neu = db.session.scalar(select(Zyklus).where(Zyklus.titel == "Sozialplanung 2028"))
    assert response.headers["Location"] == f"/zyklen/{neu.id}"
    page = client.get(f"/zyklen/{neu.id}").get_data(as_text=True)
    assert "Vorgänger" in page and "Sozialplanung 2027" in page
    assert "Folgezyklus anlegen" not in client.get(f"/zyklen/{fertig.id}").get_data(as_text=True)
    again = client.post(f"/zyklen/{fertig.id}/folgezyklus", data={**data, "titel": "Noch einer"})
    assert again.status_code == 409 and "bereits der Folgezyklus" in again.get_data(as_text=True)


def test_next_cycle_with_taken_title_keeps_the_form(
    client, login, csrf_token, welt, fertig, make
) -> None:
    make.zyklus([], titel="Sozialplanung 2028")
    login(welt.stab)
    token = csrf_token(client, f"/zyklen/{fertig.id}/folgezyklus")
    response = client.post(
        f"/zyklen/{fertig.id}/folgezyklus",
        data={
            "csrf_token": token,
            "titel": "Sozialplanung 2028",
            "beginn": "2028-01-01",
            "ende": "2028-12-31",
        },
    )
    assert response.status_code == 400
    assert "Es gibt bereits einen Planungszyklus „Sozialplanung 2028“." in response.get_data(
        as_text=True
    )
