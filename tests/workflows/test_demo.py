"""The demo cycle "Sozialplanung 2027": loads on the Hilden demo data, twice without change."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.stammdaten.demo import load_demo_data
from app.workflows.demo import load_demo_zyklus
from app.workflows.models import Phase, StrangStatus, Verlaufseintrag, Zyklus


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(Zyklus)),
        db.session.scalar(select(func.count()).select_from(Verlaufseintrag)),
    )


def test_demo_cycle_is_idempotent(ctx) -> None:
    load_demo_data()
    zyklus = load_demo_zyklus()
    db.session.commit()
    first = _counts()
    assert load_demo_zyklus().id == zyklus.id
    assert _counts() == first == (1, 4)
    assert zyklus.titel == "Sozialplanung 2027" and zyklus.phase == Phase.BETEILIGUNG
    assert len(zyklus.gremien) == 10 and len(zyklus.straenge) == 6
    assert [s.status for s in zyklus.straenge].count(StrangStatus.ABGESCHLOSSEN) == 1
    assert len(zyklus.fristen) == 5


def test_demo_cycle_page_renders_for_the_demo_stabsstelle(ctx, client, login) -> None:
    from app.auth.models import User

    zyklus = load_demo_zyklus()  # loads the master data itself when missing
    db.session.commit()
    login(db.session.scalar(select(User).where(User.email == "stabsstelle@demo.hilden.example")))
    body = client.get(f"/zyklen/{zyklus.id}").get_data(as_text=True)
    assert "überfällig" in body and "Sozialreport-Entwurf 2026 liegt vor." in body
