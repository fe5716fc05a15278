"""Calendar files: one meeting, a person's secret feed (revocable), a Gremium's public feed."""

from __future__ import annotations

import re

from icalendar import Calendar

from app.sitzungen.models import SitzungStatus
from tests.sitzungen.conftest import calendar_of


def _events(data: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(data)
    assert str(cal["METHOD"]) == "PUBLISH"
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_meeting_download_is_a_publish_calendar(client, login, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium, titel="Planungsrunde Juli", ort_raum="Ratssaal")
    make.top(sitzung, "Sozialreport")
    login(runde.mitglieder[0])
    response = client.get(f"/sitzungen/{sitzung.id}/kalender.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    assert response.headers["Content-Disposition"].startswith("attachment")
    cal, event = calendar_of(response.data)
    assert str(cal["METHOD"]) == "PUBLISH" and str(event["UID"]) == sitzung.uid
    assert "Planungsrunde Juli" in str(event["SUMMARY"]) and "Ratssaal" in str(event["LOCATION"])
    assert "TOP 1: Sozialreport" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART") == sitzung.beginn
    assert "ATTENDEE" not in event


def _create_feed(client, csrf_token) -> str:
    client.post(
        "/sitzungen/kalender",
        data={"aktion": "erneuern", "csrf_token": csrf_token(client, "/sitzungen/kalender")},
    )
    page = client.get("/sitzungen/kalender").get_data(as_text=True)
    return re.search(
        r'id="kalender-link" value="http://[^/]+(/sitzungen/kalender/[^"]+\.ics)"', page
    ).group(1)


def test_personal_feed_shows_own_meetings_and_can_be_revoked(
    app, client, login, csrf_token, make, runde
) -> None:
    eigene = make.sitzung(runde.gremium, titel="Eigene Runde", status=SitzungStatus.EINGELADEN)
    fremd = make.gremium()
    eingeladen = make.sitzung(fremd, titel="Als Gast", status=SitzungStatus.EINGELADEN)
    make.einladung(eingeladen, runde.mitglieder[0], gast=True)
    make.sitzung(fremd, titel="Fremde Runde", status=SitzungStatus.EINGELADEN)
    make.sitzung(runde.gremium, titel="Noch nicht eingeladen")
    abgesagt = make.sitzung(runde.gremium, titel="Abgesagte Runde", status=SitzungStatus.ABGESAGT)
    login(runde.mitglieder[0])
    url = _create_feed(client, csrf_token)
    anonymous = app.test_client()
    response = anonymous.get(url)
    assert response.status_code == 200
    events = _events(response.data)
    names = {name.split(": ", 1)[1] for name in events}
    assert names == {"Eigene Runde", "Als Gast", "Abgesagte Runde"}
    cancelled = next(e for e in events.values() if str(e["UID"]) == abgesagt.uid)
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert any(str(e["UID"]) == eigene.uid for e in events.values())

    newer = _create_feed(client, csrf_token)
    assert newer != url
    assert anonymous.get(url).status_code == 404
    assert anonymous.get(newer).status_code == 200
    client.post(
        "/sitzungen/kalender",
        data={"aktion": "widerrufen", "csrf_token": csrf_token(client, "/sitzungen/kalender")},
    )
    assert anonymous.get(newer).status_code == 404
    assert anonymous.get("/sitzungen/kalender/erfunden.ics").status_code == 404


def test_gremium_feed_has_public_meetings_only(app, make, runde) -> None:
    make.sitzung(
        runde.gremium, titel="Öffentlich", oeffentlich=True, status=SitzungStatus.EINGELADEN
    )
    make.sitzung(runde.gremium, titel="Intern", status=SitzungStatus.EINGELADEN)
    response = app.test_client().get(f"/sitzungen/gremien/{runde.gremium.id}/kalender.ics")
    assert response.status_code == 200
    assert {name.split(": ", 1)[1] for name in _events(response.data)} == {"Öffentlich"}
    assert app.test_client().get("/sitzungen/gremien/999999/kalender.ics").status_code == 404
