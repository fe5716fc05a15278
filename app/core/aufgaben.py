"""Open tasks on the personal start page; each feature registers a provider."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Aufgabe:
    """One open task: what to do, where, and how urgent."""

    titel: str
    url: str
    hinweis: str = ""
    dringend: bool = False


Provider = Callable[[Any], list[Aufgabe]]
_providers: list[Provider] = []


def aufgaben_provider(fn: Provider) -> Provider:
    """Register a function that lists a user's open tasks."""
    _providers.append(fn)
    return fn


def open_tasks(user: Any) -> list[Aufgabe]:
    """All open tasks of ``user``, urgent ones first."""
    tasks = [task for provider in _providers for task in provider(user)]
    return sorted(tasks, key=lambda t: not t.dringend)


# --------------------------------------------------------------------------- where things stand


@dataclass(frozen=True)
class Schritt:
    """One step of a small stepper: its label and whether it is done, current or ahead."""

    label: str
    stand: str  # "erledigt", "aktuell", "offen"


@dataclass(frozen=True)
class Lage:
    """Where a running process stands, for the start page (e.g. a planning cycle)."""

    titel: str
    url: str
    phase: str
    beschreibung: str = ""
    frist: str = ""
    frist_dringend: bool = False
    schritte: tuple[Schritt, ...] = ()


LageProvider = Callable[[Any], list[Lage]]
_lage_providers: list[LageProvider] = []


def lage_provider(fn: LageProvider) -> LageProvider:
    """Register a function that tells a user where their running processes stand."""
    if fn not in _lage_providers:
        _lage_providers.append(fn)
    return fn


def lagen(user: Any) -> list[Lage]:
    """Everything running that concerns ``user``."""
    return [lage for provider in _lage_providers for lage in provider(user)]
