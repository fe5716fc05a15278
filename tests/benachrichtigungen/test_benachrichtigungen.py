"""In-app notifications: notify, list, unread count in the header and on the start page, reading."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.benachrichtigungen.models import Benachrichtigung
from app.benachrichtigungen.services import mark_all_read, notify, unread_count
from app.extensions import db


def _token(client) -> str:
    return re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/start").get_data(as_text=True)
    ).group(1)


def test_notify_creates_one_per_distinct_person(ctx, make) -> None:
    a, b = make.user(), make.user()
    rows = notify([a.id, b.id, a.id], "Neue Phase", "/zyklen/1")
    assert [r.user_id for r in rows] == [a.id, b.id] and all(r.id for r in rows)
    assert unread_count(a.id) == 1 and unread_count(make.user().id) == 0


def test_header_and_start_page_show_the_unread_count(client, login, make) -> None:
    user = make.user()
    notify([user.id], "Eins", "/start")
    notify([user.id], "Zwei", None)
    db.session.commit()
    login(user)
    body = client.get("/start").get_data(as_text=True)
    assert re.search(
        r'class="kopf__benachrichtigungen" href="/benachrichtigungen/">Benachrichtigungen '
        r'<span class="zaehler">2 ungelesen</span>',
        body,
    )
    assert "2 ungelesene Benachrichtigungen" in body


def test_list_shows_own_notifications_newest_first(client, login, make) -> None:
    user, other = make.user(), make.user()
    notify([user.id], "Ältere Nachricht", None)
    notify([user.id], "Neuere Nachricht", "/zyklen/")
    notify([other.id], "Fremde Nachricht", None)
    db.session.commit()
    login(user)
    body = client.get("/benachrichtigungen/").get_data(as_text=True)
    assert body.index("Neuere Nachricht") < body.index("Ältere Nachricht")
    assert "Fremde Nachricht" not in body and body.count(">ungelesen<") == 2


def test_open_marks_read_and_follows_local_links_only(client, login, make) -> None:
    user = make.user()
    inside, outside, none = (
        notify([user.id], t, u)[0]
        for t, u in (("Intern", "/zyklen/"), ("Extern", "https://example.org/x"), ("Ohne", None))
    )
    db.session.commit()
    ids = inside.id, outside.id, none.id
    login(user)
    token = _token(client)
    locations = [
        client.post(f"/benachrichtigungen/{i}/oeffnen", data={"csrf_token": token}) for i in ids
    ]
    assert [r.status_code for r in locations] == [303, 303, 303]
    assert [r.headers["Location"] for r in locations] == [
        "/zyklen/",
        "/benachrichtigungen/",
        "/benachrichtigungen/",
    ]
    assert unread_count(user.id) == 0
    assert "0 ungelesen" not in client.get("/start").get_data(as_text=True)


def test_someone_elses_notification_is_403(client, login, make) -> None:
    owner, intruder = make.user(), make.user()
    row = notify([owner.id], "Privat", "/start")[0]
    db.session.commit()
    row_id = row.id
    login(intruder)
    response = client.post(
        f"/benachrichtigungen/{row_id}/oeffnen", data={"csrf_token": _token(client)}
    )
    assert response.status_code == 403
    assert db.session.get(Benachrichtigung, row_id).gelesen_at is None
    assert (
        client.post(
            "/benachrichtigungen/999999/oeffnen", data={"csrf_token": _token(client)}
        ).status_code
        == 404
    )


def test_open_is_post_only_and_needs_csrf(client, login, make) -> None:
    user = make.user()
    row = notify([user.id], "X", "/start")[0]
    db.session.commit()
    login(user)
    assert client.get(f"/benachrichtigungen/{row.id}/oeffnen").status_code == 405
    assert client.post(f"/benachrichtigungen/{row.id}/oeffnen").status_code == 400
    assert unread_count(user.id) == 1


def test_mark_all_read(client, login, make) -> None:
    user, other = make.user(), make.user()
    notify([user.id, other.id], "A", None)
    notify([user.id], "B", None)
    db.session.commit()
    login(user)
    response = client.post("/benachrichtigungen/alle-gelesen", data={"csrf_token": _token(client)})
    assert response.status_code == 303
    assert "2 Benachrichtigungen als gelesen markiert." in client.get(
        "/benachrichtigungen/"
    ).get_data(as_text=True)
    assert unread_count(user.id) == 0 and unread_count(other.id) == 1
    assert mark_all_read(user.id) == 0


def test_anonymous_is_sent_to_login(client) -> None:
    assert client.get("/benachrichtigungen/").status_code == 302


def test_list_query_count_is_constant(client, login, make, query_counter) -> None:
    user = make.user()
    login(user)
    notify([user.id], "eins", None)
    db.session.commit()
    with query_counter() as few:
        client.get("/benachrichtigungen/")
    for i in range(30):
        notify([user.id], f"Nachricht {i}", "/start")
    db.session.commit()
    with query_counter() as many:
        client.get("/benachrichtigungen/")
    assert len(few) == len(many)
    assert (
        db.session.scalar(
            select(Benachrichtigung.text).order_by(Benachrichtigung.id.desc()).limit(1)
        )
        == "Nachricht 29"
    )
