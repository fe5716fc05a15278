"""ORM statements that bypass the flush (``update(Model)``, ``delete(Model)``, ``insert(Model)``).

UPDATE and DELETE read the affected rows' old values first (one SELECT with the same WHERE)
and record one entry per row; more than ``DETAIL_LIMIT`` rows, or a bulk INSERT, become one
summary entry, so a statistics import does not write thousands of log rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.elements import BindParameter

from app.audit import context, erfassung
from app.audit.hook import AppendOnlyError, add_entry
from app.audit.models import Aktion, AuditEintrag
from app.core.i18n import anzahl

DETAIL_LIMIT = 200
COMPUTED = "(berechnet)"


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    mapper = state.bind_mapper
    if mapper is None:
        return
    if mapper.class_ is AuditEintrag:
        if not state.is_insert and not context.is_privileged():
            raise AppendOnlyError("Einträge des Änderungsprotokolls werden nie geändert.")
        return
    if context.is_paused():
        return
    cfg = erfassung.model_config(mapper.class_)
    if not cfg.audited:
        return
    if state.is_insert:
        _record_summary(state.session, cfg, Aktion.ANGELEGT, _row_count(state.parameters))
    elif isinstance(state.parameters, list) and state.parameters:
        _record_by_primary_key(state, mapper, cfg)
    else:
        _record_by_where(state, mapper, cfg)


def _row_count(parameters: Any) -> int:
    if isinstance(parameters, list):
        return len(parameters)
    return 1


def _record_summary(session: Session, cfg: erfassung.ModelConfig, aktion: str, n: int) -> None:
    add_entry(
        session,
        {
            "aktion": aktion,
            "objekt_typ": cfg.name,
            "objekt_id": None,
            "objekt_label": f"{n} Zeilen",
            "aenderungen": {"anzahl": {"neu": n}},
            "berechtigung": erfassung.is_permission_change(cfg, {}),
            "hinweis": f"Massenänderung: {anzahl(n, 'Zeile', 'Zeilen')} "
            f"{Aktion.LABELS[aktion].lower()}",
        },
    )


def _new_values(statement: Any, mapper: Any) -> dict[str, Any]:
    """Column key → new value of an UPDATE ... SET (SQL expressions: "(berechnet)")."""
    values: dict[str, Any] = {}
    for column, value in (getattr(statement, "_values", None) or {}).items():
        key = column if isinstance(column, str) else column.key
        prop = mapper.get_property_by_column(mapper.local_table.c[key])
        if isinstance(value, BindParameter):
            values[prop.key] = value.effective_value
        else:
            values[prop.key] = COMPUTED
    return values


def _record_by_where(state: ORMExecuteState, mapper: Any, cfg: erfassung.ModelConfig) -> None:
    statement = state.statement
    if state.is_update:
        new = {k: v for k, v in _new_values(statement, mapper).items() if k not in cfg.ignored}
        if not new:
            return
        keys = list(new)
    else:
        new = {}
        keys = [p.key for p in mapper.column_attrs if p.key not in cfg.ignored]
    pk_keys = [mapper.get_property_by_column(c).key for c in mapper.primary_key]
    columns = [mapper.attrs[k].expression for k in pk_keys + keys]
    query = select(*columns)
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    rows = state.session.connection().execute(query.limit(DETAIL_LIMIT + 1)).all()
    _record_rows(state, cfg, pk_keys, keys, rows, new)


def _record_by_primary_key(state: ORMExecuteState, mapper: Any, cfg: erfassung.ModelConfig) -> None:
    params: list[dict[str, Any]] = state.parameters  # type: ignore[assignment]
    pk_keys = [mapper.get_property_by_column(c).key for c in mapper.primary_key]
    if len(pk_keys) != 1:
        _record_summary(state.session, cfg, _aktion(state), len(params))
        return
    pk = pk_keys[0]
    keys = sorted({k for p in params for k in p if k != pk and k not in cfg.ignored})
    ids = [p[pk] for p in params if pk in p]
    columns = [mapper.attrs[k].expression for k in [pk, *keys]]
    rows = (
        state.session.connection()
        .execute(select(*columns).where(mapper.attrs[pk].expression.in_(ids[: DETAIL_LIMIT + 1])))
        .all()
    )
    by_id = {p[pk]: p for p in params if pk in p}
    _record_rows(state, cfg, [pk], keys, rows, None, by_id)


def _aktion(state: ORMExecuteState) -> str:
    return Aktion.GEAENDERT if state.is_update else Aktion.GELOESCHT


def _record_rows(
    state: ORMExecuteState,
    cfg: erfassung.ModelConfig,
    pk_keys: list[str],
    keys: list[str],
    rows: list[Any],
    new: dict[str, Any] | None,
    new_by_id: dict[Any, dict[str, Any]] | None = None,
) -> None:
    aktion = _aktion(state)
    if len(rows) > DETAIL_LIMIT:
        _record_summary(state.session, cfg, aktion, len(rows))
        return
    for row in rows:
        ident = "-".join(str(row[i]) for i in range(len(pk_keys)))
        old = dict(zip(keys, row[len(pk_keys) :], strict=True))
        target = new if new is not None else (new_by_id or {}).get(row[0], {})
        changes = _changes(cfg, aktion, old, target)
        if aktion == Aktion.GEAENDERT and not changes:
            continue
        entry = {
            "aktion": aktion,
            "objekt_typ": cfg.name,
            "objekt_id": ident,
            "objekt_label": _label(old),
            "aenderungen": changes,
            "berechtigung": erfassung.is_permission_change(cfg, changes),
        }
        add_entry(state.session, entry, ("objekt", cfg.name, ident))


def _changes(
    cfg: erfassung.ModelConfig, aktion: str, old: dict[str, Any], new: dict[str, Any]
) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for key, before in old.items():
        if aktion == Aktion.GELOESCHT:
            if before is not None and before != "":
                changes[key] = (
                    erfassung.SECRET if key in cfg.secret else {"alt": erfassung.plain(before)}
                )
            continue
        if key not in new or new[key] == before:
            continue
        changes[key] = (
            erfassung.SECRET
            if key in cfg.secret
            else {"alt": erfassung.plain(before), "neu": erfassung.plain(new[key])}
        )
    return changes


def _label(values: dict[str, Any]) -> str | None:
    for key in erfassung.LABEL_ATTRIBUTES:
        value = values.get(key)
        if isinstance(value, str) and value.strip():
            return value[:300]
    return None
