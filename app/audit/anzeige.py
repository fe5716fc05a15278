"""How an entry's changes read on screen and in exports: German field names and values, diffs."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape

from app.audit import erfassung
from app.audit.models import AuditEintrag
from app.core.i18n import datum, datumzeit

GEHEIM = "geändert (Wert wird nicht protokolliert)"
UNBEKANNT = "(nicht bekannt)"
LEER = "–"
LONG_TEXT = 120
_HIDDEN = '<span class="visually-hidden">{} </span>'


@dataclass(frozen=True)
class Feldaenderung:
    """One changed field: German name, old and new value as text, a word diff for long text."""

    feld: str
    alt: str
    neu: str
    diff: Markup | None = None


def field_name(objekt_typ: str | None, key: str) -> str:
    """The column's label (``info={"label": …}``) or its name made readable."""
    column = _column(objekt_typ, key)
    if column is not None and column.info.get("label"):
        return str(column.info["label"])
    if key in ("anzahl",):
        return "Anzahl"
    name = key[:-3] if key.endswith("_id") else key
    return name.replace("_", " ").capitalize()


def _column(objekt_typ: str | None, key: str) -> Any:
    cls = erfassung.model_class(objekt_typ) if objekt_typ else None
    if cls is None:
        return None
    prop = cls.__mapper__.attrs.get(key)
    return getattr(prop, "columns", [None])[0]


def value_text(objekt_typ: str | None, key: str, value: Any, text: str | None = None) -> str:
    """A stored value as German text (Ja/Nein, dates, enum labels, the referenced row's name)."""
    if text:
        return f"{text} (#{value})" if value is not None else text
    if value is None or value == "":
        return LEER
    if isinstance(value, bool):
        return "Ja" if value else "Nein"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or LEER
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    column = _column(objekt_typ, key)
    enum_cls = getattr(getattr(column, "type", None), "enum_class", None)
    if enum_cls is not None:
        try:
            member = enum_cls(value)
            return str(getattr(member, "label", member.value))
        except ValueError:
            return str(value)
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-" and value[7] == "-":
        return _date_text(value)
    return str(value)


def _date_text(value: str) -> str:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    if len(value) == 10:
        return datum(parsed.date())
    from datetime import UTC

    return datumzeit(parsed.replace(tzinfo=parsed.tzinfo or UTC))


def changes(entry: AuditEintrag) -> list[Feldaenderung]:
    """The entry's changed fields, readable."""
    result = []
    for key, change in (entry.aenderungen or {}).items():
        feld = field_name(entry.objekt_typ, key)
        if change.get("geheim"):
            result.append(Feldaenderung(feld, "", GEHEIM))
            continue
        if "hinzugefuegt" in change:
            added = ", ".join(change["hinzugefuegt"]) or LEER
            removed = ", ".join(change["entfernt"]) or LEER
            result.append(Feldaenderung(feld, f"entfernt: {removed}", f"hinzugefügt: {added}"))
            continue
        alt = (
            value_text(entry.objekt_typ, key, change.get("alt"), change.get("alt_text"))
            if "alt" in change
            else (UNBEKANNT if entry.aktion == "geaendert" else "")
        )
        neu = (
            value_text(entry.objekt_typ, key, change.get("neu"), change.get("neu_text"))
            if "neu" in change
            else ""
        )
        result.append(Feldaenderung(feld, alt, neu, _diff(change)))
    return result


def _diff(change: dict) -> Markup | None:
    """A word diff with <del>/<ins> for long texts (short values read fine side by side)."""
    old, new = change.get("alt"), change.get("neu")
    if not (isinstance(old, str) and isinstance(new, str)):
        return None
    if max(len(old), len(new)) < LONG_TEXT:
        return None
    a, b = old.split(" "), new.split(" ")
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(str(escape(" ".join(a[i1:i2]))))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{_HIDDEN.format('entfernt:')}{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{_HIDDEN.format('neu:')}{escape(' '.join(b[j1:j2]))}</ins>")
    return Markup(" ".join(parts))


def object_text(entry: AuditEintrag) -> str:
    """ "Organisation „AWO“ (#3)" or the event's text."""
    typ = erfassung.type_label(entry.objekt_typ)
    if not typ:
        return ""
    label = f" „{entry.objekt_label}“" if entry.objekt_label else ""
    ident = f" (#{entry.objekt_id})" if entry.objekt_id else ""
    return f"{typ}{label}{ident}"


def changes_text(entry: AuditEintrag) -> str:
    """All changes on one line each, for exports."""
    lines = []
    for change in changes(entry):
        if change.alt:
            lines.append(f"{change.feld}: {change.alt} → {change.neu}")
        else:
            lines.append(f"{change.feld}: {change.neu}")
    return "\n".join(lines)
