"""Pages at ten times the history: same size (within 1.5×) and the same number of queries.

One test loads ``load_umfang(1)``, measures the main pages, scales the same database to
``load_umfang(10)`` (ten cycles, sixty years of indicator values, ten times the meetings,
mails, impulses, measures) and measures again: sizes are bytes of the rendered page, not times.
"""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.datenbasis.models import Indikator, ReportStatus, Sozialreport
from app.demo_umfang import load_umfang
from app.extensions import db
from app.sitzungen.models import Sitzung
from app.workflows.models import Phase, Zyklus

STAB = "stabsstelle@demo.hilden.example"
MIT_ZEITRAUM = ("sozialreport", "oeffentlicher_sozialreport", "indikator", "indikatoren")
LISTE_MAX_BYTES = 80_000  # a page of 50 rows with its filters


def _urls() -> dict[str, str]:
    zyklus = db.session.scalar(
        select(Zyklus.id).where(Zyklus.phase != Phase.ABGESCHLOSSEN).order_by(Zyklus.id)
    )
    report = db.session.scalar(
        select(Sozialreport.id).where(Sozialreport.zyklus_id == zyklus).order_by(Sozialreport.id)
    )
    public = db.session.scalar(
        select(Sozialreport.id)
        .where(Sozialreport.status == ReportStatus.VEROEFFENTLICHT)
        .order_by(Sozialreport.id)
    )
    indikator = db.session.scalar(select(Indikator.id).order_by(Indikator.id))
    sitzung = db.session.scalar(
        select(Sitzung.id).where(Sitzung.zyklus_id == zyklus).order_by(Sitzung.id)
    )
    return {
        "sozialreport": f"/datenbasis/sozialreports/{report}",
        "oeffentlicher_sozialreport": f"/sozialreport/{public}",
        "indikator": f"/datenbasis/indikatoren/{indikator}",
        "indikatoren": "/datenbasis/indikatoren",
        "postausgang": "/postausgang/",
        "impulse": "/impulse/",
        "massnahmen": f"/massnahmen/zyklus/{zyklus}",
        "sitzungen": "/sitzungen/?zeitraum=vergangen",
        "protokolle": "/protokolle/",
        "benutzer": "/stammdaten/benutzer",
        "organisationen": "/stammdaten/organisationen",
        "protokoll": "/protokoll/?seite=2",
        "zyklen": "/zyklen/",
        "start": "/start",
        "zyklus": f"/zyklen/{zyklus}",
        "sitzung": f"/sitzungen/{sitzung}",
    }


def _measure(client, query_counter, urls: dict[str, str]) -> dict[str, tuple[int, int]]:
    result = {}
    for name, url in urls.items():
        with query_counter() as statements:
            response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)
        result[name] = (len(response.get_data()), len(statements))
    return result


def test_pages_do_not_grow_with_history(client, login, ctx, query_counter) -> None:
    load_umfang(1)
    db.session.commit()
    login(db.session.scalar(select(User).where(User.email == STAB)))
    urls = _urls()
    einfach = _measure(client, query_counter, urls)
    load_umfang(10)
    db.session.commit()
    # the same pages (the same objects), only more history around them
    zehnfach = _measure(client, query_counter, urls)

    groesse = {n: round(zehnfach[n][0] / einfach[n][0], 2) for n in urls}
    abfragen = {n: (einfach[n][1], zehnfach[n][1]) for n in urls if einfach[n][1] != zehnfach[n][1]}
    assert groesse["sozialreport"] <= 1.5, (einfach["sozialreport"], zehnfach["sozialreport"])
    # pages whose size used to follow the years of data
    assert all(groesse[n] <= 1.5 for n in MIT_ZEITRAUM), groesse
    # lists fill up to one page: at most a page of rows, whatever the history
    assert all(zehnfach[n][0] <= LISTE_MAX_BYTES for n in urls), zehnfach
    # every page (start page, cycle and meeting included) asks as often at 10× as at 1×
    assert not abfragen, abfragen
