"""Derived page parts cached until the data change: one Redis counter for the whole installation.

Start-page tasks, the Sozialreport's charts and similar parts are computed from many rows but
change only when somebody writes. Every commit that wrote anything (ORM flush, bulk
``update()``/``delete()``, plain SQL through the session) increments the counter ``datenstand``
in Redis after the commit; ``zwischengespeichert(key, compute)`` keeps a value per process
under ``(key, counter, minute)``. So a change by any web worker, the Celery worker or the CLI is
seen by the next request of every process, and values that depend on the clock (overdue
deadlines) are at most a minute old. Without Redis (the quickstart), or inside a transaction
that has written but not committed yet, every value is computed afresh.

Only plain values (strings, Markup, frozen dataclasses) may be cached, never ORM objects: they
belong to one request's session. Rows that every request needs as objects (the logged-in user)
are cached as a ``Zeile`` (a snapshot of their columns) and put into the request's session with
``angehaengt`` without a query.
"""

from __future__ import annotations

import copy
import enum
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.instrumentation import manager_of_class

log = logging.getLogger(__name__)
T = TypeVar("T")

SCHLUESSEL = "planungskreislauf:datenstand"
GESCHRIEBEN = "datenstand_geschrieben"  # session.info flag: this transaction wrote
_GROESSE = 16384  # entries per process (page parts and query results)
_BUDGET = 64 * 1024 * 1024  # and characters of cached HTML per process (query strings vary)
_belegt = [0]  # characters held now
_werte: OrderedDict[tuple, Any] = OrderedDict()
_clients: dict[str, Any] = {}
_sperre = threading.Lock()  # the test server answers in threads


def _client(lesen: bool = True) -> Any | None:
    """The Redis connection of the counter, or None (no Redis configured, cache disabled).

    A commit outside an application context (a test's own session) increments through the
    connection this process used last, so no write is ever missed."""
    if not has_app_context():
        return None if lesen or not _clients else next(reversed(_clients.values()))
    if lesen and not current_app.config.get("DATENSTAND_CACHE", True):
        return None
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    if url not in _clients:
        import redis

        _clients[url] = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    return _clients[url]


def stand() -> int | None:
    """The installation's data counter, read once per request (None: do not cache)."""
    if has_request_context() and "_datenstand" in g:
        return g._datenstand
    client = _client()
    wert: int | None = None
    if client is not None:
        try:
            wert = int(client.get(SCHLUESSEL) or 0)
        except Exception:  # Redis away: compute everything, the page still works
            log.warning("Datenstand nicht lesbar; Seitenteile werden neu berechnet")
    if has_request_context():
        g._datenstand = wert
    return wert


def zwischengespeichert(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()``, reused while no commit anywhere changed data (and within the minute)."""
    gefunden, wert = nachsehen(key)
    if gefunden:
        return wert
    wert = compute()
    ablegen(key, wert)
    return wert


def _voller_schluessel(key: tuple[Hashable, ...]) -> tuple | None:
    """``key`` with database, data counter and minute; None while nothing may be cached."""
    from app.extensions import db

    if db.session().info.get(GESCHRIEBEN):
        return None
    zaehler = stand()
    if zaehler is None:
        return None
    datenbank = current_app.config["SQLALCHEMY_DATABASE_URI"]
    return (datenbank, *key, zaehler, int(time.time() // 60))


def nachsehen(key: tuple[Hashable, ...]) -> tuple[bool, Any]:
    """(True, value) if ``key`` holds a value for the current data, else (False, None)."""
    voll = _voller_schluessel(key)
    if voll is None:
        return False, None
    with _sperre:
        if voll in _werte:
            _werte.move_to_end(voll)
            return True, _werte[voll]
    return False, None


def ablegen(key: tuple[Hashable, ...], wert: Any) -> None:
    """Keep ``wert`` under ``key`` for the current data (least recently used leave first)."""
    voll = _voller_schluessel(key)
    if voll is None:
        return
    with _sperre:
        if voll not in _werte:
            _belegt[0] += _umfang(wert)
        _werte[voll] = wert
        while len(_werte) > _GROESSE or _belegt[0] > _BUDGET:
            _belegt[0] -= _umfang(_werte.popitem(last=False)[1])


@dataclass(frozen=True)
class Zeile:
    """A cacheable snapshot of one ORM row: its class, column values and loaded relations."""

    klasse: type
    werte: tuple[tuple[str, Any], ...]
    beziehungen: tuple[tuple[str, Zeile | None], ...] = ()


def zeile(obj: Any, *beziehungen: str) -> Zeile:
    """Snapshot ``obj``'s columns (and the named many-to-one relations) as plain values."""
    werte = tuple((a.key, getattr(obj, a.key)) for a in inspect(obj).mapper.column_attrs)
    rel = tuple(
        (name, None if getattr(obj, name) is None else zeile(getattr(obj, name)))
        for name in beziehungen
    )
    return Zeile(type(obj), werte, rel)


_UNVERAENDERLICH = (str, int, float, bool, type(None), datetime, date, Decimal, enum.Enum)


def _objekt(z: Zeile) -> Any:
    """A detached instance with the snapshot's values, as if just loaded (no history)."""
    obj = manager_of_class(z.klasse).new_instance()
    for key, value in z.werte:
        if not isinstance(value, _UNVERAENDERLICH):
            value = copy.deepcopy(value)  # a JSON list must not be shared between requests
        set_committed_value(obj, key, value)
    make_transient_to_detached(obj)
    for name, teil in z.beziehungen:
        set_committed_value(obj, name, None if teil is None else _objekt(teil))
    return obj


def angehaengt(z: Zeile) -> Any:
    """The snapshot's row as an instance of this request's session, without a query."""
    from app.extensions import db

    return db.session.merge(_objekt(z), load=False)


def _umfang(wert: Any) -> int:
    """Roughly how much a cached value holds (its text, or a small constant)."""
    if isinstance(wert, str):
        return len(wert)
    if isinstance(wert, tuple):
        return 64 + sum(_umfang(teil) for teil in wert)
    zeilen = getattr(wert, "data", None)  # a stored query result (app.core.lesespeicher)
    if isinstance(zeilen, list):
        return 64 + 1024 * len(zeilen)
    inhalt = getattr(wert, "inhalt", None)  # page parts as frozen dataclasses
    return len(inhalt) if isinstance(inhalt, str) else 256


def vergessen() -> None:
    """Drop this process's cached values (tests start each case without them)."""
    with _sperre:
        _werte.clear()
        _belegt[0] = 0


def geaendert() -> None:
    """For a write committed outside the session (a statement on a connection of its own, such
    as the worker's sent marks): tell every process that the data changed."""
    _erhoehen()


def _erhoehen() -> None:
    """Tell every process that the data changed."""
    client = _client(lesen=False)
    if client is None:
        return
    try:
        client.incr(SCHLUESSEL)
    except Exception:  # the next successful write increments again
        log.exception("Datenstand konnte nicht erhöht werden")
    if has_request_context():
        g.pop("_datenstand", None)
    vergessen()


@event.listens_for(Session, "after_flush")
def _nach_flush(session: Session, _context: Any) -> None:
    """A flush wrote rows: this transaction no longer matches the cache."""
    session.info[GESCHRIEBEN] = True


@event.listens_for(Session, "do_orm_execute")
def _nach_anweisung(state: Any) -> None:
    """Bulk ``update()``/``delete()``/``insert()`` and plain SQL count as writes."""
    if not state.is_select:
        state.session.info[GESCHRIEBEN] = True


@event.listens_for(Session, "after_commit")
def _nach_commit(session: Session) -> None:
    """After a commit that wrote: increment the counter, forget this process's values."""
    if session.info.pop(GESCHRIEBEN, False):
        _erhoehen()
