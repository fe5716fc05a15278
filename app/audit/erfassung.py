"""What the hook records of an object: which models and columns, values as plain JSON.

Declarations on a model class (all optional):

- ``__audit__ = False``: the model is not recorded at all (technical rows such as the outbox)
- ``__audit_secret__ = {"column"}``: only *that* the column changed is recorded, never a value
  (columns named like ``password_hash``, ``token``, ``*_token``, ``*_hash``, ``*_secret`` are
  secret without a declaration)
- ``__audit_ignore__ = {"column"}``: changes of the column are not recorded (noise such as
  ``last_login_at``; ``created_at``/``updated_at`` are always ignored)
- ``__audit_berechtigung__ = True`` or ``{"column"}``: the change is a permission change
- ``__audit_name__ = "Rückmeldebogen"``: the type's German name on screen (default: class
  name); entries always store the class name, so renaming the label keeps the history
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import ColumnProperty, InstanceState, Mapper, RelationshipProperty
from sqlalchemy.orm.interfaces import MANYTOONE

SECRET_NAMES = frozenset({"password_hash", "passwort_hash", "token", "secret", "geheimnis"})
SECRET_SUFFIXES = ("_hash", "_token", "_secret", "_geheimnis")
IGNORED_NAMES = frozenset({"created_at", "updated_at"})
LABEL_ATTRIBUTES = ("titel", "name", "bezeichnung", "betreff", "kurzname", "nummer", "drucksache")
MAX_TEXT = 10_000
SECRET = {"geheim": True}


@dataclass(frozen=True)
class ModelConfig:
    """A model's audit declarations, read once per class."""

    audited: bool
    name: str
    label: str
    secret: frozenset[str]
    ignored: frozenset[str]
    berechtigung: bool | frozenset[str]
    pk_secret: bool
    pk_keys: frozenset[str]
    columns: tuple[ColumnProperty, ...]


def _is_secret_name(key: str) -> bool:
    return key in SECRET_NAMES or key.endswith(SECRET_SUFFIXES)


@cache
def model_config(cls: type) -> ModelConfig:
    """The declarations of ``cls`` (cached; classes do not change at runtime)."""
    mapper: Mapper = inspect(cls)
    keys = [prop.key for prop in mapper.column_attrs]
    berechtigung = getattr(cls, "__audit_berechtigung__", False)
    return ModelConfig(
        audited=getattr(cls, "__audit__", True) is not False,
        name=cls.__name__,
        label=getattr(cls, "__audit_name__", cls.__name__),
        secret=frozenset(getattr(cls, "__audit_secret__", ()))
        | frozenset(k for k in keys if _is_secret_name(k)),
        ignored=frozenset(getattr(cls, "__audit_ignore__", ())) | IGNORED_NAMES,
        berechtigung=berechtigung if isinstance(berechtigung, bool) else frozenset(berechtigung),
        pk_secret=any(_is_secret_name(col.key) for col in mapper.primary_key),
        pk_keys=frozenset(mapper.get_property_by_column(c).key for c in mapper.primary_key),
        columns=tuple(mapper.column_attrs),
    )


def plain(value: Any) -> Any:
    """A JSON-safe copy of a column value; long texts are cut."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(bytes(value))} Bytes>"
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return str(value)


def object_id(state: InstanceState) -> str | None:
    """The primary key as text; None when it is itself a secret (a token)."""
    mapper = state.mapper
    if model_config(mapper.class_).pk_secret:
        return None
    identity = state.identity or mapper.primary_key_from_instance(state.obj())
    if identity is None or any(part is None for part in identity):
        return None
    return "-".join(str(part) for part in identity)


def object_label(state: InstanceState) -> str | None:
    """A readable name from already loaded attributes (never a query inside a flush)."""
    values = state.dict
    for key in LABEL_ATTRIBUTES:
        value = values.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value)[:300]
    return None


def _fk_label(session: Any, prop: ColumnProperty, value: Any) -> str | None:
    """The label of the row a foreign key points to, if that row is already in the session."""
    if value is None:
        return None
    for column in prop.columns:
        for fk in column.foreign_keys:
            target = _mapper_for_table(fk.column.table.name)
            if target is None:
                continue
            key = target.identity_key_from_primary_key([value])
            obj = session.identity_map.get(key)
            if obj is not None:
                return object_label(inspect(obj))
    return None


def type_label(name: str | None) -> str:
    """The German name of an object type stored in the log."""
    if not name:
        return ""
    cls = model_class(name)
    return model_config(cls).label if cls is not None else name


_registry: dict[str, dict] = {"classes": {}, "tables": {}}


def _lookup(kind: str, name: str) -> object | None:
    """Class by name or mapper by table; rebuilt when a model was imported later."""
    found = _registry[kind].get(name)
    if found is None:
        from app.extensions import db

        mappers = list(db.Model.registry.mappers)
        _registry["classes"] = {m.class_.__name__: m.class_ for m in mappers}
        _registry["tables"] = {m.local_table.name: m for m in mappers}
        found = _registry[kind].get(name)
    return found


def model_class(name: str) -> type | None:
    """The model class of a stored object type."""
    return _lookup("classes", name)  # type: ignore[return-value]


def _mapper_for_table(name: str) -> Mapper | None:
    return _lookup("tables", name)  # type: ignore[return-value]


def _value_entry(session: Any, prop: ColumnProperty, old: Any, new: Any, has_old: bool) -> dict:
    entry: dict[str, Any] = {"neu": plain(new)}
    if has_old:
        entry["alt"] = plain(old)
    if prop.columns[0].foreign_keys:
        for side, value in (("alt", old), ("neu", new)):
            if side in entry and (label := _fk_label(session, prop, value)):
                entry[f"{side}_text"] = label
    return entry


def insert_changes(session: Any, state: InstanceState, cfg: ModelConfig) -> dict[str, Any]:
    """The values a new row starts with (empty values left out)."""
    changes: dict[str, Any] = {}
    values = state.dict
    for prop in cfg.columns:
        key = prop.key
        value = values.get(key)
        if value is None or value == "" or key in cfg.ignored or key in cfg.pk_keys:
            continue
        changes[key] = (
            SECRET if key in cfg.secret else _value_entry(session, prop, None, value, False)
        )
    return changes


def update_changes(session: Any, state: InstanceState, cfg: ModelConfig) -> dict[str, Any]:
    """Old and new value of each changed column and of many-to-many collections."""
    from sqlalchemy.orm.base import NO_VALUE

    changes: dict[str, Any] = {}
    mapper = state.mapper
    for key, original in state.committed_state.items():
        if key in cfg.ignored:
            continue
        prop = mapper.attrs.get(key)
        if isinstance(prop, RelationshipProperty):
            if prop.secondary is not None:
                _collection_change(state, key, changes)
            elif prop.direction is MANYTOONE:
                _reference_change(state, prop, original, changes, cfg)
            continue
        if not isinstance(prop, ColumnProperty):
            continue
        new = state.dict.get(key)
        has_old = original is not NO_VALUE
        if has_old and original == new:
            continue
        changes[key] = (
            SECRET if key in cfg.secret else _value_entry(session, prop, original, new, has_old)
        )
    return changes


def _collection_change(state: InstanceState, key: str, changes: dict[str, Any]) -> None:
    history = state.attrs[key].history
    added = [_ref(inspect(o)) for o in history.added or ()]
    removed = [_ref(inspect(o)) for o in history.deleted or ()]
    if added or removed:
        changes[key] = {"hinzugefuegt": added, "entfernt": removed}


def _reference_change(
    state: InstanceState,
    prop: RelationshipProperty,
    original: Any,
    changes: dict[str, Any],
    cfg: ModelConfig,
) -> None:
    """A many-to-one set through the relationship: record it under its foreign-key column."""
    from sqlalchemy.orm.base import NO_VALUE

    columns = list(prop.local_columns)
    if len(columns) != 1:
        return
    column_prop = state.mapper.get_property_by_column(columns[0])
    key = column_prop.key
    if key in changes or key in cfg.ignored or key in state.committed_state:
        return
    new_obj = state.dict.get(prop.key)
    entry: dict[str, Any] = {"neu": _pk_of(new_obj)}
    if new_obj is not None:
        entry["neu_text"] = _ref(inspect(new_obj))
    if original is not NO_VALUE:
        entry["alt"] = _pk_of(original)
        if original is not None:
            entry["alt_text"] = _ref(inspect(original))
        if entry["alt"] == entry["neu"]:
            return
    changes[key] = entry


def _pk_of(obj: Any) -> Any:
    if obj is None:
        return None
    identity = inspect(obj).identity
    return identity[0] if identity and len(identity) == 1 else None


def _ref(state: InstanceState) -> str:
    return object_label(state) or f"#{object_id(state)}"


def delete_changes(state: InstanceState, cfg: ModelConfig) -> dict[str, Any]:
    """The last values of a deleted row (empty values left out)."""
    changes: dict[str, Any] = {}
    for prop in cfg.columns:
        key = prop.key
        if key in cfg.ignored or key in cfg.pk_keys:
            continue
        value = state.committed_state.get(key, state.dict.get(key))
        if value is None or value == "":
            continue
        changes[key] = SECRET if key in cfg.secret else {"alt": plain(value)}
    return changes


def is_permission_change(cfg: ModelConfig, changes: dict[str, Any]) -> bool:
    """Whether a change touches permissions, as the model declares."""
    if isinstance(cfg.berechtigung, bool):
        return cfg.berechtigung
    return bool(cfg.berechtigung & changes.keys())
