"""A cycle in the Planungsrunde with two Sozialräume, the standard fields and the people."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.stammdaten.models import GremiumTyp
from app.workflows.models import Phase


@pytest.fixture
def welt(make) -> SimpleNamespace:
    w = SimpleNamespace()
    w.felder = make.planungsfelder()
    w.stab = make.stabsstelle()
    w.nord = make.sozialraum("Nord (PF)")
    w.sued = make.sozialraum("Süd (PF)")
    w.planungsrunde = make.gremium(GremiumTyp.PLANUNGSRUNDE)
    w.planer = make.user()
    make.mitgliedschaft(w.planungsrunde, w.planer)
    w.traeger = make.traeger_user()
    w.zyklus = make.zyklus([w.planungsrunde], phase=Phase.PLANUNGSRUNDE)
    return w
