"""Two coordinators move the same cycle at once: exactly one move happens (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.mail.models import Mail
from app.workflows import services
from app.workflows.models import Phase, Phasenfrist, Verlaufseintrag, Zyklus

pytestmark = pytest.mark.committed


def _history(app, zyklus_id: int) -> list[tuple[Phase, Phase]]:
    with app.app_context():
        rows = db.session.execute(
            select(Verlaufseintrag.von_phase, Verlaufseintrag.nach_phase)
            .where(Verlaufseintrag.zyklus_id == zyklus_id)
            .order_by(Verlaufseintrag.id)
        ).all()
        return [tuple(r) for r in rows]


def test_second_move_waits_for_the_row_lock_and_is_refused(app, ctx, welt) -> None:
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    zyklus_id, stab_id = welt.zyklus.id, welt.stab.id
    holding, release, second_done = threading.Event(), threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        with app.app_context():
            services.change_phase(
                zyklus_id,
                Phase.PLANUNGSRUNDE,
                user=db.session.get(User, stab_id),
                expected_version=1,
            )
            holding.set()
            release.wait(10)
            db.session.commit()

    def second() -> None:
        with app.app_context():
            holding.wait(10)
            try:
                services.change_phase(
                    zyklus_id,
                    Phase.PLANUNGSRUNDE,
                    user=db.session.get(User, stab_id),
                    expected_version=1,
                )
                db.session.commit()
                outcome["second"] = "bewegt"
            except services.WorkflowError as exc:
                db.session.rollback()
                outcome["second"] = exc
            second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert holding.wait(10)
    assert not second_done.wait(0.8), "die zweite Transaktion muss auf die Zeilensperre warten"
    release.set()
    for thread in threads:
        thread.join(10)
    assert isinstance(outcome["second"], services.StaleState)
    assert (
        outcome["second"].status_code == 409 and "inzwischen geändert" in outcome["second"].message
    )
    assert _history(app, zyklus_id) == [(Phase.DATENBASIS, Phase.PLANUNGSRUNDE)]
    with app.app_context():
        assert db.session.get(Zyklus, zyklus_id).version == 2


def test_two_coordinators_posting_at_once_get_one_move_and_one_409(
    app, ctx, login, make, welt
) -> None:
    import re

    zweite = make.stabsstelle(name="Zweite Koordination")
    clients = [
        login(welt.stab, on_client=app.test_client()),
        login(zweite, on_client=app.test_client()),
    ]
    url = f"/zyklen/{welt.zyklus.id}/phase"
    tokens = [
        re.search(
            r'name="csrf_token"[^>]*value="([^"]+)"',
            c.get(f"{url}?nach=planungsrunde").get_data(as_text=True),
        ).group(1)
        for c in clients
    ]
    barrier = threading.Barrier(2)
    responses: list = [None, None]

    def post(i: int) -> None:
        barrier.wait(5)
        responses[i] = clients[i].post(
            url, data={"csrf_token": tokens[i], "nach": "planungsrunde", "version": 1}
        )

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(r.status_code for r in responses) == [303, 409]
    refused = next(r for r in responses if r.status_code == 409).get_data(as_text=True)
    assert (
        "wurde inzwischen geändert" in refused and "Ihre Aktion wurde nicht ausgeführt" in refused
    )
    assert _history(app, welt.zyklus.id) == [(Phase.DATENBASIS, Phase.PLANUNGSRUNDE)]
    with app.app_context():
        mails = db.session.scalar(
            select(func.count()).select_from(Mail).where(Mail.kind == "zyklus.phasenwechsel")
        )
        assert mails == 1  # the Planungsrunde member, once


def test_parallel_deadline_runs_send_each_reminder_once(app, ctx, welt) -> None:
    with app.app_context():
        db.session.add(
            Phasenfrist(
                zyklus_id=welt.zyklus.id, phase=Phase.DATENBASIS, faellig_am=services.berlin_today()
            )
        )
        db.session.commit()
    barrier = threading.Barrier(3)
    sent: list[int] = []

    def run() -> None:
        with app.app_context():
            barrier.wait(5)
            sent.append(services.send_deadline_reminders())
            db.session.commit()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(sent) == [0, 0, 1]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Mail)) == 1
