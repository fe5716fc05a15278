"""Guards of the planning cycle, and the public interface of ``app.workflows`` for other features.

States and moves
    ``machine.PHASEN`` (phases in order: datenbasis → planungsrunde → beteiligung →
    verwaltungsvorstand → politik → abgeschlossen) and ``machine.UEBERGAENGE`` (every allowed
    move with the permission it needs; referrals back need a reason). Only
    ``services.change_phase`` changes a phase.

Guards (named conditions of a move or of concluding a Strang)
    Register at import time of your feature (e.g. in its ``services.py``)::

        from app.workflows.guards import guard, erfuellt, fehlt
        from app.workflows.models import Phase

        @guard(
            "protokoll_planungsrunde",
            "Protokoll der Planungsrunde liegt vor",
            uebergaenge=[(Phase.PLANUNGSRUNDE, Phase.BETEILIGUNG)],
        )
        def _protokoll_liegt_vor(zyklus, strang=None):
            if protokoll_vorhanden(zyklus.id):
                return erfuellt()
            return fehlt("Für die Sitzung der Planungsrunde wurde noch kein Protokoll hochgeladen.")

    ``uebergaenge``: the moves it applies to, as ``(von, nach)`` pairs or keys ``"von>nach"``;
    ``strang_typen``: GremiumTyp values whose Strang may only be concluded when it holds
    (e.g. "Rückmeldefrist abgelaufen" for ``GremiumTyp.TRAEGERRUNDE``); the check is then
    called with the Strang. The check returns ``erfuellt()`` / ``fehlt("German explanation")``
    (or ``(ok, text)``); it may query but must not write. ``uebersteuerbar=False`` forbids an
    override. The Stabsstelle may override a failing guard with a written reason; the history
    entry records guard name, label, explanation and the reason. ``register_guard(...)`` is
    the non-decorator form, ``unregister_guard(name)`` removes one, and ``only_guards()``
    runs a block with only the built-in guards (tests of one feature in isolation).

Phase flags (read these, not phase names), in ``app.workflows.machine``
    ``rueckmeldungen_offen(z)``, ``protokolle_erwartet(z)``, ``beschluesse_erwartet(z)``,
    ``sozialreport_bearbeitbar(z)``, ``themen_sammeln(z)``, ``prioritaeten_bearbeitbar(z)``,
    ``impulse_offen(z)``, ``ist_abgeschlossen(z)``, ``strang_aktiv(strang)``,
    ``gremium_aktiv(z, gremium)``, ``phase_fuer_gremium(gremium)``.
    To refuse a change: ``app.workflows.phasenregeln.require_phase_flag(z, "beschluesse")``
    / ``require_bearbeitbar(z)`` raise ``PhasenFehler`` (German message, 409); templates ask
    ``phase_sperre(z, "flag")`` for the reason a button is disabled.

Signals (blinker, in ``app.workflows.signals``), sent inside the transaction after flush
    ``zyklus_phase_changed`` (sender Zyklus; eintrag, von, nach, user), ``strang_closed``
    (sender Strang; eintrag, user, erzwungen), ``zyklus_created`` (sender Zyklus; vorgaenger,
    user). Receivers may write rows and flush, never commit; side effects go through
    ``app.core.after_commit`` or ``queue_mail``.

Carry-over hook for the next cycle
    ``@carry_over_provider`` (``app.workflows.signals``): ``fn(alter_zyklus, neuer_zyklus)``
    copies open items (impulses, unfinished measures) and returns German lines such as
    ``["3 offene Impulse übernommen"]``; called in the transaction of
    ``services.start_folgezyklus`` after Gremien, Stränge and settings were copied.

Tracks and cycles (``app.workflows.services``)
    ``straenge_of(zyklus_id)``, ``find_strang(zyklus_id, gremium_id)``, ``active_zyklen()``,
    ``zyklen_for_gremium(gremium_id)``. Tie your rows to a phase with ``zyklus_id`` (FK
    ``zyklus.id``) plus ``phase`` (``str_enum(Phase)``), or to a track with ``strang_id`` (FK
    ``strang.id``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.stammdaten.models import GremiumTyp
from app.workflows.machine import UEBERGAENGE, Uebergang
from app.workflows.models import Phase

if TYPE_CHECKING:
    from app.workflows.models import Strang, Zyklus


@dataclass(frozen=True)
class Pruefergebnis:
    """Outcome of one guard: met, or what is missing (German)."""

    ok: bool
    erklaerung: str = ""


def erfuellt() -> Pruefergebnis:
    """The condition holds."""
    return Pruefergebnis(True)


def fehlt(erklaerung: str) -> Pruefergebnis:
    """The condition fails; ``erklaerung`` tells the Stabsstelle what is missing."""
    return Pruefergebnis(False, erklaerung)


Check = Callable[["Zyklus", "Strang | None"], "Pruefergebnis | tuple[bool, str] | bool"]


@dataclass(frozen=True)
class Guard:
    """A named condition attached to moves and/or to concluding Stränge of some Gremium types."""

    name: str
    label: str
    check: Check
    uebergaenge: frozenset[str]
    strang_typen: frozenset[GremiumTyp]
    uebersteuerbar: bool = True


@dataclass(frozen=True)
class Pruefung:
    """One guard evaluated for one cycle (and Strang)."""

    guard: Guard
    ok: bool
    erklaerung: str


_guards: dict[str, Guard] = {}
_KEYS = {u.key for u in UEBERGAENGE}


def _key(item: str | tuple[Phase, Phase] | Uebergang) -> str:
    if isinstance(item, Uebergang):
        return item.key
    if isinstance(item, tuple):
        return f"{Phase(item[0]).value}>{Phase(item[1]).value}"
    return item


def register_guard(
    name: str,
    label: str,
    check: Check,
    *,
    uebergaenge: Iterable[str | tuple[Phase, Phase] | Uebergang] = (),
    strang_typen: Iterable[GremiumTyp] = (),
    uebersteuerbar: bool = True,
) -> Guard:
    """Attach a guard to moves and/or Strang conclusions; unknown moves are a programming error."""
    keys = frozenset(_key(u) for u in uebergaenge)
    unknown = keys - _KEYS
    if unknown:
        raise ValueError(f"Unbekannte Übergänge für Bedingung {name!r}: {sorted(unknown)}")
    if not keys and not strang_typen:
        raise ValueError(f"Bedingung {name!r} gilt für keinen Übergang und keinen Strang")
    new = Guard(
        name, label, check, keys, frozenset(GremiumTyp(t) for t in strang_typen), uebersteuerbar
    )
    existing = _guards.get(name)
    if existing is not None and existing.check is not check:
        raise RuntimeError(f"Bedingung {name!r} ist bereits registriert")
    _guards[name] = new
    return new


def guard(name: str, label: str, **options) -> Callable[[Check], Check]:
    """Decorator form of ``register_guard``."""

    def register(fn: Check) -> Check:
        register_guard(name, label, fn, **options)
        return fn

    return register


def unregister_guard(name: str) -> None:
    """Remove a guard (tests register their own and clean up)."""
    _guards.pop(name, None)


@contextmanager
def only_guards(*names: str) -> Iterator[None]:
    """Tests: inside the block only the built-in guards and ``names`` apply; restored after."""
    saved = dict(_guards)
    keep = set(names) | BUILTIN
    for name in list(_guards):
        if name not in keep:
            del _guards[name]
    try:
        yield
    finally:
        _guards.clear()
        _guards.update(saved)


def registered_guards() -> list[Guard]:
    """All guards, for the documentation and tests."""
    return list(_guards.values())


def _run(g: Guard, zyklus: Zyklus, strang: Strang | None) -> Pruefung:
    result = g.check(zyklus, strang)
    if isinstance(result, Pruefergebnis):
        ok, text = result.ok, result.erklaerung
    elif isinstance(result, tuple):
        ok, text = bool(result[0]), str(result[1] or "")
    else:
        ok, text = bool(result), ""
    if not ok and not text:
        text = f"Voraussetzung nicht erfüllt: {g.label}."
    return Pruefung(g, ok, "" if ok else text)


def evaluate_transition(zyklus: Zyklus, uebergang: Uebergang) -> list[Pruefung]:
    """Every guard of ``uebergang`` evaluated for ``zyklus``."""
    return [_run(g, zyklus, None) for g in _guards.values() if uebergang.key in g.uebergaenge]


def evaluate_strang(strang: Strang) -> list[Pruefung]:
    """Every guard on concluding ``strang`` (by the type of its Gremium)."""
    typ = strang.gremium.typ
    return [_run(g, strang.zyklus, strang) for g in _guards.values() if typ in g.strang_typen]


# --------------------------------------------------------------------------- built-in guards

BUILTIN = frozenset({"straenge_abgeschlossen"})


@guard(
    "straenge_abgeschlossen",
    "Alle Beteiligungsstränge sind abgeschlossen",
    uebergaenge=[(Phase.BETEILIGUNG, Phase.VERWALTUNGSVORSTAND)],
    uebersteuerbar=False,
)
def _straenge_abgeschlossen(zyklus: Zyklus, strang: Strang | None = None) -> Pruefergebnis:
    offen = [s.gremium.name for s in zyklus.straenge if s.offen]
    if not offen:
        return erfuellt()
    return fehlt(
        "Noch offen: " + ", ".join(offen) + ". Warten Sie auf den Abschluss der Stränge oder "
        "schließen Sie die verbleibenden Stränge mit Begründung."
    )
