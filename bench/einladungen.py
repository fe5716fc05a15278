"""Benchmark: 1,000 personalised invitations through outbox, Redis and a real worker process,
against the physical limit: a plain smtplib loop sending the same bytes over one connection.

Both go to the same SMTP server, which runs in its own process (``bench.smtp_zaehler``) and
only logs recipients. The outbox path is timed from the invitation (``services.invite`` and its
commit) until the server logged a mail for every invitee: fan-out task → Einladung and Mail
rows → ``mail.send_batch`` tasks → worker → SMTP. The raw loop then sends exactly the bytes of
those mails (``zustellung.wire(mail)``, what the worker hands to ``smtplib``, built before the
clock starts) with ``smtplib.SMTP.sendmail`` over one connection. Both rates count the same
unit: invitation mails (one recipient each) per second. Rounds alternate (outbox, raw,
outbox, raw …) so both see the same machine load; each round invites to a new meeting. The
benchmark's own watching of the server log reads only what is new, so it costs the outbox
rounds next to nothing.

Prints ``bench: einladungen n=… sent=… lost=… duplicated=… seconds=… per_s=…
raw_smtplib_per_s=… raw_ratio=…``: n invitations per round; sent, lost and duplicated summed
over the rounds (sent = n × rounds when all is well); seconds, per_s, raw_smtplib_per_s and
raw_ratio are medians over the rounds. Target raw_ratio ≥ 0.5, lost = duplicated = 0.
Settings: BENCH_EINLADUNGEN (n, 1000),
BENCH_EINLADUNGEN_RUNDEN (2), BENCH_WORKER_CONCURRENCY (4), BENCH_DATABASE_URL, BENCH_REDIS_URL.
"""

from __future__ import annotations

import os
import smtplib
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from bench.support import ROOT, database_url, free_port, median, redis_url, stop

N = int(os.environ.get("BENCH_EINLADUNGEN", "1000"))
RUNDEN = int(os.environ.get("BENCH_EINLADUNGEN_RUNDEN", "2"))
CONCURRENCY = int(os.environ.get("BENCH_WORKER_CONCURRENCY", "4"))
SETTLE_SECONDS = 3.0


class SmtpServer:
    """The counting SMTP server process and its log of recipients."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.log = workdir / "empfaenger.log"
        self.log.touch()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.smtp_zaehler", str(self.port), str(self.log)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            start_new_session=True,
        )
        if self.proc.stdout.readline().strip() != b"bereit":
            raise RuntimeError("SMTP-Server startet nicht")
        self.reader = self.log.open("rb")  # lives as long as the server
        self.rest = b""
        self.counts: Counter[str] = Counter()

    def mark(self) -> None:
        """Count only what arrives from now on."""
        self.reader.seek(0, os.SEEK_END)
        self.rest = b""
        self.counts = Counter()

    def received(self) -> Counter[str]:
        """Recipients logged since ``mark``; reads only the lines added since the last call."""
        data = self.rest + self.reader.read()
        complete, _, self.rest = data.rpartition(b"\n")
        if complete:
            self.counts.update(line.decode().strip() for line in complete.split(b"\n"))
        return self.counts


def _start_worker(env: dict[str, str], workdir: Path):
    """One real worker process (prefork, ``CONCURRENCY`` children: sending waits on the network)."""
    from tests.support.worker import WorkerProcess

    worker = WorkerProcess(env, workdir)
    worker.logfile = workdir / "worker.log"
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
                "--loglevel=WARNING",
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
    deadline = time.monotonic() + 60
    import redis

    client = redis.Redis.from_url(env["CELERY_BROKER_URL"])
    while time.monotonic() < deadline:  # ready when it registered as a consumer
        if worker.proc.poll() is not None:
            raise RuntimeError("Celery-Worker beendet sich sofort:\n" + worker.log())
        if client.keys("_kombu.binding.*"):
            time.sleep(1.0)
            return worker
        time.sleep(0.2)
    raise RuntimeError("Celery-Worker wurde nicht bereit:\n" + worker.log())


def _environment(smtp_port: int) -> dict[str, str]:
    database, broker = database_url(), redis_url()
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
            "BASE_URL": "https://sozialplanung.bench.example",
        }
    )
    return env


def _app(env: dict[str, str]):
    from bench.support import bench_app

    return bench_app(
        {
            "CELERY_BROKER_URL": env["CELERY_BROKER_URL"],
            "SMTP_PORT": int(env["SMTP_PORT"]),
            "BASE_URL": env["BASE_URL"],
        },
        url=env["DATABASE_URL"],
    )


def _seed(count: int) -> int:
    """A Gremium with ``count`` members; returns its id."""
    from app.auth.models import User
    from app.extensions import db
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
    db.session.commit()
    return gremium.id


def _sitzung(gremium_id: int, runde: int) -> int:
    """A new meeting with a three-item agenda for this round."""
    from app.core.types import utcnow
    from app.extensions import db
    from app.sitzungen.models import Sitzung, Tagesordnungspunkt

    beginn = utcnow().replace(second=0, microsecond=0) + timedelta(days=14 + runde)
    sitzung = Sitzung(
        gremium_id=gremium_id,
        titel=f"Trägerrunde Herbst (Runde {runde + 1})",
        beginn=beginn,
        ende=beginn + timedelta(hours=2),
        ort_name="Rathaus Hilden",
        ort_raum="Ratssaal",
        ort_adresse="Am Rathaus 1, 40721 Hilden",
    )
    sitzung.tagesordnungspunkte = [
        Tagesordnungspunkt(position=p, titel=t, beschreibung=f"Beschreibung zu {t}")
        for p, t in enumerate(("Begrüßung", "Sozialreport 2027", "Verschiedenes"), 1)
    ]
    db.session.add(sitzung)
    db.session.commit()
    return sitzung.id


def _outbox(sitzung_id: int, smtp: SmtpServer, expected: set[str]) -> tuple[float, Counter[str]]:
    """Seconds from the invitation until every invitee's mail reached the server; counts."""
    from app.extensions import db
    from app.sitzungen import services
    from app.sitzungen.models import Sitzung

    smtp.mark()
    started = time.perf_counter()
    services.invite(db.session.get(Sitzung, sitzung_id), [])
    db.session.commit()
    deadline = started + 600
    while time.perf_counter() < deadline and not smtp.received().keys() >= expected:
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    time.sleep(SETTLE_SECONDS)  # late duplicates (redelivery, sweep) would arrive now
    return seconds, smtp.received()


def _raw_messages(first_mail_id: int, expected: set[str]) -> list[tuple[str, bytes]]:
    """The bytes of the mails the outbox just sent, exactly as the worker put them on the wire,
    built before the clock starts: one invitation per invitee, nothing else."""
    from sqlalchemy import select

    from app.extensions import db
    from app.mail.models import Mail
    from app.mail.zustellung import wire

    mails = list(db.session.scalars(select(Mail).where(Mail.id >= first_mail_id).order_by(Mail.id)))
    if sorted(m.recipient for m in mails) != sorted(expected) or any(
        m.kind != "sitzung.einladung" for m in mails
    ):
        raise RuntimeError("der Postausgang enthält nicht genau eine Einladung je Person")
    return [(m.recipient, wire(m)) for m in mails]


def _raw(port: int, sender: str, messages: list[tuple[str, bytes]], smtp: SmtpServer) -> float:
    """Seconds for the plain loop: the same bytes over one connection, one after the other."""
    smtp.mark()
    started = time.perf_counter()
    connection = smtplib.SMTP("127.0.0.1", port, timeout=30)
    for recipient, data in messages:
        connection.sendmail(sender, [recipient], data)
    connection.quit()
    elapsed = time.perf_counter() - started
    if sum(smtp.received().values()) < len(messages):
        time.sleep(0.5)
    if set(smtp.received()) != {r for r, _ in messages}:
        raise RuntimeError("die smtplib-Schleife hat nicht alle erreicht")
    return elapsed


def _next_mail_id() -> int:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.mail.models import Mail

    return (db.session.scalar(select(func.max(Mail.id))) or 0) + 1


def run() -> str:
    """Seed, then alternate outbox and raw rounds with a real worker; one line."""
    expected = {f"person{i:04d}@bench.example" for i in range(N)}
    per_s, raw_per_s, seconds_all = [], [], []
    sent = lost = duplicated = 0
    worker = None
    with tempfile.TemporaryDirectory(prefix="bench-einladungen-") as tmp:
        smtp = SmtpServer(Path(tmp))
        try:
            env = _environment(smtp.port)
            app = _app(env)
            with app.test_request_context():
                gremium_id = _seed(N)
                worker = _start_worker(env, Path(tmp))
                sender = app.config["MAIL_FROM"]
                for runde in range(RUNDEN):
                    sitzung_id = _sitzung(gremium_id, runde)
                    first = _next_mail_id()
                    seconds, counts = _outbox(sitzung_id, smtp, expected)
                    sent += sum(counts.values())
                    lost += len(expected - set(counts))
                    duplicated += sum(n - 1 for n in counts.values() if n > 1)
                    duplicated += len(set(counts) - expected)
                    seconds_all.append(seconds)
                    per_s.append(len(set(counts) & expected) / seconds)
                    messages = _raw_messages(first, expected)
                    raw_per_s.append(len(messages) / _raw(smtp.port, sender, messages, smtp))
                    print(
                        f"  Runde {runde + 1}: Postausgang {per_s[-1]:.1f}/s, "
                        f"smtplib {raw_per_s[-1]:.1f}/s",
                        file=sys.stderr,
                    )
        finally:
            if worker is not None:
                worker.stop()
            stop(smtp.proc)
            smtp.reader.close()
    ratios = [a / b for a, b in zip(per_s, raw_per_s, strict=True)]
    return (
        f"bench: einladungen n={N} sent={sent} lost={lost} duplicated={duplicated} "
        f"seconds={median(seconds_all):.2f} per_s={median(per_s):.1f} "
        f"raw_smtplib_per_s={median(raw_per_s):.1f} raw_ratio={median(ratios):.2f}"
    )
