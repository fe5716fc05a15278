"""Personal links in mails: hidden in the Postausgang, renewed on resend.

A link is personal when its route takes a ``token`` (invitation, password reset, meeting
reply, calendar feed): whoever reads it can act as the recipient. The Postausgang shows
that such a link was there, never the link. Packages whose mails carry account links
register a ``reissuer`` for their mail kind: a resend then issues a new link (and so
invalidates the old one) instead of sending the stored text again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import current_app
from werkzeug.exceptions import HTTPException

from app.mail.models import Mail

PLATZHALTER = "[persönlicher Link – aus Sicherheitsgründen ausgeblendet]"
_URL = re.compile(r"https?://[^\s<>\"')\]]+")
_REISSUERS: dict[str, Callable[[Mail], Mail | None]] = {}


def reissuer(kind: str) -> Callable:
    """Register ``fn(mail) -> new Mail | None`` that issues a fresh link for mails of ``kind``."""

    def register(fn: Callable[[Mail], Mail | None]) -> Callable[[Mail], Mail | None]:
        _REISSUERS[kind] = fn
        return fn

    return register


def reissuer_for(kind: str) -> Callable[[Mail], Mail | None] | None:
    return _REISSUERS.get(kind)


def is_personal(url: str) -> bool:
    """True for links of this platform whose route carries a token."""
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    path = url[len(base) :] if base and url.startswith(base) else urlsplit(url).path
    adapter = current_app.url_map.bind("localhost")
    try:
        _endpoint, args = adapter.match(urlsplit(path).path or "/", method="GET")
    except HTTPException:
        return False
    return any(name == "token" or name.endswith("_token") for name in args)


def redact(text: str | None) -> str:
    """``text`` with every personal link replaced by a note that there was one."""
    return _URL.sub(lambda m: PLATZHALTER if is_personal(m.group(0)) else m.group(0), text or "")


def has_personal_link(text: str | None) -> bool:
    return any(is_personal(m.group(0)) for m in _URL.finditer(text or ""))
