"""Browser journey: before a meeting the moderator prints the attendance list (axe, print
media), downloads it as XLSX and downloads the minutes template (DOCX) from the meeting page."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from app.core.types import utcnow
from app.sitzungen.models import Antwort, SitzungStatus
from app.stammdaten.models import Funktion, GremiumTyp
from tests.factories import PASSWORD
from tests.support.a11y import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def treffen(app, make):
    with app.app_context():
        gremium = make.gremium(GremiumTyp.PLANUNGSRUNDE, name="Planungsrunde Süd")
        mona = make.user(email="mona@anwesenheit.example", name="Mona Moderation")
        make.mitgliedschaft(gremium, mona, Funktion.MODERATION)
        traeger = make.organisation("Familienzentrum Süd")
        udo = make.user(name="Udo Übermorgen", organisation=traeger)
        make.mitgliedschaft(gremium, udo)
        beginn = utcnow().replace(second=0, microsecond=0) + timedelta(days=5)
        sitzung = make.sitzung(
            gremium, titel="Runde im Frühling", beginn=beginn, status=SitzungStatus.EINGELADEN
        )
        make.top(sitzung, "Begrüßung")
        make.top(sitzung, "Bericht aus den Stadtteilen", beschreibung="Kurze Runde")
        make.einladung(sitzung, mona, antwort=Antwort.ZUSAGE)
        make.einladung(sitzung, udo, antwort=Antwort.VERTRETUNG, vertretung_name="Vera Vogt")
        make.einladung(sitzung, None, name="Gerd Gast", antwort=Antwort.ABSAGE)
        return {"email": mona.email, "id": sitzung.id}


def _download(page, link_name: str, tmp_path: Path) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return info.value.suggested_filename, target.read_bytes()


def test_attendance_list_and_minutes_template(live_server, page, treffen, tmp_path) -> None:
    page.goto(f"{live_server}/anmelden")
    page.get_by_label("E-Mail-Adresse").fill(treffen["email"])
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(f"{live_server}/start")
    page.goto(f"{live_server}/sitzungen/{treffen['id']}")
    assert page.get_by_role("heading", name="Protokoll vorbereiten").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Anwesenheitsliste drucken").click()
    page.wait_for_url(re.compile(rf".*/sitzungen/{treffen['id']}/anwesenheitsliste$"))
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Anwesenheitsliste: Runde im Frühling"
    )
    assert page.get_by_text("1 Zusage, 1 Absage, 1 Vertretung, 0 ohne Rückmeldung").is_visible()
    table = page.get_by_role("table", name=re.compile("Platz für die Unterschrift"))
    rows = table.locator("tbody tr")
    assert rows.count() == 3 + 5  # invitees and blank rows for walk-ins
    assert "Vertretung: Vera Vogt" in rows.nth(1).inner_text()
    assert "Familienzentrum Süd" in rows.nth(1).inner_text()
    assert page.get_by_role("button", name="Drucken").is_visible()  # shown by the script
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Drucken").is_visible()
    assert not page.get_by_role("navigation", name="Hauptnavigation").is_visible()
    assert table.is_visible()
    page.emulate_media(media="screen")

    name, data = _download(page, "Anwesenheitsliste als Excel (XLSX)", tmp_path)
    assert re.fullmatch(r"anwesenheitsliste-planungsrunde-sued-\d{4}-\d{2}-\d{2}\.xlsx", name)
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[9]][:4] == ["Mona Moderation", None, "Moderation", "Zusage"]

    page.get_by_role("link", name="Zurück zur Sitzung").click()
    name, data = _download(page, "Protokollvorlage herunterladen (DOCX)", tmp_path)
    assert re.fullmatch(r"protokollvorlage-planungsrunde-sued-\d{4}-\d{2}-\d{2}\.docx", name)
    texts = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert texts[0] == "Protokoll: Runde im Frühling"
    assert "Vera Vogt in Vertretung für Udo Übermorgen (Familienzentrum Süd)" in texts
    assert [t for t in texts if t.startswith("TOP ")] == [
        "TOP 1: Begrüßung",
        "TOP 2: Bericht aus den Stadtteilen",
    ]
