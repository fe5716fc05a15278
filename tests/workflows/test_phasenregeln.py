"""The phase rules other features call: allowed where the flag is set, German 409 elsewhere."""

from __future__ import annotations

import pytest

from app.workflows.machine import PHASEN
from app.workflows.models import Phase, Zyklus
from app.workflows.phasenregeln import (
    FLAGS,
    PhasenFehler,
    phase_sperre,
    require_bearbeitbar,
    require_phase_flag,
)


def _zyklus(phase: Phase) -> Zyklus:
    return Zyklus(titel="Sozialplanung 2027", phase=phase)


@pytest.mark.parametrize("flag", ["themen_sammeln", "prioritaeten_bearbeitbar", "beschluesse"])
@pytest.mark.parametrize("phase", list(Phase))
def test_each_flag_allows_exactly_its_phases(flag: str, phase: Phase) -> None:
    zyklus = _zyklus(phase)
    if getattr(PHASEN[phase], flag):
        require_phase_flag(zyklus, flag)
        assert phase_sperre(zyklus, flag) is None
        return
    with pytest.raises(PhasenFehler) as info:
        require_phase_flag(zyklus, flag)
    assert info.value.status_code == 409
    assert "Sozialplanung 2027" in info.value.message
    if phase == Phase.ABGESCHLOSSEN:
        assert "abgeschlossen und kann nur noch gelesen werden" in info.value.message
    else:
        assert f"steht in der Phase {phase.kurz}" in info.value.message


def test_message_names_the_phases_where_it_is_possible() -> None:
    text = phase_sperre(_zyklus(Phase.BETEILIGUNG), "themen_sammeln")
    assert text == (
        "Es ist nur in der Phase Planungsrunde möglich, Themen anzulegen, zu ändern oder zu "
        "löschen. Der Zyklus „Sozialplanung 2027“ steht in der Phase Beteiligung."
    )
    text = phase_sperre(_zyklus(Phase.PLANUNGSRUNDE), "beschluesse")
    assert text.startswith(
        "Es ist nur in den Phasen Verwaltungsvorstand und Politik möglich, Beschlüsse zu erfassen."
    )
    eigene = phase_sperre(_zyklus(Phase.DATENBASIS), "beschluesse", "die Vorlage zu beschließen")
    assert "möglich, die Vorlage zu beschließen." in eigene


def test_concluded_cycle_is_read_only() -> None:
    for phase in Phase:
        if phase == Phase.ABGESCHLOSSEN:
            with pytest.raises(PhasenFehler, match="nur noch gelesen"):
                require_bearbeitbar(_zyklus(phase))
        else:
            require_bearbeitbar(_zyklus(phase))


def test_unknown_flag_is_a_programming_error() -> None:
    assert {"themen_sammeln", "prioritaeten_bearbeitbar", "beschluesse"} <= FLAGS
    assert "parallel" not in FLAGS
    with pytest.raises(ValueError):
        phase_sperre(_zyklus(Phase.POLITIK), "beschluss")
