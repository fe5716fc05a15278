"""Reading the OParl register: list pages with filters, single objects, and page context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.dateien.models import Datei
from app.extensions import db
from app.massnahmen.models import Beschluss
from app.oeffentlich import sichtbarkeit as sicht
from app.oparl import objekte, papiere, quellen
from app.oparl.models import OparlObjekt
from app.stammdaten.models import Mitgliedschaft
from app.vorlagen.models import Beratung, Vorlage


@dataclass(frozen=True)
class Filter:
    """The reserved list parameters of OParl (all optional)."""

    created_since: datetime | None = None
    created_until: datetime | None = None
    modified_since: datetime | None = None
    modified_until: datetime | None = None


def _filtered(typ: str, f: Filter) -> Select:
    query = select(OparlObjekt).where(OparlObjekt.typ == typ)
    if f.created_since:
        query = query.where(OparlObjekt.erstellt_at >= f.created_since)
    if f.created_until:
        query = query.where(OparlObjekt.erstellt_at <= f.created_until)
    if f.modified_since:
        query = query.where(OparlObjekt.geaendert_at >= f.modified_since)
    if f.modified_until:
        query = query.where(OparlObjekt.geaendert_at <= f.modified_until)
    return query


def count(typ: str, f: Filter, extra: Any = None) -> int:
    query = _filtered(typ, f)
    if extra is not None:
        query = query.where(extra)
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def page(typ: str, f: Filter, offset: int, limit: int, extra: Any = None) -> list[OparlObjekt]:
    """One page of register rows in a stable order (by register id)."""
    query = _filtered(typ, f)
    if extra is not None:
        query = query.where(extra)
    return list(db.session.scalars(query.order_by(OparlObjekt.id).offset(offset).limit(limit)))


def register_row(typ: str, key: str) -> OparlObjekt | None:
    return db.session.scalar(
        select(OparlObjekt).where(OparlObjekt.typ == typ, OparlObjekt.schluessel == key)
    )


def serialize_rows(typ: str, rows: list[OparlObjekt]) -> list[dict[str, Any]]:
    """The objects of a page: live ones serialised, withdrawn (or vanished) ones as tombstones."""
    live_keys = [r.schluessel for r in rows if r.zurueckgezogen_at is None]
    objs = quellen.load(typ, live_keys)
    ctx = context(typ, objs)
    for row in rows:
        ctx.register[(row.typ, row.schluessel)] = row
    result = []
    for row in rows:
        obj = objs.get(row.schluessel)
        if row.zurueckgezogen_at is not None or obj is None:
            result.append(objekte.tombstone(row))
        else:
            result.append(papiere.SERIALIZERS[typ](obj, row.schluessel, ctx))
    return result


# --------------------------------------------------------------------------- page context


def context(typ: str, objs: dict[str, Any]) -> objekte.Kontext:
    """What the objects of one page refer to, in a fixed number of queries."""
    ctx = objekte.Kontext()
    values = list(objs.values())
    embedded: dict[str, set[str]] = {}
    if typ == "meeting":
        sitzung_ids = [s.id for s in values]
        ctx.protokoll_datei = _minutes_files(sitzung_ids)
        dateien = {d.id for s in values for t in s.tagesordnungspunkte for d in t.dateien}
        dateien |= {d.id for d in ctx.protokoll_datei.values()}
        ctx.datei_bezug = _file_relations(dateien)
        embedded["agendaitem"] = {str(t.id) for s in values for t in s.tagesordnungspunkte}
        embedded["file"] = {str(i) for i in dateien}
        embedded["location"] = {f"sitzung-{s.id}" for s in values}
        ctx.top_beratung = _top_beratungen([t.id for s in values for t in s.tagesordnungspunkte])
    elif typ == "agendaitem":
        dateien = {d.id for t in values for d in t.dateien}
        ctx.datei_bezug = _file_relations(dateien)
        embedded["file"] = {str(i) for i in dateien}
        ctx.top_beratung = _top_beratungen([t.id for t in values])
    elif typ == "file":
        ctx.datei_bezug = _file_relations({o.id for k, o in objs.items() if k.isdigit()})
    elif typ == "organization":
        ctx.mitgliedschaften = _memberships("gremium_id", [g.id for g in values])
    elif typ == "person":
        ctx.mitgliedschaften = _memberships("user_id", [u.id for u in values])
        embedded["membership"] = {str(m.id) for ms in ctx.mitgliedschaften.values() for m in ms}
    elif typ == "paper":
        embedded["consultation"] = {
            f"beschluss-{b.id}"
            for k, o in objs.items()
            if k.startswith("massnahme-")
            for b in o.beschluesse
        }
        embedded["consultation"] |= {
            f"beratung-{b.id}"
            for k, o in objs.items()
            if k.startswith("vorlage-")
            for b in o.beratungen
        }
        embedded["file"] = {k for k in objs if k.startswith(("sozialreport-", "vorlage-"))}
        ctx.verwandt = _verwandte_papiere(objs)
    ctx.register.update(_register_rows(embedded))
    return ctx


def _register_rows(keys: dict[str, set[str]]) -> dict[tuple[str, str], OparlObjekt]:
    conditions = [
        and_(OparlObjekt.typ == typ, OparlObjekt.schluessel.in_(list(ks)))
        for typ, ks in keys.items()
        if ks
    ]
    if not conditions:
        return {}
    rows = db.session.scalars(select(OparlObjekt).where(or_(*conditions)))
    return {(r.typ, r.schluessel): r for r in rows}


def _verwandte_papiere(objs: dict[str, Any]) -> dict[str, list[str]]:
    """A public Vorlage and the released measures its current version lists, both ways."""
    if not any(k.startswith(("vorlage-", "massnahme-")) for k in objs):
        return {}
    vorlagen = db.session.scalars(
        select(Vorlage).options(selectinload(Vorlage.fassungen)).where(sicht.vorlage_oeffentlich())
    ).all()
    inhalte = {v.id: v.aktuelle_fassung.inhalt for v in vorlagen if v.aktuelle_fassung}
    frei = sicht.vorlage_massnahmen_oeffentlich([r for rows in inhalte.values() for r in rows])
    result: dict[str, list[str]] = {}
    for vorlage_id, rows in sorted(inhalte.items()):
        ids = [r["id"] for r in rows if r.get("id") in frei]
        result[f"vorlage-{vorlage_id}"] = [f"massnahme-{i}" for i in ids]
        for i in ids:
            result.setdefault(f"massnahme-{i}", []).append(f"vorlage-{vorlage_id}")
    return result


def _top_beratungen(top_ids: list[int]) -> dict[int, tuple[int, str | None]]:
    """Agenda items that carry a public Vorlage: the step (Beratung) and its latest result."""
    if not top_ids:
        return {}
    steps = dict(
        db.session.execute(
            select(Beratung.tagesordnungspunkt_id, Beratung.id).where(
                Beratung.tagesordnungspunkt_id.in_(top_ids),
                Beratung.vorlage_id.in_(sicht.oeffentliche_vorlage_ids()),
            )
        ).all()
    )
    if not steps:
        return {}
    results: dict[int, str] = {}
    for b in db.session.scalars(
        select(Beschluss)
        .where(Beschluss.beratung_id.in_(list(steps.values())), Beschluss.massnahme_id.is_(None))
        .order_by(Beschluss.created_at, Beschluss.id)
    ):
        results[b.beratung_id] = b.ergebnis.label
    return {top: (step, results.get(step)) for top, step in steps.items()}


def _minutes_files(sitzung_ids: list[int]) -> dict[int, Datei]:
    if not sitzung_ids:
        return {}
    sub = sicht.oeffentliche_protokoll_dateien().subquery()
    rows = db.session.execute(
        select(sub.c.sitzung_id, Datei)
        .join(Datei, Datei.id == sub.c.datei_id)
        .where(sub.c.sitzung_id.in_(sitzung_ids))
    )
    return {sitzung_id: datei for sitzung_id, datei in rows}


def _file_relations(datei_ids: set[int]) -> dict[int, tuple[set[int], set[int]]]:
    """For each file: the meetings and agenda items it belongs to (public ones)."""
    if not datei_ids:
        return {}
    result: dict[int, tuple[set[int], set[int]]] = {i: (set(), set()) for i in datei_ids}
    tops = sicht.oeffentliche_top_dateien().subquery()
    for datei_id, top_id, sitzung_id in db.session.execute(
        select(tops).where(tops.c.datei_id.in_(datei_ids))
    ):
        result[datei_id][0].add(sitzung_id)
        result[datei_id][1].add(top_id)
    minutes = sicht.oeffentliche_protokoll_dateien().subquery()
    for datei_id, sitzung_id in db.session.execute(
        select(minutes).where(minutes.c.datei_id.in_(datei_ids))
    ):
        result[datei_id][0].add(sitzung_id)
    return result


def _memberships(column: str, ids: list[int]) -> dict[int, list[Mitgliedschaft]]:
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Mitgliedschaft)
        .join(User, User.id == Mitgliedschaft.user_id)
        .options(joinedload(Mitgliedschaft.user))
        .where(
            getattr(Mitgliedschaft, column).in_(ids),
            Mitgliedschaft.aktiv,
            sicht.person_oeffentlich(),
        )
        .order_by(Mitgliedschaft.id)
    )
    result: dict[int, list[Mitgliedschaft]] = {}
    for m in rows:
        result.setdefault(getattr(m, column), []).append(m)
    return result


def legislative_terms() -> list[dict[str, Any]]:
    """Every cycle as embedded LegislativeTerm (required in Body)."""
    rows = page("legislativeterm", Filter(), 0, 1000)
    return [o for o in serialize_rows("legislativeterm", rows) if not o.get("deleted")]
