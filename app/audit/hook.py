"""The session hook: collect row changes at every flush, write them at commit in one INSERT.

Changes of one object within one transaction merge into one entry (created and then edited
is one "angelegt" entry with the final values). The entries are written by one multi-row
INSERT on the session's own connection right before the commit, so a rollback leaves none.
Inside a savepoint (``begin_nested``) entries are written at each flush instead, so that
rolling back the savepoint also rolls back its entries.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.audit import context, erfassung
from app.audit.models import Aktion, AuditEintrag
from app.core.types import utcnow
from app.extensions import db

PENDING = "audit_pending"
COMMITTING = "audit_committing"
CHUNK = 500
COLUMNS = (
    "aktion",
    "objekt_typ",
    "objekt_id",
    "objekt_label",
    "aenderungen",
    "berechtigung",
    "hinweis",
    "ip",
    "akteur_id",
    "akteur_name",
)


class AppendOnlyError(RuntimeError):
    """Log entries are appended, never changed (except by retention and pseudonymisation)."""


def _pending(session: Session) -> dict[Any, dict[str, Any]]:
    return session.info.setdefault(PENDING, {})


def add_entry(session: Session, entry: dict[str, Any], key: Any = None) -> None:
    """Queue one entry for this transaction; entries with the same key merge."""
    if session.info.get(COMMITTING) or session.in_nested_transaction():
        _write(session, [entry])  # a savepoint's entries roll back with it
        return
    pending = _pending(session)
    key = key if key is not None else ("ereignis", len(pending), uuid.uuid4().hex)
    previous = pending.get(key)
    merged = entry if previous is None else _merge(previous, entry)
    if merged is None:
        pending.pop(key, None)
    else:
        pending[key] = merged


def _merge(first: dict[str, Any], then: dict[str, Any]) -> dict[str, Any] | None:
    """One entry for two changes of the same object in one transaction (None: nothing left)."""
    a, b = first["aktion"], then["aktion"]
    if a == Aktion.ANGELEGT and b == Aktion.GELOESCHT:
        return None
    if a == Aktion.GELOESCHT:
        return then  # deleted and created again under the same key: the newer state counts
    merged = dict(then)
    if b == Aktion.GELOESCHT:
        merged["aenderungen"] = _originals(first["aenderungen"], then["aenderungen"])
        return merged
    changes = dict(first["aenderungen"])
    for key, value in then["aenderungen"].items():
        changes[key] = _combine(changes.get(key), value, a == Aktion.ANGELEGT)
    merged["aktion"] = a
    merged["aenderungen"] = {k: v for k, v in changes.items() if not _unchanged(v)}
    merged["berechtigung"] = first["berechtigung"] or then["berechtigung"]
    if a == Aktion.GEAENDERT and not merged["aenderungen"]:
        return None
    return merged


def _combine(earlier: dict | None, later: dict, created: bool) -> dict:
    if earlier is None or later.get("geheim") or earlier.get("geheim"):
        return {k: v for k, v in later.items() if not (created and k.startswith("alt"))}
    combined = dict(later)
    for side in ("alt", "alt_text"):
        combined.pop(side, None)
        if side in earlier:
            combined[side] = earlier[side]
    return combined


def _unchanged(value: dict) -> bool:
    return "alt" in value and "neu" in value and value["alt"] == value["neu"]


def _originals(changed: dict[str, Any], deleted: dict[str, Any]) -> dict[str, Any]:
    """A deletion after an edit reports the values before the edit."""
    result = dict(deleted)
    for key, value in changed.items():
        if "alt" in value:
            result[key] = {"alt": value["alt"]}
    return result


# --------------------------------------------------------------------------- flush


def _is_audited(obj: Any) -> erfassung.ModelConfig | None:
    if not isinstance(obj, db.Model):
        return None
    cfg = erfassung.model_config(type(obj))
    return cfg if cfg.audited else None


@event.listens_for(Session, "after_flush")
def _collect(session: Session, flush_context: Any) -> None:
    if context.is_paused():
        return
    for obj in list(session.new):
        if cfg := _is_audited(obj):
            state = inspect(obj)
            changes = erfassung.insert_changes(session, state, cfg)
            _add_row_change(session, state, cfg, Aktion.ANGELEGT, changes)
    for obj in list(session.dirty):
        if (cfg := _is_audited(obj)) and session.is_modified(obj):
            state = inspect(obj)
            changes = erfassung.update_changes(session, state, cfg)
            if changes:
                _add_row_change(session, state, cfg, Aktion.GEAENDERT, changes)
    for obj in list(session.deleted):
        if cfg := _is_audited(obj):
            state = inspect(obj)
            changes = erfassung.delete_changes(state, cfg)
            _add_row_change(session, state, cfg, Aktion.GELOESCHT, changes)


def _add_row_change(
    session: Session, state: Any, cfg: erfassung.ModelConfig, aktion: str, changes: dict
) -> None:
    objekt_id = erfassung.object_id(state)
    entry = {
        "aktion": aktion,
        "objekt_typ": cfg.name,
        "objekt_id": objekt_id,
        "objekt_label": erfassung.object_label(state),
        "aenderungen": changes,
        "berechtigung": erfassung.is_permission_change(cfg, changes),
    }
    key = ("objekt", cfg.name, objekt_id) if objekt_id is not None else None
    add_entry(session, entry, key)


# --------------------------------------------------------------------------- commit


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.flush()  # the commit's own flush would come after this hook
    session.info[COMMITTING] = True
    _write_pending(session)


def _write_pending(session: Session) -> None:
    pending = session.info.pop(PENDING, None)
    if pending:
        _write(session, list(pending.values()))


def _write(session: Session, entries: list[dict[str, Any]]) -> None:
    """One multi-row INSERT on the session's connection, inside its transaction."""
    akteur_id, akteur_name = context.current_actor()
    vorgang = uuid.uuid4().hex
    now = utcnow()
    rows = []
    for entry in entries:
        row = {name: entry.get(name) for name in COLUMNS}
        row["berechtigung"] = bool(row["berechtigung"])
        if "akteur_name" not in entry:
            row["akteur_id"], row["akteur_name"] = akteur_id, akteur_name
        row.update(zeitpunkt=now, vorgang=vorgang)
        rows.append(row)
    connection = session.connection()
    table = AuditEintrag.__table__
    for start in range(0, len(rows), CHUNK):
        connection.execute(table.insert(), rows[start : start + CHUNK])


@event.listens_for(Session, "after_transaction_end")
def _transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(PENDING, None)
        session.info.pop(COMMITTING, None)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, previous_transaction: Any) -> None:
    if not previous_transaction.nested:
        session.info.pop(PENDING, None)
        session.info.pop(COMMITTING, None)


# --------------------------------------------------------------------------- append-only


@event.listens_for(AuditEintrag, "before_update")
@event.listens_for(AuditEintrag, "before_delete")
def _refuse_change(mapper: Any, connection: Any, target: AuditEintrag) -> None:
    if not context.is_privileged():
        raise AppendOnlyError("Einträge des Änderungsprotokolls werden nie geändert.")
