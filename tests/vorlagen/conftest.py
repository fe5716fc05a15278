"""A cycle in the Verwaltungsvorstand phase with two measures, a Vorlage and its bodies."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.stammdaten.models import Funktion, GremiumTyp
from app.vorlagen import services
from app.workflows.models import Phase


@pytest.fixture
def welt(make, ctx) -> SimpleNamespace:
    w = SimpleNamespace()
    w.stab = make.stabsstelle(name="Stefanie Stab")
    w.vorstand = make.gremium(GremiumTyp.VERWALTUNGSVORSTAND, name="Verwaltungsvorstand V")
    w.ausschuss = make.gremium(GremiumTyp.FACHAUSSCHUSS, name="Sozialausschuss V")
    w.vorsitz = make.user(name="Vera Vorsitz")
    make.mitgliedschaft(w.vorstand, w.vorsitz, Funktion.VORSITZ)
    w.mitglied = make.user(name="Max Mitglied")
    make.mitgliedschaft(w.vorstand, w.mitglied, Funktion.MITGLIED)
    w.ausschuss_mitglied = make.user(name="Anna Ausschuss")
    make.mitgliedschaft(w.ausschuss, w.ausschuss_mitglied, Funktion.MITGLIED)
    w.fremd = make.user(name="Fritz Fremd")
    w.zyklus = make.zyklus([w.vorstand, w.ausschuss], phase=Phase.VERWALTUNGSVORSTAND)
    w.treff = make.massnahme(w.zyklus, "Jugendtreff Nord", prioritaet=1)
    w.spiel = make.massnahme(w.zyklus, "Spielplatz Süd", prioritaet=2)
    w.sitzung = make.sitzung(w.vorstand, titel="Verwaltungsvorstand Mai", zyklus_id=w.zyklus.id)
    w.vorlage = services.create_vorlage(w.zyklus, w.stab, drucksache="SV 51/123")
    w.vv, w.sa = w.vorlage.beratungen
    w.top = services.assign_sitzung(w.vv, w.sitzung)
    from app.extensions import db

    db.session.commit()
    return w
