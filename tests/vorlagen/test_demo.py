"""The demo tells one story: 2026 stands in Politik, its Vorlage awaits the Sozialausschuss."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import User
from app.demo import DEMO_LOADERS, _load_optional
from app.extensions import db
from app.massnahmen.models import Beschluss, MassnahmeStatus
from app.protokolle.models import Protokoll, ProtokollStatus
from app.stammdaten.demo import load_demo_data
from app.vorlagen.aufgaben import wartende_beratungen
from app.vorlagen.models import Vorlage
from app.workflows.models import Phase, Zyklus


def _load() -> None:
    load_demo_data()
    for loader in DEMO_LOADERS:
        _load_optional(loader)
    db.session.commit()


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_demo_vorlage_awaits_the_committee_and_loads_once(ctx, client, login) -> None:
    _load()
    counts = (
        db.session.scalar(select(func.count()).select_from(Beschluss)),
        db.session.scalar(select(func.count()).select_from(Vorlage)),
    )
    _load()
    assert counts == (
        db.session.scalar(select(func.count()).select_from(Beschluss)),
        db.session.scalar(select(func.count()).select_from(Vorlage)),
    )
    zyklus = db.session.scalar(select(Zyklus).where(Zyklus.titel == "Sozialplanung 2026"))
    assert zyklus.phase == Phase.POLITIK
    vorlage = db.session.scalar(select(Vorlage).where(Vorlage.zyklus_id == zyklus.id))
    vv, sa, jha = vorlage.beratungen
    assert [b.gremium.name for b in (vv, sa, jha)] == [
        "Verwaltungsvorstand",
        "Sozialausschuss",
        "Jugendhilfeausschuss",
    ]
    gesamt = vv.gesamtbeschluss
    assert gesamt.erfasst_von.email == "vorstand@demo.hilden.example" and not gesamt.im_auftrag
    ausschuss = _user("ausschuss@demo.hilden.example")
    assert [b.id for b in wartende_beratungen(ausschuss)] == [sa.id]
    assert db.session.scalar(
        select(Protokoll.id).where(Protokoll.status == ProtokollStatus.EINGEREICHT)
    )
    login(ausschuss)
    body = client.get("/start").get_data(as_text=True)
    assert "Beschluss von „Sozialausschuss“ zur Vorlage" in body
    assert "Sozialplanung 2026</a>: Phase Politik" in body
    rows = db.session.scalars(
        select(Beschluss).where(Beschluss.beratung_id == vv.id, Beschluss.massnahme_id.is_not(None))
    ).all()
    assert rows and all(b.massnahme.status == MassnahmeStatus.BESCHLOSSEN for b in rows)
