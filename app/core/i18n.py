"""German UI: Flask-Babel with ``de`` and Europe/Berlin, date filters used by every template."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime
from markupsafe import Markup

from app.extensions import babel


def datumzeit(value: datetime | None) -> str:
    """22.11.2026, 14:30 in Europe/Berlin."""
    return "" if value is None else format_datetime(value, "dd.MM.yyyy, HH:mm")


def datum(value: date | datetime | None) -> str:
    """22.11.2026."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, "dd.MM.yyyy")
    return format_date(value, "dd.MM.yyyy")


def zeit_tag(value: datetime | None) -> Markup:
    """A <time> element with machine-readable ISO value and German text."""
    if value is None:
        return Markup("")
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), datumzeit(value))


def anzahl(n: int, einzahl: str, mehrzahl: str, null: str | None = None) -> str:
    """German count with the right noun form: "1 Mitglied", "3 Mitglieder", "keine Mitglieder"."""
    if n == 0 and null is not None:
        return null
    return f"{n} {einzahl if n == 1 else mehrzahl}"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=lambda: "de", timezone_selector=lambda: "Europe/Berlin")
    app.jinja_env.filters.update(datumzeit=datumzeit, datum=datum, zeit=zeit_tag, anzahl=anzahl)
