"""Derived page parts are reused until any commit changes data (Redis counter ``datenstand``)."""

from __future__ import annotations

from sqlalchemy import text

from app.benachrichtigungen.services import notify
from app.core import datenstand
from app.core.datenstand import zwischengespeichert
from app.extensions import db
from app.workflows.models import Phase


def _zaehler(calls: list[int]):
    def compute() -> int:
        calls.append(1)
        return len(calls)

    return compute


def test_value_is_reused_until_a_commit_wrote(ctx, make) -> None:
    calls: list[int] = []
    make.stabsstelle()  # commits: the counter moves past any earlier test's value
    from flask import g

    g.pop("_datenstand", None)
    assert zwischengespeichert(("probe",), _zaehler(calls)) == 1
    assert zwischengespeichert(("probe",), _zaehler(calls)) == 1
    assert zwischengespeichert(("andere",), _zaehler(calls)) == 2
    make.user(name="Neue Person")  # a commit that wrote
    assert zwischengespeichert(("probe",), _zaehler(calls)) == 3


def test_uncommitted_writes_and_plain_sql_bypass_the_cache(ctx, make) -> None:
    calls: list[int] = []
    make.stabsstelle()
    from flask import g

    g.pop("_datenstand", None)
    zwischengespeichert(("probe",), _zaehler(calls))
    db.session.execute(text("UPDATE organisation SET aktiv = aktiv"))
    assert zwischengespeichert(("probe",), _zaehler(calls)) == 2  # written, not committed
    before = datenstand.stand()
    db.session.commit()
    g.pop("_datenstand", None)
    assert datenstand.stand() == before + 1


def test_reading_commits_leave_the_counter_alone(ctx, make) -> None:
    make.stabsstelle()
    from flask import g

    g.pop("_datenstand", None)
    before = datenstand.stand()
    db.session.execute(db.select(db.literal(1)))
    db.session.commit()
    g.pop("_datenstand", None)
    assert datenstand.stand() == before


def test_without_redis_everything_is_computed(app, ctx, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    from flask import g

    g.pop("_datenstand", None)
    calls: list[int] = []
    zwischengespeichert(("probe",), _zaehler(calls))
    zwischengespeichert(("probe",), _zaehler(calls))
    assert len(calls) == 2


def test_start_page_reuses_tasks_and_sees_a_new_notification(
    make, client, login, query_counter
) -> None:
    stab = make.stabsstelle()
    make.zyklus(titel="Sozialplanung 2040", phase=Phase.BETEILIGUNG)
    login(stab)
    client.get("/start")
    with query_counter() as uncached:
        client.get("/start")
    with query_counter(zwischenspeicher=True) as cached:
        client.get("/start")
    assert len(cached) < len(uncached), (cached, uncached)
    notify([stab.id], "Neue Rückmeldung der AWO", "/start")
    db.session.commit()
    body = client.get("/start").get_data(as_text=True)
    assert "1 ungelesen" in body


def test_logged_in_user_is_cached_until_a_logout_anywhere(
    make, client, login, query_counter
) -> None:
    from app.auth.services import end_all_login_sessions

    stab = make.stabsstelle()
    login(stab)
    client.get("/start")
    with query_counter(zwischenspeicher=True) as cached:
        response = client.get("/start")
    assert response.status_code == 200
    assert not any("login_session" in s for s in cached), cached  # user from the cache
    assert stab.name in response.get_data(as_text=True)
    end_all_login_sessions(stab)  # e.g. a password change on another device
    db.session.commit()
    response = client.get("/start")
    assert response.status_code == 302 and "/anmelden" in response.headers["Location"]


def test_deactivated_user_loses_the_cached_login(make, client, login) -> None:
    stab = make.stabsstelle()
    person = make.user(name="Bald inaktiv")
    login(person)
    assert client.get("/start").status_code == 200
    from app.auth.models import User

    db.session.get(User, person.id).aktiv = False  # the request's end closed the session
    db.session.commit()
    assert client.get("/start").status_code == 302
    assert stab.aktiv


def test_cached_html_is_bounded_per_process(ctx, make, monkeypatch) -> None:
    """Query strings vary without end: old fragments give way when the budget is used up."""
    make.stabsstelle()
    from flask import g

    g.pop("_datenstand", None)
    monkeypatch.setattr(datenstand, "_BUDGET", 10_000)
    for n in range(10):
        zwischengespeichert(("seite", n), lambda: "x" * 3_000)
    assert datenstand._belegt[0] <= 10_000
    assert len(datenstand._werte) == 3  # the three newest
    calls: list[int] = []
    zwischengespeichert(("seite", 9), _zaehler(calls))
    zwischengespeichert(("seite", 0), _zaehler(calls))
    assert calls == [1]  # the newest is kept, the oldest was dropped
