"""iCalendar (RFC 5545/5546) for Sitzungen: invitations Outlook and Thunderbird can answer, feeds.

Invitations use METHOD:REQUEST (or CANCEL) with the Sitzung's stable UID and its SEQUENCE,
ORGANIZER (the sender address) and one ATTENDEE (RSVP=TRUE only in a REQUEST). Downloads and feeds use
METHOD:PUBLISH without attendees.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress
from icalendar.parser import Contentline
from icalendar.prop import vRecur

from app.core.types import utcnow
from app.sitzungen.models import Einladung, Sitzung, SitzungStatus

BERLIN = ZoneInfo("Europe/Berlin")
CALENDAR_CONTENT_TYPE = "text/calendar; charset=UTF-8"
ICS_FILENAME = "einladung.ics"


def mime_type(method: str) -> str:
    """The MIME type of an iTIP part; ``method=`` must match the calendar's METHOD."""
    return f"text/calendar; method={method}; charset=UTF-8"


def _berlin_timezone() -> Timezone:
    """Compact VTIMEZONE with the EU rules, as Outlook writes it."""
    tz = Timezone()
    tz.add("tzid", "Europe/Berlin")
    for cls, start, month, offsets, name in (
        (TimezoneDaylight, datetime(1970, 3, 29, 2), 3, ("+0100", "+0200"), "CEST"),
        (TimezoneStandard, datetime(1970, 10, 25, 3), 10, ("+0200", "+0100"), "CET"),
    ):
        part = cls()
        part.add("dtstart", start)
        part.add("rrule", vRecur(freq="YEARLY", bymonth=month, byday="-1SU"))
        part["tzoffsetfrom"] = offsets[0]
        part["tzoffsetto"] = offsets[1]
        part.add("tzname", name)
        tz.add_component(part)
    return tz


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", f"-//{current_app.config['ORGANISATION_NAME']}//Planungskreislauf//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(_berlin_timezone())
    return cal


def _organizer() -> vCalAddress:
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = name or address
    return organizer


def _attendee(einladung: Einladung, *, reply_expected: bool = True) -> vCalAddress:
    """The invitee; only a REQUEST asks for a reply (a CANCEL carries no RSVP, RFC 5546)."""
    attendee = vCalAddress(f"mailto:{einladung.email}")
    attendee.params["cn"] = einladung.name
    attendee.params["cutype"] = "INDIVIDUAL"
    attendee.params["role"] = "OPT-PARTICIPANT" if einladung.gast else "REQ-PARTICIPANT"
    if reply_expected:
        attendee.params["partstat"] = "NEEDS-ACTION"
        attendee.params["rsvp"] = "TRUE"
    return attendee


def describe(sitzung: Sitzung, link: str | None = None, oeffentlich: bool = False) -> str:
    """Plain-text description: agenda, online link (not in public feeds), where to reply."""
    lines = [f"{sitzung.gremium.name}: {sitzung.titel}", ""]
    if sitzung.tagesordnungspunkte:
        lines.append("Tagesordnung:")
        lines += [f"TOP {n}: {top.titel}" for n, top in enumerate(sitzung.tagesordnungspunkte, 1)]
    if sitzung.online_link and not oeffentlich:
        lines += ["", f"Online-Teilnahme: {sitzung.online_link}"]
    if link:
        lines += ["", f"Zu- oder Absage: {link}"]
    return "\n".join(lines)


def _event(sitzung: Sitzung, cancelled: bool, description: str, url: str | None = None) -> Event:
    event = Event()
    event.add("uid", sitzung.uid)
    event.add("sequence", sitzung.sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", sitzung.beginn.astimezone(BERLIN))
    event.add("dtend", sitzung.ende.astimezone(BERLIN))
    event.add("summary", f"{sitzung.gremium.name}: {sitzung.titel}")
    event.add("location", sitzung.ort_text)
    event.add("description", description)
    if url or sitzung.online_link:
        event.add("url", url or sitzung.online_link)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("organizer", _organizer())
    return event


@dataclass(frozen=True)
class Einladungskalender:
    """The iTIP message of one Sitzung without its ATTENDEE, built once per fan-out step."""

    method: str
    head: bytes
    tail: bytes

    def personal(self, einladung: Einladung) -> bytes:
        """The message for one invitee: the shared part plus their ATTENDEE line (the content
        line alone, folded as in a whole event; no event built per person)."""
        attendee = _attendee(einladung, reply_expected=self.method == "REQUEST")
        line = _folded(Contentline.from_parts("ATTENDEE", attendee.params, attendee))
        return self.head + line + b"\r\n" + self.tail


def _folded(line: Contentline) -> bytes:
    """The line folded as icalendar folds it (74 characters, then a break and a space); plain
    ASCII by slicing, which is what a fan-out has almost always (icalendar walks it character
    by character), anything else (non-ASCII, escapes not to be split) by icalendar itself."""
    if line.isascii() and "\\" not in line and "^" not in line:
        return "\r\n ".join(line[i : i + 74] for i in range(0, len(line), 74)).encode("ascii")
    return line.to_ical()


def invitation_calendar(sitzung: Sitzung, zurueckgezogen: bool = False) -> Einladungskalender:
    """REQUEST (or CANCEL for a cancelled Sitzung, or for one invitee whose invitation is
    withdrawn); the personal reply link stays out of the calendar entry, which people forward
    and share."""
    cancelled = zurueckgezogen or sitzung.status == SitzungStatus.ABGESAGT
    method = "CANCEL" if cancelled else "REQUEST"
    cal = _calendar(method)
    cal.add_component(_event(sitzung, cancelled, describe(sitzung)))
    data = cal.to_ical()
    cut = data.rindex(b"END:VEVENT")
    return Einladungskalender(method, data[:cut], data[cut:])


def invitation_ics(sitzung: Sitzung, einladung: Einladung) -> tuple[str, bytes]:
    """(METHOD, bytes) of the personal iTIP message of one invitee."""
    template = invitation_calendar(sitzung)
    return template.method, template.personal(einladung)


def publish_ics(
    sitzungen: Iterable[Sitzung],
    name: str | None = None,
    public_url: Callable[[Sitzung], str] | None = None,
) -> bytes:
    """A METHOD:PUBLISH calendar (download or subscribed feed); cancelled ones marked so.

    With ``public_url`` it is a public calendar: each entry links to its public page and
    leaves out the online link, which is meant for the invited.
    """
    cal = _calendar("PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", "Europe/Berlin")
    oeffentlich = public_url is not None
    for sitzung in sitzungen:
        cal.add_component(
            _event(
                sitzung,
                sitzung.status == SitzungStatus.ABGESAGT,
                describe(sitzung, oeffentlich=oeffentlich),
                public_url(sitzung) if public_url else None,
            )
        )
    return cal.to_ical()
