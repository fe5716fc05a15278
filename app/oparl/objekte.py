"""OParl 1.1 objects as JSON-ready dicts; one function per type, ids are stable URLs.

Each function gets the loaded row and a ``Kontext`` with what a whole page needs (related
ids looked up once per page), so serialising a list costs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, url_for

from app.oparl.models import OparlObjekt

BERLIN = ZoneInfo("Europe/Berlin")
SCHEMA = "https://schema.oparl.org/1.1/"
MEETING_STATE = {
    "geplant": "terminiert",
    "eingeladen": "eingeladen",
    "durchgefuehrt": "durchgeführt",
    "abgesagt": "abgesagt",
}
TYPNAMEN = {
    "organization": "Organization",
    "person": "Person",
    "membership": "Membership",
    "meeting": "Meeting",
    "agendaitem": "AgendaItem",
    "file": "File",
    "location": "Location",
    "paper": "Paper",
    "consultation": "Consultation",
    "legislativeterm": "LegislativeTerm",
}


def absolute(path: str) -> str:
    """An absolute URL on the configured public address (stable ids, also behind proxies)."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def oid(typ: str, key: Any) -> str:
    """The id (URL) of one object."""
    return absolute(url_for("oparl.objekt", typ=typ, schluessel=str(key)))


def body_id() -> str:
    return absolute(url_for("oparl.body"))


def web(endpoint: str, **values: Any) -> str:
    return absolute(url_for(endpoint, **values))


def zeit(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(BERLIN).isoformat(timespec="seconds")


def tag(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.astimezone(BERLIN).date()
    return value.isoformat()


@dataclass
class Kontext:
    """Related data of a whole page, looked up once."""

    register: dict[tuple[str, str], OparlObjekt] = field(default_factory=dict)
    protokoll_datei: dict[int, Any] = field(default_factory=dict)  # sitzung_id -> Datei
    datei_bezug: dict[int, tuple[set[int], set[int]]] = field(default_factory=dict)
    mitgliedschaften: dict[int, list[Any]] = field(default_factory=dict)  # by user or gremium
    sitzungen_mit_ort: set[int] = field(default_factory=set)
    # tagesordnungspunkt_id -> (beratung_id, result) of a public Vorlage on that agenda item
    top_beratung: dict[int, tuple[int, str | None]] = field(default_factory=dict)
    # paper key -> keys of related public papers (a Vorlage and the measures it lists)
    verwandt: dict[str, list[str]] = field(default_factory=dict)


def _kopf(typ: str, key: str, ctx: Kontext) -> dict[str, Any]:
    data: dict[str, Any] = {"id": oid(typ, key), "type": SCHEMA + TYPNAMEN[typ]}
    row = ctx.register.get((typ, key))
    if row is not None:
        data["created"] = zeit(row.erstellt_at)
        data["modified"] = zeit(row.geaendert_at)
    return data


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """OParl leaves unknown values out instead of sending null."""
    return {k: v for k, v in data.items() if v is not None and v != []}


def tombstone(row: OparlObjekt) -> dict[str, Any]:
    """A withdrawn object: only id, type, created, modified (= withdrawal) and deleted."""
    return {
        "id": oid(row.typ, row.schluessel),
        "type": SCHEMA + TYPNAMEN[row.typ],
        "created": zeit(row.erstellt_at),
        "modified": zeit(row.geaendert_at),
        "deleted": True,
    }


def lizenz() -> str | None:
    return current_app.config.get("OPARL_LIZENZ") or None


# --------------------------------------------------------------------------- the body


def organization(g: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    members = ctx.mitgliedschaften.get(g.id, [])
    return _clean(
        {
            **_kopf("organization", key, ctx),
            "body": body_id(),
            "name": g.name,
            "organizationType": "Gremium",
            "classification": g.typ.label,
            "membership": [oid("membership", m.id) for m in members],
            "meeting": absolute(url_for("oparl.organisation_sitzungen", gremium_id=g.id)),
            "web": web("oeffentlich.gremium", gremium_id=g.id),
            "keyword": [g.sozialraum.name] if g.sozialraum else None,
            "license": lizenz(),
        }
    )


def membership(m: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    return _clean(
        {
            **_kopf("membership", key, ctx),
            "person": oid("person", m.user_id),
            "organization": oid("organization", m.gremium_id),
            "role": m.funktion.label,
            "web": web("oeffentlich.gremium", gremium_id=m.gremium_id),
            "license": lizenz(),
        }
    )


def person(u: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    members = ctx.mitgliedschaften.get(u.id, [])
    return _clean(
        {
            **_kopf("person", key, ctx),
            "body": body_id(),
            "name": u.name,
            "membership": [membership(m, str(m.id), ctx) for m in members],
            "license": lizenz(),
        }
    )


def legislativeterm(z: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    return _clean(
        {
            **_kopf("legislativeterm", key, ctx),
            "body": body_id(),
            "name": z.titel,
            "startDate": tag(z.beginn),
            "endDate": tag(z.ende),
            "license": lizenz(),
        }
    )


# --------------------------------------------------------------------------- meetings


def _datei_file(d: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    sitzungen, tops = ctx.datei_bezug.get(d.id, (set(), set()))
    return _clean(
        {
            **_kopf("file", key, ctx),
            "name": d.original_name,
            "fileName": d.original_name,
            "mimeType": d.content_type,
            "size": int(d.size),
            "date": tag(d.uploaded_at),
            "accessUrl": web("oeffentlich.datei", datei_id=d.id),
            "downloadUrl": web("oeffentlich.datei", datei_id=d.id, download=1),
            "meeting": [oid("meeting", s) for s in sorted(sitzungen)],
            "agendaItem": [oid("agendaitem", t) for t in sorted(tops)],
            "license": lizenz(),
        }
    )


def _bericht_file(r: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    return _clean(
        {
            **_kopf("file", key, ctx),
            "name": r.titel,
            "fileName": f"sozialreport-{r.id}.pdf",
            "mimeType": "application/pdf",
            "date": tag(r.veroeffentlicht_at),
            "accessUrl": web("datenbasis.public_pdf", report_id=r.id),
            "paper": [oid("paper", f"sozialreport-{r.id}")],
            "web": web("datenbasis.public_bericht", report_id=r.id),
            "license": lizenz(),
        }
    )


def file(obj: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    if key.startswith("sozialreport-"):
        return _bericht_file(obj, key, ctx)
    return _datei_file(obj, key, ctx)


def _sitzung_location(s: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    return _clean(
        {
            **_kopf("location", key, ctx),
            "description": ", ".join(p for p in (s.ort_name, s.ort_raum, s.ort_adresse) if p),
            "streetAddress": s.ort_adresse,
            "room": s.ort_raum,
            "locality": current_app.config.get("OPARL_ORT") or None,
            "meetings": [oid("meeting", s.id)],
            "license": lizenz(),
        }
    )


def location(obj: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    if key.startswith("sitzung-"):
        return _sitzung_location(obj, key, ctx)
    return _clean(
        {
            **_kopf("location", key, ctx),
            "description": obj.name,
            "subLocality": obj.name,
            "locality": current_app.config.get("OPARL_ORT") or None,
            "web": web("oeffentlich.stadtbereich", sozialraum_id=obj.id),
            "license": lizenz(),
        }
    )


def agendaitem(t: Any, key: str, ctx: Kontext, order: int | None = None) -> dict[str, Any]:
    beratung_id, result = ctx.top_beratung.get(t.id, (None, None))
    return _clean(
        {
            **_kopf("agendaitem", key, ctx),
            "meeting": oid("meeting", t.sitzung_id),
            "number": str(t.position),
            "order": order if order is not None else t.position,
            "name": t.titel,
            "public": True,
            "consultation": oid("consultation", f"beratung-{beratung_id}") if beratung_id else None,
            "result": result,
            "auxiliaryFile": [_datei_file(d, str(d.id), ctx) for d in t.dateien],
            "web": web("oeffentlich.sitzung", sitzung_id=t.sitzung_id, _anchor=f"top-{t.id}"),
            "license": lizenz(),
        }
    )


def meeting(s: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    protokoll = ctx.protokoll_datei.get(s.id)
    ort = _sitzung_location(s, f"sitzung-{s.id}", ctx) if s.ort_name else None
    return _clean(
        {
            **_kopf("meeting", key, ctx),
            "name": s.titel,
            "meetingState": MEETING_STATE[s.status.value],
            "cancelled": s.status.value == "abgesagt",
            "start": zeit(s.beginn),
            "end": zeit(s.ende),
            "location": ort,
            "organization": [oid("organization", s.gremium_id)],
            "resultsProtocol": _datei_file(protokoll, str(protokoll.id), ctx)
            if protokoll
            else None,
            "agendaItem": [
                agendaitem(t, str(t.id), ctx, order)
                for order, t in enumerate(s.tagesordnungspunkte, 1)
            ],
            "web": web("oeffentlich.sitzung", sitzung_id=s.id),
            "license": lizenz(),
        }
    )


# --------------------------------------------------------------------------- papers


def consultation(b: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    return _clean(
        {
            **_kopf("consultation", key, ctx),
            "paper": oid("paper", f"massnahme-{b.massnahme_id}"),
            "organization": [oid("organization", b.gremium_id)],
            "authoritative": True,
            "role": f"Entscheidung: {b.ergebnis.label} am {b.datum.strftime('%d.%m.%Y')}",
            "keyword": [b.drucksache] if b.drucksache else None,
            "web": web("oeffentlich.massnahme", massnahme_id=b.massnahme_id),
            "license": lizenz(),
        }
    )


def _massnahme_paper(m: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    drucksachen = [b.drucksache for b in m.beschluesse if b.drucksache]
    return _clean(
        {
            **_kopf("paper", key, ctx),
            "body": body_id(),
            "name": m.titel,
            "reference": drucksachen[-1] if drucksachen else None,
            "date": tag(m.created_at),
            "paperType": "Maßnahme",
            "consultation": [consultation(b, f"beschluss-{b.id}", ctx) for b in m.beschluesse],
            "relatedPaper": [oid("paper", k) for k in ctx.verwandt.get(key, [])],
            "keyword": [m.status.label, m.sozialraum.name if m.sozialraum else "gesamte Stadt"],
            "web": web("oeffentlich.massnahme", massnahme_id=m.id),
            "license": lizenz(),
        }
    )


def _bericht_paper(r: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    return _clean(
        {
            **_kopf("paper", key, ctx),
            "body": body_id(),
            "name": r.titel,
            "date": tag(r.veroeffentlicht_at),
            "paperType": "Sozialreport",
            "mainFile": _bericht_file(r, f"sozialreport-{r.id}", ctx),
            "web": web("datenbasis.public_bericht", report_id=r.id),
            "license": lizenz(),
        }
    )


def paper(obj: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    if key.startswith("sozialreport-"):
        return _bericht_paper(obj, key, ctx)
    return _massnahme_paper(obj, key, ctx)


BASIS_SERIALIZERS = {
    "organization": organization,
    "person": person,
    "membership": membership,
    "meeting": meeting,
    "agendaitem": agendaitem,
    "file": file,
    "location": location,
    "paper": paper,
    "consultation": consultation,
    "legislativeterm": legislativeterm,
}
