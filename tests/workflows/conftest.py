"""A cycle with every kind of Gremium and person, and a helper to register test guards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace

import pytest

from app.stammdaten.models import Funktion, GremiumTyp
from app.workflows import guards
from app.workflows.guards import Pruefergebnis, erfuellt, fehlt


@pytest.fixture
def welt(make) -> SimpleNamespace:
    """Stabsstelle, one Gremium of each type (two SAKs), members, outsiders and a cycle."""
    w = SimpleNamespace()
    w.stab = make.stabsstelle(name="Stefanie Stab")
    w.pr = make.gremium(GremiumTyp.PLANUNGSRUNDE, name="Planungsrunde Test")
    w.tr = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde Test")
    w.sak1 = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="Stadtteilarbeitskreis Nord")
    w.sak2 = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="Stadtteilarbeitskreis Süd")
    w.vv = make.gremium(GremiumTyp.VERWALTUNGSVORSTAND, name="Verwaltungsvorstand Test")
    w.fa = make.gremium(GremiumTyp.FACHAUSSCHUSS, name="Sozialausschuss Test")
    w.pr_mitglied = make.user(name="Paula Planung")
    make.mitgliedschaft(w.pr, w.pr_mitglied)
    w.traeger = make.traeger_user(name="Tom Träger")
    make.mitgliedschaft(w.tr, w.traeger)
    w.moderation = make.user(name="Mona Moderation")
    make.mitgliedschaft(w.sak1, w.moderation, Funktion.MODERATION)
    w.sak_mitglied = make.user(name="Bernd Bürger")
    make.mitgliedschaft(w.sak1, w.sak_mitglied)
    w.vorstand = make.user(name="Vera Vorstand")
    make.mitgliedschaft(w.vv, w.vorstand, Funktion.VORSITZ)
    w.ausschuss = make.user(name="Anton Ausschuss")
    make.mitgliedschaft(w.fa, w.ausschuss)
    w.aussen = make.user(name="Olaf Außen")
    w.traeger_aussen = make.traeger_user(name="Tina Träger-Außen")
    w.zyklus = make.zyklus([w.pr, w.tr, w.sak1, w.sak2, w.vv, w.fa], titel="Sozialplanung 2027")
    w.strang_tr, w.strang_sak1, w.strang_sak2 = w.zyklus.straenge
    return w


@pytest.fixture
def test_guard() -> Iterator[Callable[..., SimpleNamespace]]:
    """``test_guard(name, label, ok=False, **where)`` registers a switchable guard."""
    names: list[str] = []

    def register(
        name: str = "testbedingung",
        label: str = "Testbedingung erfüllt",
        *,
        ok: bool = False,
        erklaerung: str = "Die Testbedingung ist noch nicht erfüllt.",
        **where,
    ) -> SimpleNamespace:
        state = SimpleNamespace(ok=ok, erklaerung=erklaerung, aufrufe=[])

        def check(zyklus, strang=None) -> Pruefergebnis:
            state.aufrufe.append((zyklus.id, strang.id if strang else None))
            return erfuellt() if state.ok else fehlt(state.erklaerung)

        guards.register_guard(name, label, check, **where)
        names.append(name)
        return state

    yield register
    for name in names:
        guards.unregister_guard(name)


@pytest.fixture(autouse=True)
def _isolated_from_other_features() -> Iterator[None]:
    """Guards and carry-over providers of other features do not take part in these tests."""
    from app.workflows.signals import carry_over_providers

    saved = list(carry_over_providers)
    carry_over_providers.clear()
    with guards.only_guards():
        yield
    carry_over_providers[:] = saved
