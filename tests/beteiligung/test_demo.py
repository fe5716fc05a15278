"""The demo forms load on the Hilden demo data, twice without change, and give each login work."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import User
from app.beteiligung.demo import LAUFEND, TITEL, load_demo_beteiligung
from app.beteiligung.models import (
    AnfrageArt,
    Rueckmeldebogen,
    Rueckmeldung,
    RueckmeldungAnfrage,
    RueckmeldungStatus,
)
from app.extensions import db
from app.mail.models import Mail
from app.stammdaten.demo import load_demo_data


def _counts() -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Rueckmeldebogen, Rueckmeldung, RueckmeldungAnfrage, Mail)
    )


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_demo_forms_are_idempotent_and_give_each_login_something_to_do(ctx, app, login) -> None:
    load_demo_data()
    load_demo_beteiligung()
    db.session.commit()
    first = _counts()
    load_demo_beteiligung()
    db.session.commit()
    assert _counts() == first == (2, 10, 2, 0)
    bogen = db.session.scalar(select(Rueckmeldebogen).where(Rueckmeldebogen.titel == TITEL))
    assert {r.status for r in bogen.rueckmeldungen} == {RueckmeldungStatus.EINGEREICHT}
    korrektur = db.session.scalar(
        select(RueckmeldungAnfrage).where(RueckmeldungAnfrage.art == AnfrageArt.KORREKTUR)
    )
    assert korrektur.rueckmeldung.organisation.kurzname == "AWO"

    stab = login(_user("stabsstelle@demo.hilden.example"), app.test_client())
    start = stab.get("/start").get_data(as_text=True)
    assert "Korrektur für Arbeiterwohlfahrt Ortsverein Hilden entscheiden" in start
    assert "Fristverlängerung für SKFM Hilden entscheiden" in start
    page = stab.get(f"/beteiligung/rueckmeldungen/{korrektur.rueckmeldung_id}")
    assert "Korrektur gewähren" in page.get_data(as_text=True)

    awo = login(_user("awo@demo.traeger.example"), app.test_client())
    start = awo.get("/start").get_data(as_text=True)
    assert f"Rückmeldung „{LAUFEND}“ ausfüllen" in start
    assert f"Ihre Anfrage (Korrektur) zu „{TITEL}“" in start
