"""Every person requests and downloads only their own data; the Stabsstelle deletes accounts."""

from __future__ import annotations

from typing import Any

from flask import current_app

from app.core.permissions import anonymous_allowed, is_stabsstelle, rule


@rule("datenschutz.eigene_daten")
def can_request_own(user: Any, obj: Any = None) -> bool:
    """Every logged-in account may ask for its data."""
    return True


@rule("datenauskunft.herunterladen")
def can_download(user: Any, auskunft: Any) -> bool:
    """Only the person the data belongs to (not even the Stabsstelle)."""
    return auskunft is not None and auskunft.user_id == user.id


@rule("konto.loeschen")
def can_delete(user: Any, konto: Any) -> bool:
    """The Stabsstelle deletes other accounts; a person their own only if configured."""
    if konto is None or getattr(konto, "geloescht_at", None) is not None:
        return False
    if konto.id == user.id:
        return bool(current_app.config["KONTO_SELBST_LOESCHEN"])
    return is_stabsstelle(user)


@rule("datenschutz.loeschfristen")
@anonymous_allowed
def can_read_periods(user: Any, obj: Any = None) -> bool:
    """The retention periods are public (Datenschutzerklärung)."""
    return True
