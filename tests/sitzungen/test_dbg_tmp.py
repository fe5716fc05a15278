import time
import pytest
from tests.sitzungen.test_zuverlaessigkeit import _meeting_with_guests, _per_recipient
pytestmark = pytest.mark.worker

def test_speed(ctx, celery_worker, smtp_server, make, runde):
    t0 = time.monotonic()
    sid, addresses = _meeting_with_guests(make, runde, 1000)
    t1 = time.monotonic()
    marks = {}
    while len(_per_recipient(smtp_server)) < 1000 and time.monotonic() - t1 < 120:
        n = smtp_server.count()
        for k in (1, 100, 500, 900):
            if n >= k and k not in marks: marks[k] = round(time.monotonic() - t1, 2)
        time.sleep(0.05)
    print("setup", round(t1 - t0, 2), "marks", marks, "all", round(time.monotonic() - t1, 2))
    log = celery_worker.full_log() if hasattr(celery_worker, "full_log") else celery_worker.log()
    print("\n".join(l for l in log.splitlines() if "succeeded" in l or "erneut" in l)[-3000:])
    assert 0
