"""A Stadtteilarbeitskreis with members as the source of impulses, and the Stabsstelle."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.stammdaten.models import Funktion, GremiumTyp


@pytest.fixture
def quelle(make) -> SimpleNamespace:
    w = SimpleNamespace()
    w.stab = make.stabsstelle(name="Stefanie Stab")
    w.raum = make.sozialraum("Stadtbereich Ost")
    w.kreis = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Ost", sozialraum=w.raum)
    w.moderator = make.user(name="Mona Moderation")
    w.mitglied = make.user(name="Mia Mitglied")
    make.mitgliedschaft(w.kreis, w.moderator, Funktion.MODERATION)
    make.mitgliedschaft(w.kreis, w.mitglied)
    w.runde = make.gremium(GremiumTyp.PLANUNGSRUNDE, name="Planungsrunde Ost")
    w.planer = make.user(name="Paul Planer")
    make.mitgliedschaft(w.runde, w.planer)
    w.aussen = make.user(name="Otto Außen")
    w.zyklus = make.zyklus([w.kreis, w.runde])
    return w
