"""Query results of read-only requests reused until the data change: a warm page runs no SQL.

A GET or HEAD request changes nothing (house rule), yet most pages used to load their object
for the permission check on every call, and one database round trip (pool checkout, BEGIN,
query, ROLLBACK) costs more CPU than rendering the cached page. Every ORM ``SELECT`` of such a
request, including lazy loads, is therefore answered from a per-process store under the same
rule as the cached page parts (``app.core.datenstand``): keyed by the statement, its parameter
values, the installation's data counter and the minute. Any commit that wrote (in any process)
increments the counter, so the next request sees it. Not cached: writes, statements of a
session that has written, locking reads (``FOR UPDATE``), refreshes of expired attributes,
streamed results, and everything outside GET/HEAD requests (forms, the worker, the CLI).

Stored are private copies of the loaded rows (merged into a session of their own, never
touched again); each request gets fresh instances of its own via ``merge(load=False)``, the
pattern SQLAlchemy documents for result caches (``merge_frozen_result``).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import FrozenResult, Result
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.loading import merge_frozen_result

from app.core import datenstand

log = logging.getLogger(__name__)

_LESEND = frozenset({"GET", "HEAD"})
_NICHT_SPEICHERN = ("populate_existing", "yield_per", "stream_results", "max_row_buffer")
_HOECHSTENS = 2000  # rows per stored result: exports and previews read much more, once


def _einschalten() -> None:
    """Before a view of a GET/HEAD request runs: its reads may use the store. (A request
    context alone, as tests and scripts open one, does not switch it on.)"""
    g._lesespeicher = request.method in _LESEND


def _speicherbar(state: ORMExecuteState) -> bool:
    """Whether this statement may be answered from the store (a plain read of a GET request)."""
    if not (has_request_context() and g.get("_lesespeicher")):
        return False
    if not state.is_select or state.is_column_load:
        return False
    if state.session.info.get(datenstand.GESCHRIEBEN):
        return False
    if not state.session._is_clean():  # changes waiting for the autoflush (it runs later)
        return False
    if getattr(state.statement, "_for_update_arg", None) is not None:
        return False
    optionen = state.execution_options
    return not any(optionen.get(name) for name in _NICHT_SPEICHERN)


def _haschbar(wert: Any) -> Any:
    """Parameter values as a hashable key (lists of an IN become tuples)."""
    if isinstance(wert, (list, tuple)):
        return tuple(_haschbar(teil) for teil in wert)
    if isinstance(wert, dict):
        return tuple(sorted((k, _haschbar(v)) for k, v in wert.items()))
    if isinstance(wert, (set, frozenset)):
        return frozenset(_haschbar(teil) for teil in wert)
    return wert


def _schluessel(state: ORMExecuteState) -> tuple | None:
    """The statement's structure and every value bound into it, or None (not cacheable)."""
    cache_key = state.statement._generate_cache_key()
    if cache_key is None:
        return None
    try:
        key = (
            "abfrage",
            cache_key.key,
            tuple(_haschbar(b.effective_value) for b in cache_key.bindparams),
            _haschbar(state.parameters),
        )
        hash(key)
    except TypeError:  # a value without a hash (an ORM object as parameter): ask the database
        return None
    return key


def _eigene_kopie(state: ORMExecuteState, frozen: FrozenResult) -> FrozenResult | None:
    """The rows with instances only the store holds (merged into a session of their own)."""
    if not state.is_orm_statement:
        return frozen  # plain values
    privat = Session()
    try:
        return merge_frozen_result(privat, state.statement, frozen, load=False)
    except Exception:  # e.g. an instance changed but not flushed: not a clean snapshot
        log.debug("Abfrageergebnis nicht zwischengespeichert", exc_info=True)
        return None
    finally:
        privat.close()


@event.listens_for(Session, "do_orm_execute")
def _aus_dem_speicher(state: ORMExecuteState) -> Result | None:
    """Answer a read of a GET request from the store, or run it and store a copy."""
    if not _speicherbar(state):
        return None
    key = _schluessel(state)
    if key is None:
        return None
    gefunden, gespeichert = datenstand.nachsehen(key)
    if gefunden:
        if not state.is_orm_statement:
            return gespeichert()
        return merge_frozen_result(state.session, state.statement, gespeichert, load=False)()
    frozen = state.invoke_statement().freeze()
    if len(frozen.data) <= _HOECHSTENS:
        kopie = _eigene_kopie(state, frozen)
        if kopie is not None:
            datenstand.ablegen(key, kopie)
    return frozen()


def init_app(app: Flask) -> None:
    """Reads of dispatched GET/HEAD requests use the store (``DATENSTAND_CACHE`` switches it)."""
    app.before_request(_einschalten)
