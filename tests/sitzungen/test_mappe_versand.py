"""The meeting pack with the invitation: built once per version however many steps the fan-out
takes, stored once for all its mails, in updates too, never in cancellations; too large → a
personal download link instead; the outbox purge removes packs no mail needs any more."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from app.core.types import utcnow
from app.dateien.services import store_upload
from app.datenschutz.tasks import bereinigung
from app.extensions import db
from app.mail.models import Mail, MailAttachment, MailInhalt, MailStatus
from app.mail.secrets import redact
from app.mail.services import build_message, store_inhalt
from app.sitzungen import mappe, services
from app.sitzungen.models import Sitzung
from tests.sitzungen.test_versand import _compare
from tests.support.dateien import text_pdf

PDF_TYPE = "application/pdf"


@pytest.fixture
def gebaut(monkeypatch) -> list[int]:
    """Counts how often a pack is really built (not taken from the cache)."""
    zaehler: list[int] = []
    original = mappe._bauen

    def zaehlend(sitzung, tops):
        zaehler.append(sitzung.id)
        return original(sitzung, tops)

    monkeypatch.setattr(mappe, "_bauen", zaehlend)
    return zaehler


def _sitzung(make, runde, beifuegen: bool = True) -> Sitzung:
    for i in range(4):
        make.mitgliedschaft(runde.gremium, make.user(name=f"Weitere Person {i}"))
    sitzung = make.sitzung(runde.gremium, titel="Trägerrunde mit Mappe", mappe_beifuegen=beifuegen)
    top = make.top(sitzung, "Bericht")
    datei = store_upload(FileStorage(io.BytesIO(text_pdf("BERICHT-SEITE")), filename="b.pdf"))
    services.attach_datei(top, datei)
    db.session.commit()
    return sitzung


def _fan_out(sitzung_id: int, limit: int = 3) -> int:
    steps = 0
    while services.fan_out_step(sitzung_id, limit=limit):
        db.session.commit()
        steps += 1
    db.session.commit()
    return steps


def _mails(kind: str) -> list[Mail]:
    return list(db.session.scalars(select(Mail).where(Mail.kind == kind).order_by(Mail.id)))


def _packs(mail: Mail) -> list[MailAttachment]:
    return [a for a in mail.attachments if a.content_type == PDF_TYPE]


def test_pack_built_once_and_stored_once_for_every_invitation(ctx, make, runde, gebaut) -> None:
    sitzung = _sitzung(make, runde)
    services.invite(sitzung, services.parse_gaeste("Gisela Gast <gisela@extern.example>"))
    db.session.commit()

    assert _fan_out(sitzung.id) == 3  # 9 invitations in steps of 3
    mails = _mails("sitzung.einladung")
    assert len(mails) == 9 and gebaut == [sitzung.id]
    [inhalt] = db.session.scalars(select(MailInhalt)).all()
    dateiname = mappe.dateiname(sitzung)
    for mail in mails:
        [pack] = _packs(mail)
        assert (pack.filename, pack.inhalt_id, pack.data, pack.inline) == (
            dateiname,
            inhalt.id,
            None,
            False,
        )
        assert f"als PDF angehängt ({dateiname}, 3 Seiten, " in mail.body_text
    message = build_message(mails[0])
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == PDF_TYPE]
    assert part.get_filename() == dateiname
    data = part.get_payload(decode=True)
    assert data == inhalt.data
    texte = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    assert "Seite 1 von 3" in texte[0] and "BERICHT-SEITE" in texte[2]


def test_updates_carry_the_new_version_cancellations_none(ctx, make, runde, gebaut) -> None:
    sitzung = _sitzung(make, runde)
    services.invite(sitzung, [])
    db.session.commit()
    _fan_out(sitzung.id)
    fresh = db.session.get(Sitzung, sitzung.id)
    services.update_sitzung(fresh, ort_raum="Raum 101")
    db.session.commit()
    _fan_out(sitzung.id)

    updates = _mails("sitzung.aenderung")
    assert len(updates) == 8 and len(gebaut) == 2  # the new room is in the pack
    neu = db.session.get(MailInhalt, _packs(updates[0])[0].inhalt_id)
    assert "Raum: Raum 101" in PdfReader(io.BytesIO(neu.data)).pages[0].extract_text()
    assert {_packs(m)[0].inhalt_id for m in updates} == {neu.id}

    services.cancel_sitzung(db.session.get(Sitzung, sitzung.id), "Krankheit")
    db.session.commit()
    _fan_out(sitzung.id)
    absagen = _mails("sitzung.absage")
    assert len(absagen) == 8 and all(_packs(m) == [] for m in absagen)
    assert all("Sitzungsmappe" not in m.body_text for m in absagen)


def test_without_the_option_no_pack(ctx, make, runde, gebaut) -> None:
    sitzung = _sitzung(make, runde, beifuegen=False)
    services.invite(sitzung, [])
    db.session.commit()
    _fan_out(sitzung.id)
    mails = _mails("sitzung.einladung")
    assert len(mails) == 8 and gebaut == []
    assert all(_packs(m) == [] and "Sitzungsmappe" not in m.body_text for m in mails)
    assert db.session.scalar(select(func.count()).select_from(MailInhalt)) == 0


def test_too_large_pack_becomes_a_personal_link(app, ctx, client, make, runde, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "SITZUNGSMAPPE_MAX_ANHANG_MB", 0)
    sitzung = _sitzung(make, runde)
    services.invite(sitzung, services.parse_gaeste("gisela@extern.example"))
    db.session.commit()
    _fan_out(sitzung.id)

    mail = next(m for m in _mails("sitzung.einladung") if m.recipient == "gisela@extern.example")
    assert _packs(mail) == []
    assert "ist für einen E-Mail-Anhang zu groß" in mail.body_text
    link = re.search(r"http://\S+/sitzungen/antwort/\S+/sitzungsmappe\.pdf", mail.body_text)[0]
    assert f'href="{link}"' in mail.body_html
    assert link not in redact(mail.body_text)  # personal: hidden in the Postausgang
    response = client.get(urlsplit(link).path)
    assert response.status_code == 200 and response.mimetype == PDF_TYPE
    assert db.session.scalar(select(func.count()).select_from(MailInhalt)) == 0


def test_fan_out_with_pack_equals_the_one_by_one_rendering(ctx, make, runde) -> None:
    sitzung = _sitzung(make, runde)
    services.invite(sitzung, services.parse_gaeste("Gäste & Co <gast@extern.example>"))
    db.session.commit()
    _fan_out(sitzung.id)
    assert _compare(db.session.get(Sitzung, sitzung.id), "einladung") == 9


def test_outbox_purge_removes_packs_no_mail_needs(ctx) -> None:
    alt, neu = store_inhalt(b"%PDF alt"), store_inhalt(b"%PDF neu")
    assert store_inhalt(b"%PDF alt") == alt  # the same bytes are stored once
    for betreff, inhalt_id, created in (
        ("alt", alt, utcnow() - timedelta(days=4000)),
        ("neu", neu, utcnow()),
    ):
        mail = Mail(
            recipient="a@b.example",
            subject=betreff,
            body_text="Text",
            status=MailStatus.SENT,
            message_id=f"<{betreff}-mappe@x>",
            created_at=created,
        )
        mail.attachments.append(
            MailAttachment(filename="mappe.pdf", content_type=PDF_TYPE, inhalt_id=inhalt_id)
        )
        db.session.add(mail)
    db.session.commit()

    bereinigung()

    assert list(db.session.scalars(select(MailInhalt.id))) == [neu]
