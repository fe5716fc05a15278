"""Errors of the cycle operations: a German message and the HTTP status to answer."""

from __future__ import annotations

from app.workflows.guards import Pruefung


class WorkflowError(Exception):
    """A refused operation; ``message`` is German, ``status_code`` the HTTP answer."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidRequest(WorkflowError):
    """Illegal move or incomplete input: nothing changed (400)."""


class StaleState(WorkflowError):
    """The cycle changed since the user loaded the page (409)."""

    status_code = 409


class Forbidden(WorkflowError):
    """The person may not do this (403)."""

    status_code = 403


class GuardsFailed(WorkflowError):
    """Conditions of the move are not met and were not overridden (409)."""

    status_code = 409

    def __init__(self, pruefungen: list[Pruefung]) -> None:
        text = " ".join(f"„{p.guard.label}“: {p.erklaerung}" for p in pruefungen)
        super().__init__("Der Schritt ist noch nicht möglich. " + text)
        self.pruefungen = pruefungen


class NotFound(WorkflowError):
    status_code = 404
