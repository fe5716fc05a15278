"""Exports: German headers and values in XLSX and CSV, attendance counts, who may download
which export, a query count that does not grow with the rows."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from app.extensions import db
from app.massnahmen.models import Beschluss, Drittmittel, DrittmittelStatus, Ergebnis
from app.sitzungen.models import Antwort
from app.stammdaten.models import Funktion, GremiumTyp


def _xlsx(client, url: str) -> list[tuple]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))


def _welt(make):
    planungsrunde = make.gremium(GremiumTyp.PLANUNGSRUNDE, name="Planungsrunde")
    vorstand = make.gremium(GremiumTyp.VERWALTUNGSVORSTAND, name="Verwaltungsvorstand")
    zyklus = make.zyklus([planungsrunde], titel="Sozialplanung 2027")
    massnahme = make.massnahme(
        zyklus,
        "=Jugendtreff eröffnen",
        prioritaet=1,
        kosten=Decimal("48000"),
        haushalt=Decimal("28000"),
    )
    massnahme.drittmittel = [
        Drittmittel(
            quelle="Landesprogramm", betrag=Decimal("20000"), status=DrittmittelStatus.BEWILLIGT
        )
    ]
    db.session.add(
        Beschluss(
            massnahme_id=massnahme.id,
            gremium_id=vorstand.id,
            ergebnis=Ergebnis.ZUGESTIMMT,
            datum=date(2027, 3, 9),
            drucksache="SV 12/2027",
        )
    )
    db.session.commit()
    make.impuls("Offener Treff", thema="Jugend")
    return planungsrunde


def test_stabsstelle_downloads_every_export(client, login, make) -> None:
    _welt(make)
    runde = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde")
    sitzung = make.vergangene_sitzung(runde, titel="Trägerrunde März")
    for antwort in (Antwort.ZUSAGE, Antwort.ZUSAGE, Antwort.ABSAGE, Antwort.OFFEN):
        make.einladung(sitzung, antwort=antwort)
    make.einladung(sitzung, antwort=Antwort.VERTRETUNG, vertretung_name="Vera Vertretung")
    make.protokoll(sitzung, teilnehmende_anzahl=3)
    login(make.stabsstelle())
    assert "Sitzungen mit Teilnahme als XLSX" in client.get("/exporte/").get_data(as_text=True)

    massnahmen = _xlsx(client, "/exporte/massnahmen.xlsx")
    assert massnahmen[0][:3] == ("Planungszyklus", "Priorität", "Maßnahme")
    zeile = dict(zip(massnahmen[0], massnahmen[1], strict=True))
    assert zeile["Maßnahme"] == "=Jugendtreff eröffnen"  # text, never a formula
    assert (zeile["Kosten (€)"], zeile["Drittmittel (€)"]) == (48000, 20000)
    assert zeile["Beschlüsse"] == "Verwaltungsvorstand: zugestimmt"

    beschluesse = _xlsx(client, "/exporte/beschluesse.xlsx")
    assert beschluesse[1][:5] == (
        "09.03.2027",
        "Verwaltungsvorstand",
        "=Jugendtreff eröffnen",
        "zugestimmt",
        "SV 12/2027",
    )
    impulse = _xlsx(client, "/exporte/impulse.xlsx")
    assert impulse[0][2] == "Titel" and impulse[1][2] == "Offener Treff"

    sitzungen = _xlsx(client, "/exporte/sitzungen.xlsx")
    zeile = dict(zip(sitzungen[0], sitzungen[1], strict=True))
    assert zeile["Sitzung"] == "Trägerrunde März"
    assert (zeile["Eingeladen"], zeile["Zusagen"], zeile["Absagen"]) == (5, 2, 2)
    assert (zeile["davon mit Vertretung"], zeile["Ohne Rückmeldung"]) == (1, 1)
    assert zeile["Teilnehmende laut Protokoll"] == 3

    csv = client.get("/exporte/massnahmen.csv")
    text = csv.data.decode("utf-8")
    assert text.startswith("\ufeffPlanungszyklus;Priorität;Maßnahme")
    assert "'=Jugendtreff eröffnen" in text and "48000,0" in text


def test_each_export_keeps_the_permission_of_its_source(client, login, make) -> None:
    planungsrunde = _welt(make)
    planer = make.user()
    make.mitgliedschaft(planungsrunde, planer, Funktion.MITGLIED)
    login(planer)
    seite = client.get("/exporte/").get_data(as_text=True)
    assert "Maßnahmenliste als XLSX" in seite and "Sitzungen mit Teilnahme" not in seite
    assert client.get("/exporte/massnahmen.csv").status_code == 200
    assert client.get("/exporte/sitzungen.xlsx").status_code == 403

    login(make.traeger_user())
    assert client.get("/exporte/").status_code == 403
    for name in ("impulse", "massnahmen", "beschluesse", "sitzungen"):
        assert client.get(f"/exporte/{name}.xlsx").status_code == 403
    assert client.get("/exporte/unbekannt.xlsx").status_code == 404
    assert client.get("/exporte/impulse.pdf").status_code == 404


def test_measure_export_query_count_does_not_grow(client, login, make, query_counter) -> None:
    planungsrunde = _welt(make)
    zyklus = make.zyklus([planungsrunde], titel="Sozialplanung 2028")
    login(make.stabsstelle())
    client.get("/exporte/massnahmen.xlsx")
    with query_counter() as wenige:
        client.get("/exporte/massnahmen.xlsx")
    for n in range(5):
        m = make.massnahme(zyklus, f"Maßnahme {n}")
        m.drittmittel = [
            Drittmittel(quelle=f"Quelle {n}", betrag=Decimal(n), status=DrittmittelStatus.BEANTRAGT)
        ]
    db.session.commit()
    with query_counter() as viele:
        assert len(_xlsx(client, "/exporte/massnahmen.xlsx")) == 7
    assert len(viele) == len(wenige)
