"""Load benchmark: 200 organisations submit their Rückmeldung at the same moment.

gunicorn (4 workers × 4 threads) serves the app on a free loopback port against a fresh
PostgreSQL database; one logged-in HTTP session per organisation waits at a barrier, then all
post "Einreichen" together and confirm on the confirmation page. ``lost`` counts submissions answered with 2xx/3xx that are not
stored as submitted. Prints ``bench: rueckmeldungen concurrent=… ok=… errors=… lost=… p95_ms=…``.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

CONCURRENT = int(os.environ.get("BENCH_RUECKMELDUNGEN", "200"))
ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Bench-Passwort-2026"


@dataclass
class Sitzung:
    """One organisation's logged-in browser session and what its form needs."""

    email: str
    organisation_id: int
    opener: urllib.request.OpenerDirector = field(repr=False, default=None)  # type: ignore[assignment]
    csrf: str = ""
    version: str = ""
    status: int = 0
    millis: float = 0.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report redirects as they come, so the POST alone is timed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _database_url() -> str:
    from bench.support import database_url

    return database_url()


def _seed(url: str) -> tuple[int, list[tuple[str, int]], dict[str, str]]:
    """Schema, 200 Träger with one person each, a published form; returns its id and logins."""
    from bench.support import bench_app

    app = bench_app(url=url)
    with app.test_request_context():
        return _seed_rows(app)


def _seed_rows(app) -> tuple[int, list[tuple[str, int]], dict[str, str]]:
    from app.auth.models import User
    from app.auth.services import hash_password
    from app.beteiligung import services
    from app.beteiligung.models import FrageTyp
    from app.core.types import utcnow
    from app.extensions import db
    from app.stammdaten.models import Organisation, OrganisationArt, Sozialraum

    for nummer in range(1, 6):
        db.session.add(Sozialraum(nummer=nummer, name=f"Stadtbereich {nummer}"))
    stab = User(email="stab@bench.example", name="Stab", ist_stabsstelle=True)
    secret = hash_password(PASSWORD)
    orgs = [
        Organisation(name=f"Träger {i:03d}", kurzname=f"T{i}", art=OrganisationArt.TRAEGER)
        for i in range(CONCURRENT)
    ]
    db.session.add_all([stab, *orgs])
    db.session.flush()
    users = [
        User(
            email=f"traeger{i:03d}@bench.example",
            name=f"Person {i}",
            organisation_id=o.id,
            password_hash=secret,
        )
        for i, o in enumerate(orgs)
    ]
    db.session.add_all(users)
    now = utcnow()
    bogen = services.create_bogen(
        stab,
        [o.id for o in orgs],
        titel="Lasttest",
        einleitung=None,
        oeffnet_am=now - timedelta(hours=1),
        frist=now + timedelta(days=7),
        erinnerung_tage=0,
        gremium_id=None,
    )
    abschnitt = services.add_abschnitt(bogen, "Fragen", None)
    fragen = {
        "kurz": services.add_frage(abschnitt, typ=FrageTyp.KURZTEXT, text="Name", pflicht=True),
        "lang": services.add_frage(abschnitt, typ=FrageTyp.LANGTEXT, text="Bedarf"),
        "wahl": services.add_frage(
            abschnitt, typ=FrageTyp.EINFACHAUSWAHL, text="Feld", optionen=["Kinder", "Familien"]
        ),
        "skala": services.add_frage(abschnitt, typ=FrageTyp.SKALA, text="Zufriedenheit"),
        "zahl": services.add_frage(abschnitt, typ=FrageTyp.ZAHL, text="Plätze", zahl_min=0),
        "matrix": services.add_frage(
            abschnitt, typ=FrageTyp.MATRIX, text="Bedarf je Bereich", optionen=["hoch", "gering"]
        ),
    }
    services.publish_bogen(bogen)
    db.session.commit()
    raeume = [s.id for s in services.sozialraeume()]
    answers = {
        f"f{fragen['kurz'].id}": "Einrichtung",
        f"f{fragen['lang'].id}": "Mehr Angebote für Familien.",
        f"f{fragen['wahl'].id}": "Familien",
        f"f{fragen['skala'].id}": "4",
        f"f{fragen['zahl'].id}": "12,5",
        **{f"f{fragen['matrix'].id}_s{sid}": "hoch" for sid in raeume},
    }
    return bogen.id, [(u.email, u.organisation_id) for u in users], answers


def _free_port() -> int:
    from tests.support.services import free_port

    return free_port()


def _start_gunicorn(url: str, port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "APP_ENV": "testing",
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": "memory://",
        "RATELIMIT_STORAGE_URI": "memory://",
        "BASE_URL": f"http://127.0.0.1:{port}",
    }
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                "4",
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
                "--backlog",
                "2048",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/gesund", timeout=2) as response:
                if response.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("gunicorn startet nicht:\n" + log.read_text(errors="replace")[-3000:])


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if not match:
        raise RuntimeError("kein CSRF-Token gefunden")
    return match.group(1)


def _login(base: str, bogen_id: int, sitzung: Sitzung) -> Sitzung:
    """Log in through the form like a browser and load the fill-in form (token, version)."""
    jar = http.cookiejar.CookieJar()
    sitzung.opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(jar), _NoRedirect
    )
    token = _csrf(_get(sitzung, f"{base}/anmelden"))
    _post(
        sitzung,
        f"{base}/anmelden",
        {"csrf_token": token, "email": sitzung.email, "password": PASSWORD},
    )
    form = _get(sitzung, f"{base}/beteiligung/{bogen_id}/ausfuellen")
    sitzung.csrf = _csrf(form)
    sitzung.version = re.search(r'name="version" value="(\d+)"', form).group(1)
    return sitzung


def _get(sitzung: Sitzung, url: str) -> str:
    with sitzung.opener.open(url, timeout=60) as response:
        return response.read().decode()


def _post(sitzung: Sitzung, url: str, data: dict[str, str]) -> int:
    body = urllib.parse.urlencode(data).encode()
    try:
        with sitzung.opener.open(urllib.request.Request(url, data=body), timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:  # redirects arrive here (no redirect handler)
        exc.read()
        return exc.code


def _submit(
    base: str, bogen_id: int, sitzung: Sitzung, answers: dict[str, str], barrier: threading.Barrier
) -> None:
    data = {
        **answers,
        "csrf_token": sitzung.csrf,
        "version": sitzung.version,
        "aktion": "einreichen",
    }
    barrier.wait()
    started = time.perf_counter()
    try:
        sitzung.status = _einreichen(base, bogen_id, sitzung, data)
    except OSError:
        sitzung.status = 0
    sitzung.millis = (time.perf_counter() - started) * 1000


def _einreichen(base: str, bogen_id: int, sitzung: Sitzung, data: dict[str, str]) -> int:
    """ "Einreichen" saves the answers and leads to the confirmation page; confirming there
    submits (the status of that last POST counts)."""
    status = _post(sitzung, f"{base}/beteiligung/{bogen_id}/ausfuellen", data)
    if status != 303:
        return status
    seite = _get(sitzung, f"{base}/beteiligung/{bogen_id}/einreichen")
    version = re.search(r'name="version" value="(\d+)"', seite).group(1)
    bestaetigung = {"csrf_token": _csrf(seite), "version": version}
    token = re.search(r'name="formular_token" value="([^"]+)"', seite)
    if token:
        bestaetigung["formular_token"] = token.group(1)
    return _post(sitzung, f"{base}/beteiligung/{bogen_id}/einreichen", bestaetigung)


def _stored(url: str, bogen_id: int) -> set[int]:
    """Organisations whose Rückmeldung is stored as submitted with its answers."""
    import psycopg

    libpq = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(libpq) as conn:
        rows = conn.execute(
            "SELECT r.organisation_id FROM rueckmeldung r "
            "WHERE r.bogen_id = %s AND r.status = 'eingereicht' "
            "AND EXISTS (SELECT 1 FROM rueckmeldung_antwort a WHERE a.rueckmeldung_id = r.id)",
            (bogen_id,),
        ).fetchall()
    return {row[0] for row in rows}


def _p95(values: list[float]) -> int:
    ordered = sorted(values)
    return round(ordered[max(0, int(len(ordered) * 0.95) - 1)]) if ordered else 0


def run() -> str:
    """Seed, start gunicorn, submit concurrently, count and time; returns the bench line."""
    url = _database_url()
    bogen_id, logins, answers = _seed(url)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmp:
        proc = _start_gunicorn(url, port, Path(tmp) / "gunicorn.log")
        try:
            with ThreadPoolExecutor(max_workers=16) as pool:
                sitzungen = list(
                    pool.map(lambda login: _login(base, bogen_id, Sitzung(*login)), logins)
                )
            barrier = threading.Barrier(len(sitzungen))
            threads = [
                threading.Thread(target=_submit, args=(base, bogen_id, s, answers, barrier))
                for s in sitzungen
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            proc.terminate()
            proc.wait(30)
    accepted = {s.organisation_id for s in sitzungen if 200 <= s.status < 400}
    lost = len(accepted - _stored(url, bogen_id))
    errors = len(sitzungen) - len(accepted)
    return (
        f"bench: rueckmeldungen concurrent={len(sitzungen)} ok={len(accepted)} errors={errors} "
        f"lost={lost} p95_ms={_p95([s.millis for s in sitzungen])}"
    )


if __name__ == "__main__":
    print(run())
