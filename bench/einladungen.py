"""Benchmark: 1,000 personalised invitations through outbox, Redis and a real worker process,
compared with a plain smtplib loop over one connection, in one run, to the same SMTP server.

Both paths produce the same messages: the same templates, the same personal calendar part
and the same MIME building (``app.mail.services.build_message``). The loop renders, builds
and sends one message after the other over one connection (what a script without the
platform would do). The outbox path is timed from the invitation (``services.invite`` and its
commit) until the server holds a mail for every invitee: fan-out task → Einladung and Mail rows
→ ``mail.send_batch`` tasks → worker → SMTP. The aiosmtpd server runs in this process and
only counts envelopes, so it is no bottleneck for either path. Redis is a private
``redis-server`` on a free port, PostgreSQL the database ``bench_einladungen``.

Prints ``bench: einladungen n=1000 sent=… lost=… duplicated=… seconds=… per_s=…
smtplib_per_s=… ratio=…`` (ratio = per_s / smtplib_per_s; target ≥ 0.8, lost = duplicated = 0).
"""

from __future__ import annotations

import os
import smtplib
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from email.utils import make_msgid
from pathlib import Path

from aiosmtpd.controller import Controller

N = int(os.environ.get("BENCH_EINLADUNGEN", "1000"))
CONCURRENCY = int(os.environ.get("BENCH_WORKER_CONCURRENCY", "4"))
DB_NAME = "bench_einladungen"
SETTLE_SECONDS = 3.0


class CountingHandler:
    """Accepts every message and counts it per recipient (no parsing: the server stays fast)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.per_recipient: Counter[str] = Counter()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.per_recipient.update(r.lower() for r in envelope.rcpt_tos)
        return "250 Nachricht angenommen"

    def reset(self) -> None:
        with self.lock:
            self.per_recipient.clear()

    def snapshot(self) -> Counter[str]:
        with self.lock:
            return Counter(self.per_recipient)


def _start_worker(env: dict[str, str]):
    """One real worker process (prefork, ``CONCURRENCY`` children: sending waits on the network)."""
    import subprocess
    import sys

    from tests.support.worker import ROOT, WorkerProcess

    worker = WorkerProcess(env, Path(tempfile.mkdtemp(prefix="bench-einladungen-")))
    worker.logfile = worker.logdir / "worker.log"
    with worker.logfile.open("wb") as log:
        worker.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "worker.app",
                "worker",
                "--pool=prefork",
                f"--concurrency={CONCURRENCY}",
                "--loglevel=INFO",
                "-n",
                "bench-einladungen@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker._wait_ready(60)
    return worker


def _environment(smtp_port: int) -> dict[str, str]:
    from tests.support.services import _start_redis, create_database, ensure_postgres

    database = os.environ.get("BENCH_DATABASE_URL") or create_database(ensure_postgres(), DB_NAME)
    broker = _start_redis() + "/0"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
    env.update(
        {
            "APP_ENV": "testing",
            "DATABASE_URL": database,
            "REDIS_URL": broker,
            "CELERY_BROKER_URL": broker,
            "RATELIMIT_STORAGE_URI": "memory://",
            "MAIL_BACKEND": "smtp",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
            "BASE_URL": "http://127.0.0.1:5000",
        }
    )
    return env


def _app(env: dict[str, str]):
    from app import create_app
    from app.extensions import db

    overrides = {
        "SQLALCHEMY_DATABASE_URI": env["DATABASE_URL"],
        "CELERY_BROKER_URL": env["CELERY_BROKER_URL"],
        "RATELIMIT_STORAGE_URI": "memory://",
        "SMTP_PORT": int(env["SMTP_PORT"]),
        "BASE_URL": env["BASE_URL"],
        "PROXY_FIX": False,
    }
    app = create_app("testing", overrides)
    with app.app_context():
        db.create_all()
    return app


def _seed(count: int) -> int:
    """A Gremium with ``count`` members and a meeting with a three-item agenda; returns its id."""
    from app.auth.models import User
    from app.core.types import utcnow
    from app.extensions import db
    from app.sitzungen.models import Sitzung, Tagesordnungspunkt
    from app.stammdaten.models import Funktion, Gremium, GremiumTyp, Mitgliedschaft

    gremium = Gremium(name="Trägerrunde (Benchmark)", typ=GremiumTyp.TRAEGERRUNDE)
    db.session.add(gremium)
    db.session.flush()
    users = [
        User(email=f"person{i:04d}@bench.example", name=f"Person {i:04d}") for i in range(count)
    ]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(
        Mitgliedschaft(gremium_id=gremium.id, user_id=u.id, funktion=Funktion.MITGLIED)
        for u in users
    )
    beginn = utcnow().replace(second=0, microsecond=0) + timedelta(days=14)
    sitzung = Sitzung(
        gremium_id=gremium.id,
        titel="Trägerrunde Herbst",
        beginn=beginn,
        ende=beginn + timedelta(hours=2),
        ort_name="Rathaus Hilden",
        ort_raum="Ratssaal",
        ort_adresse="Am Rathaus 1, 40721 Hilden",
    )
    db.session.add(sitzung)
    db.session.flush()
    for position, titel in enumerate(("Begrüßung", "Sozialreport 2027", "Verschiedenes"), 1):
        db.session.add(
            Tagesordnungspunkt(
                sitzung_id=sitzung.id,
                position=position,
                titel=titel,
                beschreibung=f"Beschreibung zu {titel}",
            )
        )
    db.session.commit()
    return sitzung.id


def _baseline(sitzung_id: int, port: int) -> float:
    """Seconds for the plain loop: render, build and send each personal message, one connection."""
    from app.extensions import db
    from app.mail.models import Mail, MailAttachment
    from app.mail.services import build_message
    from app.sitzungen import kalender, services
    from app.sitzungen.models import Antwort, Einladung, Sitzung

    sitzung = db.session.get(Sitzung, sitzung_id)
    people = services.recipients(sitzung)
    started = time.perf_counter()
    ics = kalender.invitation_calendar(sitzung)
    connection = smtplib.SMTP("127.0.0.1", port, timeout=30)
    for number, person in enumerate(people, 1):
        einladung = Einladung(
            id=number,
            sitzung_id=sitzung.id,
            email=person.email,
            name=person.name,
            gast=False,
            antwort=Antwort.OFFEN,
        )
        mail = _transient_mail(sitzung, einladung, ics, Mail, MailAttachment)
        connection.send_message(build_message(mail))
    connection.quit()
    elapsed = time.perf_counter() - started
    db.session.rollback()
    return elapsed


def _transient_mail(sitzung, einladung, ics, mail_cls, attachment_cls):
    """The same mail the fan-out writes, built in memory only."""
    from flask import render_template

    from app.core.types import utcnow
    from app.sitzungen import kalender, services

    context = {
        "sitzung": sitzung,
        "einladung": einladung,
        "art": "einladung",
        "link": services.reply_link(einladung),
        "tops": sitzung.tagesordnungspunkte,
        "recipient_name": einladung.name,
    }
    data = ics.personal(einladung)
    part = (kalender.ICS_FILENAME, kalender.mime_type(ics.method), data)
    mail = mail_cls(
        recipient=einladung.email,
        recipient_name=einladung.name,
        subject=services._subject(sitzung, "einladung"),
        body_text=render_template("mail/sitzung_einladung.txt", **context),
        body_html=render_template("mail/sitzung_einladung.html", **context),
        message_id=make_msgid(domain="bench.example"),
        created_at=utcnow(),
    )
    mail.attachments = [
        attachment_cls(filename=part[0], content_type=part[1], data=part[2], inline=True),
        attachment_cls(filename=part[0], content_type=part[1], data=part[2]),
    ]
    return mail


def _outbox(sitzung_id: int, handler: CountingHandler, expected: set[str]) -> float:
    """Seconds from the invitation until every invitee's mail reached the server."""
    from app.extensions import db
    from app.sitzungen import services
    from app.sitzungen.models import Sitzung

    started = time.perf_counter()
    services.invite(db.session.get(Sitzung, sitzung_id), [])
    db.session.commit()
    deadline = started + 600
    while time.perf_counter() < deadline:
        if expected <= set(handler.snapshot()):
            break
        time.sleep(0.01)
    return time.perf_counter() - started


def run() -> str:
    """Seed, measure the plain loop, then the outbox path with a real worker; one line."""
    handler = CountingHandler()
    from tests.support.services import free_port

    server = Controller(handler, hostname="127.0.0.1", port=free_port())
    server.start()
    worker = None
    try:
        env = _environment(server.port)
        app = _app(env)
        with app.test_request_context():
            sitzung_id = _seed(N)
            expected = {f"person{i:04d}@bench.example" for i in range(N)}
            worker = _start_worker(env)
            baseline = _baseline(sitzung_id, server.port)
            assert set(handler.snapshot()) == expected, (
                "die smtplib-Schleife hat nicht alle erreicht"
            )
            handler.reset()
            seconds = _outbox(sitzung_id, handler, expected)
            time.sleep(SETTLE_SECONDS)  # late duplicates (redelivery, sweep) would arrive now
            counts = handler.snapshot()
    finally:
        if worker is not None:
            worker.stop()
        server.stop()
    sent = sum(counts.values())
    lost = len(expected - set(counts))
    duplicated = sum(n - 1 for n in counts.values() if n > 1) + len(set(counts) - expected)
    per_s = len(set(counts) & expected) / seconds
    smtplib_per_s = N / baseline
    return (
        f"bench: einladungen n={N} sent={sent} lost={lost} duplicated={duplicated} "
        f"seconds={seconds:.2f} per_s={per_s:.1f} smtplib_per_s={smtplib_per_s:.1f} "
        f"ratio={per_s / smtplib_per_s:.2f}"
    )
