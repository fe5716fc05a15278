"""Login throttling: strangers cannot lock out the owner; Redis down still lets people in."""

from __future__ import annotations

import logging

from tests.factories import PASSWORD
from tests.support.services import free_port


def _login(client, csrf_token, email, password, ip="10.0.0.1"):
    token = csrf_token(client, "/anmelden")
    return client.post(
        "/anmelden",
        data={"email": email, "password": password, "csrf_token": token},
        environ_overrides={"REMOTE_ADDR": ip},
    )


def test_a_strangers_failures_do_not_lock_out_the_owner(app, csrf_token, make) -> None:
    owner = make.user()
    stranger = app.test_client()
    for _ in range(8):
        _login(stranger, csrf_token, owner.email, "geraten-geraten", ip="203.0.113.9")
    assert _login(stranger, csrf_token, owner.email, PASSWORD, ip="203.0.113.9").status_code == 429
    at_home = app.test_client()
    assert _login(at_home, csrf_token, owner.email, PASSWORD, ip="198.51.100.7").status_code == 302


def test_a_known_device_passes_even_when_the_account_cap_is_reached(
    app, csrf_token, make, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT_TOTAL", "3 per hour")
    owner = make.user()
    device = app.test_client()
    assert _login(device, csrf_token, owner.email, PASSWORD).status_code == 302
    device.post("/abmelden", data={"csrf_token": csrf_token(device, "/start")})
    for n in range(4):  # a botnet: every attempt from another address
        _login(app.test_client(), csrf_token, owner.email, "geraten", ip=f"192.0.2.{n}")
    new_device = app.test_client()
    assert _login(new_device, csrf_token, owner.email, PASSWORD, ip="192.0.2.77").status_code == 429
    assert _login(device, csrf_token, owner.email, PASSWORD).status_code == 302


def test_forged_forwarded_for_is_ignored_without_trusted_proxies(app, csrf_token, make) -> None:
    assert app.config["TRUSTED_PROXIES"] == 0
    owner = make.user()
    attacker = app.test_client()
    for n in range(6):
        token = csrf_token(attacker, "/anmelden")
        attacker.post(
            "/anmelden",
            data={"email": owner.email, "password": "geraten", "csrf_token": token},
            headers={"X-Forwarded-For": f"192.0.2.{n}"},
        )
    token = csrf_token(attacker, "/anmelden")
    response = attacker.post(
        "/anmelden",
        data={"email": owner.email, "password": PASSWORD, "csrf_token": token},
        headers={"X-Forwarded-For": "192.0.2.200"},
    )
    assert response.status_code == 429


def test_trusted_proxies_setting_reads_the_forwarded_address() -> None:
    from flask import Flask, request

    from app.core.security import trust_proxies

    def seen_by(trusted: int) -> str:
        bare = Flask(__name__)
        bare.config["TRUSTED_PROXIES"] = trusted
        trust_proxies(bare)
        bare.add_url_rule("/", "ip", lambda: request.remote_addr or "")
        headers = {"X-Forwarded-For": "192.0.2.44"}
        return bare.test_client().get("/", headers=headers).get_data(as_text=True)

    assert seen_by(0) == "127.0.0.1"
    assert seen_by(1) == "192.0.2.44"


def test_login_works_while_redis_is_down_and_the_outage_is_logged(
    client, csrf_token, make, caplog, monkeypatch
) -> None:
    from limits.storage import storage_from_string
    from limits.strategies import FixedWindowRateLimiter

    from app.extensions import limiter

    dead = storage_from_string(f"redis://127.0.0.1:{free_port()}/0")
    monkeypatch.setattr(limiter, "_storage", dead)
    monkeypatch.setattr(limiter, "_limiter", FixedWindowRateLimiter(dead))
    monkeypatch.setattr(limiter, "_storage_dead", False)
    user = make.user()
    with caplog.at_level(logging.WARNING):
        assert _login(client, csrf_token, user.email, "falsch").status_code == 200
        assert _login(client, csrf_token, user.email, PASSWORD).status_code == 302
    assert any("storage unreachable" in r.getMessage() for r in caplog.records)
