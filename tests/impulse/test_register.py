"""The register's filters, the impulse page's chain, query counts, and carry-over."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.impulse.models import Impuls, ImpulsQuelle, ImpulsStatus
from app.impulse.services import advance_to
from app.massnahmen.models import Ergebnis, Massnahme, MassnahmeStatus
from app.massnahmen.services import link_impulse, mark_umgesetzt, record_beschluss
from app.stammdaten.models import GremiumTyp
from app.workflows.models import Phase, Zyklus
from app.workflows.services import start_folgezyklus
from tests.support.zwischenspeicher import aus_dem_zwischenspeicher


def _many(make, quelle, n: int) -> list[Impuls]:
    other = make.sozialraum()
    return [
        make.impuls(
            f"Impuls {i}",
            quelle_gremium_id=quelle.kreis.id,
            zyklus_id=quelle.zyklus.id,
            sozialraum_id=quelle.raum.id if i % 2 else other.id,
            quelle=ImpulsQuelle.STADTTEILARBEITSKREIS if i % 3 else ImpulsQuelle.POLITIK,
        )
        for i in range(n)
    ]


def test_register_filters(client, login, make, quelle) -> None:
    _many(make, quelle, 6)
    fremd = make.zyklus([], titel="Anderer Zyklus")
    make.impuls("Aus anderem Zyklus", zyklus_id=fremd.id)
    login(quelle.stab)

    def titles(query: str) -> set[str]:
        body = client.get(f"/impulse/?{query}").get_data(as_text=True)
        return {
            t
            for t in [f"Impuls {i}" for i in range(6)] + ["Aus anderem Zyklus"]
            if f">{t}</a>" in body
        }

    assert len(titles("")) == 7
    assert titles("quelle=politik") == {"Impuls 0", "Impuls 3"}
    assert titles(f"sozialraum_id={quelle.raum.id}") == {"Impuls 1", "Impuls 3", "Impuls 5"}
    assert titles(f"zyklus_id={fremd.id}") == {"Aus anderem Zyklus"}
    assert titles(f"gremium_id={quelle.kreis.id}&status=eingegangen") == {
        f"Impuls {i}" for i in range(6)
    }
    assert titles("status=umgesetzt") == set()
    bad = client.get("/impulse/?status=kaputt&zyklus_id=abc")
    assert (
        bad.status_code == 400
        and "Bitte wählen Sie einen Eintrag aus der Liste." in bad.get_data(as_text=True)
    )


def test_register_query_count_does_not_grow(client, login, make, quelle, query_counter) -> None:
    login(quelle.stab)
    _many(make, quelle, 2)
    with query_counter() as few:
        assert client.get("/impulse/").status_code == 200
    _many(make, quelle, 12)
    with query_counter() as more:
        assert client.get("/impulse/").status_code == 200
    assert len(more) == len(few)


def test_register_is_reused_per_filter_until_an_impulse_changes(
    client, login, make, quelle, query_counter
) -> None:
    login(quelle.stab)
    _many(make, quelle, 2)
    with query_counter(zwischenspeicher=True):
        alle = client.get("/impulse/").get_data(as_text=True)
    with query_counter(zwischenspeicher=True) as cached:
        client.get("/impulse/")
    with query_counter() as uncached:
        client.get("/impulse/")
    assert len(cached) < len(uncached), (cached, uncached)
    with query_counter(zwischenspeicher=True):
        gefiltert = client.get("/impulse/?status=umgesetzt").get_data(as_text=True)
    assert "Keine Impulse gefunden." in gefiltert and "Keine Impulse gefunden." not in alle
    make.impuls("Ganz neuer Impuls", zyklus_id=quelle.zyklus.id)
    db.session.commit()
    with query_counter(zwischenspeicher=True):
        assert "Ganz neuer Impuls" in client.get("/impulse/").get_data(as_text=True)


def _chain(ctx_make, quelle):
    """An impulse through Maßnahme, board and committee decision to umgesetzt."""
    make = ctx_make
    vorstand = make.gremium(GremiumTyp.VERWALTUNGSVORSTAND, name="Verwaltungsvorstand Test")
    ausschuss = make.gremium(GremiumTyp.FACHAUSSCHUSS, name="Sozialausschuss Test")
    impuls = make.impuls(
        "Jugendtreff Ost", quelle_gremium_id=quelle.kreis.id, zyklus_id=quelle.zyklus.id
    )
    massnahme = make.massnahme(quelle.zyklus, "Offener Jugendtreff", prioritaet=1)
    link_impulse(massnahme, [impuls.id], quelle.stab)
    quelle.zyklus.phase = Phase.POLITIK  # decisions are taken in Verwaltungsvorstand/Politik
    record_beschluss(massnahme, vorstand, Ergebnis.ZUGESTIMMT, date(2027, 3, 1), quelle.stab)
    record_beschluss(
        massnahme,
        ausschuss,
        Ergebnis.GEAENDERT,
        date(2027, 4, 1),
        quelle.stab,
        drucksache="WP 20-25 SV 51/123",
    )
    mark_umgesetzt(massnahme, quelle.stab)
    db.session.commit()
    return impuls, massnahme


def test_impulse_page_shows_the_whole_chain(ctx, client, login, make, quelle) -> None:
    impuls, _ = _chain(make, quelle)
    assert db.session.get(Impuls, impuls.id).status == ImpulsStatus.UMGESETZT
    login(quelle.mitglied)
    body = client.get(f"/impulse/{impuls.id}").get_data(as_text=True)
    for text in (
        "Direkt erfasst",
        "eingegangen → in Prüfung",
        "in Prüfung → aufgenommen",
        "Offener Jugendtreff",
        "Verwaltungsvorstand Test: zugestimmt",
        "Sozialausschuss Test: geändert beschlossen, Drucksache WP 20-25 SV 51/123",
        "aufgenommen → umgesetzt",
        "die Kette ist vollständig",
    ):
        assert text in body, text
    order = [
        body.index(f'kette__schritt">{t}<')
        for t in (
            "Herkunft",
            "Planungsrunde",
            "Maßnahme",
            "Verwaltungsvorstand",
            "Fachausschuss",
            "Umgesetzt",
        )
    ]
    assert order == sorted(order)


def test_impulse_page_query_count_is_constant(
    ctx, client, login, make, quelle, query_counter
) -> None:
    impuls, _ = _chain(make, quelle)
    login(quelle.stab)
    with query_counter() as one:
        client.get(f"/impulse/{impuls.id}")
    for i in range(4):
        weitere = make.massnahme(quelle.zyklus, f"Weitere {i}")
        link_impulse(weitere, [impuls.id], quelle.stab)
        record_beschluss(
            weitere,
            make.gremium(GremiumTyp.VERWALTUNGSVORSTAND),
            Ergebnis.VERTAGT,
            date(2027, 5, 1),
            quelle.stab,
        )
    db.session.commit()
    with query_counter() as five:
        body = client.get(f"/impulse/{impuls.id}").get_data(as_text=True)
    assert "Weitere 3" in body
    assert len(five) == len(one)


def test_impulse_chain_is_reused_until_a_decision_is_recorded(
    ctx, client, login, make, quelle, query_counter
) -> None:
    impuls, _ = _chain(make, quelle)
    login(quelle.stab)
    url = f"/impulse/{impuls.id}"
    aus_dem_zwischenspeicher(query_counter, client, url)
    weitere = make.massnahme(quelle.zyklus, "Spätere Maßnahme")
    link_impulse(weitere, [impuls.id], quelle.stab)
    db.session.commit()
    with query_counter(zwischenspeicher=True):
        assert "Spätere Maßnahme" in client.get(url).get_data(as_text=True)


def test_open_impulses_and_measures_carry_over(ctx, client, login, make, quelle) -> None:
    offen = make.impuls("Offen", zyklus_id=quelle.zyklus.id, quelle_gremium_id=quelle.kreis.id)
    aufgenommen = make.impuls("Aufgenommen", zyklus_id=quelle.zyklus.id)
    erledigt = make.impuls("Abgelehnt", zyklus_id=quelle.zyklus.id)
    advance_to(erledigt, ImpulsStatus.IN_PRUEFUNG, None)
    from app.impulse.services import change_status

    change_status(erledigt, ImpulsStatus.ABGELEHNT, None, "Nicht zuständig")
    massnahme = make.massnahme(quelle.zyklus, "Laufende Maßnahme", prioritaet=2)
    link_impulse(massnahme, [aufgenommen.id], quelle.stab)
    fertig = make.massnahme(quelle.zyklus, "Fertig", status=MassnahmeStatus.UMGESETZT)
    alt = db.session.get(Zyklus, quelle.zyklus.id)
    alt.phase = Phase.ABGESCHLOSSEN
    db.session.commit()
    neu, notes = start_folgezyklus(
        alt.id,
        user=quelle.stab,
        titel="Sozialplanung Folge",
        beginn=date(2028, 1, 1),
        ende=date(2028, 12, 31),
    )
    db.session.commit()
    assert "2 offene Impulse übernommen" in notes and "1 offene Maßnahme übernommen" in notes
    kopien = db.session.scalars(
        select(Impuls).where(Impuls.zyklus_id == neu.id).order_by(Impuls.id)
    ).all()
    assert [(k.titel, k.vorgaenger_id, k.status) for k in kopien] == [
        ("Offen", offen.id, ImpulsStatus.EINGEGANGEN),
        ("Aufgenommen", aufgenommen.id, ImpulsStatus.AUFGENOMMEN),
    ]
    [kopie] = db.session.scalars(select(Massnahme).where(Massnahme.zyklus_id == neu.id)).all()
    assert (kopie.titel, kopie.vorgaenger_id, kopie.prioritaet) == (
        "Laufende Maßnahme",
        massnahme.id,
        2,
    )
    assert [i.id for i in kopie.impulse] == [kopien[1].id]
    assert fertig.id not in {kopie.vorgaenger_id}
    login(quelle.stab)
    body = client.get(f"/impulse/{kopien[1].id}").get_data(as_text=True)
    assert "durch mehrere Planungszyklen" in body and quelle.zyklus.titel in body
    assert "Sozialplanung Folge" in body and body.count("Laufende Maßnahme") == 2
