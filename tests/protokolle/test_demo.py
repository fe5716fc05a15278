"""The demo minutes, impulses and measures load on the Hilden demo data, twice without change."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.impulse.models import Impuls
from app.massnahmen.models import Massnahme, Thema
from app.protokolle.demo import load_demo_protokolle
from app.protokolle.models import Protokoll
from app.stammdaten.demo import load_demo_data


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Protokoll, Impuls, Massnahme, Thema)
    )


def test_demo_is_idempotent_and_browsable(ctx, client, login) -> None:
    people = load_demo_data()
    load_demo_protokolle()
    db.session.commit()
    first = _counts()
    load_demo_protokolle()
    db.session.commit()
    assert _counts() == first == (1, 2, 1, 1)
    massnahme = db.session.scalar(select(Massnahme))
    assert [i.titel for i in massnahme.impulse] == ["Demo: Treffpunkt für Jugendliche"]
    stab = db.session.scalar(select(User).where(User.email == people[0].email))
    assert stab.ist_stabsstelle
    login(stab)
    impuls = massnahme.impulse[0]
    body = client.get(f"/impulse/{impuls.id}").get_data(as_text=True)
    assert "Offener Jugendtreff im Stadtbereich" in body and "Protokoll der Sitzung" in body
