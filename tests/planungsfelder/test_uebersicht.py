"""The Planungsrunde sees per Sozialraum what each field contributes (matrix and detail)."""

from __future__ import annotations

import re

from app.stammdaten.models import GremiumTyp


def _befuellen(make, welt, n: int = 1, start: int = 0) -> None:
    """Per round: an indicator with values, a Thema, a measure and an impulse, all tagged."""
    jugend, mobil = welt.felder["jugendhilfeplanung"], welt.felder["mobilitaet"]
    for i in range(start, start + n):
        quote = make.indikator(f"Kinderarmut {i} (PF)", planungsfelder=[jugend])
        make.indikatorwert(quote, welt.nord, 2023, 14.5)
        make.indikatorwert(quote, welt.nord, 2024, 13.25)
        make.indikatorwert(quote, None, 2024, 12.0)
        make.massnahme(
            welt.zyklus,
            f"Jugendtreff {i} (PF)",
            sozialraum_id=welt.nord.id,
            planungsfelder=[jugend],
        )
        make.impuls(
            f"Bus am Abend {i} (PF)",
            zyklus_id=welt.zyklus.id,
            sozialraum_id=welt.sued.id,
            planungsfelder=[mobil],
        )
    from app.extensions import db
    from app.massnahmen.models import Thema

    db.session.add(
        Thema(zyklus_id=welt.zyklus.id, titel="Treffpunkte (PF)", planungsfelder=[jugend])
    )
    db.session.commit()


def _zelle(html: str, raum: str) -> str:
    """The table row of one Sozialraum."""
    match = re.search(
        rf"<tr>\s*<th scope=\"row\"><a [^>]*>{re.escape(raum)}</a></th>(.*?)</tr>", html, re.S
    )
    assert match, raum
    return match.group(1)


def test_matrix_counts_contributions_per_sozialraum_and_field(client, login, welt, make) -> None:
    _befuellen(make, welt)
    login(welt.planer)
    html = client.get("/planungsfelder/").get_data(as_text=True)
    nord, sued, stadt = (_zelle(html, r) for r in ("Nord (PF)", "Süd (PF)", "Gesamte Stadt"))
    cells = lambda row: re.findall(r"<td>(.*?)</td>", row, re.S)  # noqa: E731
    # columns: Sozialplanung, Jugendhilfeplanung, Bildungskoordination, Nahversorgung, Mobilität, …
    assert "1 Indikatoren" in cells(nord)[1] and "1 Maßnahmen" in cells(nord)[1]
    assert cells(nord)[4].strip() == "–"
    assert "1 Impulse" in cells(sued)[4] and cells(sued)[1].strip() == "–"
    assert "1 Indikatoren" in cells(stadt)[1] and "1 Themen" in cells(stadt)[1]

    detail = client.get(f"/planungsfelder/sozialraum/{welt.nord.id}").get_data(as_text=True)
    assert "Kinderarmut 0 (PF): 13,25 %" in detail  # the latest value, the German way
    assert "Jugendtreff 0 (PF)" in detail and "Bus am Abend" not in detail
    city = client.get("/planungsfelder/sozialraum/0").get_data(as_text=True)
    assert "Kinderarmut 0 (PF): 12 %" in city and "Treffpunkte (PF)" in city


def test_another_cycle_and_no_cycle(client, login, welt, make) -> None:
    _befuellen(make, welt)
    leer = make.zyklus([], titel="Leerer Zyklus (PF)")
    login(welt.stab)
    html = client.get(f"/planungsfelder/?zyklus={leer.id}").get_data(as_text=True)
    assert "Maßnahmen" not in _zelle(html, "Nord (PF)") and "1 Indikatoren" in html
    ohne = client.get("/planungsfelder/?zyklus=").get_data(as_text=True)
    assert "1 Indikatoren" in ohne
    assert client.get("/planungsfelder/?zyklus=abc").status_code == 400
    assert client.get("/planungsfelder/sozialraum/999999").status_code == 404


def test_query_count_does_not_grow_with_the_items(client, login, welt, make, query_counter):
    login(welt.planer)
    _befuellen(make, welt, 1)
    with query_counter() as few:
        assert client.get("/planungsfelder/").status_code == 200
    _befuellen(make, welt, 6, start=1)
    with query_counter() as many:
        assert client.get("/planungsfelder/").status_code == 200
    assert len(many) == len(few) <= 14
    with query_counter() as detail:
        assert client.get(f"/planungsfelder/sozialraum/{welt.nord.id}").status_code == 200
    assert len(detail) <= 14


def test_who_sees_the_overview(client, login, welt, make) -> None:
    assert client.get("/planungsfelder/").status_code == 302
    login(welt.traeger)
    assert client.get("/planungsfelder/").status_code == 403
    assert client.get(f"/planungsfelder/sozialraum/{welt.nord.id}").status_code == 403
    kreis_mitglied = make.user()
    make.mitgliedschaft(make.gremium(GremiumTyp.STADTTEILARBEITSKREIS), kreis_mitglied)
    login(kreis_mitglied)
    assert client.get("/planungsfelder/").status_code == 403
    login(welt.planer)
    page = client.get("/planungsfelder/")
    assert page.status_code == 200 and "Planungsfelder verwalten" not in page.get_data(as_text=True)


def test_targets_of_measures_count_in_their_indicators_fields(client, login, welt, make) -> None:
    from datetime import date

    from app.extensions import db
    from app.massnahmen.wirkung import add_wirkungsziel

    jugend = welt.felder["jugendhilfeplanung"]
    quote = make.indikator("Betreuung (PF)", planungsfelder=[jugend])
    make.indikatorwert(quote, welt.nord, 2023, 30.0)
    massnahme = make.massnahme(welt.zyklus, "Kita-Ausbau (PF)", sozialraum_id=welt.nord.id)
    add_wirkungsziel(massnahme, quote.id, welt.nord.id, 2023, 35.5, 2026, date(2027, 1, 31))
    db.session.commit()
    login(welt.planer)
    html = client.get("/planungsfelder/").get_data(as_text=True)
    assert "1 Wirkungsziele" in _zelle(html, "Nord (PF)")
    detail = client.get(f"/planungsfelder/sozialraum/{welt.nord.id}").get_data(as_text=True)
    assert "Betreuung (PF): 35,5 % bis 2026" in detail and "Maßnahme „Kita-Ausbau (PF)“" in detail
