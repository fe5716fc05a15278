"""Vorlagen as OParl Paper (with the current version as File) and their Beratungsfolge as
Consultation; and the one table of serialisers that dispatches every type by its key.

A Vorlage is public only by ``sichtbarkeit.vorlage_oeffentlich``; every step of a public
Vorlage is a Consultation, linked to its meeting and agenda item only where that meeting is
public. The last step is the authoritative one.
"""

from __future__ import annotations

from typing import Any

from app.oeffentlich import sichtbarkeit as sicht
from app.oparl import objekte
from app.oparl.objekte import Kontext, _clean, _kopf, body_id, lizenz, oid, tag, web


def vorlage_file(v: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    """The current version of a public Vorlage as a PDF file."""
    fassung = v.aktuelle_fassung
    nummer = fassung.nummer if fassung else 0
    return _clean(
        {
            **_kopf("file", key, ctx),
            "name": f"{v.titel} (Fassung {nummer})",
            "fileName": f"vorlage-{v.id}-fassung-{nummer}.pdf",
            "mimeType": "application/pdf",
            "date": tag(fassung.erstellt_at) if fassung else None,
            "accessUrl": web("oeffentlich.vorlage_pdf", vorlage_id=v.id),
            "downloadUrl": web("oeffentlich.vorlage_pdf", vorlage_id=v.id, download=1),
            "paper": [oid("paper", f"vorlage-{v.id}")],
            "web": web("oeffentlich.vorlage", vorlage_id=v.id),
            "license": lizenz(),
        }
    )


def _ergebnis(beratung: Any) -> str | None:
    gesamt = [b for b in beratung.beschluesse if b.massnahme_id is None]
    if not gesamt:
        return None
    b = gesamt[-1]
    return f"{b.ergebnis.label} am {b.datum.strftime('%d.%m.%Y')}"


def beratung_consultation(b: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    """One step of the Beratungsfolge; meeting and agenda item only if the meeting is public."""
    letzte = b.vorlage.beratungen[-1] if b.vorlage.beratungen else None
    authoritative = letzte is not None and letzte.id == b.id
    oeffentlich = sicht.ist_sitzung_oeffentlich(b.sitzung)
    ergebnis = _ergebnis(b)
    return _clean(
        {
            **_kopf("consultation", key, ctx),
            "paper": oid("paper", f"vorlage-{b.vorlage_id}"),
            "meeting": oid("meeting", b.sitzung_id) if oeffentlich else None,
            "agendaItem": oid("agendaitem", b.tagesordnungspunkt_id)
            if oeffentlich and b.tagesordnungspunkt_id
            else None,
            "organization": [oid("organization", b.gremium_id)],
            "authoritative": authoritative,
            "role": "Entscheidung" if authoritative else "Vorberatung",
            "keyword": [ergebnis] if ergebnis else None,
            "web": web("oeffentlich.vorlage", vorlage_id=b.vorlage_id, _anchor=f"beratung-{b.id}"),
            "license": lizenz(),
        }
    )


def vorlage_paper(v: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    """A public Vorlage: reference = Drucksache, mainFile = its current version as PDF."""
    fassung = v.aktuelle_fassung
    return _clean(
        {
            **_kopf("paper", key, ctx),
            "body": body_id(),
            "name": v.titel,
            "reference": v.drucksache,
            "date": tag(fassung.erstellt_at if fassung else v.created_at),
            "paperType": "Vorlage",
            "mainFile": vorlage_file(v, f"vorlage-{v.id}", ctx) if fassung else None,
            "consultation": [
                beratung_consultation(b, f"beratung-{b.id}", ctx) for b in v.beratungen
            ],
            "relatedPaper": [oid("paper", k) for k in ctx.verwandt.get(key, [])],
            "web": web("oeffentlich.vorlage", vorlage_id=v.id),
            "license": lizenz(),
        }
    )


def paper(obj: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    if key.startswith("vorlage-"):
        return vorlage_paper(obj, key, ctx)
    return objekte.paper(obj, key, ctx)


def file(obj: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    if key.startswith("vorlage-"):
        return vorlage_file(obj, key, ctx)
    return objekte.file(obj, key, ctx)


def consultation(obj: Any, key: str, ctx: Kontext) -> dict[str, Any]:
    if key.startswith("beratung-"):
        return beratung_consultation(obj, key, ctx)
    return objekte.consultation(obj, key, ctx)


SERIALIZERS = {
    **objekte.BASIS_SERIALIZERS,
    "paper": paper,
    "file": file,
    "consultation": consultation,
}
