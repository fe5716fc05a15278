"""Password reset and invitation links: signed, expiring, single use."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.auth import services
from app.auth.models import LoginSession, User
from app.extensions import db
from app.mail.models import Mail
from tests.factories import PASSWORD

NEW_PASSWORD = "ein-ganz-neues-Passwort-2026"


def _reset_link(client, csrf_token, email: str) -> str:
    token = csrf_token(client, "/passwort/vergessen")
    response = client.post("/passwort/vergessen", data={"email": email, "csrf_token": token})
    assert response.status_code == 302
    mail = db.session.scalars(select(Mail).where(Mail.recipient == email)).one()
    return re.search(r"http://[^/\s]+(/passwort/neu/\S+)", mail.body_text).group(1)


def _set_password(client, csrf_token, path: str, password: str = NEW_PASSWORD):
    token = csrf_token(client, path)
    return client.post(path, data={"password": password, "confirm": password, "csrf_token": token})


def test_reset_link_sets_password_once(client, csrf_token, make) -> None:
    user = make.user()
    path = _reset_link(client, csrf_token, user.email)
    assert _set_password(client, csrf_token, path).status_code == 302
    login = client.post(
        "/anmelden",
        data={
            "email": user.email,
            "password": NEW_PASSWORD,
            "csrf_token": csrf_token(client, "/anmelden"),
        },
    )
    assert login.status_code == 302
    client.post("/abmelden", data={"csrf_token": csrf_token(client, "/start")})
    second = client.get(path)
    assert second.status_code == 400
    assert "bereits verwendet" in second.get_data(as_text=True)


def test_reset_ends_existing_sessions(client, csrf_token, login, make, app) -> None:
    user = make.user()
    other_device = login(user, app.test_client())
    assert other_device.get("/start").status_code == 200
    path = _reset_link(client, csrf_token, user.email)
    _set_password(client, csrf_token, path)
    assert other_device.get("/start").status_code == 302
    open_sessions = db.session.scalars(
        select(LoginSession).where(
            LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)
        )
    ).all()
    assert open_sessions == []


def test_reset_for_unknown_address_reveals_nothing(client, csrf_token) -> None:
    token = csrf_token(client, "/passwort/vergessen")
    response = client.post(
        "/passwort/vergessen",
        data={"email": "niemand@test.example", "csrf_token": token},
        follow_redirects=True,
    )
    assert "Wenn ein Konto mit dieser Adresse besteht" in response.get_data(as_text=True)
    assert db.session.scalars(select(Mail)).all() == []


def test_tampered_reset_link_is_400(client, csrf_token, make) -> None:
    user = make.user()
    path = _reset_link(client, csrf_token, user.email)
    response = client.get(path[:-3] + "abc")
    assert response.status_code == 400
    assert "ungültig" in response.get_data(as_text=True)


def test_expired_reset_link_is_400(app, client, csrf_token, make, monkeypatch) -> None:
    user = make.user()
    path = _reset_link(client, csrf_token, user.email)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    response = client.get(path)
    assert response.status_code == 400
    assert "abgelaufen" in response.get_data(as_text=True)


def test_reset_token_cannot_accept_invitation(client, csrf_token, make) -> None:
    user = make.user()
    path = _reset_link(client, csrf_token, user.email)
    token = path.rsplit("/", 1)[1]
    assert client.get(f"/einladung/{token}").status_code == 400


def test_short_password_is_refused_in_german(client, csrf_token, make) -> None:
    user = make.user()
    path = _reset_link(client, csrf_token, user.email)
    response = _set_password(client, csrf_token, path, "kurz")
    assert response.status_code == 200
    assert "mindestens 12 Zeichen" in response.get_data(as_text=True)
    assert db.session.get(User, user.id).password_hash == make.password_hash(PASSWORD)


def test_invitation_link_sets_first_password(client, csrf_token, ctx, make) -> None:
    user = make.user(password=None)
    services.invite_user(user)
    db.session.commit()
    mail = db.session.scalars(select(Mail).where(Mail.recipient == user.email)).one()
    assert mail.kind == "konto.einladung" and "eingeladen" in mail.body_text
    path = re.search(r"http://[^/\s]+(/einladung/\S+)", mail.body_text).group(1)
    assert _set_password(client, csrf_token, path).status_code == 302
    assert db.session.get(User, user.id).password_hash.startswith("$argon2id$")
    assert client.get(path).status_code == 400
