"""The Stabsstelle, a Planungsrunde member, board and committee, a cycle with two impulses."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.stammdaten.models import GremiumTyp
from app.workflows.models import Phase


@pytest.fixture
def runde(make) -> SimpleNamespace:
    w = SimpleNamespace()
    w.stab = make.stabsstelle(name="Stefanie Stab")
    w.raum = make.sozialraum("Stadtbereich Mitte")
    w.planungsrunde = make.gremium(GremiumTyp.PLANUNGSRUNDE, name="Planungsrunde M")
    w.planer = make.user(name="Paul Planer")
    make.mitgliedschaft(w.planungsrunde, w.planer)
    w.kreis = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Mitte", sozialraum=w.raum)
    w.vorstand = make.gremium(GremiumTyp.VERWALTUNGSVORSTAND, name="Verwaltungsvorstand M")
    w.ausschuss = make.gremium(GremiumTyp.FACHAUSSCHUSS, name="Sozialausschuss M")
    w.traeger = make.traeger_user(name="Tina Träger")
    w.zyklus = make.zyklus([w.planungsrunde, w.kreis], phase=Phase.PLANUNGSRUNDE)
    w.impuls = make.impuls(
        "Jugendtreff Mitte",
        zyklus_id=w.zyklus.id,
        quelle_gremium_id=w.kreis.id,
        sozialraum_id=w.raum.id,
    )
    w.zweiter = make.impuls("Spielplatz Mitte", zyklus_id=w.zyklus.id)
    return w
