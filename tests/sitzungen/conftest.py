"""Helpers for the meeting tests: a Gremium with organiser and members, uploads in tmp."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from icalendar import Calendar

from app.stammdaten.models import Funktion


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test stores its uploads in its own directory."""
    target = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(target))
    return target


@dataclass
class Runde:
    """A Gremium with its Vorsitz, members and one outsider."""

    gremium: object
    vorsitz: object
    mitglieder: list
    aussen: object


@pytest.fixture
def runde(make) -> Runde:
    gremium = make.gremium()
    vorsitz = make.user(name="Vera Vorsitz")
    make.mitgliedschaft(gremium, vorsitz, Funktion.VORSITZ)
    mitglieder = [make.user(name=f"Mitglied {i}") for i in range(3)]
    for person in mitglieder:
        make.mitgliedschaft(gremium, person)
    return Runde(gremium, vorsitz, mitglieder, make.user(name="Otto Außen"))


def calendar_of(data: bytes) -> tuple[Calendar, object]:
    """The parsed calendar and its only VEVENT."""
    cal = Calendar.from_ical(data)
    [event] = cal.walk("VEVENT")
    return cal, event


def calendar_parts(message) -> list:
    """The text/calendar parts of a MIME message: (method parameter, is attachment, bytes)."""
    found = []
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            found.append(
                (
                    part.get_param("method"),
                    part.get_filename() is not None
                    and part.get_content_disposition() == "attachment",
                    payload,
                )
            )
    return found


def assert_itip(
    message, method: str, uid: str, sequence: int, attendee: str, organizer: str
) -> None:
    """The mail carries the iTIP part inline and as einladung.ics, consistent with each other."""
    parts = calendar_parts(message)
    assert sorted(p[1] for p in parts) == [False, True], "inline and attached calendar expected"
    for mime_method, _attached, data in parts:
        assert mime_method == method
        cal, event = calendar_of(data)
        assert str(cal["METHOD"]) == method
        assert str(event["UID"]) == uid
        assert int(event["SEQUENCE"]) == sequence
        assert str(event["ORGANIZER"]).lower() == f"mailto:{organizer}".lower()
        attendees = (
            event["ATTENDEE"] if isinstance(event["ATTENDEE"], list) else [event["ATTENDEE"]]
        )
        [person] = attendees
        assert str(person).lower() == f"mailto:{attendee}".lower()
        if method == "CANCEL":  # a cancellation asks for no reply (RFC 5546 3.2.5)
            assert "RSVP" not in person.params and "PARTSTAT" not in person.params
        else:
            assert person.params["RSVP"] == "TRUE" and person.params["PARTSTAT"] == "NEEDS-ACTION"
        assert str(event["STATUS"]) == ("CANCELLED" if method == "CANCEL" else "CONFIRMED")
        assert event.decoded("DTSTART").tzinfo is not None
    attached = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert [p.get_filename() for p in attached] == ["einladung.ics"]
