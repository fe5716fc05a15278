"""In-process profile of the main pages at 10× data: CPU ms per request, queries, bytes.

Not a benchmark line of ``make bench`` but the tool behind the figures in the README: the app
in production mode (``APP_ENV=production``) on PostgreSQL with ``flask demo-daten --umfang``
data, driven by Flask's test client (no network, no gunicorn), each page requested
``PROFIL_RUNDEN`` times after a warm-up. Per page the median process CPU time of one request
(this process only: Python, Jinja, psycopg; not the PostgreSQL server), its SQL statements
and its size. With pyinstrument installed (``pip install pyinstrument``) and
``PROFIL_AUSGABE=<folder>`` a call tree per page is written there (else cProfile's top list).

    .venv/bin/python -m bench.profil --saat            # seed BENCH_DATABASE_URL first
    .venv/bin/python -m bench.profil stab:start stab:sozialreport
    PROFIL_SQL=1 .venv/bin/python -m bench.profil stab:sitzung   # and its statements
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

from bench.seiten import ROLLEN, _ids, _pages, _seed
from bench.support import DEFAULT_DATABASE, database_url, production_env, redis_url

RUNDEN = int(os.environ.get("PROFIL_RUNDEN", "30"))
BASE = "https://sozialplanung.bench.example"


def _app(url: str, redis: str):
    """The production app on the benchmark database (configuration from the environment)."""
    os.environ.update(production_env(url, redis, BASE))
    from app import create_app

    return create_app()


def _login(client, email: str) -> None:
    """Log the test client in through the form, like a browser."""
    from app.stammdaten.demo import DEMO_PASSWORD

    page = client.get("/anmelden", base_url=BASE).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/anmelden",
        data={"csrf_token": token, "email": email, "password": DEMO_PASSWORD},
        base_url=BASE,
        headers={"Referer": f"{BASE}/anmelden"},  # CSRF over HTTPS checks the referrer
    )
    if response.status_code != 302:
        raise RuntimeError(f"Anmeldung als {email} fehlgeschlagen ({response.status_code})")


def _count_queries(engine):
    """A list that receives every statement the engine runs."""
    from sqlalchemy import event

    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    return statements


def run(names: list[str]) -> None:
    """Profile the chosen pages (all by default) and print a table."""
    redis = redis_url()
    if "--saat" in names:  # a fresh database (dropped and created) with the data
        names = [n for n in names if n != "--saat"]
        url = database_url()
        _seed(url)
    else:  # the data seeded before
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    app = _app(url, redis)
    with app.app_context():
        from app.extensions import db

        pages = _pages(_ids())
        statements = _count_queries(db.engine)
    if names:
        pages = [p for p in pages if p.name in names]
    clients = {}
    for rolle, email in ROLLEN.items():
        clients[rolle] = app.test_client()
        _login(clients[rolle], email)
    clients[None] = app.test_client()
    ausgabe = os.environ.get("PROFIL_AUSGABE")
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None
    print(f"  {'Seite':<28} {'CPU ms':>7} {'Wand ms':>8} {'SQL':>4} {'Bytes':>8}")
    for page in pages:
        client = clients[page.rolle]
        for _ in range(3):
            client.get(page.pfad, base_url=BASE)
        cpu, wall = [], []
        for _ in range(RUNDEN):
            statements.clear()
            c0, w0 = time.process_time(), time.perf_counter()
            response = client.get(page.pfad, base_url=BASE)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{page.name}: Status {response.status_code}")
        print(
            f"  {page.name:<28} {statistics.median(cpu):7.1f} {statistics.median(wall):8.1f} "
            f"{len(statements):4d} {len(response.get_data()):8d}",
            flush=True,
        )
        if os.environ.get("PROFIL_SQL"):  # the statements of the last (warm) request
            for statement in statements:
                print("      " + " ".join(statement.split())[:160])
        if ausgabe:
            _profile(Path(ausgabe), page, client, Profiler)


def _profile(folder: Path, page, client, profiler_cls) -> None:
    """A call tree (pyinstrument) or a top list (cProfile) of RUNDEN requests of one page."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{page.name.replace(':', '_')}.txt"
    if profiler_cls is not None:
        profiler = profiler_cls(interval=0.0002)
        profiler.start()
        for _ in range(RUNDEN):
            client.get(page.pfad, base_url=BASE)
        profiler.stop()
        target.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
        return
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(RUNDEN):
        client.get(page.pfad, base_url=BASE)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(60)
    target.write_text(out.getvalue())


if __name__ == "__main__":
    run(sys.argv[1:])
