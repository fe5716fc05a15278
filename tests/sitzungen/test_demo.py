"""The demo's Trägerrunde meeting: loads once, its pack is reachable from the meeting page."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.sitzungen.demo import TITEL, load_demo_sitzungsmappe
from app.sitzungen.models import Sitzung
from app.stammdaten.demo import load_demo_data


def test_demo_meeting_pack_is_downloadable_for_a_traeger(ctx, client, login) -> None:
    load_demo_data()
    load_demo_sitzungsmappe()
    load_demo_sitzungsmappe()
    db.session.commit()
    [sitzung] = db.session.scalars(select(Sitzung).where(Sitzung.titel == TITEL)).all()
    assert sitzung.mappe_beifuegen
    assert db.session.scalar(select(func.count()).select_from(Sitzung)) == 1

    login(db.session.scalar(select(User).where(User.email == "awo@demo.traeger.example")))
    seite = client.get(f"/sitzungen/{sitzung.id}").get_data(as_text=True)
    link = f"/sitzungen/{sitzung.id}/sitzungsmappe.pdf"
    assert f'href="{link}" download>Sitzungsmappe (PDF) herunterladen' in seite
    assert "1 PDF-Anlage mit Seitenzahlen" in seite

    pdf = client.get(link).data
    texte = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(texte) == 4 and "Seite 4 von 4" in texte[-1]
    assert "Sozialraumanalyse 2027" in texte[2]
