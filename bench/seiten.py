"""Benchmark: the main pages of every role at 10× data against a bare Flask "hello".

Both run under gunicorn with the same settings (2 sync workers); the app in production mode
on PostgreSQL and Redis, with ``flask demo-daten --umfang N`` data (default N = 10: ten cycles,
ten times the people, meetings, answers, minutes, impulses and measures, sixty years of
indicator values). The load comes from ``wrk`` (a separate process, concurrency 4), logged in
as each role with its session cookie. Rounds are interleaved: before every page measurement
the hello is measured again, and a page's ratio is its requests/s over the hello's of that
moment, so both see the same load of this shared machine.

Prints ``bench: seiten data=10x pages=… min_ratio=… worst=… max_p95_ms=… hello_rps=…
floor_ratio=…`` (per page the median over the rounds; targets: every ratio ≥ 0.1, every p95 ≤
40 ms) and a table of all pages with their size on stderr. ``floor_ratio`` is the app's own
floor, measured the same way: the empty common layout for a logged-in person
(``bench/skelett.py``: session, user, navigation, header; no content), which every page pays
before its own work; it is not one of the pages. Settings: BENCH_SEITEN_UMFANG (10),
BENCH_SEITEN_SEKUNDEN (2 per measurement), BENCH_SEITEN_RUNDEN (3), BENCH_SEITEN_NUR (comma
separated page names), BENCH_DATABASE_URL, BENCH_REDIS_URL.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from bench.support import (
    ROOT,
    database_url,
    free_port,
    median,
    production_env,
    redis_url,
    start_gunicorn,
    stop,
)

UMFANG = int(os.environ.get("BENCH_SEITEN_UMFANG", "10"))
SEKUNDEN = int(os.environ.get("BENCH_SEITEN_SEKUNDEN", "2"))
RUNDEN = int(os.environ.get("BENCH_SEITEN_RUNDEN", "3"))
CONCURRENCY = 4

ROLLEN = {
    "stab": "stabsstelle@demo.hilden.example",
    "planungsrunde": "jugendamt@demo.hilden.example",
    "traeger": "awo@demo.traeger.example",
    "moderation": "moderation.nord@demo.hilden.example",
    "vorstand": "vorstand@demo.hilden.example",
    "ausschuss": "ausschuss@demo.hilden.example",
}


@dataclass
class Seite:
    """One page as one role sees it, and what was measured."""

    name: str
    rolle: str | None
    pfad: str
    bytes: int = 0
    rps: list[float] = field(default_factory=list)
    ratio: list[float] = field(default_factory=list)
    p95_ms: list[float] = field(default_factory=list)


def _seed(url: str) -> dict[str, int]:
    """The 10× data in a fresh schema; returns the ids the pages need."""
    from bench.support import bench_app

    app = bench_app(url=url)
    with app.test_request_context():
        from app.demo_umfang import load_umfang
        from app.extensions import db

        counts = load_umfang(UMFANG)
        db.session.commit()
        print(f"  Daten (Umfang {UMFANG}): {counts}", file=sys.stderr)
        return _ids()


def _ids() -> dict[str, int]:
    """Ids of the current cycle and of the objects its main pages show."""
    from sqlalchemy import func, select

    from app.beteiligung.models import BogenStatus, Rueckmeldebogen
    from app.datenbasis.models import Indikator, ReportStatus, Sozialreport
    from app.extensions import db
    from app.impulse.models import Impuls
    from app.massnahmen.models import Massnahme
    from app.sitzungen.models import Sitzung
    from app.stammdaten.models import Gremium, GremiumTyp
    from app.workflows.models import Phase, Zyklus

    def first(query):
        value = db.session.scalar(query.limit(1))
        if value is None:
            raise RuntimeError(f"Benchmark-Daten fehlen: {query}")
        return value

    # the running cycle with the most meetings (the demo may hold a second, younger one)
    zyklus = first(
        select(Zyklus.id)
        .where(Zyklus.phase != Phase.ABGESCHLOSSEN)
        .order_by(
            select(func.count(Sitzung.id))
            .where(Sitzung.zyklus_id == Zyklus.id)
            .scalar_subquery()
            .desc(),
            Zyklus.id,
        )
    )

    def sitzung(typ: GremiumTyp, name: str | None = None) -> int:
        query = (
            select(Sitzung.id)
            .join(Gremium, Gremium.id == Sitzung.gremium_id)
            .where(Gremium.typ == typ, Sitzung.zyklus_id == zyklus)
            .order_by(Sitzung.beginn.desc())
        )
        return first(query.where(Gremium.name == name) if name else query)

    return {
        "zyklus": zyklus,
        "sitzung_pr": sitzung(GremiumTyp.PLANUNGSRUNDE),
        "sitzung_tr": sitzung(GremiumTyp.TRAEGERRUNDE),
        "sitzung_sak": sitzung(GremiumTyp.STADTTEILARBEITSKREIS, "Stadtteilarbeitskreis Nord"),
        "report": first(select(Sozialreport.id).where(Sozialreport.zyklus_id == zyklus)),
        "report_public": first(
            select(Sozialreport.id)
            .where(Sozialreport.status == ReportStatus.VEROEFFENTLICHT)
            .order_by(Sozialreport.id.desc())
        ),
        # the cycle's form that Träger can fill in now (a cycle may also hold closed ones)
        "bogen": first(
            select(Rueckmeldebogen.id)
            .where(Rueckmeldebogen.zyklus_id == zyklus)
            .order_by(
                (Rueckmeldebogen.status == BogenStatus.VEROEFFENTLICHT).desc(),
                Rueckmeldebogen.id.desc(),
            )
        ),
        "indikator": first(select(Indikator.id).order_by(Indikator.id)),
        # the cycle's own if it has some, else the newest (impulses of a cycle in Politik
        # may all be older)
        "impuls": first(
            select(Impuls.id).order_by((Impuls.zyklus_id == zyklus).desc(), Impuls.id.desc())
        ),
        "massnahme": first(
            select(Massnahme.id).order_by(
                (Massnahme.zyklus_id == zyklus).desc(), Massnahme.id.desc()
            )
        ),
    }


def _pages(ids: dict[str, int]) -> list[Seite]:
    """The main pages of each role (start pages, the cycle, meetings, reports, lists)."""
    z = ids["zyklus"]
    pages = [
        Seite("stab:start", "stab", "/start"),
        Seite("stab:zyklus", "stab", f"/zyklen/{z}"),
        Seite("stab:zyklen", "stab", "/zyklen/"),
        Seite("stab:sitzungen", "stab", "/sitzungen/"),
        Seite("stab:sitzung", "stab", f"/sitzungen/{ids['sitzung_tr']}"),
        Seite("stab:sozialreport", "stab", f"/datenbasis/sozialreports/{ids['report']}"),
        Seite("stab:indikatoren", "stab", "/datenbasis/indikatoren"),
        Seite("stab:indikator", "stab", f"/datenbasis/indikatoren/{ids['indikator']}"),
        Seite("stab:postausgang", "stab", "/postausgang/"),
        Seite("stab:impulse", "stab", "/impulse/"),
        Seite("stab:massnahmen", "stab", f"/massnahmen/zyklus/{z}"),
        Seite("stab:beteiligung", "stab", "/beteiligung/"),
        Seite("stab:bogen-status", "stab", f"/beteiligung/{ids['bogen']}/status"),
        Seite("stab:benutzer", "stab", "/stammdaten/benutzer"),
        Seite("planungsrunde:start", "planungsrunde", "/start"),
        Seite("planungsrunde:sitzung", "planungsrunde", f"/sitzungen/{ids['sitzung_pr']}"),
        Seite(
            "planungsrunde:sozialreport",
            "planungsrunde",
            f"/datenbasis/sozialreports/{ids['report']}",
        ),
        Seite("traeger:start", "traeger", "/start"),
        Seite("traeger:offen", "traeger", "/beteiligung/offen"),
        Seite("traeger:bogen", "traeger", f"/beteiligung/{ids['bogen']}/ausfuellen"),
        Seite("traeger:sitzung", "traeger", f"/sitzungen/{ids['sitzung_tr']}"),
        Seite("moderation:start", "moderation", "/start"),
        Seite("moderation:protokolle", "moderation", "/protokolle/"),
        Seite("moderation:sitzung", "moderation", f"/sitzungen/{ids['sitzung_sak']}"),
        Seite("vorstand:start", "vorstand", "/start"),
        Seite("vorstand:impuls", "vorstand", f"/impulse/{ids['impuls']}"),
        Seite("ausschuss:start", "ausschuss", "/start"),
        Seite("oeffentlich:sozialreport", None, f"/sozialreport/{ids['report_public']}"),
    ]
    only = {n.strip() for n in os.environ.get("BENCH_SEITEN_NUR", "").split(",") if n.strip()}
    return [p for p in pages if not only or p.name in only]


def _floor() -> Seite:
    """The empty layout of a logged-in person (``bench.skelett``), not a main page."""
    return Seite("sockel:leere-seite", "stab", "/_skelett/seite")


# --------------------------------------------------------------------------- HTTP


def _request(port: int, method: str, path: str, cookie: str = "", body: str = ""):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body or None, headers=headers)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response, data


def _cookie(response, old: str) -> str:
    """The session cookie a response sets (Secure cookies are read here, not by a jar)."""
    for name, value in response.getheaders():
        if name.lower() == "set-cookie" and value.startswith("pk_session="):
            return value.split(";", 1)[0]
    return old


def _login(port: int, email: str) -> str:
    """Log in through the form like a browser; returns the Cookie header value."""
    from app.stammdaten.demo import DEMO_PASSWORD

    response, data = _request(port, "GET", "/anmelden")
    cookie = _cookie(response, "")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', data).group(1).decode()
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": DEMO_PASSWORD})
    response, _ = _request(port, "POST", "/anmelden", cookie, body)
    if response.status != 302 or "/start" not in (response.getheader("Location") or ""):
        raise RuntimeError(f"Anmeldung als {email} fehlgeschlagen ({response.status})")
    return _cookie(response, cookie)


def _check(port: int, page: Seite, cookie: str) -> None:
    """The page answers 200 for its role (not a redirect to the login); remember its size."""
    response, data = _request(port, "GET", page.pfad, cookie)
    if response.status != 200:
        raise RuntimeError(f"{page.name} {page.pfad}: Status {response.status}")
    page.bytes = len(data)


def _wrk(port: int, path: str, cookie: str = "") -> tuple[float, float, int]:
    """requests/s, p95 in ms and errors of one wrk run against ``path``."""
    command = [
        "wrk",
        f"-t{CONCURRENCY // 2}",
        f"-c{CONCURRENCY}",
        f"-d{SEKUNDEN}s",
        "-s",
        str(ROOT / "bench" / "seiten.lua"),
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p95 = int(re.search(r"P95_US (\d+)", out).group(1)) / 1000
    errors = int(re.search(r"FEHLER (\d+)", out).group(1))
    return rps, p95, errors


# --------------------------------------------------------------------------- run


def _measure(app_port: int, hello_port: int, pages: list[Seite], cookies: dict) -> list[float]:
    """Interleaved rounds: hello, page, hello, page, …; returns every hello measurement."""
    hello_rps: list[float] = []
    for runde in range(RUNDEN):
        for page in pages:
            hello, _, _ = _wrk(hello_port, "/")
            rps, p95, errors = _wrk(app_port, page.pfad, cookies.get(page.rolle, ""))
            if errors:
                raise RuntimeError(f"{page.name}: {errors} fehlerhafte Antworten unter Last")
            hello_rps.append(hello)
            page.rps.append(rps)
            page.p95_ms.append(p95)
            page.ratio.append(rps / hello)
        print(f"  Runde {runde + 1}/{RUNDEN} fertig", file=sys.stderr)
    return hello_rps


def _report(pages: list[Seite]) -> None:
    print(f"  {'Seite':<28} {'req/s':>7} {'Anteil':>7} {'p95 ms':>7} {'Bytes':>8}", file=sys.stderr)
    for p in pages:
        print(
            f"  {p.name:<28} {median(p.rps):7.1f} {median(p.ratio):7.3f} "
            f"{median(p.p95_ms):7.1f} {p.bytes:8d}",
            file=sys.stderr,
        )


def run() -> str:
    """Seed, start both servers, log in, measure interleaved; one line."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk fehlt (make bench installiert es: apt-get install wrk)")
    url, redis = database_url(), redis_url()
    pages = _pages(_seed(url))
    floor = _floor()
    app_port, hello_port = free_port(), free_port()
    env = production_env(url, redis, "https://sozialplanung.bench.example")
    app_proc = hello_proc = None
    with tempfile.TemporaryDirectory(prefix="bench-seiten-") as tmp:
        try:
            app_proc = start_gunicorn(  # the production app plus the floor's route
                "bench.skelett:app", app_port, env, Path(tmp) / "app.log", ready="/gesund"
            )
            hello_proc = start_gunicorn("bench.hello:app", hello_port, env, Path(tmp) / "hello.log")
            cookies = {rolle: _login(app_port, email) for rolle, email in ROLLEN.items()}
            for page in [*pages, floor]:
                _check(app_port, page, cookies.get(page.rolle, ""))
            hello_rps = _measure(app_port, hello_port, [*pages, floor], cookies)
        finally:
            stop(app_proc)
            stop(hello_proc)
    _report([*pages, floor])
    worst = min(pages, key=lambda p: median(p.ratio))
    return (
        f"bench: seiten data={UMFANG}x pages={len(pages)} min_ratio={median(worst.ratio):.3f} "
        f"worst={worst.name} max_p95_ms={max(median(p.p95_ms) for p in pages):.1f} "
        f"hello_rps={median(hello_rps):.0f} floor_ratio={median(floor.ratio):.3f}"
    )
