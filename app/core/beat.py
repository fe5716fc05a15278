"""The beat schedule in one place: each entry names a task and how often it runs."""

from __future__ import annotations

from collections.abc import Callable

_entries: list[Callable[[dict], tuple[str, dict]]] = []


def periodic(fn: Callable[[dict], tuple[str, dict]]) -> Callable[[dict], tuple[str, dict]]:
    """Register a function that returns (entry name, beat entry) for the config."""
    _entries.append(fn)
    return fn


@periodic
def _outbox_sweep(cfg: dict) -> tuple[str, dict]:
    return "postausgang-sweep", {
        "task": "mail.sweep_outbox",
        "schedule": float(cfg["OUTBOX_SWEEP_SECONDS"]),
    }


def schedule(cfg: dict) -> dict:
    """The beat schedule for ``cfg``."""
    return dict(fn(cfg) for fn in _entries)
