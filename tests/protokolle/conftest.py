"""Two Stadtteilarbeitskreise with moderators, chair and members; a held meeting in a cycle."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from werkzeug.datastructures import FileStorage

from app.stammdaten.models import Funktion, GremiumTyp
from app.workflows.models import Phase
from tests.support.dateien import MINIMAL_PDF

PDF = MINIMAL_PDF
HTML_AS_PDF = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def datei(data: bytes = PDF, name: str = "protokoll.pdf") -> FileStorage:
    return FileStorage(
        stream=io.BytesIO(data), filename=name, content_type="application/octet-stream"
    )


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test stores its uploads in its own directory."""
    target = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(target))
    return target


@pytest.fixture
def welt(make) -> SimpleNamespace:
    """Stadtteilarbeitskreise Nord and Süd, each with Moderation, Vorsitz and a member."""
    w = SimpleNamespace()
    w.stab = make.stabsstelle(name="Stefanie Stab")
    w.nord_raum = make.sozialraum("Stadtbereich Nord")
    w.sued_raum = make.sozialraum("Stadtbereich Süd")
    w.nord = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Nord", sozialraum=w.nord_raum)
    w.sued = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Süd", sozialraum=w.sued_raum)
    w.moderator = make.user(name="Mona Moderation")
    w.vorsitz = make.user(name="Viktor Vorsitz")
    w.mitglied = make.user(name="Mia Mitglied")
    w.sued_moderator = make.user(name="Sven Süd")
    w.aussen = make.user(name="Otto Außen")
    make.mitgliedschaft(w.nord, w.moderator, Funktion.MODERATION)
    make.mitgliedschaft(w.nord, w.vorsitz, Funktion.VORSITZ)
    make.mitgliedschaft(w.nord, w.mitglied)
    make.mitgliedschaft(w.sued, w.sued_moderator, Funktion.MODERATION)
    w.zyklus = make.zyklus([w.nord, w.sued], phase=Phase.BETEILIGUNG)
    w.sitzung = make.vergangene_sitzung(w.nord, titel="SAK Nord März", zyklus_id=w.zyklus.id)
    w.sued_sitzung = make.vergangene_sitzung(w.sued, titel="SAK Süd März", zyklus_id=w.zyklus.id)
    return w
