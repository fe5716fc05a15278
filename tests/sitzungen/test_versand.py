"""The fan-out renders once per meeting and writes in bulk: every mail is exactly what
``queue_mail`` renders for that person on its own, and its wire form is a well-formed MIME
message with the calendar inline and attached."""

from __future__ import annotations

import re
from email import policy
from email.parser import BytesParser

import pytest
from sqlalchemy import select

from app.extensions import db
from app.mail.models import Mail
from app.mail.services import collect_mail_ids, wire
from app.sitzungen import services
from app.sitzungen.models import Einladung, SitzungStatus
from tests.sitzungen.conftest import calendar_parts

NAMES = ['O\'Brien & <Söhne> "Ltd"', "Zoë Ünal", "Plain Name"]


TOKEN = re.compile(r"/sitzungen/antwort/([^\s\"<]+)")


def _without_dtstamp(data: bytes) -> bytes:
    return re.sub(rb"DTSTAMP:[^\r\n]*\r\n", b"", data)


def _without_token(text: str | None) -> str | None:
    """Reply tokens carry their creation time; the einladung they name is compared apart."""
    return TOKEN.sub("/sitzungen/antwort/TOKEN", text) if text else text


def _as_queue_mail_renders_it(sitzung, einladung: Einladung, art: str) -> Mail:
    with collect_mail_ids():  # the reference rows are never enqueued
        services.queue_sitzung_mail(sitzung, einladung, art)
    return db.session.scalars(select(Mail).order_by(Mail.id.desc()).limit(1)).one()


def _compare(sitzung, art: str) -> int:
    mails = {
        m.recipient: m
        for m in db.session.scalars(select(Mail).where(Mail.kind == f"sitzung.{art}"))
    }
    einladungen = db.session.scalars(
        select(Einladung).where(Einladung.sitzung_id == sitzung.id)
    ).all()
    for einladung in einladungen:
        fast = mails[einladung.email]
        slow = _as_queue_mail_renders_it(sitzung, einladung, art)
        for column in ("recipient", "recipient_name", "subject", "kind"):
            assert getattr(fast, column) == getattr(slow, column), (einladung.name, column)
        for column in ("body_text", "body_html"):
            fast_text, slow_text = getattr(fast, column), getattr(slow, column)
            assert _without_token(fast_text) == _without_token(slow_text), (einladung.name, column)
        if art != "absage":
            token = TOKEN.search(fast.body_text).group(1)
            assert services.read_reply_token(token).id == einladung.id
        assert [
            (a.filename, a.content_type, a.inline, _without_dtstamp(a.content))
            for a in fast.attachments
        ] == [
            (a.filename, a.content_type, a.inline, _without_dtstamp(a.content))
            for a in slow.attachments
        ]
    return len(einladungen)


@pytest.mark.parametrize("art", ["einladung", "aenderung", "absage"])
def test_fan_out_mails_equal_the_one_by_one_rendering(ctx, make, runde, art) -> None:
    for name in NAMES:
        make.mitgliedschaft(runde.gremium, make.user(name=name))
    sitzung = make.sitzung(runde.gremium, titel="Trägerrunde <Herbst> & mehr")
    make.top(sitzung, "Begrüßung", beschreibung="Zeile 1\nZeile 2 <b>fett</b>")
    services.invite(sitzung, services.parse_gaeste("Gäste & Co <gast@extern.example>"))
    db.session.commit()
    while services.fan_out_step(sitzung.id):
        db.session.commit()
    if art != "einladung":
        db.session.execute(db.delete(Mail))
        sitzung.sequence += 1
        if art == "absage":
            sitzung.status = SitzungStatus.ABGESAGT
            sitzung.absage_grund = "Krankheit & Urlaub"
        db.session.commit()
        while services.fan_out_step(sitzung.id):
            db.session.commit()
    assert _compare(sitzung, art) == 4 + len(NAMES) + 1  # Vorsitz, 3 members, names, guest


def test_wire_form_is_well_formed_mime(ctx, make, runde) -> None:
    make.mitgliedschaft(runde.gremium, make.user(name=NAMES[0]))
    sitzung = make.sitzung(runde.gremium)
    services.invite(sitzung, [])
    db.session.commit()
    services.fan_out_step(sitzung.id)
    mail = db.session.scalars(select(Mail).where(Mail.recipient_name == NAMES[0])).one()
    data = wire(mail)
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF only
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert message["To"].addresses[0].display_name == NAMES[0]
    assert message["Subject"] == mail.subject and message["Message-ID"] == mail.message_id
    assert message.get_content_type() == "multipart/mixed"
    body = message.get_body(("plain",))
    assert body.get_content() == mail.body_text
    assert message.get_body(("html",)).get_content() == mail.body_html
    parts = calendar_parts(message)
    assert [(method, attached) for method, attached, _ in parts] == [
        ("REQUEST", False),
        ("REQUEST", True),
    ]
    assert parts[0][2] == parts[1][2] == mail.attachments[0].data
