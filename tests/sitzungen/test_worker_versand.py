"""Through the real worker and SMTP server: invitation, update and cancellation carry iTIP
calendar parts Outlook and Thunderbird can answer (METHOD, UID, SEQUENCE, ORGANIZER, ATTENDEE)."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

import pytest

from app.extensions import db
from app.sitzungen import services
from app.sitzungen.models import Sitzung
from tests.sitzungen.conftest import assert_itip, calendar_of, calendar_parts

pytestmark = pytest.mark.worker


def _fresh(sitzung_id: int) -> Sitzung:
    return db.session.get(Sitzung, sitzung_id, populate_existing=True)


def _event(captured) -> object:
    return calendar_of(calendar_parts(captured.message)[0][2])[1]


def test_invitation_update_and_cancellation_reach_every_invitee(
    app,
    ctx,
    client,
    celery_worker,
    smtp_server,
    make,
    runde,
) -> None:
    organizer = parseaddr(app.config["MAIL_FROM"])[1]
    sitzung = make.sitzung(runde.gremium, titel="Planungsrunde Oktober")
    make.top(sitzung, "Sozialreport 2027")
    services.invite(
        _fresh(sitzung.id), services.parse_gaeste("Gisela Gast <gisela@extern.example>")
    )
    db.session.commit()
    uid = sitzung.uid
    addresses = [p.email.lower() for p in (runde.vorsitz, *runde.mitglieder)] + [
        "gisela@extern.example"
    ]

    for address in addresses:
        [message] = smtp_server.wait_for(address)
        assert message.message["Subject"].startswith("Einladung: ")
        assert "TOP 1: Sozialreport 2027" in message.text()
        assert_itip(message.message, "REQUEST", uid, 0, address, organizer)
    invitation = smtp_server.messages_to("gisela@extern.example")[0]
    link = re.search(r"http://\S+/sitzungen/antwort/\S+", invitation.text()).group(0)
    assert client.get(urlsplit(link).path).status_code == 200

    moved = _fresh(sitzung.id)
    new_start = moved.beginn + timedelta(days=1)
    services.update_sitzung(moved, beginn=new_start, ende=moved.ende + timedelta(days=1))
    db.session.commit()
    for address in addresses:
        update = smtp_server.wait_for(address, 2)[1]
        assert update.message["Subject"].startswith("Geänderter Termin oder Ort: ")
        assert_itip(update.message, "REQUEST", uid, 1, address, organizer)
        assert _event(update).decoded("DTSTART") == new_start

    services.cancel_sitzung(_fresh(sitzung.id), "Raum nicht verfügbar")
    db.session.commit()
    for address in addresses:
        cancel = smtp_server.wait_for(address, 3)[2]
        assert cancel.message["Subject"].startswith("Abgesagt: ")
        assert_itip(cancel.message, "CANCEL", uid, 2, address, organizer)

    time.sleep(1.5)  # nothing else follows: exactly one mail per step and person
    assert {a: len(smtp_server.messages_to(a)) for a in addresses} == dict.fromkeys(addresses, 3)
