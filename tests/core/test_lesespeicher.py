"""Reads of GET requests come from the query store until a commit wrote (app.core.lesespeicher)."""

from __future__ import annotations

import contextlib
import re

import pytest
from flask import g
from sqlalchemy import event, select

from app.core import datenstand
from app.extensions import db
from app.sitzungen.models import Sitzung


@pytest.fixture
def statements(app):
    """The SQL statements run while the test body runs (savepoints left out)."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


@contextlib.contextmanager
def _frisch(app, method: str = "GET"):
    """A new dispatched request (own ``g``, before-request hooks run) on the test's session."""
    db.session.expunge_all()
    with app.test_request_context("/", method=method):
        app.preprocess_request()
        yield


def _laden(sitzung_id: int, **optionen) -> Sitzung:
    return db.session.scalar(
        select(Sitzung).where(Sitzung.id == sitzung_id).execution_options(**optionen)
    )


def test_second_get_request_reads_no_sql_and_gets_its_own_instance(app, make, statements):
    sitzung_id = make.sitzung(titel="Stadtteilkonferenz Nord").id
    with _frisch(app):
        erste = _laden(sitzung_id)
        assert erste.titel == "Stadtteilkonferenz Nord"
        erste.titel = "Geändert, aber nie gespeichert"  # must not leak into the store
    anzahl = len(statements)
    with _frisch(app):
        zweite = _laden(sitzung_id)
        assert len(statements) == anzahl  # no SQL
        assert zweite is not erste and zweite in db.session
        assert zweite.titel == "Stadtteilkonferenz Nord"
        assert zweite.gremium.name  # a lazy load: once from the database, then stored
    anzahl = len(statements)
    with _frisch(app):
        assert _laden(sitzung_id).gremium.name
        assert len(statements) == anzahl


def test_a_commit_that_wrote_ends_the_stored_results(app, make, statements):
    sitzung_id = make.sitzung(titel="Vorher").id
    with _frisch(app):
        _laden(sitzung_id)
    with _frisch(app):
        _laden(sitzung_id).titel = "Nachher"
        db.session.commit()  # the Redis counter moves
    with _frisch(app):
        anzahl = len(statements)
        assert _laden(sitzung_id).titel == "Nachher"
        assert len(statements) == anzahl + 1


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_forms_and_other_writes_always_read_the_database(app, make, statements, method):
    sitzung_id = make.sitzung().id
    for _ in range(2):
        with _frisch(app, method):
            anzahl = len(statements)
            _laden(sitzung_id)
            assert len(statements) == anzahl + 1


def test_locking_reads_refreshes_and_reads_after_a_write_go_to_the_database(app, make, statements):
    sitzung = make.sitzung()
    sitzung_id, gremium_id = sitzung.id, sitzung.gremium_id
    for _ in range(2):  # the second time too: such reads are never stored
        with _frisch(app):
            anzahl = len(statements)
            db.session.scalar(select(Sitzung).where(Sitzung.id == sitzung_id).with_for_update())
            _laden(sitzung_id, populate_existing=True)
            assert len(statements) == anzahl + 2
    with _frisch(app):
        from app.stammdaten.models import Gremium

        db.session.get(Gremium, gremium_id).name = "Noch nicht gespeichert"
        db.session.flush()  # this transaction now differs from every stored result
        anzahl = len(statements)
        _laden(sitzung_id)
        assert len(statements) == anzahl + 1
        db.session.rollback()


def test_without_redis_every_read_goes_to_the_database(app, make, statements, monkeypatch):
    sitzung_id = make.sitzung().id
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    for _ in range(2):
        with _frisch(app):
            anzahl = len(statements)
            _laden(sitzung_id)
            assert len(statements) == anzahl + 1


def test_lists_with_in_parameters_are_told_apart(app, make):
    erste, zweite = make.sitzung(titel="Eins"), make.sitzung(titel="Zwei")
    for ids, erwartet in (([erste.id], ["Eins"]), ([erste.id, zweite.id], ["Eins", "Zwei"])):
        with _frisch(app):
            titel = db.session.scalars(
                select(Sitzung.titel).where(Sitzung.id.in_(ids)).order_by(Sitzung.titel)
            ).all()
            assert titel == erwartet


def test_warm_meeting_page_runs_no_sql_and_keeps_rights_apart(
    app, client, login, make, query_counter
):
    """A page warmed by an organiser is still refused to a stranger (both logged in before:
    a login is a write and would empty the cache)."""
    sitzung = make.sitzung()
    url = f"/sitzungen/{sitzung.id}"
    login(make.stabsstelle())
    fremd = login(make.user(name="Nicht eingeladen"), app.test_client())
    client.get(url)
    with query_counter(zwischenspeicher=True) as warm:
        assert client.get(url).status_code == 200
    assert warm == []
    assert fremd.get(url).status_code in (403, 404)


def test_cached_meeting_page_carries_fresh_tokens_that_work(client, login, make) -> None:
    from datetime import timedelta

    from app.core.types import utcnow

    stab = make.stabsstelle()
    beginn = utcnow().replace(second=0, microsecond=0) - timedelta(hours=3)
    sitzung = make.sitzung(beginn=beginn, ende=beginn + timedelta(hours=2))
    sitzung_id = sitzung.id
    login(stab)
    url = f"/sitzungen/{sitzung_id}"
    seiten = [client.get(url).get_data(as_text=True) for _ in range(2)]
    tokens = [re.findall(r'name="formular_token" value="([^"]+)"', s) for s in seiten]
    assert tokens[0] and tokens[1] and set(tokens[0]).isdisjoint(tokens[1])
    assert "<!--formular-felder" not in seiten[1]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', seiten[1]).group(1)
    antwort = client.post(
        f"/sitzungen/{sitzung_id}/durchgefuehrt",
        data={"csrf_token": csrf, "formular_token": tokens[1][0]},
    )
    assert antwort.status_code in (302, 303)
    assert "Als durchgeführt markieren" not in client.get(url).get_data(as_text=True)


def test_stored_results_are_counted_against_the_memory_budget(app, make) -> None:
    sitzung_id = make.sitzung().id
    datenstand.vergessen()
    with _frisch(app):
        g.pop("_datenstand", None)
        _laden(sitzung_id)
    assert datenstand._belegt[0] >= 1024


def test_large_results_are_not_stored(app, make, statements, monkeypatch) -> None:
    from app.core import lesespeicher

    monkeypatch.setattr(lesespeicher, "_HOECHSTENS", 1)
    make.sitzung(), make.sitzung()
    for _ in range(2):
        with _frisch(app):
            anzahl = len(statements)
            assert len(db.session.scalars(select(Sitzung.id)).all()) == 2
            assert len(statements) == anzahl + 1


def test_a_pending_change_is_flushed_and_read_not_answered_from_the_store(app, make) -> None:
    """SQLAlchemy autoflushes after the execute hooks: the store must step aside, or a query
    would miss a change made earlier in the same request."""
    sitzung_id = make.sitzung(titel="Alt").id
    with _frisch(app):
        db.session.scalars(select(Sitzung.titel).where(Sitzung.id == sitzung_id)).all()
    with _frisch(app):
        db.session.get(Sitzung, sitzung_id).titel = "Neu, noch nicht geschrieben"
        titel = db.session.scalars(select(Sitzung.titel).where(Sitzung.id == sitzung_id)).all()
        assert titel == ["Neu, noch nicht geschrieben"]
        db.session.rollback()


def test_a_bare_request_context_does_not_use_the_store(app, make, statements) -> None:
    """Tests and scripts that hold one context while others write must see the writes."""
    sitzung_id = make.sitzung().id
    with app.test_request_context("/"):
        for _ in range(2):
            anzahl = len(statements)
            _laden(sitzung_id, populate_existing=False)
            db.session.expunge_all()
            assert len(statements) == anzahl + 1
