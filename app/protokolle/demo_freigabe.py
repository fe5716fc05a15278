"""Demo: minutes handed in and awaiting approval (SAK Ost), so the approvers have something to do.

Idempotent (looked up by the meeting's title) and written directly: no notification, no mail.
The PDF is rendered from our own HTML and stored like an upload.
"""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.auth.models import User
from app.core.pdf import html_to_pdf
from app.core.types import utcnow
from app.extensions import db
from app.protokolle.models import ProtokollStatus, SchrittArt
from app.protokolle.services import add_schritt, upload_revision
from app.sitzungen.models import Sitzung, SitzungStatus
from app.stammdaten.models import Gremium
from app.workflows.models import Phase, Zyklus

TITEL = "Stadtteilarbeitskreis Ost: Frühjahrssitzung"
ZYKLUS = "Sozialplanung 2027"
MODERATION = "moderation.ost@demo.hilden.example"

HTML = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Protokoll</title></head>
<body><h1>Protokoll: Stadtteilarbeitskreis Ost, Frühjahrssitzung</h1>
<p>Anwesend: 11 Personen (Stellwerk, Familienzentrum Ost, zwei Schulen, Anwohnende).</p>
<h2>Ergebnisse</h2><ul><li>Das Familiencafé wird gut angenommen; mehr Öffnungszeiten gewünscht.</li>
<li>Der Weg zur Grundschule ist abends unbeleuchtet.</li></ul>
<h2>Vereinbarungen</h2><p>Das Stellwerk meldet beide Punkte der Stabsstelle.</p></body></html>"""


def load_demo_freigabe() -> None:
    """A held SAK Ost meeting whose minutes the moderation has handed in for approval."""
    if db.session.scalar(select(Sitzung.id).where(Sitzung.titel == TITEL)) is not None:
        return
    kreis = db.session.scalar(select(Gremium).where(Gremium.name == "Stadtteilarbeitskreis Ost"))
    moderation = db.session.scalar(select(User).where(User.email == MODERATION))
    zyklus = db.session.scalar(select(Zyklus).where(Zyklus.titel == ZYKLUS))
    if kreis is None or moderation is None or zyklus is None:
        return
    beginn = utcnow().replace(second=0, microsecond=0) - timedelta(days=12)
    sitzung = Sitzung(
        gremium_id=kreis.id,
        titel=TITEL,
        beginn=beginn,
        ende=beginn + timedelta(hours=2),
        ort_name="Familienzentrum Ost",
        status=SitzungStatus.DURCHGEFUEHRT,
        zyklus_id=zyklus.id,
        phase=Phase.BETEILIGUNG,
    )
    db.session.add(sitzung)
    db.session.flush()
    datei = FileStorage(
        io.BytesIO(html_to_pdf(HTML)),
        filename="protokoll-sak-ost-fruehjahr.pdf",
        content_type="application/pdf",
    )
    revision = upload_revision(sitzung, datei, moderation)
    protokoll = revision.protokoll
    protokoll.status = ProtokollStatus.EINGEREICHT
    add_schritt(protokoll, SchrittArt.EINGEREICHT, moderation)
    db.session.flush()
