"""An impulse's origin is owned by the package it came from (``protokoll_impuls``,
``antwort_impuls``) and told to the register through ``app.impulse.herkunft``."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.impulse import herkunft
from app.protokolle.hooks import link_impulse, protokoll_id_of
from app.workflows.models import Phase, Zyklus
from app.workflows.services import start_folgezyklus


def test_minutes_describe_their_impulse_and_the_link_follows_it_into_the_next_cycle(
    ctx, client, login, make, quelle
) -> None:
    sitzung = make.vergangene_sitzung(quelle.kreis, titel="Quartierstreffen")
    protokoll = make.protokoll(sitzung, freigegeben=True)
    impuls = make.impuls(
        "Mehr Bänke", zyklus_id=quelle.zyklus.id, quelle_gremium_id=quelle.kreis.id
    )
    direkt = make.impuls("Direkt erfasst", zyklus_id=quelle.zyklus.id)
    link_impulse(protokoll.id, [impuls.id])
    db.session.commit()

    glied = herkunft.quelle_von(impuls)
    assert glied is not None and "Protokoll der Sitzung „Quartierstreffen“" in glied.text
    assert herkunft.quelle_von(direkt) is None

    alt = db.session.get(Zyklus, quelle.zyklus.id)
    alt.phase = Phase.ABGESCHLOSSEN
    db.session.commit()
    neu, _ = start_folgezyklus(
        alt.id, user=quelle.stab, titel="Folge", beginn=date(2028, 1, 1), ende=date(2028, 12, 31)
    )
    db.session.commit()
    kopie = next(i for i in neu_impulse(neu.id) if i.vorgaenger_id == impuls.id)
    assert protokoll_id_of(kopie.id) == protokoll.id
    login(quelle.stab)
    body = client.get(f"/impulse/{kopie.id}").get_data(as_text=True)
    assert "Protokoll der Sitzung „Quartierstreffen“" in body


def neu_impulse(zyklus_id: int) -> list:
    from sqlalchemy import select

    from app.impulse.models import Impuls

    return list(db.session.scalars(select(Impuls).where(Impuls.zyklus_id == zyklus_id)))


def test_a_provider_registers_once(monkeypatch) -> None:
    monkeypatch.setattr(herkunft, "_quellen", [])
    provider = lambda impuls: None  # noqa: E731
    herkunft.quelle(provider)
    herkunft.quelle(provider)
    assert herkunft._quellen == [provider]
