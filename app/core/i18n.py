"""German UI: Flask-Babel with ``de`` and Europe/Berlin, date filters used by every template."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask import Flask, g
from flask_babel import get_translations
from markupsafe import Markup

from app.extensions import babel

ZEITZONE = ZoneInfo("Europe/Berlin")  # the one time zone of the UI (see init_app)


@lru_cache(maxsize=8192)
def _zeitpunkt(value: datetime, muster: str) -> str:
    """A moment in Europe/Berlin in German (pure: cached, lists print many of the same)."""
    if value.tzinfo is None:  # stored times are UTC
        value = value.replace(tzinfo=UTC)
    return format_datetime(value.astimezone(ZEITZONE), muster, locale="de")


def datumzeit(value: datetime | None) -> str:
    """22.11.2026, 14:30 in Europe/Berlin."""
    return "" if value is None else _zeitpunkt(value, "dd.MM.yyyy, HH:mm")


def datum(value: date | datetime | None) -> str:
    """22.11.2026."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _zeitpunkt(value, "dd.MM.yyyy")
    return format_date(value, "dd.MM.yyyy", locale="de")


def zeit_tag(value: datetime | None) -> Markup:
    """A <time> element with machine-readable ISO value and German text."""
    if value is None:
        return Markup("")
    return _zeit_tag(value.isoformat(), value)


@lru_cache(maxsize=8192)
def _zeit_tag(iso: str, value: datetime) -> Markup:
    """The element for one moment (pure: cached like ``_zeitpunkt``; keyed by the offset too)."""
    return Markup('<time datetime="{}">{}</time>').format(iso, datumzeit(value))


def anzahl(n: int, einzahl: str, mehrzahl: str, null: str | None = None) -> str:
    """German count with the right noun form: "1 Mitglied", "3 Mitglieder", "keine Mitglieder"."""
    if n == 0 and null is not None:
        return null
    return f"{n} {einzahl if n == 1 else mehrzahl}"


def _uebersetzung():
    """The context's translations, looked up once: a page calls ``_()`` a hundred times."""
    try:
        return g._uebersetzung
    except AttributeError:  # the first ``_()`` of this context
        gefunden = g._uebersetzung = get_translations()
        return gefunden
    except RuntimeError:  # outside an application context
        return get_translations()


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=lambda: "de", timezone_selector=lambda: "Europe/Berlin")
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _uebersetzung().ugettext(s),
        ngettext=lambda s, p, n: _uebersetzung().ungettext(s, p, n),
        pgettext=lambda c, s: _uebersetzung().upgettext(c, s),
        npgettext=lambda c, s, p, n: _uebersetzung().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.filters.update(datumzeit=datumzeit, datum=datum, zeit=zeit_tag, anzahl=anzahl)
