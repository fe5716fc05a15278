"""Login, logout, session replay, throttling, hashes, next parameter, CSRF."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import LoginSession, User
from app.extensions import db
from tests.factories import PASSWORD


def _post_login(client, csrf_token, email, password, next_url=""):
    token = csrf_token(client, "/anmelden")
    return client.post(
        "/anmelden",
        data={"email": email, "password": password, "csrf_token": token, "next": next_url},
    )


def test_login_page_is_german(client) -> None:
    body = client.get("/anmelden").get_data(as_text=True)
    assert '<html lang="de">' in body
    assert "Anmelden" in body and "Passwort" in body


def test_login_and_start_page(client, csrf_token, make) -> None:
    user = make.user(name="Erika Beispiel")
    response = _post_login(client, csrf_token, user.email, PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/start"
    assert "Guten Tag, Erika Beispiel" in client.get("/start").get_data(as_text=True)


def test_wrong_password_is_explained_in_german(client, csrf_token, make) -> None:
    user = make.user()
    response = _post_login(client, csrf_token, user.email, "falsch-falsch-falsch")
    assert response.status_code == 200
    assert "E-Mail-Adresse oder Passwort ist nicht korrekt." in response.get_data(as_text=True)
    assert client.get("/start").status_code == 302


def test_post_without_csrf_token_is_400(client, make) -> None:
    user = make.user()
    response = client.post("/anmelden", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "Sicherheitsprüfung" in response.get_data(as_text=True)


def test_cookie_replayed_after_logout_is_refused(app, client, csrf_token, make) -> None:
    user = make.user()
    _post_login(client, csrf_token, user.email, PASSWORD)
    assert client.get("/start").status_code == 200
    cookie = client.get_cookie("pk_session").value
    logout_token = csrf_token(client, "/start")
    assert client.post("/abmelden", data={"csrf_token": logout_token}).status_code == 302
    attacker = app.test_client()
    attacker.set_cookie("pk_session", cookie)
    response = attacker.get("/start")
    assert response.status_code == 302 and response.headers["Location"].startswith("/anmelden")
    revoked = db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)).all()
    assert [s.revoked_at is not None for s in revoked] == [True]


def test_sixth_wrong_password_is_429(client, csrf_token, make) -> None:
    user = make.user()
    for _ in range(5):
        assert _post_login(client, csrf_token, user.email, "falsches-passwort").status_code == 200
    response = _post_login(client, csrf_token, user.email, "falsches-passwort")
    assert response.status_code == 429
    assert "Zu viele Versuche" in response.get_data(as_text=True)
    # the right password is also refused while the account is throttled
    assert _post_login(client, csrf_token, user.email, PASSWORD).status_code == 429


def test_throttle_is_per_account(client, csrf_token, make) -> None:
    victim, other = make.user(), make.user()
    for _ in range(6):
        _post_login(client, csrf_token, victim.email, "falsches-passwort")
    assert _post_login(client, csrf_token, other.email, PASSWORD).status_code == 302


def test_throttle_per_ip(app, client, csrf_token, make) -> None:
    users = [make.user() for _ in range(7)]
    limit = int(app.config["LOGIN_LIMIT_PER_IP"].split()[0])
    for i in range(limit):
        _post_login(client, csrf_token, users[i % 7].email + ("x" * (i // 7)), "falsch")
    assert _post_login(client, csrf_token, users[0].email, PASSWORD).status_code == 429


def test_successful_logins_are_not_throttled(client, csrf_token, make) -> None:
    user = make.user()
    for _ in range(7):
        assert _post_login(client, csrf_token, user.email, PASSWORD).status_code == 302
        client.post("/abmelden", data={"csrf_token": csrf_token(client, "/start")})


def test_stored_hashes_are_argon2id(client, csrf_token, ctx, make) -> None:
    from app.auth.services import hash_password

    assert hash_password("irgendein-passwort").startswith("$argon2id$")
    user = make.user()
    stored = db.session.get(User, user.id).password_hash
    assert stored.startswith("$argon2id$")


def test_external_next_is_not_followed(client, csrf_token, make) -> None:
    user = make.user()
    for target in (
        "https://example.org",
        "//example.org/x",
        "/\\example.org",
        "javascript:alert(1)",
    ):
        response = _post_login(client, csrf_token, user.email, PASSWORD, next_url=target)
        assert response.headers["Location"] == "/start", target
        client.post("/abmelden", data={"csrf_token": csrf_token(client, "/start")})


def test_local_next_is_followed(client, csrf_token, make) -> None:
    user = make.user(stabsstelle=True)
    response = _post_login(client, csrf_token, user.email, PASSWORD, next_url="/postausgang/")
    assert response.headers["Location"] == "/postausgang/"


def test_deactivated_user_cannot_log_in_and_is_logged_out(client, csrf_token, login, make) -> None:
    user = make.user()
    login(user)
    assert client.get("/start").status_code == 200
    db.session.get(User, user.id).aktiv = False
    db.session.commit()
    assert client.get("/start").status_code == 302
    assert _post_login(client, csrf_token, user.email, PASSWORD).status_code == 200


def test_session_cookie_flags(app, client, csrf_token, make) -> None:
    user = make.user()
    response = _post_login(client, csrf_token, user.email, PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    from config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE is True
