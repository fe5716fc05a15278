"""OParl 1.1: every emitted object validates, every reference dereferences to its type."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from app.core.types import utcnow
from app.extensions import db
from app.sitzungen.models import Sitzung
from tests.oparl.conftest import SCHEMAS, references, type_name, validate

ALL_TYPES = set(SCHEMAS)  # every OParl type the shipped schemas describe


def crawl(get_json, start: str = "/oparl/v1.1/system") -> dict[str, dict]:
    """Read the whole API from the entry point; returns every object by id (validated)."""
    seen: dict[str, dict] = {}
    lists: set[str] = set()
    todo: list[tuple[str, str | None]] = [(start, "System")]
    while todo:
        url, expected = todo.pop()
        if expected and expected.startswith("externalList:"):
            if url in lists:
                continue
            lists.add(url)
            item_type = expected.split(":", 1)[1]
            while url:
                page = get_json(url)
                assert set(page) >= {"data", "pagination", "links"}, url
                for obj in page["data"]:
                    _take(obj, item_type, seen, todo)
                url = page["links"].get("next")
            continue
        if url in seen:
            assert type_name(seen[url]) == expected or expected is None
            continue
        obj = get_json(url)
        assert obj["id"] == url or url.startswith("/"), (url, obj["id"])
        _take(obj, expected, seen, todo)
    return seen


def _take(obj: dict, expected: str | None, seen: dict, todo: list) -> None:
    validate(obj, expected)
    for embedded in _embedded(obj):
        seen.setdefault(embedded["id"], embedded)
    seen[obj["id"]] = obj
    for url, ref in references(obj):
        todo.append((url, ref))


def _embedded(obj: dict) -> list[dict]:
    found = []
    for value in obj.values():
        if isinstance(value, dict) and "type" in value:
            found += [value, *_embedded(value)]
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, dict) and "type" in item:
                    found += [item, *_embedded(item)]
    return found


def test_every_object_validates_and_every_reference_dereferences(get_json, stadt) -> None:
    seen = crawl(get_json)
    types = {type_name(o) for o in seen.values()}
    assert types == ALL_TYPES, ALL_TYPES - types
    # each referenced object is reachable under its id and has the referenced type
    for obj in list(seen.values()):
        for url, ref in references(obj):
            if not ref.startswith("externalList:"):
                target = get_json(url)
                assert type_name(target) == ref, (obj["id"], url)
                validate(target, ref)


def test_content_of_meeting_and_paper(get_json, stadt) -> None:
    meeting = get_json(f"/oparl/v1.1/meeting/{stadt.sitzung.id}")
    assert meeting["name"] == "Sozialausschuss Juni" and meeting["meetingState"] == "eingeladen"
    assert [a["name"] for a in meeting["agendaItem"]] == ["Jugendtreff im Norden", "Verschiedenes"]
    anlage = meeting["agendaItem"][0]["auxiliaryFile"][0]
    assert anlage["fileName"] == "vorlage-jugendtreff.pdf"
    assert anlage["accessUrl"].endswith(f"/oeffentlich/dateien/{stadt.anlage.id}")
    assert anlage["downloadUrl"].endswith("?download=1")
    assert meeting["web"].endswith(f"/oeffentlich/sitzungen/{stadt.sitzung.id}")
    assert meeting["location"]["description"].startswith("Rathaus Hilden")
    held = get_json(f"/oparl/v1.1/meeting/{stadt.vergangen.id}")
    assert held["resultsProtocol"]["fileName"] == "protokoll-fruehjahr.pdf"
    paper = get_json(f"/oparl/v1.1/paper/massnahme-{stadt.massnahme.id}")
    assert paper["paperType"] == "Maßnahme" and paper["reference"] == "SV 12/2026"
    assert paper["consultation"][0]["organization"][0].endswith(
        f"/organization/{stadt.ausschuss.id}"
    )
    report = get_json(f"/oparl/v1.1/paper/sozialreport-{stadt.bericht.id}")
    assert report["mainFile"]["accessUrl"].endswith(f"/sozialreport/{stadt.bericht.id}.pdf")


def test_only_consenting_office_holders_are_persons(get_json, stadt) -> None:
    people = get_json("/oparl/v1.1/body/people")["data"]
    assert [p["name"] for p in people] == ["Vera Vorsitz"]
    assert people[0]["membership"][0]["role"] == "Vorsitz"
    memberships = get_json("/oparl/v1.1/body/memberships")["data"]
    assert len(memberships) == 1
    assert get_json(f"/oparl/v1.1/person/{stadt.privat.id}", 404)


def test_withdrawn_meeting_becomes_a_tombstone(get_json, stadt) -> None:
    url = f"/oparl/v1.1/meeting/{stadt.sitzung.id}"
    before = get_json(url)
    since = quote(utcnow().isoformat())
    db.session.get(Sitzung, stadt.sitzung.id).oeffentlich = False
    db.session.commit()
    gone = get_json(url)
    assert gone["deleted"] is True and gone["created"] == before["created"]
    assert set(gone) == {"id", "type", "created", "modified", "deleted"}
    validate(gone, "Meeting")
    changed = get_json(f"/oparl/v1.1/body/meetings?modified_since={since}")["data"]
    assert [m["id"] for m in changed] == [gone["id"]] and changed[0]["deleted"]
    for top in (stadt.top, stadt.top2):
        assert get_json(f"/oparl/v1.1/agendaitem/{top.id}")["deleted"] is True
    assert get_json(f"/oparl/v1.1/file/{stadt.anlage.id}")["deleted"] is True
    # published again: the same id lives again
    db.session.get(Sitzung, stadt.sitzung.id).oeffentlich = True
    db.session.commit()
    assert "deleted" not in get_json(url)


def test_deleted_meeting_leaves_a_tombstone(get_json, make, stadt) -> None:
    sitzung = make.sitzung(stadt.sak, titel="Kurzfristig", oeffentlich=True)
    url = f"/oparl/v1.1/meeting/{sitzung.id}"
    assert get_json(url)["name"] == "Kurzfristig"
    db.session.delete(db.session.get(Sitzung, sitzung.id))
    db.session.commit()
    assert get_json(url)["deleted"] is True


def test_modified_since_finds_changed_meeting_only(get_json, stadt) -> None:
    all_meetings = get_json("/oparl/v1.1/body/meetings")["data"]
    assert len(all_meetings) == 4
    since = quote(utcnow().isoformat())
    assert get_json(f"/oparl/v1.1/body/meetings?modified_since={since}")["data"] == []
    db.session.get(Sitzung, stadt.vergangen.id).titel = "SAK Nord Frühjahr (neu)"
    db.session.commit()
    changed = get_json(f"/oparl/v1.1/body/meetings?modified_since={since}")["data"]
    assert [m["name"] for m in changed] == ["SAK Nord Frühjahr (neu)"]
    until = get_json(f"/oparl/v1.1/body/meetings?modified_until={since}")["data"]
    assert len(until) == 3
    assert get_json("/oparl/v1.1/body/meetings?modified_since=gestern", 400)["error"]


def test_pagination_walks_every_object_once(get_json, make, stadt) -> None:
    for i in range(5):
        make.sitzung(stadt.sak, titel=f"Weitere {i}", oeffentlich=True)
    first = get_json("/oparl/v1.1/body/meetings?elementsPerPage=2")
    assert first["pagination"] == {
        "totalElements": 9,
        "elementsPerPage": 2,
        "currentPage": 1,
        "totalPages": 5,
    }
    assert "prev" not in first["links"] and first["links"]["next"].endswith("page=2")
    ids, url = [], "/oparl/v1.1/body/meetings?elementsPerPage=2"
    while url:
        page = get_json(url)
        ids += [m["id"] for m in page["data"]]
        url = page["links"].get("next")
    assert len(ids) == len(set(ids)) == 9
    last = get_json(first["links"]["last"])
    assert len(last["data"]) == 1 and "next" not in last["links"]


def test_query_count_per_list_page_is_constant(client, make, stadt, query_counter) -> None:
    urls = [f"/oparl/v1.1/body/{name}" for name in ("meetings", "agenda-items", "files", "papers")]
    urls += ["/oparl/v1.1/body/organizations", "/oparl/v1.1/body/people"]

    def counts() -> list[int]:
        result = []
        for url in urls:
            with query_counter() as statements:
                assert client.get(url).status_code == 200
            result.append(len(statements))
        return result

    counts()
    before = counts()
    for i in range(4):
        sitzung = make.sitzung(stadt.sak, titel=f"Mehr {i}", oeffentlich=True)
        make.top(sitzung, "Punkt")
        member = make.user(name=f"Amt {i}", name_oeffentlich=True)
        make.mitgliedschaft(stadt.ausschuss, member)
        make.sozialreport(stadt.zyklus, status="veroeffentlicht")
    assert counts() == before


def test_read_only_json_with_cors(client, stadt) -> None:
    response = client.get("/oparl/v1.1/system")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.get_json()["oparlVersion"] == "https://schema.oparl.org/1.1/"
    refused = client.post("/oparl/v1.1/system")
    assert refused.status_code in (400, 405)
    options = client.options("/oparl/v1.1/body/meetings")
    assert options.headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/oparl/v1.1/unbekannt/1").status_code == 404
    assert client.get("/oparl/v1.1/body/unbekannt").get_json()["error"]


@pytest.mark.parametrize("liste", ["meetings", "papers", "files", "people"])
def test_page_parameter_is_robust(client, stadt, liste) -> None:
    for query in ("page=0", "page=9999", "elementsPerPage=-3", "limit=100000"):
        assert client.get(f"/oparl/v1.1/body/{liste}?{query}").status_code == 200
    assert client.get(f"/oparl/v1.1/body/{liste}?page=x").status_code == 400
