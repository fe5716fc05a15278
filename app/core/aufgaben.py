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
