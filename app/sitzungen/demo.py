"""Demo: the Trägerrunde's next meeting with an agenda, a PDF document and the meeting pack
switched on, so the pack can be downloaded (and sent with the invitation) in the demo.

Idempotent (looked up by the meeting's title) and written directly: no notification, no mail.
The PDF is rendered from our own HTML and stored like an upload.
"""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.auth.models import User
from app.core.pdf import html_to_pdf
from app.core.types import utcnow
from app.dateien.services import store_upload
from app.extensions import db
from app.sitzungen.grundlagen import BERLIN
from app.sitzungen.models import Sitzung, SitzungStatus, Tagesordnungspunkt
from app.stammdaten.models import Gremium

TITEL = "Trägerrunde: Vorbereitung der Beteiligung"
GREMIUM = "Trägerrunde Dezernat III"
STABSSTELLE = "stabsstelle@demo.hilden.example"

HTML = """<!doctype html><html lang="de"><head><meta charset="utf-8">
<title>Sozialraumanalyse 2027 (Entwurf)</title></head><body>
<h1>Sozialraumanalyse 2027: erste Ergebnisse (Entwurf)</h1>
<p>Stabsstelle Sozialplanung, Vorlage für die Trägerrunde.</p>
<h2>Bevölkerung</h2><p>Der Anteil der Kinder unter sechs Jahren wächst im Stadtbereich Nord am
stärksten; im Stadtbereich Süd steigt der Anteil der Hochaltrigen.</p>
<h2 style="page-break-before: always">Versorgung</h2><p>Offene Angebote für Jugendliche fehlen
abends im Stadtbereich Nord. Die Beratungsstellen berichten von längeren Wartezeiten.</p>
<h2>Nächste Schritte</h2><p>Die Träger ergänzen ihre Sicht in der Beteiligungsphase.</p>
</body></html>"""


def load_demo_sitzungsmappe() -> None:
    """The Trägerrunde meets in three weeks; TOP 2 has the draft analysis as a PDF."""
    if db.session.scalar(select(Sitzung.id).where(Sitzung.titel == TITEL)) is not None:
        return
    gremium = db.session.scalar(select(Gremium).where(Gremium.name == GREMIUM))
    stab = db.session.scalar(select(User).where(User.email == STABSSTELLE))
    if gremium is None or stab is None:
        return
    tag = utcnow().astimezone(BERLIN).date() + timedelta(days=21)
    beginn = datetime.combine(tag, time(15), tzinfo=BERLIN)
    sitzung = Sitzung(
        gremium_id=gremium.id,
        titel=TITEL,
        beginn=beginn,
        ende=beginn + timedelta(hours=2),
        ort_name="Rathaus Hilden",
        ort_raum="Raum 101",
        ort_adresse="Am Rathaus 1, 40721 Hilden",
        status=SitzungStatus.GEPLANT,
        mappe_beifuegen=True,
        erstellt_von_id=stab.id,
    )
    analyse = Tagesordnungspunkt(
        position=2,
        titel="Sozialraumanalyse 2027: erste Ergebnisse",
        beschreibung="Die Stabsstelle stellt den Entwurf vor.\nRückfragen bitte vorab per E-Mail.",
    )
    sitzung.tagesordnungspunkte = [
        Tagesordnungspunkt(position=1, titel="Begrüßung und Protokoll der letzten Sitzung"),
        analyse,
        Tagesordnungspunkt(position=3, titel="Beteiligung der Träger: Ablauf und Fristen"),
        Tagesordnungspunkt(position=4, titel="Verschiedenes"),
    ]
    datei = FileStorage(
        io.BytesIO(html_to_pdf(HTML)),
        filename="sozialraumanalyse-2027-entwurf.pdf",
        content_type="application/pdf",
    )
    analyse.dateien.append(store_upload(datei, uploaded_by=stab))
    db.session.add(sitzung)
    db.session.flush()
