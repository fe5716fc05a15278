"""Browser journey: the Stabsstelle imports 30 people from a German Excel CSV (Windows-1252,
semicolons) with invitations: upload, preview, confirm; axe finds nothing on either page."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.mail.models import Mail
from app.stammdaten.models import GremiumTyp
from tests.factories import PASSWORD
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def stab(app, make, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    with app.app_context():
        make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde")
        return make.stabsstelle(email="stab@import.example", name="Stefanie Stab").email


def _datei(tmp_path):
    zeilen = ["Name;E-Mail;Organisation;Gremium;Funktion"] + [
        f"Jörg Träger {i};joerg{i}@import.example;Caritas Hilden;Trägerrunde;Mitglied"
        for i in range(30)
    ]
    path = tmp_path / "Mitglieder Trägerrunde.csv"
    path.write_bytes(("\r\n".join(zeilen) + "\r\n").encode("cp1252"))
    return path


def test_stabsstelle_imports_thirty_people(app, live_server, page, stab, tmp_path) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(stab)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")
    page.goto(f"{live_server}/stammdaten/")
    page.get_by_role("navigation", name="Stammdaten").get_by_role("link", name="Import").click()
    assert page.get_by_role("link", name="Beispieldatei").is_visible()
    assert_accessible(page)
    page.get_by_label("Datei (CSV oder Excel)").set_input_files(str(_datei(tmp_path)))
    page.get_by_role("button", name="Datei prüfen").click()
    page.get_by_role("heading", name="Vorschau: Mitglieder Trägerrunde.csv").wait_for()
    assert "Jörg Träger 29" in page.content()
    assert_accessible(page)
    page.get_by_label("Neue Personen per E-Mail zur Plattform einladen").check()
    page.get_by_role("button", name="Jetzt importieren").click()
    page.get_by_text("30 Personen, 1 Organisation und 30 Mitgliedschaften angelegt").wait_for()
    with app.app_context():
        assert (
            db.session.scalar(select(func.count()).where(User.email.like("joerg%@import.example")))
            == 30
        )
        assert (
            db.session.scalar(
                select(func.count()).where(
                    Mail.kind == "konto.einladung", Mail.recipient.like("joerg%@import.example")
                )
            )
            == 30
        )
