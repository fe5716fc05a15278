"""Personal links are never shown in the Postausgang; a resend issues a new link."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.auth.services import TokenError, read_account_token
from app.extensions import db
from app.mail.models import Mail, MailStatus
from app.mail.secrets import PLATZHALTER, redact

TOKEN = re.compile(r"/(einladung|passwort/neu|sitzungen/antwort)/([A-Za-z0-9_.-]{20,})")


def _invite(client, login, make, csrf_token) -> tuple[object, Mail]:
    """The Stabsstelle creates an account; its invitation mail is in the outbox."""
    stab = make.stabsstelle()
    login(stab)
    url = "/stammdaten/benutzer/neu"
    response = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "name": "Nina Neu", "email": "nina@t.example"},
    )
    assert response.status_code in (302, 303), response.text[:500]
    mail = db.session.scalars(select(Mail).where(Mail.recipient == "nina@t.example")).one()
    return stab, mail


def test_postausgang_says_there_is_a_link_but_never_shows_it(
    client, login, make, csrf_token
) -> None:
    _stab, mail = _invite(client, login, make, csrf_token)
    token = TOKEN.search(mail.body_text).group(2)
    for url in (f"/postausgang/{mail.id}", "/postausgang/", "/postausgang/?status=pending"):
        body = client.get(url).get_data(as_text=True)
        assert token not in body, url
    detail = client.get(f"/postausgang/{mail.id}").get_data(as_text=True)
    assert PLATZHALTER in detail and "Persönlicher Link" in detail


def test_redaction_covers_every_route_with_a_token(app, ctx) -> None:
    base = app.config["BASE_URL"].rstrip("/")
    text = (
        f"Einladung: {base}/einladung/abc.def.ghi\n"
        f"Zurücksetzen: {base}/passwort/neu/abc.def\n"
        f"Antwort: {base}/sitzungen/antwort/xyz.uvw\n"
        f"Kalender: {base}/sitzungen/kalender/geheim123.ics\n"
        f"Sitzung: {base}/sitzungen/7 (offen)"
    )
    shown = redact(text)
    assert shown.count(PLATZHALTER) == 4
    assert f"{base}/sitzungen/7" in shown
    assert "abc" not in shown and "xyz" not in shown and "geheim123" not in shown


def test_resend_issues_a_new_link_and_the_old_one_stops_working(
    client, login, make, csrf_token, app
) -> None:
    _stab, mail = _invite(client, login, make, csrf_token)
    old = TOKEN.search(mail.body_text).group(2)
    mail.status = MailStatus.FAILED
    db.session.commit()
    detail = f"/postausgang/{mail.id}"
    response = client.post(
        f"{detail}/erneut-senden", data={"csrf_token": csrf_token(client, detail)}
    )
    assert response.status_code == 303
    old_row = db.session.get(Mail, mail.id, populate_existing=True)
    fresh = db.session.get(Mail, old_row.replaced_by_id)
    assert fresh is not None and fresh.recipient == "nina@t.example"
    new = TOKEN.search(fresh.body_text).group(2)
    assert new != old
    assert old_row.status == MailStatus.FAILED
    assert "Erneut senden" not in client.get(detail).get_data(as_text=True)
    visitor = app.test_client()
    assert visitor.get(f"/einladung/{old}").status_code == 400
    assert visitor.get(f"/einladung/{new}").status_code == 200
    with app.app_context():
        try:
            read_account_token(old, "einladung")
        except TokenError as exc:
            assert "neuerer Link" in str(exc)
        else:
            raise AssertionError("alter Link gilt noch")


def test_a_second_reset_request_invalidates_the_first_link(client, app, make, ctx) -> None:
    from app.auth.services import make_account_token

    user = make.user()
    first = make_account_token(user, "zuruecksetzen")
    second = make_account_token(user, "zuruecksetzen")
    db.session.commit()
    assert client.get(f"/passwort/neu/{first}").status_code == 400
    assert client.get(f"/passwort/neu/{second}").status_code == 200
