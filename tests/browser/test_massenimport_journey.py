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
from tests.support.massenimport import importieren, personen_datei

pytestmark = pytest.mark.browser


@pytest.fixture
def stab(app, make, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    with app.app_context():
        make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde")
        return make.stabsstelle(email="stab@import.example", name="Stefanie Stab").email


def test_stabsstelle_imports_thirty_people(app, live_server, page, stab, tmp_path) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(stab)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")
    importieren(page, live_server, personen_datei(tmp_path))
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
