"""Indicator import: 50,000 values through the upload path vs a plain bulk insert of the same rows.

The import path is the one the upload view uses (``import_file``: parse CSV → validate with
bulk lookups → Core inserts in batches). The baseline inserts the already parsed rows with one
SQLAlchemy Core executemany into the same table of the same PostgreSQL database.
"""

from __future__ import annotations

import time

from sqlalchemy import delete, insert

ROWS = 50_000
INDIKATOREN = 42
RAEUME = 5
JAHRE = range(1900, 2101)


def _csv(namen: list[str], raeume: list[str]) -> bytes:
    """50,000 value rows as a German CSV (semicolons, decimal commas)."""
    lines = ["indikator;sozialraum;jahr;wert"]
    for name in namen:
        for raum in [*raeume, "Gesamtstadt"]:
            for jahr in JAHRE:
                lines.append(f"{name};{raum};{jahr};{(jahr % 97) * 1.25:.2f}".replace(".", ","))
                if len(lines) > ROWS:
                    return ("\n".join(lines) + "\n").encode()
    raise RuntimeError("zu wenige Kombinationen für die Zeilenzahl")


def _setup() -> tuple[list[str], list[str]]:
    from app.datenbasis.models import Indikator
    from app.extensions import db
    from app.stammdaten.models import Sozialraum

    raeume = [Sozialraum(nummer=n, name=f"Stadtbereich {n}") for n in range(1, RAEUME + 1)]
    namen = [f"Indikator {i}" for i in range(INDIKATOREN)]
    db.session.add_all([*raeume, *(Indikator(name=n, einheit="%") for n in namen)])
    db.session.commit()
    return namen, [r.name for r in raeume]


def _clear() -> None:
    from app.datenbasis.models import Indikatorwert
    from app.extensions import db

    db.session.execute(delete(Indikatorwert))
    db.session.commit()


def _timed_import(data: bytes) -> tuple[float, list[dict]]:
    from app.datenbasis.imports import import_file
    from app.datenbasis.models import ImportArt
    from app.extensions import db

    started = time.perf_counter()
    report = import_file(ImportArt.INDIKATORWERTE, data, "werte.csv")
    db.session.commit()
    elapsed = time.perf_counter() - started
    if not report.ok or report.importiert != ROWS:
        raise RuntimeError(f"Import fehlgeschlagen: {report.errors[:3]}")
    return elapsed, [dict(r) for r in report.rows]


def _timed_baseline(rows: list[dict]) -> float:
    from app.datenbasis.models import Indikatorwert
    from app.extensions import db

    started = time.perf_counter()
    db.session.execute(insert(Indikatorwert), rows)
    db.session.commit()
    return time.perf_counter() - started


def run() -> str:
    """Best of two rounds each, on the same database, in one run."""
    from bench.support import bench_app

    app = bench_app()
    with app.app_context():
        data = _csv(*_setup())
        import_times, base_times, rows = [], [], []
        for _ in range(2):
            _clear()
            elapsed, rows = _timed_import(data)
            import_times.append(elapsed)
            _clear()
            base_times.append(_timed_baseline(rows))
        _clear()
    seconds, base = min(import_times), min(base_times)
    rate, base_rate = ROWS / seconds, ROWS / base
    return (
        f"bench: indikatorimport rows={ROWS} seconds={seconds:.3f} rows_per_s={rate:.0f} "
        f"baseline_rows_per_s={base_rate:.0f} ratio={rate / base_rate:.2f}"
    )
