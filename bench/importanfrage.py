"""Benchmark: a hostile import file (an XLSX of one million rows, a few MB zipped) keeps no
web request busy: upload, job page and progress answer at once, the worker's check stops at
the row limit.

The upload goes through the app in this process (test client, real PostgreSQL); the check
runs the task's function here, timed separately. Prints ``bench: importanfrage rows=…
bytes=… upload_ms=… seite_ms=… stand_ms=… pruefung_s=… gelesen=… status=…`` (target: every
``*_ms`` well below 2000; ``gelesen`` equals IMPORT_MAX_ZEILEN; status ``fehlerhaft``).
"""

from __future__ import annotations

import io
import os
import re
import time
import zipfile

ROWS = int(os.environ.get("BENCH_IMPORT_ZEILEN", "1000000"))

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
    'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
    'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    'formats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Werte" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
    'formats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
STRINGS = ("indikator", "sozialraum", "jahr", "wert", "Quote", "Gesamtstadt")
SHARED = (
    '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
    f'spreadsheetml/2006/main" count="{len(STRINGS)}" uniqueCount="{len(STRINGS)}">'
    + "".join(f"<si><t>{s}</t></si>" for s in STRINGS)
    + "</sst>"
)


def _xlsx(rows: int) -> bytes:
    """A minimal workbook (shared strings, as Excel writes them) with ``rows`` value rows,
    written as XML directly (openpyxl would take minutes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/sharedStrings.xml", SHARED)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
                b'<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
            )
            for n in range(2, rows + 2):
                sheet.write(
                    f'<row r="{n}"><c r="A{n}" t="s"><v>4</v></c><c r="B{n}" t="s"><v>5</v></c>'
                    f'<c r="C{n}"><v>{1900 + n % 200}</v></c><c r="D{n}"><v>{n % 97}</v></c>'
                    "</row>".encode()
                )
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def _timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def run() -> str:
    """Seed a Stabsstelle account, upload the file, open the pages, run the check."""
    from bench.support import bench_app

    app = bench_app()
    data = _xlsx(ROWS)
    with app.app_context():
        from app.auth.models import User
        from app.datenbasis import tasks
        from app.datenbasis.models import Importdatei, Indikator
        from app.extensions import db

        stab = User(email="stab@bench.example", name="Stab", ist_stabsstelle=True)
        db.session.add_all([stab, Indikator(name="Quote", einheit="%")])
        db.session.commit()
        stab_id = stab.id
    client = app.test_client()
    with client.session_transaction() as session:  # a logged-in browser
        from tests.factories import login_session

        with app.app_context():
            session["_user_id"] = login_session(db.session.get(User, stab_id))
        session["_fresh"] = True
    form = client.get("/datenbasis/import/indikatorwerte").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    upload_ms, response = _timed(
        lambda: client.post(
            "/datenbasis/import/indikatorwerte",
            data={"csrf_token": token, "datei": (io.BytesIO(data), "gross.xlsx")},
            content_type="multipart/form-data",
        )
    )
    if response.status_code != 303:
        raise RuntimeError(f"Upload nicht angenommen: {response.status_code}")
    page = response.headers["Location"]
    datei_id = int(page.rsplit("/", 1)[1])
    seite_ms, _ = _timed(lambda: client.get(page))
    stand_ms, _ = _timed(lambda: client.get(f"{page}/stand"))
    started = time.perf_counter()
    tasks.import_pruefen(datei_id)
    pruefung_s = time.perf_counter() - started
    with app.app_context():
        datei = db.session.get(Importdatei, datei_id)
        gelesen, status = datei.zeilen_gelesen, datei.status.value
    return (
        f"bench: importanfrage rows={ROWS} bytes={len(data)} upload_ms={upload_ms:.0f} "
        f"seite_ms={seite_ms:.0f} stand_ms={stand_ms:.0f} pruefung_s={pruefung_s:.1f} "
        f"gelesen={gelesen} status={status}"
    )
