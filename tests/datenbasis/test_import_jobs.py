"""Import jobs: progress while reading, the sweep for stalled jobs, and the real worker."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.core.types import utcnow
from app.datenbasis import importbericht, importjobs, tasks
from app.datenbasis.imports import check_file
from app.datenbasis.models import ImportArt, Importdatei, ImportStatus, Indikatorwert
from app.datenbasis.parsing import UploadError, open_table
from app.extensions import db
from tests.datenbasis.conftest import job_id


def test_progress_reports_rows_read_and_errors_so_far(ctx, make, raeume, monkeypatch) -> None:
    make.indikator("Quote")
    monkeypatch.setattr(importbericht, "FORTSCHRITT_SEKUNDEN", 0)
    content = b"indikator;sozialraum;jahr;wert\n" + b"".join(
        f"Quote;Bereich A;{2000 + i};{'kaputt' if i in (1, 3) else '1'}\n".encode()
        for i in range(5)
    )
    seen: list[tuple[int, int, int | None]] = []
    report = check_file(
        ImportArt.INDIKATORWERTE, content, "werte.csv", progress=lambda *a: seen.append(a)
    )
    assert [(rows, errors) for rows, errors, _ in seen] == [
        (0, 0),
        (1, 0),
        (2, 1),
        (3, 1),
        (4, 2),
        (5, 2),  # the last call comes after the last row
    ]
    assert all(expected == 5 for *_, expected in seen)
    assert report.gelesen == 5 and len(report.errors) == 2


def test_xlsx_is_streamed_up_to_the_row_limit() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["indikator", "sozialraum", "jahr", "wert"])
    for i in range(2000):
        sheet.append(["Quote", "Bereich A", 1900 + i % 200, i])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = open_table(buffer.getvalue(), "werte.xlsx", max_rows=10)
    assert source.header == ["indikator", "sozialraum", "jahr", "wert"]
    assert source.geschaetzt == 2000
    rows = []
    with pytest.raises(UploadError, match="mehr als 10 Datenzeilen \\(Zeile 12\\)"):
        for row in source.rows:
            rows.append(row)
    assert len(rows) == 10


def test_sweep_hands_out_stalled_jobs_once(ctx, make, stab, monkeypatch) -> None:
    queued: list[tuple[int, ImportStatus]] = []
    monkeypatch.setattr(importjobs, "enqueue_step", lambda *a: queued.append(a))
    old = utcnow() - timedelta(minutes=10)
    stalled = [
        Importdatei(
            art=ImportArt.INDIKATORWERTE,
            dateiname="a.csv",
            inhalt=b"x",
            user_id=stab.id,
            status=status,
            stand_at=old,
        )
        for status in (ImportStatus.PRUEFUNG, ImportStatus.IMPORT, ImportStatus.BEREIT)
    ]
    fresh = Importdatei(
        art=ImportArt.INDIKATORWERTE,
        dateiname="b.csv",
        inhalt=b"x",
        user_id=stab.id,
        status=ImportStatus.PRUEFUNG,
        stand_at=utcnow(),
    )
    db.session.add_all([*stalled, fresh])
    db.session.commit()
    assert tasks.sweep_importe() == 2
    assert sorted(queued) == sorted(
        [(stalled[0].id, ImportStatus.PRUEFUNG), (stalled[1].id, ImportStatus.IMPORT)]
    )
    assert tasks.sweep_importe() == 0  # touched: not handed out again at once
    assert importjobs.stalled_jobs() == []


def test_a_job_gone_or_done_is_skipped(ctx, make, stab, raeume, upload, login, jobs) -> None:
    make.indikator("Quote")
    login(stab)
    datei_id = jobs.check(
        upload("indikatorwerte", b"indikator;sozialraum;jahr;wert\nQuote;1;2023;1\n")
    )
    assert tasks.import_pruefen(datei_id) == "skipped"  # already checked
    assert tasks.import_ausfuehren(datei_id) == "skipped"  # not confirmed
    assert tasks.import_pruefen(987654) == "skipped"


def _wait_for(datei_id: int, status: ImportStatus, timeout: float = 60) -> Importdatei:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        datei = db.session.get(Importdatei, datei_id, populate_existing=True)
        if datei.status == status:
            return datei
        time.sleep(0.1)
    raise AssertionError(
        f"Import {datei_id} erreichte „{status.label}“ nicht (jetzt: {datei.status})"
    )


@pytest.mark.worker
def test_import_runs_in_the_worker_with_progress(
    app, ctx, client, csrf_token, login, make, celery_worker
) -> None:
    stab = make.stabsstelle()
    raum = make.sozialraum(name="Süd", nummer=1)
    indikatoren = [make.indikator(f"Quote {n}") for n in range(20)]
    lines = [
        f"Quote {n};{'Süd' if i % 2 else 'Gesamtstadt'};{1900 + i // 2};{i + 1}.{n:03d},5"
        for n in range(20)
        for i in range(400)
    ]
    content = ("indikator;sozialraum;jahr;wert\n" + "\n".join(lines) + "\n").encode("cp1252")
    login(stab)
    url = "/datenbasis/import/indikatorwerte"
    response = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "datei": (io.BytesIO(content), "werte.csv")},
        content_type="multipart/form-data",
    )
    datei_id = job_id(response)
    page = response.headers["Location"]
    states = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        stand = client.get(f"{page}/stand").get_json()
        states.append(stand)
        if not stand["laeuft"]:
            break
        time.sleep(0.05)
    assert states[-1]["status"] == "bereit", states[-1]
    assert states[-1]["zeilen"] == 8000 and states[-1]["fehler"] == 0
    preview = client.get(page).get_data(as_text=True)
    assert "Jetzt 8.000 Zeilen importieren" in preview
    assert "<td>1.000,5</td><td>1.000,5</td>" in preview
    assert "Windows-1252" in preview
    response = client.post(f"{page}/bestaetigen", data={"csrf_token": csrf_token(client, page)})
    assert response.status_code == 303
    datei = _wait_for(datei_id, ImportStatus.IMPORTIERT)
    assert datei.anzahl == 8000
    assert db.session.scalar(select(func.count(Indikatorwert.id))) == 8000
    stored = db.session.scalar(
        select(Indikatorwert.wert).where(
            Indikatorwert.indikator_id == indikatoren[3].id,
            Indikatorwert.sozialraum_id == raum.id,
            Indikatorwert.jahr == 1900 + 399 // 2,
        )
    )
    assert stored == 400003.5  # "400.003,5": thousands dot, decimal comma
