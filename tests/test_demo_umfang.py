"""``flask demo-daten --umfang N``: N cycles of history, twenty people and six years of values
per turn, everything a cycle leaves behind, idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import User
from app.beteiligung.models import Rueckmeldung
from app.datenbasis.models import Indikatorwert, Sozialreport
from app.demo_umfang import load_umfang
from app.extensions import db
from app.impulse.models import Impuls
from app.mail.models import Mail
from app.massnahmen.models import Massnahme
from app.protokolle.models import Protokoll
from app.sitzungen.models import Einladung, Sitzung
from app.workflows.models import Phase, Zyklus


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_umfang_scales_history_and_is_idempotent(ctx) -> None:
    counts = load_umfang(3)
    assert counts["Zyklen"] == 3 and counts["Personen"] == 60
    zyklen = db.session.scalars(select(Zyklus).order_by(Zyklus.beginn)).all()
    assert zyklen[0].phase == Phase.ABGESCHLOSSEN and zyklen[-1].phase != Phase.ABGESCHLOSSEN
    assert zyklen[2].vorgaenger_id == zyklen[1].id and zyklen[1].vorgaenger_id == zyklen[0].id
    jahre = db.session.execute(
        select(func.min(Indikatorwert.jahr), func.max(Indikatorwert.jahr))
    ).one()
    assert tuple(jahre) == (2024 - 18 + 1, 2024)  # six years per turn
    reports = select(func.count()).where(Sozialreport.titel.like("Sozialreport – %"))
    assert db.session.scalar(reports) == 3  # one per cycle (other demo loaders may add theirs)
    per_cycle = {
        model: db.session.scalar(
            select(func.count()).select_from(model).where(model.zyklus_id == zyklen[0].id)
        )
        for model in (Sitzung, Impuls, Massnahme)
    }
    assert all(n > 0 for n in per_cycle.values()), per_cycle
    assert _count(Protokoll) > 0 and _count(Rueckmeldung) > 0
    versandt = select(func.count()).where(Einladung.sequence_gesendet > 0)
    assert _count(Mail) >= db.session.scalar(versandt) > 0  # every sent one went through the outbox

    before = {m: _count(m) for m in (User, Zyklus, Sitzung, Einladung, Mail, Indikatorwert)}
    load_umfang(3)
    assert {m: _count(m) for m in before} == before
