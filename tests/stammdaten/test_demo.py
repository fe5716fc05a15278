"""The Hilden demo data: complete and idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.stammdaten.demo import PERSONEN, load_demo_data
from app.stammdaten.models import Gremium, GremiumTyp, Mitgliedschaft, Organisation, Sozialraum

MODELS = (Sozialraum, Organisation, Gremium, Mitgliedschaft, User)


def _counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in MODELS}


def test_demo_data_is_idempotent(ctx) -> None:
    empty = _counts()
    load_demo_data()
    db.session.commit()
    first = _counts()
    assert all(first[name] > empty[name] for name in first), first
    load_demo_data()
    db.session.commit()
    assert _counts() == first


def test_demo_data_has_the_hilden_bodies(ctx) -> None:
    load_demo_data()
    db.session.commit()
    raeume = db.session.scalars(select(Sozialraum).order_by(Sozialraum.nummer)).all()
    assert [r.nummer for r in raeume] == [1, 2, 3, 4, 5]
    gremien = {g.name: g for g in db.session.scalars(select(Gremium))}
    saks = [g for g in gremien.values() if g.typ == GremiumTyp.STADTTEILARBEITSKREIS]
    assert len(saks) == 5
    assert {g.sozialraum_id for g in saks} == {r.id for r in raeume}
    expected = {
        "Städtische Planungsrunde": GremiumTyp.PLANUNGSRUNDE,
        "Trägerrunde Dezernat III": GremiumTyp.TRAEGERRUNDE,
        "Verwaltungsvorstand": GremiumTyp.VERWALTUNGSVORSTAND,
        "Sozialausschuss": GremiumTyp.FACHAUSSCHUSS,
        "Jugendhilfeausschuss": GremiumTyp.FACHAUSSCHUSS,
    }
    assert {name: gremien[name].typ for name in expected} == expected
    assert all(gremien[name].sozialraum_id is None for name in expected)
    emails = set(db.session.scalars(select(User.email)))
    assert {p.email for p in PERSONEN} <= emails
    # every Stadtteilarbeitskreis has its moderation
    moderated = db.session.scalars(
        select(Mitgliedschaft.gremium_id).where(
            Mitgliedschaft.funktion == "moderation", Mitgliedschaft.aktiv
        )
    ).all()
    assert {g.id for g in saks} <= set(moderated)
