"""``make run`` shows a filled portal: the demo releases meetings, minutes, an answer, a measure
and a report; loading twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.datenbasis.demo import load_demo_datenbasis
from app.extensions import db
from app.oeffentlich.demo import load_demo_oeffentlich
from app.oparl.models import OparlObjekt
from app.protokolle.demo import load_demo_protokolle
from app.sitzungen.models import Sitzung
from app.stammdaten.demo import load_demo_data
from app.workflows.demo import load_demo_zyklus


def _load() -> None:
    load_demo_data()
    load_demo_zyklus()
    load_demo_datenbasis()
    load_demo_protokolle()
    load_demo_oeffentlich()
    db.session.commit()


def test_demo_portal_is_filled_and_idempotent(ctx, client) -> None:
    _load()
    public = db.session.scalar(select(func.count()).where(Sitzung.oeffentlich))
    register = db.session.scalar(select(func.count()).select_from(OparlObjekt))
    _load()
    assert db.session.scalar(select(func.count()).where(Sitzung.oeffentlich)) == public == 3
    assert db.session.scalar(select(func.count()).select_from(OparlObjekt)) == register
    start = client.get("/oeffentlich/").get_data(as_text=True)
    for text in (
        "Sozialplanung 2027: Ergebnisse der Beteiligung",
        "Sommertreffen",
        "Demo: Treffpunkt für Jugendliche",
        "Offener Jugendtreff im Stadtbereich",
        "25 % umgesetzt",
        "Sozialreport Hilden 2026 (Demo)",
    ):
        assert text in start, text
    assert "Amelie Ausschuss-Demo" in client.get("/oparl/v1.1/body/people").get_data(as_text=True)
    report = client.get("/sozialreport/").get_data(as_text=True)
    assert "Sozialreport Hilden 2026 (Demo)" in report


def test_demo_vorlage_is_public_with_the_committee_meeting(ctx, client) -> None:
    from app.demo import DEMO_LOADERS, _load_optional

    load_demo_data()
    for loader in DEMO_LOADERS:
        _load_optional(loader)
    db.session.commit()
    papers = client.get("/oparl/v1.1/body/papers").get_json()["data"]
    vorlagen = [p for p in papers if p.get("paperType") == "Vorlage"]
    assert len(vorlagen) == 1
    vorlage = vorlagen[0]
    assert [c["role"] for c in vorlage["consultation"]] == [
        "Vorberatung",
        "Vorberatung",
        "Entscheidung",
    ]
    assert vorlage["consultation"][0]["keyword"][0].startswith("zugestimmt am")
    assert "meeting" in vorlage["consultation"][1]  # the public Sozialausschuss meeting
    page = client.get("/oeffentlich/vorlagen/").get_data(as_text=True)
    assert vorlage["name"] in page
