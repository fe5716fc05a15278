"""The cycle guard "Protokoll liegt vor": Stränge and phases close only with approved minutes."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.protokolle import services
from app.protokolle.models import Protokoll
from app.protokolle.zyklus import GUARD_NAME
from app.stammdaten.models import GremiumTyp
from app.workflows.guards import only_guards
from app.workflows.models import Phase, Strang, Zyklus
from app.workflows.services import GuardsFailed, change_phase, close_strang, find_strang
from tests.protokolle.conftest import PDF, datei


@pytest.fixture(autouse=True)
def _only_this_guard():
    with only_guards(GUARD_NAME):
        yield


def _v(zyklus_id: int) -> int:
    return db.session.get(Zyklus, zyklus_id, populate_existing=True).version


def _approve(sitzung, welt) -> None:
    services.upload_revision(sitzung, datei(PDF), welt.moderator)
    protokoll = db.session.get(Protokoll, services.ensure_protokoll(sitzung).id)
    services.approve(sitzung, protokoll, welt.stab)
    db.session.commit()


def test_strang_cannot_close_without_approved_minutes(ctx, welt) -> None:
    strang = find_strang(welt.zyklus.id, welt.nord.id)
    with pytest.raises(GuardsFailed) as failed:
        close_strang(strang.id, user=welt.stab, expected_version=_v(strang.zyklus_id))
    assert "Noch kein freigegebenes Protokoll" in failed.value.message
    assert "SAK Nord März" in failed.value.message
    db.session.rollback()
    services.upload_revision(welt.sitzung, datei(PDF), welt.moderator)  # uploaded, not approved
    db.session.commit()
    with pytest.raises(GuardsFailed):
        close_strang(strang.id, user=welt.stab, expected_version=_v(strang.zyklus_id))
    db.session.rollback()
    _approve(welt.sitzung, welt)
    close_strang(strang.id, user=welt.stab, expected_version=_v(strang.zyklus_id))
    db.session.commit()
    assert not db.session.get(Strang, strang.id).offen


def test_strang_without_any_meeting_fails_but_can_be_overridden(ctx, welt, make) -> None:
    leer = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde ohne Sitzung")
    zyklus = make.zyklus([leer], phase=Phase.BETEILIGUNG)
    strang = find_strang(zyklus.id, leer.id)
    with pytest.raises(GuardsFailed, match="noch keine durchgeführte Sitzung"):
        close_strang(strang.id, user=welt.stab, expected_version=_v(strang.zyklus_id))
    db.session.rollback()
    entry = close_strang(
        strang.id,
        user=welt.stab,
        expected_version=_v(zyklus.id),
        uebersteuern=[GUARD_NAME],
        uebersteuerung_begruendung="Ohne Sitzung",
    )
    assert entry.uebersteuert[0]["name"] == GUARD_NAME


def test_phase_move_needs_minutes_of_the_phase_gremien(ctx, welt, make) -> None:
    runde = make.gremium(GremiumTyp.PLANUNGSRUNDE, name="Planungsrunde Guard")
    zyklus = make.zyklus([runde], phase=Phase.PLANUNGSRUNDE)
    sitzung = make.vergangene_sitzung(runde, titel="Planungsrunde Mai", zyklus_id=zyklus.id)
    with pytest.raises(GuardsFailed, match="Planungsrunde Mai"):
        change_phase(zyklus.id, Phase.BETEILIGUNG, user=welt.stab, expected_version=_v(zyklus.id))
    db.session.rollback()
    services.upload_revision(sitzung, datei(PDF), welt.stab)
    services.approve(sitzung, services.ensure_protokoll(sitzung), welt.stab)
    db.session.commit()
    change_phase(zyklus.id, Phase.BETEILIGUNG, user=welt.stab, expected_version=_v(zyklus.id))
    assert db.session.get(Zyklus, zyklus.id).phase == Phase.BETEILIGUNG
