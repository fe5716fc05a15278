"""Meeting series (rule, holidays, daylight saving), copies, and the annual plan (page, XLSX,
.ics), with permissions from the outside."""

from __future__ import annotations

import io
from datetime import date, time, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.sitzungen.feiertage import feiertage_nrw, ostersonntag
from app.sitzungen.grundlagen import BERLIN
from app.sitzungen.models import Sitzung
from app.sitzungen.serien import Regel, Serie, termine
from app.stammdaten.models import Funktion, GremiumTyp


def test_easter_based_and_fixed_holidays_of_nrw() -> None:
    assert ostersonntag(2027) == date(2027, 3, 28)
    assert ostersonntag(2028) == date(2028, 4, 16)
    tage = feiertage_nrw(2027)
    assert tage[date(2027, 5, 27)] == "Fronleichnam"
    assert tage[date(2027, 5, 6)] == "Christi Himmelfahrt"
    assert tage[date(2027, 10, 3)] == "Tag der Deutschen Einheit"
    assert tage[date(2027, 3, 26)] == "Karfreitag"
    assert len(tage) == 11


def test_weekly_series_keeps_18_oclock_across_daylight_saving(ctx) -> None:
    serie = Serie(2027, Regel.WOECHENTLICH, wochentag=1, beginn=time(18, 0))  # Tuesdays
    alle = {t.datum: t for t in termine(serie)}
    assert len(alle) == 52
    vorher, nachher = alle[date(2027, 3, 23)], alle[date(2027, 3, 30)]  # change on 28 March
    herbst = alle[date(2027, 11, 2)]  # back to winter time on 31 October
    for t in (vorher, nachher, herbst):
        assert t.beginn.astimezone(BERLIN).time() == time(18, 0)
        assert t.ende - t.beginn == timedelta(hours=2)
    assert (vorher.beginn.hour, nachher.beginn.hour, herbst.beginn.hour) == (17, 16, 17)


def test_holidays_are_skipped_and_named(ctx) -> None:
    letzter_donnerstag = Serie(2027, Regel.MONATLICH, wochentag=3, nummer=-1)
    mai = [t for t in termine(letzter_donnerstag) if t.datum.month == 5]
    assert mai[0].datum == date(2027, 5, 27) and mai[0].entfaellt == "Fronleichnam"
    dienstage = Serie(2028, Regel.WOECHENTLICH, wochentag=1)
    oktober = {t.datum: t.entfaellt for t in termine(dienstage)}
    assert oktober[date(2028, 10, 3)] == "Tag der Deutschen Einheit"
    assert oktober[date(2028, 10, 10)] is None
    ohne = Serie(2028, Regel.WOECHENTLICH, wochentag=1, feiertage_auslassen=False)
    assert all(t.entfaellt is None for t in termine(ohne))
    zweiter_dienstag = Serie(2027, Regel.MONATLICH, wochentag=1, nummer=2)
    assert [t.datum.day for t in termine(zweiter_dienstag)][:3] == [12, 9, 9]


def _serie_daten(gremium_id: int, aktion: str, **felder) -> dict:
    daten = {
        "gremium_id": str(gremium_id),
        "jahr": "2027",
        "regel": "monatlich",
        "wochentag": "3",
        "nummer": "-1",
        "intervall": "1",
        "beginn": "18:00",
        "dauer": "120",
        "titel": "Trägerrunde",
        "ort_name": "Rathaus Hilden",
        "feiertage": "y",
        aktion: "1",
    }
    daten.update(felder)
    return daten


def test_preview_then_create_then_annual_plan(client, login, make, csrf_token) -> None:
    runde = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde")
    make.sitzung(runde, titel="Schon geplant", beginn=_utc(date(2027, 1, 28), 10))
    login(make.stabsstelle())
    token = csrf_token(client, "/sitzungen/serie")
    vorschau = client.post(
        "/sitzungen/serie", data={"csrf_token": token, **_serie_daten(runde.id, "vorschau")}
    )
    html = vorschau.get_data(as_text=True)
    assert vorschau.status_code == 200
    assert "10 Sitzungen werden angelegt, 2 Termine entfallen." in html
    assert "Fronleichnam" in html and "an diesem Tag tagt das Gremium bereits" in html
    assert db.session.scalar(select(func.count()).select_from(Sitzung)) == 1  # preview only

    token = csrf_token(client, "/sitzungen/serie")
    antwort = client.post(
        "/sitzungen/serie", data={"csrf_token": token, **_serie_daten(runde.id, "anlegen")}
    )
    assert antwort.status_code == 302
    assert antwort.headers["Location"] == f"/sitzungen/jahresplan?jahr=2027&gremium={runde.id}"
    assert db.session.scalar(select(func.count()).select_from(Sitzung)) == 11
    plan = client.get(antwort.headers["Location"]).get_data(as_text=True)
    assert (
        "10 Sitzungen der Trägerrunde für 2027 angelegt (jeden letzten Donnerstag im Monat)."
        in plan
    )
    assert "Dezember 2027" in plan and "30.12.2027" in plan and "18:00–20:00" in plan

    xlsx = client.get(f"/sitzungen/jahresplan.xlsx?jahr=2027&gremium={runde.id}")
    assert xlsx.status_code == 200
    blatt = load_workbook(io.BytesIO(xlsx.data)).active
    zeilen = list(blatt.iter_rows(values_only=True))
    assert zeilen[0] == (
        "Datum",
        "Wochentag",
        "Beginn",
        "Ende",
        "Gremium",
        "Titel",
        "Ort",
        "Status",
    )
    assert len(zeilen) == 12 and zeilen[1][:4] == ("28.01.2027", "Donnerstag", "10:00", "12:00")
    assert zeilen[2][:3] == ("25.02.2027", "Donnerstag", "18:00")

    ics = client.get(f"/sitzungen/jahresplan.ics?jahr=2027&gremium={runde.id}")
    assert ics.data.count(b"BEGIN:VEVENT") == 11 and b"Sitzungsplan 2027" in ics.data


def _utc(tag: date, stunde: int):
    from datetime import datetime

    from app.sitzungen.grundlagen import berlin_to_utc

    return berlin_to_utc(datetime.combine(tag, time(stunde, 0)))


def test_only_organisers_plan_series_and_copies(client, login, make, csrf_token) -> None:
    runde = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde")
    kreis = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Nord")
    mitglied, moderation = make.traeger_user(), make.user()
    make.mitgliedschaft(runde, mitglied, Funktion.MITGLIED)
    make.mitgliedschaft(kreis, moderation, Funktion.MODERATION)
    sitzung = make.sitzung(runde, titel="Trägerrunde Juni")

    login(mitglied)
    assert client.get("/sitzungen/serie").status_code == 403
    assert client.get(f"/sitzungen/{sitzung.id}/kopieren").status_code == 403

    login(moderation)  # organises SAK Nord only: may not plan the Trägerrunde
    token = csrf_token(client, "/sitzungen/serie")
    antwort = client.post(
        "/sitzungen/serie", data={"csrf_token": token, **_serie_daten(runde.id, "anlegen")}
    )
    assert antwort.status_code == 400
    assert "Bitte wählen Sie ein Gremium aus der Liste." in antwort.get_data(as_text=True)
    assert client.get(f"/sitzungen/{sitzung.id}/kopieren").status_code in (403, 404)
    plan = client.get("/sitzungen/jahresplan?jahr=" + str(sitzung.beginn.year)).get_data(
        as_text=True
    )
    assert "Trägerrunde Juni" not in plan  # not a member, not public
    assert client.get("/sitzungen/jahresplan?gremium=999999").status_code == 404


def test_copy_takes_the_agenda(client, login, make, csrf_token) -> None:
    runde = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde")
    original = make.sitzung(runde, titel="Trägerrunde Juni", ort_raum="Ratssaal")
    make.top(original, "Begrüßung")
    make.top(original, "Bericht der Stabsstelle", beschreibung="Stand der Planung")
    login(make.stabsstelle())
    url = f"/sitzungen/{original.id}/kopieren"
    antwort = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "titel": "Trägerrunde Juli",
            "beginn": "2027-07-13T18:00",
        },
    )
    assert antwort.status_code == 302
    kopie = db.session.scalar(select(Sitzung).where(Sitzung.titel == "Trägerrunde Juli"))
    assert [t.titel for t in kopie.tagesordnungspunkte] == ["Begrüßung", "Bericht der Stabsstelle"]
    assert kopie.ort_raum == "Ratssaal" and kopie.uid != original.uid
    assert kopie.beginn.astimezone(BERLIN).hour == 18
    assert kopie.ende - kopie.beginn == original.ende - original.beginn


def test_annual_plan_query_count_is_fixed(client, login, make, query_counter) -> None:
    runde = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde")
    make.sitzung(runde, beginn=_utc(date(2027, 2, 2), 18))
    login(make.stabsstelle())
    client.get("/sitzungen/jahresplan?jahr=2027")
    with query_counter() as wenige:
        client.get("/sitzungen/jahresplan?jahr=2027")
    for monat in range(3, 9):
        make.sitzung(make.gremium(), beginn=_utc(date(2027, monat, 2), 18))
    with query_counter() as viele:
        assert "7 Sitzungen" in client.get("/sitzungen/jahresplan?jahr=2027").get_data(as_text=True)
    assert len(viele) == len(wenige)
