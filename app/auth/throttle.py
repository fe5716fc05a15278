"""Login throttling that an attacker cannot turn against the account's owner.

Failed logins are counted per account *and* client: a device on which the person logged in
before carries a signed device cookie and is counted on its own (OWASP "device cookies");
any other client is counted by its address. A slower cap per account applies only to
clients without that cookie, so a stranger's failures never lock out the owner's devices.
A cap per address stops password spraying. The client address comes from the proxy
headers only when ``TRUSTED_PROXIES`` says how many proxies stand in front (default none).
While Redis is down the limits run in memory (Flask-Limiter's fallback; the outage is logged).
"""

from __future__ import annotations

import hashlib
import secrets

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "pk_geraet"
_MAX_AGE = 365 * 24 * 3600


def _email() -> str:
    return (request.form.get("email", "") or "").strip().lower()


def _account(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:24]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="login-geraet")


def trusted_device() -> str | None:
    """The device id when this client logged in to the tried account before."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return None
    if isinstance(data, dict) and data.get("k") == _account(_email()):
        return str(data.get("d", ""))[:32] or None
    return None


def client_address() -> str:
    return request.remote_addr or "unbekannt"


def account_and_client_key() -> str:
    """Failures of this account from this device (cookie) or, without one, this address."""
    device = trusted_device()
    client = f"geraet:{device}" if device else f"ip:{client_address()}"
    return f"konto:{_account(_email())}|{client}"


def account_key() -> str:
    return f"konto:{_account(_email())}"


def remember_device(response: Response, email: str) -> None:
    """After a successful login: this device is known for this account from now on."""
    token = _serializer().dumps({"k": _account(email.strip().lower()), "d": secrets.token_hex(8)})
    response.set_cookie(
        COOKIE,
        token,
        max_age=_MAX_AGE,
        httponly=True,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        samesite="Lax",
        path="/anmelden",
    )
