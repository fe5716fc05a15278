"""Import jobs: an upload is stored at once, checked and imported by the worker, with progress.

The web request only looks at the bytes (``sniff_upload``) and stores them; reading every row
happens in ``datenbasis.import_pruefen`` and, after the confirmation, ``datenbasis.import_
ausfuehren``. Both are idempotent: the row's status says what is left to do, the import
itself locks the row and writes all values or none in one transaction. A job whose progress
stands still (worker killed, message lost) is handed out again by the sweep.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from app.core.after_commit import after_commit
from app.core.auftraege import enqueue
from app.core.types import utcnow
from app.datenbasis.importbericht import ImportReport, Progress
from app.datenbasis.imports import APPLY, COUNT_REPLACED, check_file
from app.datenbasis.models import ImportArt, Importdatei, ImportStatus
from app.datenbasis.parsing import sniff_upload
from app.datenbasis.services import NotPossible
from app.extensions import db


def stage_import(art: ImportArt, data: bytes, filename: str, user: Any) -> Importdatei:
    """Keep an upload whose bytes look right and let the worker check it after the commit."""
    kodierung = sniff_upload(data, filename)  # UploadError: answered at once, nothing stored
    datei = Importdatei(
        art=art,
        dateiname=filename[:255],
        inhalt=data,
        user_id=user.id,
        status=ImportStatus.PRUEFUNG,
        kodierung=kodierung,
        stand_at=utcnow(),
    )
    db.session.add(datei)
    db.session.flush()
    _enqueue_after_commit(datei.id, ImportStatus.PRUEFUNG)
    return datei


def confirm_import(datei_id: int) -> Importdatei:
    """Hand a checked file to the worker for the import; a second confirmation changes nothing."""
    datei = db.session.execute(
        select(Importdatei).where(Importdatei.id == datei_id).with_for_update()
    ).scalar_one()
    if datei.status == ImportStatus.IMPORTIERT:
        raise NotPossible("Diese Datei wurde bereits importiert.")
    if datei.status == ImportStatus.IMPORT:
        raise NotPossible("Diese Datei wird bereits importiert.")
    if datei.status != ImportStatus.BEREIT:
        raise NotPossible("Diese Datei kann nicht importiert werden; bitte laden Sie sie neu hoch.")
    datei.status = ImportStatus.IMPORT
    _reset_progress(datei)
    db.session.flush()
    _enqueue_after_commit(datei.id, ImportStatus.IMPORT)
    return datei


def _reset_progress(datei: Importdatei) -> None:
    datei.zeilen_gelesen = 0
    datei.fehler_bisher = 0
    datei.stand_at = utcnow()


def _enqueue_after_commit(datei_id: int, status: ImportStatus) -> None:
    """Start the job's step once its row is committed (a lost message is found by the sweep)."""
    after_commit(lambda: enqueue_step(datei_id, status))


# --------------------------------------------------------------------------- in the worker


def job(datei_id: int, status: ImportStatus) -> Importdatei | None:
    """The job's row when it is waiting for this step, else None (done, gone or moved on)."""
    datei = db.session.get(Importdatei, datei_id)
    return datei if datei is not None and datei.status == status else None


def progress_recorder(datei_id: int, status: ImportStatus) -> Progress:
    """A callback that writes and commits rows read and errors so far (nothing else is pending:
    the values are written only after the last row was read)."""

    def record(rows: int, errors: int, expected: int | None) -> None:
        db.session.execute(
            update(Importdatei)
            .where(Importdatei.id == datei_id, Importdatei.status == status)
            .values(
                zeilen_gelesen=rows,
                fehler_bisher=errors,
                zeilen_geschaetzt=expected,
                stand_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        db.session.commit()

    return record


def check_staged(datei: Importdatei) -> ImportReport:
    """Read and validate every row, reporting progress (commits only the progress)."""
    record = progress_recorder(datei.id, datei.status)
    return check_file(datei.art, datei.inhalt, datei.dateiname, _max_rows(), progress=record)


def finish_check(datei_id: int, report: ImportReport) -> bool:
    """Store the report and move to "bereit" or "fehlerhaft"; False when another run did."""
    datei = _locked(datei_id, ImportStatus.PRUEFUNG)
    if datei is None:
        return False
    if report.ok:
        report.ersetzt = COUNT_REPLACED[datei.art](report)
    _store(datei, report, ImportStatus.BEREIT if report.ok else ImportStatus.FEHLERHAFT)
    return True


def finish_import(datei_id: int, report: ImportReport) -> bool:
    """Write all values (or, with any error, none) and record the outcome; False if done."""
    datei = _locked(datei_id, ImportStatus.IMPORT)
    if datei is None:
        return False
    if report.ok:
        APPLY[datei.art](report, datei.id)
        datei.importiert_at = utcnow()
        datei.anzahl = report.importiert
    _store(datei, report, ImportStatus.IMPORTIERT if report.ok else ImportStatus.FEHLERHAFT)
    return True


def _locked(datei_id: int, status: ImportStatus) -> Importdatei | None:
    """The row locked for this transaction, if it is still in ``status``."""
    datei = db.session.execute(
        select(Importdatei)
        .where(Importdatei.id == datei_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    return datei if datei is not None and datei.status == status else None


def _store(datei: Importdatei, report: ImportReport, status: ImportStatus) -> None:
    datei.status = status
    datei.bericht = report.as_json()
    datei.kodierung = report.kodierung or datei.kodierung
    datei.zeilen_gelesen = report.gelesen
    datei.fehler_bisher = len(report.errors) + (report.datei_fehler is not None)
    datei.stand_at = utcnow()
    db.session.flush()


def _max_rows() -> int:
    return int(current_app.config["IMPORT_MAX_ZEILEN"])


def stalled_jobs() -> list[tuple[int, ImportStatus]]:
    """Jobs whose progress stood still too long (worker killed, message lost); touched."""
    limit = utcnow() - timedelta(seconds=current_app.config["IMPORT_STILLSTAND_SECONDS"])
    rows = db.session.execute(
        select(Importdatei.id, Importdatei.status).where(
            Importdatei.status.in_([ImportStatus.PRUEFUNG, ImportStatus.IMPORT]),
            Importdatei.stand_at < limit,
        )
    ).all()
    if rows:
        db.session.execute(
            update(Importdatei)
            .where(Importdatei.id.in_([r[0] for r in rows]))
            .values(stand_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    return [(r[0], r[1]) for r in rows]


def enqueue_step(datei_id: int, status: ImportStatus) -> None:
    """Queue the task for the step the job waits for (``datenbasis.import_pruefen``/``…_ausfuehren``)."""
    name = (
        "datenbasis.import_pruefen"
        if status == ImportStatus.PRUEFUNG
        else "datenbasis.import_ausfuehren"
    )
    enqueue(name, datei_id)
