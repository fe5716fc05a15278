"""Idempotent submissions: a double click or a replayed POST creates one object."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.models import FormSubmission
from app.core.submissions import BEREITS, purge_submissions
from app.core.types import utcnow
from app.extensions import db
from app.impulse.models import Impuls

NEU = "/impulse/neu"


def tokens(body: str) -> tuple[str, str]:
    """CSRF and one-time token of the first form on a page."""
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body)
    once = re.search(r'name="formular_token" value="([^"]+)"', body)
    assert csrf and once, "Formular ohne Token"
    return csrf.group(1), once.group(1)


def impuls_data(client, titel: str = "Spielplatz am Rathaus") -> dict[str, str]:
    csrf, once = tokens(client.get(NEU).get_data(as_text=True))
    return {
        "csrf_token": csrf,
        "formular_token": once,
        "titel": titel,
        "quelle": "verwaltungsvorstand",
        "adressiert_an": "planungsrunde",
    }


def count_impulse() -> int:
    return db.session.scalar(select(func.count()).select_from(Impuls))


def test_every_render_carries_a_fresh_token(client, login, make) -> None:
    login(make.stabsstelle())
    first = tokens(client.get(NEU).get_data(as_text=True))[1]
    second = tokens(client.get(NEU).get_data(as_text=True))[1]
    assert first != second
    start = client.get("/start").get_data(as_text=True)  # hand-written logout form
    assert re.search(
        r'action="/abmelden"[^>]*>\s*<input[^>]*csrf_token[^>]*>'
        r'<input type="hidden" name="formular_token"',
        start,
    )


def test_replayed_post_creates_one_object_and_shows_the_first_result(client, login, make) -> None:
    login(make.stabsstelle())
    data = impuls_data(client)
    first = client.post(NEU, data=data)
    assert first.status_code == 303
    second = client.post(NEU, data=data)
    assert second.status_code == 303
    assert second.location == first.location
    assert count_impulse() == 1
    assert BEREITS in client.get(second.location).get_data(as_text=True)


def test_a_refused_submission_keeps_its_token_usable(client, login, make) -> None:
    login(make.stabsstelle())
    data = impuls_data(client)
    refused = client.post(NEU, data={**data, "titel": ""})
    assert refused.status_code == 422
    assert client.post(NEU, data=data).status_code == 303
    assert count_impulse() == 1


def test_posts_without_token_are_processed_as_before(client, login, make) -> None:
    login(make.stabsstelle())
    data = impuls_data(client)
    del data["formular_token"]
    assert client.post(NEU, data=data).status_code == 303
    assert client.post(NEU, data=data).status_code == 303
    assert count_impulse() == 2


def test_repeated_sozialreport_submission_creates_one_report(client, login, make) -> None:
    """Former duplicate: nine Sozialreports for one cycle from repeated clicks."""
    login(make.stabsstelle())
    zyklus = make.report_zyklus()
    url = "/datenbasis/sozialreports/neu"
    csrf, once = tokens(client.get(url).get_data(as_text=True))
    data = {"csrf_token": csrf, "formular_token": once, "zyklus_id": str(zyklus.id)}
    data["titel"] = "Sozialreport 2027"
    responses = [client.post(url, data=data) for _ in range(3)]
    assert {r.status_code for r in responses} <= {302, 303}
    assert len({r.location for r in responses}) == 1
    from app.datenbasis.models import Sozialreport

    assert db.session.scalar(select(func.count()).select_from(Sozialreport)) == 1


def test_purge_forgets_old_tokens(app, ctx) -> None:
    db.session.add_all(
        [
            FormSubmission(token="a" * 32, endpoint="x", created_at=utcnow() - timedelta(days=3)),
            FormSubmission(token="b" * 32, endpoint="x"),
        ]
    )
    db.session.flush()
    assert purge_submissions() == 1
    assert db.session.scalars(select(FormSubmission.token)).all() == ["b" * 32]


@pytest.mark.committed
def test_concurrent_double_click_creates_one_object(app, make) -> None:
    """Two simultaneous POSTs with one token: PostgreSQL serialises them on the token row."""
    clients = [app.test_client() for _ in range(2)]
    with app.app_context():
        user = make.stabsstelle()
        session_tokens = [make.login_session(user) for _ in clients]
    for c, session_token in zip(clients, session_tokens, strict=True):
        with c.session_transaction() as session:
            session["_user_id"] = session_token
            session["_fresh"] = True
    data = impuls_data(clients[0])
    # the second client needs its own CSRF token (bound to its session)
    csrf_second, _ = tokens(clients[1].get(NEU).get_data(as_text=True))
    payloads = [data, {**data, "csrf_token": csrf_second}]
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def send(i: int) -> None:
        barrier.wait()
        results[i] = clients[i].post(NEU, data=payloads[i])

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [r.status_code for r in results] == [303, 303]
    assert results[0].location == results[1].location
    with app.app_context():
        assert count_impulse() == 1
