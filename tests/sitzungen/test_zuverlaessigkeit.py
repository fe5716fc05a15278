"""Exactly one invitation per person, even when the worker is killed (kill -9) in the middle
of 1,000 invitations or Redis loses every queued message (FLUSHDB of the broker database).

Counted where it matters: messages per recipient at the real SMTP server.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
import redis as redis_lib
from sqlalchemy import func, select

from app.extensions import db
from app.mail.models import Mail, MailStatus
from app.sitzungen import services
from app.sitzungen.models import Einladung, Sitzung, SitzungGast

pytestmark = pytest.mark.worker
N = 1000


def _meeting_with_guests(make, runde, count: int) -> tuple[int, list[str]]:
    """A meeting of the Gremium (4 members) plus guests up to ``count`` invitees, invited."""
    sitzung = make.sitzung(runde.gremium, titel="Großveranstaltung")
    members = [p.email.lower() for p in (runde.vorsitz, *runde.mitglieder)]
    guests = [f"gast{i:04d}@viele.example" for i in range(count - len(members))]
    db.session.add_all(
        SitzungGast(sitzung_id=sitzung.id, email=g, name=f"Gast {g[4:8]}") for g in guests
    )
    db.session.commit()
    services.invite(db.session.get(Sitzung, sitzung.id), [])
    db.session.commit()
    return sitzung.id, members + guests


def _wait(check, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"Zeitüberschreitung nach {timeout}s: {what}")


def _per_recipient(smtp_server) -> Counter:
    with smtp_server.handler.lock:
        return Counter(r.lower() for m in smtp_server.handler.messages for r in m.rcpt_tos)


def _assert_exactly_once(smtp_server, sitzung_id: int, addresses: list[str]) -> None:
    _wait(
        lambda: len(_per_recipient(smtp_server)) >= len(addresses),
        "alle Einladungen zugestellt",
        90,
    )
    time.sleep(3)  # sweeps and redelivered messages of the dead worker run meanwhile
    counts = _per_recipient(smtp_server)
    duplicated = {a: n for a, n in counts.items() if n > 1}
    missing = [a for a in addresses if a not in counts]
    assert (missing, duplicated) == ([], {})
    assert set(counts) == set(addresses)
    db.session.expire_all()
    rows = db.session.scalar(
        select(func.count(Einladung.id)).where(Einladung.sitzung_id == sitzung_id)
    )
    assert rows == len(addresses)
    statuses = dict(
        db.session.execute(select(Mail.status, func.count()).group_by(Mail.status)).all()
    )
    assert statuses == {MailStatus.SENT: len(addresses)}


def test_kill_9_in_the_middle_of_1000_invitations(
    ctx, celery_worker, smtp_server, make, runde
) -> None:
    sitzung_id, addresses = _meeting_with_guests(make, runde, N)
    _wait(lambda: smtp_server.count() >= 300, "die ersten 300 Einladungen", 60)
    # Hold every address not yet served at RCPT: the worker's processes are then stuck in a
    # send that cannot complete, never between a delivery and its record.
    served = set(_per_recipient(smtp_server))
    waiting = [a for a in addresses if a not in served]
    for address in waiting:
        smtp_server.stall(address, 30)
    time.sleep(1.0)
    before = smtp_server.count()
    celery_worker.kill9()
    assert before < N, "der Versand war schon fertig; der Test hätte nichts geprüft"
    for address in waiting:
        smtp_server.clear(address)
    celery_worker.start()
    _assert_exactly_once(smtp_server, sitzung_id, addresses)


def test_redis_flush_in_the_middle_of_1000_invitations(
    ctx,
    celery_worker,
    smtp_server,
    make,
    runde,
    test_env,
) -> None:
    broker = redis_lib.Redis.from_url(test_env["CELERY_BROKER_URL"])
    sitzung_id, addresses = _meeting_with_guests(make, runde, N)
    _wait(lambda: smtp_server.count() >= 200, "die ersten 200 Einladungen", 60)
    broker.flushdb()  # Redis restarted without persistence: every queued task is gone
    assert smtp_server.count() < N, "der Versand war schon fertig; der Test hätte nichts geprüft"
    _assert_exactly_once(smtp_server, sitzung_id, addresses)


def test_fan_out_lost_with_redis_is_restarted_by_the_sweep(
    ctx, celery_worker, smtp_server, make, runde, test_env
) -> None:
    broker = redis_lib.Redis.from_url(test_env["CELERY_BROKER_URL"])
    celery_worker.stop()  # nobody takes the fan-out task before Redis loses it
    try:
        sitzung_id, addresses = _meeting_with_guests(make, runde, 50)
        assert broker.llen("planungskreislauf") >= 1
        broker.flushdb()
    finally:
        celery_worker.start()
    _assert_exactly_once(smtp_server, sitzung_id, addresses)
    assert not db.session.get(Sitzung, sitzung_id, populate_existing=True).versand_ausstehend
    assert "Sitzungen: Versand für 1 Sitzung(en) erneut eingereiht" in celery_worker.full_log()
