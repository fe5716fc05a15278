"""Errors, limits, Berlin time and absolute links shared by the meeting operations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from app.core.urls import external_url  # noqa: F401  (re-exported for the modules here)

BERLIN = ZoneInfo("Europe/Berlin")
ORT_FELDER = ("beginn", "ende", "ort_name", "ort_adresse", "ort_raum", "online_link")
FAN_OUT_CHUNK = 100
DEFAULT_REPLY_MAX_AGE = 180 * 24 * 3600


class SitzungError(ValueError):
    """A request that does not fit the meeting's state; the message is German."""


class LinkError(ValueError):
    """A reply link is tampered with, expired or points nowhere; the message is German."""


@dataclass(frozen=True)
class Empfaenger:
    """One person to invite: a member of the Gremium, a guest, or the Stellvertretung of a
    member who declined (``vertritt_einladung_id``: that member's invitation)."""

    email: str
    name: str
    user_id: int | None
    gast: bool
    vertritt_einladung_id: int | None = None


# --------------------------------------------------------------------------- time and URLs


def berlin_to_utc(value: datetime) -> datetime:
    """A wall-clock time entered in Hilden as an aware UTC datetime."""
    local = value.replace(tzinfo=BERLIN) if value.tzinfo is None else value
    return local.astimezone(ZoneInfo("UTC"))


def utc_to_berlin_naive(value: datetime) -> datetime:
    """For ``datetime-local`` inputs: the Berlin wall-clock time without zone."""
    return value.astimezone(BERLIN).replace(tzinfo=None)
