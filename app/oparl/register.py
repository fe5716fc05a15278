"""Keeps the OParl register (``OparlObjekt``) in step with the data, at every commit.

One session-level mechanism instead of calls in every feature: ``after_flush`` notes which
watched rows changed (only changes that matter for OParl), ``before_commit`` then

- reconciles the affected OParl types: keys that became public get a row, keys that are no
  longer public are marked withdrawn (``deleted: true`` for clients), re-published ones
  revive;
- moves ``geaendert_at`` of the objects whose content changed, so ``modified_since`` finds
  them (a meeting also changes when its agenda or minutes change).

Changes made with bulk SQL bypass the ORM; ``reconcile_all`` (beat task ``oparl.abgleich``
and ``flask oparl-abgleich``) repairs the register from the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session

from app.auth.models import User
from app.core.types import utcnow
from app.dateien.models import Datei
from app.datenbasis.models import Sozialreport
from app.massnahmen.models import Beschluss, Massnahme
from app.oparl import quellen
from app.oparl.models import OparlObjekt
from app.protokolle.models import Protokoll, ProtokollRevision
from app.sitzungen.models import Sitzung, Tagesordnungspunkt
from app.stammdaten.models import Gremium, Mitgliedschaft, Sozialraum
from app.vorlagen.models import Beratung, Vorlage, VorlageFassung
from app.workflows.models import Zyklus

_KEY = "oparl_aenderungen"


@dataclass
class Aenderungen:
    """What one transaction changed, as far as OParl is concerned."""

    typen: set[str] = field(default_factory=set)  # types to reconcile
    beruehrt: set[tuple[str, str]] = field(default_factory=set)  # (typ, key) modified
    revisionen: set[int] = field(default_factory=set)  # protokoll ids with a new file
    beratungen: set[int] = field(default_factory=set)  # steps with a new decision
    vorlagen_alle: bool = False  # a measure's release changed: Vorlagen list it (relatedPaper)


def _changed(obj: Any, names: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


SITZUNG_INHALT = (
    "titel",
    "beginn",
    "ende",
    "ort_name",
    "ort_adresse",
    "ort_raum",
    "status",
    "absage_grund",
    "gremium_id",
    "oeffentlich",
)


def _sitzung(a: Aenderungen, s: Sitzung, neu: bool, weg: bool) -> None:
    if neu or weg or _changed(s, ("oeffentlich", "ort_name")):
        a.typen |= {"meeting", "agendaitem", "file", "location", "paper", "consultation"}
    if neu or weg or _changed(s, SITZUNG_INHALT):
        a.beruehrt |= {("meeting", str(s.id)), ("location", f"sitzung-{s.id}")}


def _top(a: Aenderungen, t: Tagesordnungspunkt, neu: bool, weg: bool) -> None:
    if neu or weg or _changed(t, ("dateien", "sitzung_id")):
        a.typen |= {"agendaitem", "file"}
    a.beruehrt |= {("agendaitem", str(t.id)), ("meeting", str(t.sitzung_id))}


def _protokoll(a: Aenderungen, p: Protokoll, neu: bool, weg: bool) -> None:
    if neu or weg or _changed(p, ("status", "oeffentlich")):
        a.typen.add("file")
        a.beruehrt.add(("meeting", str(p.sitzung_id)))


def _user(a: Aenderungen, u: User, neu: bool, weg: bool) -> None:
    if neu or weg or _changed(u, ("name_oeffentlich", "aktiv")):
        a.typen |= {"person", "membership"}
    if _changed(u, ("name",)):
        a.beruehrt.add(("person", str(u.id)))


def _mitgliedschaft(a: Aenderungen, m: Mitgliedschaft, neu: bool, weg: bool) -> None:
    a.typen.add("membership")
    a.beruehrt |= {
        ("membership", str(m.id)),
        ("person", str(m.user_id)),
        ("organization", str(m.gremium_id)),
    }


def _gremium(a: Aenderungen, g: Gremium, neu: bool, weg: bool) -> None:
    if neu or weg:
        a.typen.add("organization")
    a.beruehrt.add(("organization", str(g.id)))


def _sozialraum(a: Aenderungen, r: Sozialraum, neu: bool, weg: bool) -> None:
    if neu or weg or _changed(r, ("aktiv",)):
        a.typen.add("location")
    a.beruehrt.add(("location", f"sozialraum-{r.id}"))


def _zyklus(a: Aenderungen, z: Zyklus, neu: bool, weg: bool) -> None:
    if neu or weg:
        a.typen.add("legislativeterm")
    if neu or weg or _changed(z, ("titel", "beginn", "ende")):
        a.beruehrt.add(("legislativeterm", str(z.id)))


def _bericht(a: Aenderungen, r: Sozialreport, neu: bool, weg: bool) -> None:
    if neu or weg or _changed(r, ("status",)):
        a.typen |= {"paper", "file"}
    a.beruehrt |= {("paper", f"sozialreport-{r.id}"), ("file", f"sozialreport-{r.id}")}


def _massnahme(a: Aenderungen, m: Massnahme, neu: bool, weg: bool) -> None:
    if neu or weg or _changed(m, ("oeffentlich",)):
        a.typen |= {"paper", "consultation"}
        a.vorlagen_alle = True
    a.beruehrt.add(("paper", f"massnahme-{m.id}"))


def _beschluss(a: Aenderungen, b: Beschluss, neu: bool, weg: bool) -> None:
    if b.beratung_id is not None:
        a.beratungen.add(b.beratung_id)
    if b.massnahme_id is None:  # a decision on a whole Vorlage: see its Beratung
        return
    a.typen.add("consultation")
    a.beruehrt |= {("consultation", f"beschluss-{b.id}"), ("paper", f"massnahme-{b.massnahme_id}")}


def _vorlage(a: Aenderungen, v: Vorlage, neu: bool, weg: bool) -> None:
    if neu or weg:
        a.typen |= {"paper", "file", "consultation"}
    a.beruehrt |= {("paper", f"vorlage-{v.id}"), ("file", f"vorlage-{v.id}")}


def _fassung(a: Aenderungen, f: VorlageFassung, neu: bool, weg: bool) -> None:
    a.beruehrt |= {("paper", f"vorlage-{f.vorlage_id}"), ("file", f"vorlage-{f.vorlage_id}")}


def _beratung(a: Aenderungen, b: Beratung, neu: bool, weg: bool) -> None:
    if neu or weg or _changed(b, ("sitzung_id", "tagesordnungspunkt_id")):
        a.typen |= {"paper", "file", "consultation"}
        for top in inspect(b).attrs["tagesordnungspunkt_id"].history.sum():
            if top is not None:
                a.beruehrt.add(("agendaitem", str(top)))
    # position changes move "authoritative" of every step
    a.typen.add("consultation")
    a.beratungen.add(b.id)
    a.beruehrt |= {("consultation", f"beratung-{b.id}"), ("paper", f"vorlage-{b.vorlage_id}")}


def _revision(a: Aenderungen, r: ProtokollRevision, neu: bool, weg: bool) -> None:
    a.typen.add("file")
    a.revisionen.add(r.protokoll_id)


def _datei(a: Aenderungen, d: Datei, neu: bool, weg: bool) -> None:
    if weg:
        a.typen.add("file")
    elif not neu:
        a.beruehrt.add(("file", str(d.id)))


WATCHED = {
    Sitzung: _sitzung,
    Tagesordnungspunkt: _top,
    Protokoll: _protokoll,
    ProtokollRevision: _revision,
    User: _user,
    Mitgliedschaft: _mitgliedschaft,
    Gremium: _gremium,
    Sozialraum: _sozialraum,
    Zyklus: _zyklus,
    Sozialreport: _bericht,
    Massnahme: _massnahme,
    Beschluss: _beschluss,
    Vorlage: _vorlage,
    VorlageFassung: _fassung,
    Beratung: _beratung,
    Datei: _datei,
}


@event.listens_for(Session, "after_flush")
def _note(session: Session, _context: Any) -> None:
    aenderungen = session.info.get(_KEY)
    groups = (
        (session.new, True, False),
        (session.dirty, False, False),
        (session.deleted, False, True),
    )
    for objs, neu, weg in groups:
        for obj in objs:
            handler = WATCHED.get(type(obj))
            if handler is None or (not neu and not weg and not session.is_modified(obj)):
                continue
            if aenderungen is None:
                aenderungen = session.info[_KEY] = Aenderungen()
            handler(aenderungen, obj, neu, weg)


@event.listens_for(Session, "before_commit")
def _apply(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # so changes made right before the commit are noted too
    aenderungen = session.info.pop(_KEY, None)
    if aenderungen is not None:
        apply_changes(session, aenderungen)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)


def apply_changes(session: Session, aenderungen: Aenderungen) -> None:
    """Reconcile the affected types and mark changed objects as modified."""
    if aenderungen.revisionen:
        sitzungen = session.scalars(
            select(Protokoll.sitzung_id).where(Protokoll.id.in_(aenderungen.revisionen))
        )
        aenderungen.beruehrt |= {("meeting", str(s)) for s in sitzungen}
    if aenderungen.beratungen:
        for beratung_id, vorlage_id, top_id in session.execute(
            select(Beratung.id, Beratung.vorlage_id, Beratung.tagesordnungspunkt_id).where(
                Beratung.id.in_(aenderungen.beratungen)
            )
        ):
            aenderungen.beruehrt |= {
                ("consultation", f"beratung-{beratung_id}"),
                ("paper", f"vorlage-{vorlage_id}"),
            }
            if top_id is not None:
                aenderungen.beruehrt.add(("agendaitem", str(top_id)))
    now = utcnow()
    for typ in sorted(aenderungen.typen):
        reconcile(session, typ, now)
    if aenderungen.vorlagen_alle:
        session.execute(
            update(OparlObjekt)
            .where(
                OparlObjekt.typ == "paper",
                OparlObjekt.schluessel.like("vorlage-%"),
                OparlObjekt.zurueckgezogen_at.is_(None),
            )
            .values(geaendert_at=now)
            .execution_options(synchronize_session=False)
        )
    by_typ: dict[str, set[str]] = {}
    for typ, key in aenderungen.beruehrt:
        by_typ.setdefault(typ, set()).add(key)
    for typ, keys in by_typ.items():
        session.execute(
            update(OparlObjekt)
            .where(
                OparlObjekt.typ == typ,
                OparlObjekt.schluessel.in_(keys),
                OparlObjekt.zurueckgezogen_at.is_(None),
            )
            .values(geaendert_at=now)
            .execution_options(synchronize_session=False)
        )


def reconcile(session: Session, typ: str, now=None) -> tuple[int, int]:
    """Bring the register of ``typ`` in line with the data; returns (added, withdrawn)."""
    now = now or utcnow()
    current = quellen.public_keys(typ)
    rows = dict(
        session.execute(
            select(OparlObjekt.schluessel, OparlObjekt.zurueckgezogen_at).where(
                OparlObjekt.typ == typ
            )
        ).all()
    )
    neu = current - rows.keys()
    zurueck = {k for k, weg in rows.items() if weg is None and k not in current}
    wieder = {k for k, weg in rows.items() if weg is not None and k in current}
    if neu:
        session.execute(
            insert(OparlObjekt),
            [
                {"typ": typ, "schluessel": k, "erstellt_at": now, "geaendert_at": now}
                for k in sorted(neu)
            ],
        )
    for keys, value in ((zurueck, now), (wieder, None)):
        if keys:
            session.execute(
                update(OparlObjekt)
                .where(OparlObjekt.typ == typ, OparlObjekt.schluessel.in_(keys))
                .values(zurueckgezogen_at=value, geaendert_at=now)
                .execution_options(synchronize_session=False)
            )
    return len(neu), len(zurueck)


def reconcile_all(session: Session) -> dict[str, tuple[int, int]]:
    """Every type at once (safety net and first fill); flushes, never commits."""
    now = utcnow()
    return {typ: reconcile(session, typ, now) for typ in quellen.TYPEN}
