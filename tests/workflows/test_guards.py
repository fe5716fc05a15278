"""Guards: registration, explanations, the built-in Stränge guard, overrides and reasons."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.stammdaten.models import GremiumTyp
from app.workflows import guards, services
from app.workflows.models import Phase, StrangStatus, VerlaufArt, Verlaufseintrag, Zyklus
from app.workflows.services import Forbidden, GuardsFailed, InvalidRequest

PR_BET = (Phase.PLANUNGSRUNDE, Phase.BETEILIGUNG)


def _in(zyklus: Zyklus, phase: Phase) -> None:
    zyklus.phase = phase
    db.session.commit()


def _phase(zyklus: Zyklus) -> tuple[Phase, int]:
    fresh = db.session.get(Zyklus, zyklus.id)
    db.session.refresh(fresh)
    return fresh.phase, fresh.version


# --------------------------------------------------------------------------- registration


def test_register_rejects_unknown_moves_and_guards_without_target() -> None:
    with pytest.raises(ValueError, match="Unbekannte Übergänge"):
        guards.register_guard(
            "x", "X", lambda z, s=None: True, uebergaenge=[(Phase.DATENBASIS, Phase.POLITIK)]
        )
    with pytest.raises(ValueError, match="keinen Übergang"):
        guards.register_guard("x", "X", lambda z, s=None: True)
    assert "x" not in {g.name for g in guards.registered_guards()}


def test_a_name_belongs_to_one_guard(test_guard) -> None:
    test_guard("doppelt", uebergaenge=[PR_BET])
    with pytest.raises(RuntimeError, match="bereits registriert"):
        guards.register_guard("doppelt", "Anders", lambda z, s=None: True, uebergaenge=[PR_BET])


def test_guard_accepts_keys_tuples_and_plain_results(welt) -> None:
    guards.register_guard(
        "als_tupel",
        "Tupel",
        lambda z, s=None: (False, ""),
        uebergaenge=["planungsrunde>beteiligung"],
    )
    guards.register_guard("als_bool", "Wahrheitswert", lambda z, s=None: True, uebergaenge=[PR_BET])
    try:
        welt.zyklus.phase = Phase.PLANUNGSRUNDE
        result = {p.guard.name: p for p in services.next_steps(welt.zyklus)[0].pruefungen}
        assert result["als_tupel"].erklaerung == "Voraussetzung nicht erfüllt: Tupel."
        assert result["als_bool"].ok and result["als_bool"].erklaerung == ""
    finally:
        guards.unregister_guard("als_tupel")
        guards.unregister_guard("als_bool")


def test_only_guards_hides_other_features_and_restores_them(test_guard) -> None:
    test_guard("fremd", uebergaenge=[PR_BET])
    with guards.only_guards():
        assert {g.name for g in guards.registered_guards()} == {"straenge_abgeschlossen"}
    with guards.only_guards("fremd"):
        assert "fremd" in {g.name for g in guards.registered_guards()}
    assert "fremd" in {g.name for g in guards.registered_guards()}


# ---------------------------------------------------------------- a registered test guard


def test_failing_guard_blocks_the_move_with_its_german_explanation(ctx, welt, test_guard) -> None:
    state = test_guard(
        "protokoll_test",
        "Protokoll der Planungsrunde liegt vor",
        uebergaenge=[PR_BET],
        erklaerung="Für die Sitzung vom 3. März fehlt das Protokoll.",
    )
    _in(welt.zyklus, Phase.PLANUNGSRUNDE)
    with pytest.raises(GuardsFailed) as refused:
        services.change_phase(welt.zyklus.id, Phase.BETEILIGUNG, user=welt.stab, expected_version=1)
    db.session.rollback()
    assert refused.value.status_code == 409
    assert (
        "„Protokoll der Planungsrunde liegt vor“: Für die Sitzung vom 3. März fehlt das Protokoll."
        in refused.value.message
    )
    assert _phase(welt.zyklus) == (Phase.PLANUNGSRUNDE, 1)
    assert state.aufrufe == [(welt.zyklus.id, None)]


def test_guard_applies_only_to_its_moves(ctx, welt, test_guard) -> None:
    test_guard("nur_pr_bet", uebergaenge=[PR_BET])
    services.change_phase(welt.zyklus.id, Phase.PLANUNGSRUNDE, user=welt.stab, expected_version=1)
    assert _phase(welt.zyklus) == (Phase.PLANUNGSRUNDE, 2)


def test_met_guard_lets_the_move_pass(ctx, welt, test_guard) -> None:
    test_guard("erfuellt_test", uebergaenge=[PR_BET], ok=True)
    _in(welt.zyklus, Phase.PLANUNGSRUNDE)
    entry = services.change_phase(
        welt.zyklus.id, Phase.BETEILIGUNG, user=welt.stab, expected_version=1
    )
    assert entry.uebersteuert == [] and entry.uebersteuerung_begruendung is None


def test_override_with_reason_passes_and_is_recorded(ctx, welt, test_guard) -> None:
    test_guard(
        "ueber_test",
        "Rückmeldefrist abgelaufen",
        uebergaenge=[PR_BET],
        erklaerung="Frist läuft bis 30.4.",
    )
    _in(welt.zyklus, Phase.PLANUNGSRUNDE)
    services.change_phase(
        welt.zyklus.id,
        Phase.BETEILIGUNG,
        user=welt.stab,
        expected_version=1,
        uebersteuern=["ueber_test"],
        uebersteuerung_begruendung="Alle Träger haben schon geantwortet.",
    )
    db.session.commit()
    entry = db.session.scalar(
        select(Verlaufseintrag).where(
            Verlaufseintrag.art == VerlaufArt.VORWAERTS, Verlaufseintrag.zyklus_id == welt.zyklus.id
        )
    )
    assert entry.uebersteuert == [
        {
            "name": "ueber_test",
            "label": "Rückmeldefrist abgelaufen",
            "erklaerung": "Frist läuft bis 30.4.",
        }
    ]
    assert entry.uebersteuerung_begruendung == "Alle Träger haben schon geantwortet."
    assert _phase(welt.zyklus) == (Phase.BETEILIGUNG, 2)


@pytest.mark.parametrize("grund", [None, "", "  \n "])
def test_override_without_reason_is_refused(ctx, welt, test_guard, grund) -> None:
    test_guard("ohne_grund", uebergaenge=[PR_BET])
    _in(welt.zyklus, Phase.PLANUNGSRUNDE)
    with pytest.raises(InvalidRequest) as refused:
        services.change_phase(
            welt.zyklus.id,
            Phase.BETEILIGUNG,
            user=welt.stab,
            expected_version=1,
            uebersteuern=["ohne_grund"],
            uebersteuerung_begruendung=grund,
        )
    db.session.rollback()
    assert refused.value.status_code == 400 and refused.value.field == "uebersteuerung_begruendung"
    assert _phase(welt.zyklus) == (Phase.PLANUNGSRUNDE, 1)


def test_overriding_one_guard_does_not_override_another(ctx, welt, test_guard) -> None:
    test_guard("erste", "Erste", uebergaenge=[PR_BET])
    test_guard("zweite", "Zweite", uebergaenge=[PR_BET], erklaerung="Zweite fehlt.")
    _in(welt.zyklus, Phase.PLANUNGSRUNDE)
    with pytest.raises(GuardsFailed) as refused:
        services.change_phase(
            welt.zyklus.id,
            Phase.BETEILIGUNG,
            user=welt.stab,
            expected_version=1,
            uebersteuern=["erste"],
            uebersteuerung_begruendung="Grund",
        )
    assert [p.guard.name for p in refused.value.pruefungen] == ["zweite"]


def test_overriding_a_guard_of_another_move_is_400(ctx, welt, test_guard) -> None:
    test_guard("andere", uebergaenge=[(Phase.POLITIK, Phase.ABGESCHLOSSEN)])
    with pytest.raises(InvalidRequest, match="gehört nicht zu diesem Schritt"):
        services.change_phase(
            welt.zyklus.id,
            Phase.PLANUNGSRUNDE,
            user=welt.stab,
            expected_version=1,
            uebersteuern=["andere"],
            uebersteuerung_begruendung="Grund",
        )


def test_not_overridable_guard_stays_closed(ctx, welt, test_guard) -> None:
    test_guard("fest", "Feste Bedingung", uebergaenge=[PR_BET], uebersteuerbar=False)
    _in(welt.zyklus, Phase.PLANUNGSRUNDE)
    with pytest.raises(InvalidRequest, match="kann nicht übergangen werden"):
        services.change_phase(
            welt.zyklus.id,
            Phase.BETEILIGUNG,
            user=welt.stab,
            expected_version=1,
            uebersteuern=["fest"],
            uebersteuerung_begruendung="Grund",
        )


# ---------------------------------------------------------------- the built-in Stränge guard


def test_beteiligung_ends_only_when_every_strang_is_concluded(ctx, welt) -> None:
    _in(welt.zyklus, Phase.BETEILIGUNG)
    services.close_strang(welt.strang_tr.id, user=welt.stab, expected_version=1)
    with pytest.raises(GuardsFailed) as refused:
        services.change_phase(
            welt.zyklus.id, Phase.VERWALTUNGSVORSTAND, user=welt.stab, expected_version=2
        )
    assert (
        "Noch offen: Stadtteilarbeitskreis Nord, Stadtteilarbeitskreis Süd."
        in refused.value.message
    )
    with pytest.raises(InvalidRequest, match="kann nicht übergangen werden"):
        services.change_phase(
            welt.zyklus.id,
            Phase.VERWALTUNGSVORSTAND,
            user=welt.stab,
            expected_version=2,
            uebersteuern=["straenge_abgeschlossen"],
            uebersteuerung_begruendung="eilig",
        )
    services.close_strang(welt.strang_sak1.id, user=welt.moderation, expected_version=2)
    services.close_strang(welt.strang_sak2.id, user=welt.stab, expected_version=3)
    services.change_phase(
        welt.zyklus.id, Phase.VERWALTUNGSVORSTAND, user=welt.stab, expected_version=4
    )
    assert _phase(welt.zyklus) == (Phase.VERWALTUNGSVORSTAND, 5)


def test_stabsstelle_closes_remaining_straenge_with_reason(ctx, welt) -> None:
    _in(welt.zyklus, Phase.BETEILIGUNG)
    services.close_strang(welt.strang_tr.id, user=welt.stab, expected_version=1)
    with pytest.raises(InvalidRequest, match="begründen"):
        services.close_remaining_straenge(
            welt.zyklus.id, user=welt.stab, expected_version=2, begruendung=" "
        )
    entries = services.close_remaining_straenge(
        welt.zyklus.id,
        user=welt.stab,
        expected_version=2,
        begruendung="Arbeitskreis Süd tagt erst 2028.",
    )
    assert [e.strang.gremium.name for e in entries] == [
        "Stadtteilarbeitskreis Nord",
        "Stadtteilarbeitskreis Süd",
    ]
    assert all(
        e.art == VerlaufArt.STRANG_GESCHLOSSEN and e.begruendung.startswith("Arbeitskreis")
        for e in entries
    )
    straenge = services.straenge_of(welt.zyklus.id)
    assert [(s.status, s.erzwungen) for s in straenge] == [
        (StrangStatus.ABGESCHLOSSEN, False),
        (StrangStatus.ABGESCHLOSSEN, True),
        (StrangStatus.ABGESCHLOSSEN, True),
    ]
    services.change_phase(
        welt.zyklus.id, Phase.VERWALTUNGSVORSTAND, user=welt.stab, expected_version=3
    )


def test_only_the_stabsstelle_closes_remaining_straenge(ctx, welt) -> None:
    _in(welt.zyklus, Phase.BETEILIGUNG)
    with pytest.raises(Forbidden):
        services.close_remaining_straenge(
            welt.zyklus.id, user=welt.moderation, expected_version=1, begruendung="x"
        )


# ---------------------------------------------------------------- guards on concluding a Strang


def test_strang_guard_applies_to_its_gremium_types_only(ctx, welt, test_guard) -> None:
    state = test_guard(
        "rueckmeldefrist",
        "Rückmeldefrist abgelaufen",
        strang_typen=[GremiumTyp.TRAEGERRUNDE],
        erklaerung="Die Rückmeldefrist läuft noch bis 15.05.",
    )
    _in(welt.zyklus, Phase.BETEILIGUNG)
    services.close_strang(welt.strang_sak1.id, user=welt.moderation, expected_version=1)
    with pytest.raises(GuardsFailed, match=r"läuft noch bis 15\.05\."):
        services.close_strang(welt.strang_tr.id, user=welt.stab, expected_version=2)
    assert state.aufrufe == [(welt.zyklus.id, welt.strang_tr.id)]
    state.ok = True
    services.close_strang(welt.strang_tr.id, user=welt.stab, expected_version=2)


def test_only_the_stabsstelle_overrides_a_strang_guard(ctx, welt, test_guard) -> None:
    test_guard("sak_bedingung", strang_typen=[GremiumTyp.STADTTEILARBEITSKREIS])
    _in(welt.zyklus, Phase.BETEILIGUNG)
    with pytest.raises(Forbidden, match="Bedingungen übergehen"):
        services.close_strang(
            welt.strang_sak1.id,
            user=welt.moderation,
            expected_version=1,
            uebersteuern=["sak_bedingung"],
            uebersteuerung_begruendung="bitte",
        )
    entry = services.close_strang(
        welt.strang_sak1.id,
        user=welt.stab,
        expected_version=1,
        uebersteuern=["sak_bedingung"],
        uebersteuerung_begruendung="Sitzung ausgefallen",
    )
    assert entry.uebersteuert[0]["name"] == "sak_bedingung" and entry.strang.erzwungen


def test_strang_can_only_be_concluded_in_beteiligung_and_once(ctx, welt) -> None:
    with pytest.raises(InvalidRequest, match="nur in der Phase „Beteiligung“"):
        services.close_strang(welt.strang_sak1.id, user=welt.stab, expected_version=1)
    _in(welt.zyklus, Phase.BETEILIGUNG)
    services.close_strang(welt.strang_sak1.id, user=welt.stab, expected_version=1)
    with pytest.raises(services.StaleState, match="bereits abgeschlossen"):
        services.close_strang(welt.strang_sak1.id, user=welt.stab, expected_version=2)
