"""The start page says what is expected: where the cycles stand and what awaits the person."""

from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from app.stammdaten.models import Funktion, GremiumTyp
from app.vorlagen import services as vorlagen
from app.workflows.fristen import berlin_today
from app.workflows.models import Phase, Phasenfrist


def _zyklus_mit_vorlage(make, stab, vorstand, titel: str, tage: int):
    zyklus = make.zyklus([vorstand], titel=titel, phase=Phase.VERWALTUNGSVORSTAND)
    make.massnahme(zyklus, f"Maßnahme {titel}", prioritaet=1)
    zyklus.fristen.append(
        Phasenfrist(
            phase=Phase.VERWALTUNGSVORSTAND, faellig_am=berlin_today() + timedelta(days=tage)
        )
    )
    vorlagen.create_vorlage(zyklus, stab)
    db.session.commit()
    return zyklus


def test_start_page_shows_stand_deadline_and_tasks_with_constant_queries(
    ctx, make, client, login, query_counter
) -> None:
    stab = make.stabsstelle()
    vorstand = make.gremium(GremiumTyp.VERWALTUNGSVORSTAND, name="Verwaltungsvorstand S")
    chef = make.user(name="Vera Vorsitz")
    make.mitgliedschaft(vorstand, chef, Funktion.VORSITZ)
    _zyklus_mit_vorlage(make, stab, vorstand, "Sozialplanung 2031", 1)
    login(chef)
    client.get("/start")
    with query_counter() as one:
        body = client.get("/start").get_data(as_text=True)
    assert "Was von mir erwartet wird" in body
    assert "Sozialplanung 2031</a>: Phase Verwaltungsvorstand" in body
    assert 'aria-current="step"' in body
    assert "(noch 1 Tag)" in body
    assert "Beschluss von „Verwaltungsvorstand S“ zur Vorlage" in body
    _zyklus_mit_vorlage(make, stab, vorstand, "Sozialplanung 2032", 5)
    _zyklus_mit_vorlage(make, stab, vorstand, "Sozialplanung 2033", -3)
    with query_counter() as three:
        body = client.get("/start").get_data(as_text=True)
    assert "(noch 5 Tage)" in body and "(seit 3 Tagen überschritten)" in body
    assert body.count("zur Vorlage „Prioritäten der Sozialplanung") == 3
    assert len(three) == len(one), "\n".join(three)


def test_outsider_sees_no_cycle(ctx, make, client, login) -> None:
    stab = make.stabsstelle()
    vorstand = make.gremium(GremiumTyp.VERWALTUNGSVORSTAND, name="Verwaltungsvorstand T")
    _zyklus_mit_vorlage(make, stab, vorstand, "Sozialplanung 2034", 3)
    login(make.user(name="Otto Außen"))
    body = client.get("/start").get_data(as_text=True)
    assert "Sozialplanung 2034" not in body
