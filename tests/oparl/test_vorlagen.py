"""Vorlagen in OParl (Paper, Consultation, File) and in the portal; non-public ones never."""

from __future__ import annotations

import io
from datetime import date
from urllib.parse import quote

from pypdf import PdfReader

from app.core.types import utcnow
from app.extensions import db
from app.massnahmen.models import Beschluss, Ergebnis
from app.sitzungen.models import Sitzung
from app.vorlagen.models import Beratung, Vorlage
from tests.oparl.conftest import validate


def test_public_vorlage_is_a_paper_with_file_and_consultations(get_json, client, stadt) -> None:
    paper = get_json(f"/oparl/v1.1/paper/vorlage-{stadt.vorlage.id}")
    validate(paper, "Paper")
    assert paper["paperType"] == "Vorlage" and paper["reference"] == "SV 20/2027"
    assert paper["name"] == "Prioritäten der Sozialplanung 2027"
    assert paper["web"].endswith(f"/oeffentlich/vorlagen/{stadt.vorlage.id}")
    main = paper["mainFile"]
    assert main["accessUrl"].endswith(f"/oeffentlich/vorlagen/{stadt.vorlage.id}.pdf")
    assert main["downloadUrl"].endswith("?download=1") and main["mimeType"] == "application/pdf"
    assert get_json(main["id"])["paper"] == [paper["id"]]
    # the Vorlage and the released measure it lists refer to each other; the internal one not
    measure = f"/paper/massnahme-{stadt.massnahme.id}"
    assert [p.split("/oparl/v1.1")[1] for p in paper["relatedPaper"]] == [measure]
    assert get_json(f"/oparl/v1.1{measure}")["relatedPaper"] == [paper["id"]]
    vv, ausschuss = paper["consultation"]
    # the VV decided in a non-public meeting: no meeting or agenda item is referenced
    assert vv["role"] == "Vorberatung" and vv["authoritative"] is False
    assert "meeting" not in vv and "agendaItem" not in vv
    assert vv["organization"][0].endswith(f"/organization/{stadt.vv.id}")
    assert vv["keyword"] == ["zugestimmt am 20.04.2026"]
    assert ausschuss["role"] == "Entscheidung" and ausschuss["authoritative"] is True
    assert ausschuss["meeting"].endswith(f"/meeting/{stadt.sitzung.id}")
    assert ausschuss["agendaItem"].endswith(f"/agendaitem/{stadt.top.id}")
    assert get_json(ausschuss["id"]) == ausschuss
    # the agenda item points back to the consultation, also inside the meeting
    top = get_json(f"/oparl/v1.1/agendaitem/{stadt.top.id}")
    assert top["consultation"] == ausschuss["id"]
    meeting = get_json(f"/oparl/v1.1/meeting/{stadt.sitzung.id}")
    assert meeting["agendaItem"][0]["consultation"] == ausschuss["id"]
    assert "consultation" not in meeting["agendaItem"][1]
    # the file dereferences to a PDF naming only released measures
    response = client.get(main["accessUrl"].split("localhost", 1)[-1])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Jugendtreff Nord" in text and "SV 20/2027" in text
    assert "Interne Maßnahme" not in text and "Offener Treff" not in text
    assert "1 weitere Maßnahme ist noch nicht freigegeben" in " ".join(text.split())
    download = client.get(main["downloadUrl"].split("localhost", 1)[-1])
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_vorlage_without_public_meeting_is_nowhere(client, get_json, stadt) -> None:
    v = stadt.geheime_vorlage
    for typ, key in (
        ("paper", f"vorlage-{v.id}"),
        ("file", f"vorlage-{v.id}"),
        ("consultation", f"beratung-{stadt.geheime_beratung.id}"),
    ):
        get_json(f"/oparl/v1.1/{typ}/{key}", 404)
    for url in (f"/oeffentlich/vorlagen/{v.id}", f"/oeffentlich/vorlagen/{v.id}.pdf"):
        assert client.get(url).status_code == 404, url
    papers = get_json("/oparl/v1.1/body/papers")["data"]
    assert f"vorlage-{stadt.vorlage.id}" in " ".join(p["id"] for p in papers)
    assert not any(p["id"].endswith(f"/paper/vorlage-{v.id}") for p in papers)
    # the geheim agenda item carries the public Vorlage's VV step, but stays non-public
    get_json(f"/oparl/v1.1/agendaitem/{stadt.geheim_top.id}", 404)


def test_vorlage_withdrawn_when_its_meeting_is_no_longer_public(get_json, stadt) -> None:
    url = f"/oparl/v1.1/paper/vorlage-{stadt.vorlage.id}"
    before = get_json(url)
    since = quote(utcnow().isoformat())
    db.session.get(Sitzung, stadt.sitzung.id).oeffentlich = False
    db.session.commit()
    gone = get_json(url)
    assert gone["deleted"] is True and gone["created"] == before["created"]
    validate(gone, "Paper")
    for consultation in before["consultation"]:
        assert get_json(consultation["id"])["deleted"] is True
    assert get_json(before["mainFile"]["id"])["deleted"] is True
    changed = get_json(f"/oparl/v1.1/body/papers?modified_since={since}")["data"]
    assert gone["id"] in [p["id"] for p in changed]
    # on the agenda of a public meeting again: the same ids live again
    db.session.get(Sitzung, stadt.sitzung.id).oeffentlich = True
    db.session.commit()
    assert "deleted" not in get_json(url)


def test_new_decision_modifies_paper_and_consultation(get_json, stadt) -> None:
    since = quote(utcnow().isoformat())
    assert get_json(f"/oparl/v1.1/body/consultations?modified_since={since}")["data"] == []
    db.session.add(
        Beschluss(
            beratung_id=stadt.beratung_ausschuss.id,
            gremium_id=stadt.ausschuss.id,
            ergebnis=Ergebnis.GEAENDERT,
            datum=date(2026, 6, 12),
        )
    )
    db.session.commit()
    changed = get_json(f"/oparl/v1.1/body/consultations?modified_since={since}")["data"]
    assert [c["id"].rsplit("/", 1)[1] for c in changed] == [
        f"beratung-{stadt.beratung_ausschuss.id}"
    ]
    assert changed[0]["keyword"] == ["geändert beschlossen am 12.06.2026"]
    papers = get_json(f"/oparl/v1.1/body/papers?modified_since={since}")["data"]
    assert [p["reference"] for p in papers] == ["SV 20/2027"]
    top = get_json(f"/oparl/v1.1/agendaitem/{stadt.top.id}")
    assert top["result"] == "geändert beschlossen"


def test_portal_shows_public_vorlage_with_decisions(client, stadt) -> None:
    listing = client.get("/oeffentlich/vorlagen/").get_data(as_text=True)
    assert "Prioritäten der Sozialplanung 2027" in listing and "Geheime Vorlage" not in listing
    body = client.get(f"/oeffentlich/vorlagen/{stadt.vorlage.id}").get_data(as_text=True)
    assert "Drucksache" in body and "SV 20/2027" in body
    assert "Verwaltungsvorstand" in body and "zugestimmt am 20.04.2026" in body
    assert "nicht öffentliche Sitzung" in body and "Geheime Klausur" not in body
    assert f'href="/oeffentlich/sitzungen/{stadt.sitzung.id}"' in body
    assert f'href="/oeffentlich/massnahmen/{stadt.massnahme.id}"' in body
    assert "Interne Maßnahme" not in body and "Bemerkung im Vorstand" not in body
    assert "1 weitere Maßnahme der Vorlage ist noch nicht zur Veröffentlichung freigegeben" in body
    meeting = client.get(f"/oeffentlich/sitzungen/{stadt.sitzung.id}").get_data(as_text=True)
    assert f'href="/oeffentlich/vorlagen/{stadt.vorlage.id}"' in meeting


def test_query_counts_independent_of_number_of_vorlagen(client, make, stadt, query_counter) -> None:
    urls = [
        "/oparl/v1.1/body/papers",
        "/oparl/v1.1/body/consultations",
        "/oparl/v1.1/body/files",
        "/oeffentlich/vorlagen/",
    ]

    def counts() -> list[int]:
        result = []
        for url in urls:
            with query_counter() as statements:
                assert client.get(url).status_code == 200
            result.append(len(statements))
        return result

    counts()
    before = counts()
    for i in range(3):
        zyklus = make.zyklus([stadt.ausschuss], titel=f"Weitere {i}")
        sitzung = make.sitzung(stadt.ausschuss, titel=f"Ausschuss {i}", oeffentlich=True)
        top = make.top(sitzung, "Vorlage")
        vorlage = Vorlage(zyklus_id=zyklus.id, titel=f"Vorlage {i}")
        vorlage.beratungen.append(
            Beratung(
                gremium_id=stadt.ausschuss.id, sitzung_id=sitzung.id, tagesordnungspunkt_id=top.id
            )
        )
        db.session.add(vorlage)
        db.session.commit()
    assert counts() == before


def test_measure_decision_links_to_its_public_vorlage(client, stadt) -> None:
    db.session.add(
        Beschluss(
            massnahme_id=stadt.massnahme.id,
            beratung_id=stadt.beratung_vv.id,
            gremium_id=stadt.vv.id,
            ergebnis=Ergebnis.ZUGESTIMMT,
            datum=date(2026, 4, 20),
            drucksache="SV 20/2027",
        )
    )
    db.session.commit()
    body = client.get(f"/oeffentlich/massnahmen/{stadt.massnahme.id}").get_data(as_text=True)
    assert f'<a href="/oeffentlich/vorlagen/{stadt.vorlage.id}">SV 20/2027</a>' in body
    # the decision taken outside any Vorlage keeps its plain Drucksache number
    assert "<td>SV 12/2026</td>" in body


def test_releasing_a_measure_modifies_the_vorlage_that_lists_it(get_json, stadt) -> None:
    from app.massnahmen.models import Massnahme

    since = quote(utcnow().isoformat())
    db.session.get(Massnahme, stadt.interne_massnahme.id).oeffentlich = True
    db.session.commit()
    changed = get_json(f"/oparl/v1.1/body/papers?modified_since={since}")["data"]
    vorlage = next(p for p in changed if p.get("paperType") == "Vorlage")
    assert len(vorlage["relatedPaper"]) == 2


def test_stabsstelle_sees_the_publicity_badge_on_the_vorlage(client, login, stadt) -> None:
    login(stadt.stab)
    body = client.get(f"/vorlagen/{stadt.vorlage.id}").get_data(as_text=True)
    assert '<span class="abzeichen abzeichen--oeffentlich">öffentlich</span>' in body
    geheim = client.get(f"/vorlagen/{stadt.geheime_vorlage.id}").get_data(as_text=True)
    assert '<span class="abzeichen abzeichen--intern">nicht öffentlich</span>' in geheim
