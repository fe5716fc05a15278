"""The bulk import of people in the browser, shared by the journeys: the file and the steps.

``personen_datei`` writes 30 (or ``anzahl``) members of the Trägerrunde as a German Excel CSV
(Windows-1252, semicolons) or as an Excel workbook; ``importieren`` uploads it on
"Stammdaten" → "Import", checks the preview and confirms, with axe on both pages.
"""

from __future__ import annotations

from pathlib import Path

from app.core.tabellen import xlsx_bytes
from tests.support.a11y import assert_accessible

KOPF = ["Name", "E-Mail", "Organisation", "Gremium", "Funktion"]


def personen_datei(tmp_path: Path, format: str = "csv", anzahl: int = 30) -> Path:
    """Members of the Trägerrunde (Caritas Hilden) as ``Mitglieder Trägerrunde.<format>``."""
    zeilen = [
        [
            f"Jörg Träger {i}",
            f"joerg{i}@import.example",
            "Caritas Hilden",
            "Trägerrunde",
            "Mitglied",
        ]
        for i in range(anzahl)
    ]
    path = tmp_path / f"Mitglieder Trägerrunde.{format}"
    if format == "xlsx":
        path.write_bytes(xlsx_bytes("Mitglieder", KOPF, zeilen))
    else:
        text = "\r\n".join(";".join(z) for z in [KOPF, *zeilen]) + "\r\n"
        path.write_bytes(text.encode("cp1252"))
    return path


def importieren(page, live_server: str, datei: Path, anzahl: int = 30) -> None:
    """Upload, preview (axe), confirm with invitations; waits for the German summary."""
    page.goto(f"{live_server}/stammdaten/")
    page.get_by_role("navigation", name="Stammdaten").get_by_role("link", name="Import").click()
    assert page.get_by_role("link", name="Beispieldatei").is_visible()
    assert_accessible(page)
    page.get_by_label("Datei (CSV oder Excel)").set_input_files(str(datei))
    page.get_by_role("button", name="Datei prüfen").click()
    page.get_by_role("heading", name=f"Vorschau: {datei.name}").wait_for()
    assert f"Jörg Träger {anzahl - 1}" in page.content()
    assert_accessible(page)
    page.get_by_label("Neue Personen per E-Mail zur Plattform einladen").check()
    page.get_by_role("button", name="Jetzt importieren").click()
    page.get_by_text(
        f"{anzahl} Personen, 1 Organisation und {anzahl} Mitgliedschaften angelegt"
    ).wait_for()
    assert_accessible(page)
