"""The public portal without login: landing page, calendar, meetings, minutes, accountability."""

from __future__ import annotations

from icalendar import Calendar

from app.auth.models import User
from app.extensions import db
from app.oeffentlich.services import BERLIN


def _text(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def test_visitors_land_on_the_portal_with_a_clear_login(client, stadt) -> None:
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/oeffentlich/"
    body = _text(client, "/oeffentlich/")
    assert 'href="/anmelden"' in body and "Anmelden" in body
    assert "Sozialplanung 2027" in body and "Sozialreport 2026" in body
    assert "Sozialausschuss Juni" in body  # next public meeting
    assert "Offener Treff für Jugendliche" in body and "Jugendtreff Nord" in body


def test_logged_in_people_still_land_on_their_start_page(client, login, stadt) -> None:
    login(stadt.vorsitz)
    assert client.get("/").headers["Location"] == "/start"


def test_cycle_timeline_shows_phases_with_state_and_meetings(client, stadt) -> None:
    body = _text(client, "/oeffentlich/planungszyklus")
    assert body.count('class="phasenleiste__station') == 5
    assert 'aria-current="step"' in body and "läuft gerade" in body
    assert "Sozialausschuss Juni" in body  # tied to the Politik phase


def test_month_calendar_lists_public_meetings_grouped_by_day(client, stadt) -> None:
    monat = stadt.sitzung.beginn.astimezone(BERLIN).strftime("%Y-%m")
    body = _text(client, f"/oeffentlich/sitzungen/?monat={monat}")
    assert "Sozialausschuss Juni" in body
    assert "Geheime Klausur" not in body
    assert "webcal://" in body
    filtered = _text(client, f"/oeffentlich/sitzungen/?monat={monat}&gremium={stadt.sak.id}")
    assert "Sozialausschuss Juni" not in filtered
    assert _text(client, "/oeffentlich/sitzungen/?monat=kaputt")  # falls back, no 500
    assert _text(client, "/oeffentlich/sitzungen/?monat=2026-13&gremium=abc")


def test_meeting_page_has_agenda_documents_and_calendar(client, stadt) -> None:
    body = _text(client, f"/oeffentlich/sitzungen/{stadt.sitzung.id}")
    assert "Jugendtreff im Norden" in body and "vorlage-jugendtreff.pdf" in body
    assert f"/oeffentlich/dateien/{stadt.anlage.id}" in body
    assert "video.example" not in body
    with client.get(f"/oeffentlich/dateien/{stadt.anlage.id}") as document:
        assert document.status_code == 200 and document.data.startswith(b"%PDF")
        assert "attachment" not in document.headers["Content-Disposition"]
    with client.get(f"/oeffentlich/dateien/{stadt.anlage.id}?download=1") as download:
        assert download.headers["Content-Disposition"].startswith("attachment")
    ics = client.get(f"/oeffentlich/sitzungen/{stadt.sitzung.id}.ics")
    assert ics.headers["Content-Type"].startswith("text/calendar")
    event = next(c for c in Calendar.from_ical(ics.data).walk("VEVENT"))
    assert "Jugendtreff im Norden" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(f"/oeffentlich/sitzungen/{stadt.sitzung.id}")
    assert b"video.example" not in ics.data


def test_non_public_meeting_and_its_files_are_404(client, stadt) -> None:
    assert client.get(f"/oeffentlich/sitzungen/{stadt.geheim.id}").status_code == 404
    assert client.get(f"/oeffentlich/sitzungen/{stadt.geheim.id}.ics").status_code == 404
    assert client.get(f"/oeffentlich/dateien/{stadt.geheim_datei.id}").status_code == 404
    assert client.get("/oeffentlich/sitzungen/999999").status_code == 404


def test_feeds_for_all_and_per_gremium(client, stadt) -> None:
    alle = client.get("/oeffentlich/kalender.ics")
    assert alle.status_code == 200 and b"Sozialausschuss Juni" in alle.data
    assert b"Geheime Klausur" not in alle.data
    gremium = client.get(f"/oeffentlich/gremien/{stadt.ausschuss.id}/kalender.ics")
    assert b"Sozialausschuss Juni" in gremium.data
    assert b"SAK Nord" not in gremium.data
    assert client.get("/oeffentlich/gremien/999999/kalender.ics").status_code == 404


def test_minutes_list_filters_and_page(client, stadt) -> None:
    body = _text(client, "/oeffentlich/protokolle/")
    assert "SAK Nord Frühjahr" in body
    assert "SAK Nord Winter" not in body and "SAK Nord Herbst" not in body
    jahr = stadt.vergangen.beginn.astimezone(BERLIN).year
    assert "SAK Nord Frühjahr" in _text(client, f"/oeffentlich/protokolle/?jahr={jahr}")
    assert "SAK Nord Frühjahr" not in _text(client, f"/oeffentlich/protokolle/?jahr={jahr - 5}")
    nur_sak = _text(client, f"/oeffentlich/protokolle/?gremium={stadt.sak.id}")
    assert "SAK Nord Frühjahr" in nur_sak and f'value="{stadt.sak.id}" selected' in nur_sak
    assert f'value="{stadt.ausschuss.id}"' not in nur_sak  # only Gremien with public minutes
    assert _text(client, "/oeffentlich/protokolle/?jahr=x&gremium=-1")
    page = _text(client, f"/oeffentlich/protokolle/{stadt.vergangen.id}")
    assert "Ein offener Treff wird gewünscht." in page and "protokoll-fruehjahr.pdf" in page
    for hidden in (stadt.unveroeffentlicht, stadt.entwurf, stadt.sitzung):
        assert client.get(f"/oeffentlich/protokolle/{hidden.id}").status_code == 404


def test_impulse_with_published_answer_and_measure(client, stadt) -> None:
    body = _text(client, "/oeffentlich/impulse/")
    assert "Offener Treff für Jugendliche" in body and "Interner Impuls" not in body
    assert "führte zu 1 Maßnahme" in body
    page = _text(client, f"/oeffentlich/impulse/{stadt.impuls.id}")
    assert "Die Stabsstelle prüft einen Standort." in page
    assert "Entwurfsantwort geheim" not in page and "Paula Privat" not in page
    assert "Jugendtreff Nord" in page and "SAK Nord" in page
    assert client.get(f"/oeffentlich/impulse/{stadt.intern.id}").status_code == 404
    assert "Offener Treff" not in _text(client, "/oeffentlich/impulse/?status=abgelehnt")
    assert _text(client, "/oeffentlich/impulse/?status=quatsch&stadtbereich=x")


def test_measure_progress_milestones_decisions_and_origin(client, stadt) -> None:
    body = _text(client, "/oeffentlich/massnahmen/")
    assert "Jugendtreff Nord" in body and "Interne Maßnahme" not in body
    assert "40 % umgesetzt" in body and "nächster Meilenstein: Eröffnung" in body
    page = _text(client, f"/oeffentlich/massnahmen/{stadt.massnahme.id}")
    assert 'value="40"' in page and "Räume gefunden" in page and "Eröffnung" in page
    assert "SV 12/2026" in page and "Sozialausschuss" in page and "zugestimmt" in page
    assert "Offener Treff für Jugendliche" in page and "Stadtbereich Nord" in page
    assert "Interner Impuls" not in page
    assert client.get(f"/oeffentlich/massnahmen/{stadt.interne_massnahme.id}").status_code == 404


def test_sozialraum_page_brings_it_together(client, stadt) -> None:
    overview = _text(client, "/oeffentlich/stadtbereiche/")
    assert "Stadtbereich Nord" in overview and "1 Impuls, 1 Maßnahme" in overview
    page = _text(client, f"/oeffentlich/stadtbereiche/{stadt.nord.id}")
    for expected in ("SAK Nord", "SAK Nord Frühjahr", "Offener Treff", "Jugendtreff Nord"):
        assert expected in page
    assert "Interner Impuls" not in page and "Interne Maßnahme" not in page
    assert client.get("/oeffentlich/stadtbereiche/999999").status_code == 404


def test_gremium_page_names_only_office_holders_who_agreed(client, stadt) -> None:
    page = _text(client, f"/oeffentlich/gremien/{stadt.ausschuss.id}")
    assert "Vera Vorsitz" in page and "Olga Ohne-Zustimmung" not in page
    db.session.get(User, stadt.vorsitz.id).aktiv = False
    db.session.commit()
    assert "Vera Vorsitz" not in _text(client, f"/oeffentlich/gremien/{stadt.ausschuss.id}")


def test_names_can_be_switched_off_for_the_installation(app, client, stadt, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "OEFFENTLICHE_NAMEN", False)
    assert "Vera Vorsitz" not in _text(client, f"/oeffentlich/gremien/{stadt.ausschuss.id}")


def test_public_lists_filter_by_planungsfeld_and_show_targets(client, make, stadt) -> None:
    from datetime import date

    from app.extensions import db
    from app.impulse.models import Impuls
    from app.massnahmen.models import Massnahme
    from app.massnahmen.wirkung import add_wirkungsziel

    felder = make.planungsfelder()
    massnahme = db.session.get(Massnahme, stadt.massnahme.id)
    massnahme.planungsfelder = [felder["jugendhilfeplanung"]]
    db.session.get(Impuls, stadt.impuls.id).planungsfelder = [felder["jugendhilfeplanung"]]
    quote = make.indikator("Jugendquote P")
    make.indikatorwert(quote, None, 2023, 10.0)
    make.indikatorwert(quote, None, 2024, 11.5)
    add_wirkungsziel(massnahme, quote.id, None, 2023, 12.0, 2025, date(2026, 3, 1))
    db.session.commit()
    for url, titel in (
        ("/oeffentlich/massnahmen/", "Jugendtreff Nord"),
        ("/oeffentlich/impulse/", "Offener Treff für Jugendliche"),
    ):
        alle = _text(client, url)
        assert titel in alle and "Jugendhilfeplanung" in alle  # the tag in the list
        assert titel in _text(client, f"{url}?feld=jugendhilfeplanung")
        leer = _text(client, f"{url}?feld=nahversorgung")
        assert titel not in leer and "im Planungsfeld „Nahversorgung“" in leer
        assert _text(client, f"{url}?feld=gibtsnicht")  # unknown key: no filter, no error
    page = _text(client, f"/oeffentlich/massnahmen/{stadt.massnahme.id}")
    assert "Wirkungsziele" in page and "Jugendquote P, Gesamtstadt" in page
    assert "auf Kurs" in page and 'role="img"' in page


def test_stadtbereiche_overview_has_a_map_linking_to_each_page(client, stadt) -> None:
    from app.extensions import db
    from app.karten.demo import FLAECHEN
    from app.karten.grenzen import import_grenzen
    from app.stammdaten.models import Sozialraum

    assert 'class="karte__svg"' not in _text(client, "/oeffentlich/stadtbereiche/")
    raeume = list(db.session.scalars(db.select(Sozialraum).order_by(Sozialraum.id)))
    features = [
        {
            "type": "Feature",
            "properties": {"name": r.name},
            "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
        }
        for r, ring in zip(raeume, FLAECHEN.values(), strict=False)
    ]
    import json

    import_grenzen(
        json.dumps({"type": "FeatureCollection", "features": features}).encode(), "t", True
    )
    db.session.commit()
    page = _text(client, "/oeffentlich/stadtbereiche/")
    assert 'role="img"' in page and "Karte: veröffentlichte Maßnahmen je Stadtbereich" in page
    assert f'<a href="/oeffentlich/stadtbereiche/{stadt.nord.id}" tabindex="-1">' in page
    assert "Schematische Grenzen" in page
