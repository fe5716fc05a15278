"""Every legal and every illegal move through the one phase-changing operation."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.workflows import machine, services
from app.workflows.machine import UEBERGAENGE, find_uebergang
from app.workflows.models import Phase, StrangStatus, VerlaufArt, Verlaufseintrag, Zyklus
from app.workflows.services import InvalidRequest, StaleState
from app.workflows.signals import zyklus_phase_changed

ILLEGAL = [(v, n) for v, n in itertools.product(Phase, Phase) if find_uebergang(v, n) is None]


def _place(zyklus: Zyklus, phase: Phase) -> None:
    """Put the cycle into ``phase`` with every Strang concluded (only the move itself matters)."""
    zyklus.phase = phase
    for strang in zyklus.straenge:
        strang.status = StrangStatus.ABGESCHLOSSEN
    db.session.commit()


def _history_count(zyklus_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Verlaufseintrag)
        .where(Verlaufseintrag.zyklus_id == zyklus_id)
    )


def test_the_declared_moves_are_the_issue_s_moves() -> None:
    forward = [(u.von, u.nach) for u in UEBERGAENGE if not u.rueckverweisung]
    back = {(u.von, u.nach) for u in UEBERGAENGE if u.rueckverweisung}
    assert forward == list(itertools.pairwise(Phase))
    assert back == {
        (Phase.VERWALTUNGSVORSTAND, Phase.PLANUNGSRUNDE),
        (Phase.POLITIK, Phase.VERWALTUNGSVORSTAND),
        (Phase.POLITIK, Phase.PLANUNGSRUNDE),
    }
    assert all(u.action == "zyklus.phase_wechseln" for u in UEBERGAENGE)


@pytest.mark.parametrize("uebergang", UEBERGAENGE, ids=lambda u: u.key)
def test_every_legal_move(ctx, welt, uebergang) -> None:
    _place(welt.zyklus, uebergang.von)
    grund = "Prioritäten neu abwägen" if uebergang.rueckverweisung else None
    entry = services.change_phase(
        welt.zyklus.id, uebergang.nach, user=welt.stab, expected_version=1, begruendung=grund
    )
    db.session.commit()
    zyklus = db.session.get(Zyklus, welt.zyklus.id)
    assert zyklus.phase == uebergang.nach and zyklus.version == 2
    assert (entry.von_phase, entry.nach_phase, entry.user_id) == (
        uebergang.von,
        uebergang.nach,
        welt.stab.id,
    )
    assert entry.art == (
        VerlaufArt.RUECKVERWEISUNG if uebergang.rueckverweisung else VerlaufArt.VORWAERTS
    )
    assert entry.begruendung == grund and entry.zeitpunkt is not None and entry.uebersteuert == []
    assert (zyklus.abgeschlossen_at is not None) == (uebergang.nach == Phase.ABGESCHLOSSEN)


@pytest.mark.parametrize(("von", "nach"), ILLEGAL, ids=lambda p: p.value)
def test_every_illegal_move_is_refused_without_change(ctx, welt, von, nach) -> None:
    _place(welt.zyklus, von)
    with pytest.raises(InvalidRequest) as refused:
        services.change_phase(
            welt.zyklus.id, nach, user=welt.stab, expected_version=1, begruendung="x"
        )
    db.session.rollback()
    assert refused.value.status_code == 400
    assert f"„{von.kurz}“" in refused.value.message and "kein Wechsel" in refused.value.message
    zyklus = db.session.get(Zyklus, welt.zyklus.id)
    assert (zyklus.phase, zyklus.version, _history_count(zyklus.id)) == (von, 1, 0)


def test_there_are_30_illegal_pairs_including_staying() -> None:
    assert len(ILLEGAL) == 36 - len(UEBERGAENGE)
    assert all((p, p) in ILLEGAL for p in Phase)


@pytest.mark.parametrize(
    "uebergang", [u for u in UEBERGAENGE if u.rueckverweisung], ids=lambda u: u.key
)
@pytest.mark.parametrize("grund", [None, "", "   "])
def test_referral_needs_a_reason(ctx, welt, uebergang, grund) -> None:
    _place(welt.zyklus, uebergang.von)
    with pytest.raises(InvalidRequest) as refused:
        services.change_phase(
            welt.zyklus.id, uebergang.nach, user=welt.stab, expected_version=1, begruendung=grund
        )
    db.session.rollback()
    assert refused.value.field == "begruendung" and "begründen" in refused.value.message
    assert db.session.get(Zyklus, welt.zyklus.id).phase == uebergang.von


def test_unknown_phase_is_400(ctx, welt) -> None:
    with pytest.raises(InvalidRequest, match="Unbekannte Phase"):
        services.change_phase(welt.zyklus.id, "urlaub", user=welt.stab, expected_version=1)


def test_stale_version_is_409_and_changes_nothing(ctx, welt) -> None:
    services.change_phase(welt.zyklus.id, Phase.PLANUNGSRUNDE, user=welt.stab, expected_version=1)
    db.session.commit()
    with pytest.raises(StaleState) as refused:
        services.change_phase(welt.zyklus.id, Phase.BETEILIGUNG, user=welt.stab, expected_version=1)
    db.session.rollback()
    assert refused.value.status_code == 409 and "inzwischen geändert" in refused.value.message
    zyklus = db.session.get(Zyklus, welt.zyklus.id)
    assert (zyklus.phase, zyklus.version, _history_count(zyklus.id)) == (Phase.PLANUNGSRUNDE, 2, 1)


def test_missing_version_is_stale(ctx, welt) -> None:
    with pytest.raises(StaleState):
        services.change_phase(
            welt.zyklus.id, Phase.PLANUNGSRUNDE, user=welt.stab, expected_version=None
        )


def test_reentering_beteiligung_opens_every_strang_again(ctx, welt) -> None:
    _place(welt.zyklus, Phase.VERWALTUNGSVORSTAND)
    services.change_phase(
        welt.zyklus.id, Phase.PLANUNGSRUNDE, user=welt.stab, expected_version=1, begruendung="neu"
    )
    services.change_phase(welt.zyklus.id, Phase.BETEILIGUNG, user=welt.stab, expected_version=2)
    db.session.commit()
    assert [s.status for s in services.straenge_of(welt.zyklus.id)] == [StrangStatus.OFFEN] * 3


def test_signal_is_sent_after_flush_with_the_history_entry(ctx, welt) -> None:
    received = []

    def receiver(sender, **kw) -> None:
        received.append((sender.id, kw["von"], kw["nach"], kw["eintrag"].id, kw["user"].id))

    with zyklus_phase_changed.connected_to(receiver):
        entry = services.change_phase(
            welt.zyklus.id, Phase.PLANUNGSRUNDE, user=welt.stab, expected_version=1
        )
    assert received == [
        (welt.zyklus.id, Phase.DATENBASIS, Phase.PLANUNGSRUNDE, entry.id, welt.stab.id)
    ]


def test_nobody_but_the_stabsstelle_changes_a_phase(ctx, welt) -> None:
    for person in (welt.pr_mitglied, welt.vorstand, welt.moderation, welt.traeger, welt.aussen):
        with pytest.raises(services.Forbidden):
            services.change_phase(
                welt.zyklus.id, Phase.PLANUNGSRUNDE, user=person, expected_version=1
            )
    db.session.rollback()
    assert db.session.get(Zyklus, welt.zyklus.id).phase == Phase.DATENBASIS


FLAGS = {
    "rueckmeldungen_offen": {Phase.BETEILIGUNG},
    "protokolle_erwartet": {
        Phase.PLANUNGSRUNDE,
        Phase.BETEILIGUNG,
        Phase.VERWALTUNGSVORSTAND,
        Phase.POLITIK,
    },
    "beschluesse_erwartet": {Phase.VERWALTUNGSVORSTAND, Phase.POLITIK},
    "sozialreport_bearbeitbar": {Phase.DATENBASIS, Phase.PLANUNGSRUNDE},
    "themen_sammeln": {Phase.PLANUNGSRUNDE},
    "prioritaeten_bearbeitbar": {Phase.PLANUNGSRUNDE},
    "impulse_offen": set(Phase) - {Phase.ABGESCHLOSSEN},
    "ist_abgeschlossen": {Phase.ABGESCHLOSSEN},
}


@pytest.mark.parametrize("flag", FLAGS)
def test_phase_flags(welt, flag) -> None:
    for phase in Phase:
        welt.zyklus.phase = phase
        assert getattr(machine, flag)(welt.zyklus) is (phase in FLAGS[flag]), (flag, phase)


def test_strang_and_gremium_activity_follow_phase_and_strang_state(welt) -> None:
    z = welt.zyklus
    assert not machine.strang_aktiv(welt.strang_sak1) and not machine.gremium_aktiv(z, welt.sak1)
    assert not machine.gremium_aktiv(z, welt.pr)
    z.phase = Phase.PLANUNGSRUNDE
    assert machine.gremium_aktiv(z, welt.pr) and not machine.gremium_aktiv(z, welt.vv)
    z.phase = Phase.BETEILIGUNG
    welt.strang_sak2.status = StrangStatus.ABGESCHLOSSEN
    assert machine.strang_aktiv(welt.strang_sak1) and machine.gremium_aktiv(z, welt.sak1)
    assert not machine.strang_aktiv(welt.strang_sak2) and not machine.gremium_aktiv(z, welt.sak2)
    assert machine.phase_fuer_gremium(welt.fa) == Phase.POLITIK
