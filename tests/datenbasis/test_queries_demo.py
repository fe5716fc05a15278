"""No N+1 on the report page and the lists; demo data are idempotent and marked."""

from __future__ import annotations

from sqlalchemy import func, select

from app.datenbasis.demo import load_demo_datenbasis
from app.datenbasis.models import (
    Diagramm,
    Einrichtung,
    Indikator,
    Indikatorwert,
    Interview,
    Kapitel,
    Kommentar,
)
from app.extensions import db
from app.stammdaten.demo import load_demo_data


def _report(make, raeume, kapitel: int, stab):
    report = make.sozialreport(status="planungsrunde")
    for n in range(kapitel):
        ind = make.indikator()
        for raum in [*raeume, None]:
            make.indikatorwert(ind, raum, 2023, 1.5 + n)
            make.indikatorwert(ind, raum, 2024, 2.5 + n)
        k = (
            report.kapitel[0]
            if n == 0
            else Kapitel(report_id=report.id, position=n + 1, titel=f"K{n}", text="*t*")
        )
        db.session.add(k)
        db.session.flush()
        db.session.add_all(
            [
                Diagramm(kapitel_id=k.id, indikator_id=ind.id, art="zeitreihe"),
                Diagramm(kapitel_id=k.id, indikator_id=ind.id, art="vergleich"),
                Kommentar(kapitel_id=k.id, user_id=stab.id, text=f"Kommentar {n}"),
            ]
        )
    db.session.commit()
    return report


def _count(client, query_counter, url: str) -> int:
    with query_counter() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_report_page_query_count_does_not_grow(
    client, login, make, stab, raeume, query_counter
) -> None:
    small, large = _report(make, raeume, 1, stab), _report(make, raeume, 5, stab)
    login(stab)
    counts = [
        _count(client, query_counter, f"/datenbasis/sozialreports/{r.id}") for r in (small, large)
    ]
    assert counts[0] == counts[1] and counts[1] <= 12, counts


def test_indicator_list_query_count_does_not_grow(
    client, login, make, stab, raeume, query_counter
) -> None:
    login(stab)
    make.indikator()
    one = _count(client, query_counter, "/datenbasis/indikatoren")
    for _ in range(6):
        ind = make.indikator()
        make.indikatorwert(ind, raeume[0], 2024, 1.0)
    assert _count(client, query_counter, "/datenbasis/indikatoren") == one <= 6


def test_other_lists_query_count_does_not_grow(
    client, login, make, stab, raeume, query_counter, ctx
) -> None:
    from app.datenbasis.services import save_interview

    login(stab)
    pages = ("/datenbasis/einrichtungen", "/datenbasis/interviews")

    def add(n: int) -> None:
        traeger = make.organisation()
        db.session.add(
            Einrichtung(
                name=f"E{n}", typ="kita", sozialraum_id=raeume[n % 3].id, traeger_id=traeger.id
            )
        )
        save_interview(
            None,
            titel=f"I{n}",
            datum=None,
            sozialraum_id=raeume[n % 3].id,
            zusammenfassung="x",
            schlagworte=f"T{n}, gemeinsam",
        )
        db.session.commit()

    add(0)
    before = [_count(client, query_counter, p) for p in pages]
    for n in range(1, 5):
        add(n)
    assert [_count(client, query_counter, p) for p in pages] == [before[0], before[1]]


def test_demo_datenbasis_is_idempotent_and_marked(ctx) -> None:
    load_demo_data()
    load_demo_datenbasis()
    db.session.flush()
    counts = [
        db.session.scalar(select(func.count(m.id)))
        for m in (Indikator, Indikatorwert, Einrichtung, Interview)
    ]
    load_demo_datenbasis()
    db.session.flush()
    assert [
        db.session.scalar(select(func.count(m.id)))
        for m in (Indikator, Indikatorwert, Einrichtung, Interview)
    ] == counts
    assert counts[1] == counts[0] * 6 * 6  # five Stadtbereiche and the city, six years
    assert all(i.demo and "Demo" in i.quelle for i in db.session.scalars(select(Indikator)))
    assert all(e.demo for e in db.session.scalars(select(Einrichtung)))
