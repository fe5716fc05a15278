"""Through the real worker and SMTP server: the invitation of a meeting that asks for it carries
the meeting pack as a PDF attachment; the invitation of another meeting carries none."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from werkzeug.datastructures import FileStorage

from app.dateien.services import file_path, store_upload
from app.extensions import db
from app.sitzungen import mappe, services
from app.sitzungen.models import Sitzung
from tests.support.dateien import text_pdf

pytestmark = pytest.mark.worker


@pytest.fixture
def upload_dir(app) -> Path:
    """The worker process reads the configured directory, not a per-test one."""
    return Path(app.config["UPLOAD_DIR"])


def _sitzung(make, gremium, titel: str, beifuegen: bool) -> Sitzung:
    sitzung = make.sitzung(gremium, titel=titel, mappe_beifuegen=beifuegen)
    top = make.top(sitzung, "Bericht der Sozialplanung")
    data = text_pdf(f"ANLAGE {titel}")
    services.attach_datei(top, store_upload(FileStorage(io.BytesIO(data), filename="bericht.pdf")))
    db.session.commit()
    return db.session.get(Sitzung, sitzung.id)


def _pdfs(message) -> list:
    return [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]


def test_invitation_carries_the_pack_only_when_asked(
    ctx, celery_worker, smtp_server, make, runde
) -> None:
    mit = _sitzung(make, runde.gremium, "Mit Mappe", beifuegen=True)
    ohne = _sitzung(make, runde.gremium, "Ohne Mappe", beifuegen=False)
    dateien = [d for s in (mit, ohne) for t in s.tagesordnungspunkte for d in t.dateien]
    services.invite(mit, services.parse_gaeste("Gisela Gast <gisela@extern.example>"))
    services.invite(ohne, [])
    db.session.commit()
    dateiname = mappe.dateiname(mit)

    members = [p.email.lower() for p in (runde.vorsitz, *runde.mitglieder)]
    for address in [*members, "gisela@extern.example"]:
        received = smtp_server.wait_for(address, 2 if address in members else 1)
        with_pack = next(m for m in received if "Mit Mappe" in m.message["Subject"])
        [pack] = _pdfs(with_pack.message)
        assert pack.get_filename() == dateiname
        seiten = [p.extract_text() for p in PdfReader(io.BytesIO(pack.get_content())).pages]
        assert len(seiten) == 3 and "Seite 1 von 3" in seiten[0]
        assert "ANLAGE Mit Mappe" in seiten[2] and "Seite 3 von 3" in seiten[2]
        assert f"als PDF angehängt ({dateiname}" in with_pack.text()
        for other in (m for m in received if m is not with_pack):
            assert "Ohne Mappe" in other.message["Subject"]
            assert _pdfs(other.message) == [] and "Sitzungsmappe" not in other.text()
    for datei in dateien:
        file_path(datei).unlink(missing_ok=True)
