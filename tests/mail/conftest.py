"""Helpers for the outbox tests: fresh rows, polling, the broker's Redis, pausing the worker."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

import pytest
import redis as redis_lib

from app.extensions import db
from app.mail.models import Mail

QUEUE = "planungskreislauf"


def reload_mail(mail_id: int) -> Mail:
    """The row as the worker left it (READ COMMITTED: every statement sees the latest commit)."""
    mail = db.session.get(Mail, mail_id, populate_existing=True)
    assert mail is not None, f"E-Mail {mail_id} fehlt"
    return mail


def wait_until(check: Callable[[], object], what: str, timeout: float = 30) -> object:
    """Poll ``check`` until it returns something truthy; fail with ``what`` on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"Zeitüberschreitung nach {timeout}s: {what}")


def wait_for_status(mail_id: int, status: str, timeout: float = 30) -> Mail:
    def check() -> Mail | None:
        mail = reload_mail(mail_id)
        return mail if mail.status.value == status else None

    return wait_until(check, f"E-Mail {mail_id} erreicht Status {status}", timeout)  # type: ignore[return-value]


@pytest.fixture
def broker(test_env: dict[str, str]) -> redis_lib.Redis:
    """The broker's Redis database (the one the worker reads)."""
    return redis_lib.Redis.from_url(test_env["CELERY_BROKER_URL"])


def _send_tasks(raw_messages: list[bytes]) -> list[str]:
    found = []
    for raw in raw_messages:
        message = json.loads(raw)
        if isinstance(message, list):  # the "unacked" hash stores [message, exchange, key]
            message = message[0]
        headers = message.get("headers", {})
        if headers.get("task") == "mail.send":
            found.append(headers.get("argsrepr", ""))
    return found


def queued_sends(broker: redis_lib.Redis, mail_id: int) -> int:
    """How many mail.send messages for ``mail_id`` wait in the queue."""
    return _send_tasks(broker.lrange(QUEUE, 0, -1)).count(f"({mail_id},)")


def unacked_sends(broker: redis_lib.Redis, mail_id: int) -> int:
    """How many mail.send messages for ``mail_id`` were delivered to a worker but not acked."""
    return _send_tasks(list(broker.hvals("unacked"))).count(f"({mail_id},)")


@pytest.fixture
def killable_worker(celery_worker):
    """The shared worker, for tests that kill and restart it; it runs again afterwards."""
    yield celery_worker
    if celery_worker.proc is None or celery_worker.proc.poll() is not None:
        celery_worker.start()


@pytest.fixture(autouse=True)
def _close_smtp_connection() -> Iterator[None]:
    """Tasks run in-process (``apply``) keep the process's SMTP connection; close it."""
    yield
    from app.mail.transport import close_connection

    close_connection()
