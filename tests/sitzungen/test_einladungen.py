"""The invitation fan-out: one Einladung and one personal mail per person, calendar entries
(REQUEST, update with SEQUENCE + 1, CANCEL), idempotent when it runs again."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parseaddr

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.mail.models import Mail
from app.mail.services import build_message
from app.sitzungen import services
from app.sitzungen.models import Einladung, Sitzung, SitzungStatus
from app.sitzungen.tasks import send_einladungen
from tests.sitzungen.conftest import assert_itip, calendar_parts


def _mails(kind: str | None = None) -> list[Mail]:
    query = select(Mail).order_by(Mail.id)
    if kind:
        query = query.where(Mail.kind == kind)
    return list(db.session.scalars(query))


def _organizer(app) -> str:
    return parseaddr(app.config["MAIL_FROM"])[1]


@pytest.fixture
def eingeladen(ctx, make, runde):
    sitzung = make.sitzung(runde.gremium, titel="Planungsrunde Herbst")
    make.top(sitzung, "Begrüßung")
    make.top(sitzung, "Sozialreport 2027", beschreibung="Vorstellung der Daten")
    services.invite(sitzung, services.parse_gaeste("Gisela Gast <Gisela@Extern.example>"))
    db.session.commit()
    return sitzung


def test_invite_view_marks_the_meeting_and_lists_guests(
    client, login, csrf_token, make, runde
) -> None:
    sitzung = make.sitzung(runde.gremium)
    login(runde.vorsitz)
    url = f"/sitzungen/{sitzung.id}/einladen"
    page = client.get(url).get_data(as_text=True)
    assert all(m.name in page for m in runde.mitglieder)
    data = {
        "gaeste": "Erika Muster <Erika@Example.org>\nfoo@bar.example",
        "csrf_token": csrf_token(client, url),
    }
    assert client.post(url, data=data).status_code == 303
    sitzung = db.session.get(Sitzung, sitzung.id, populate_existing=True)
    assert sitzung.status == SitzungStatus.EINGELADEN and sitzung.versand_ausstehend
    assert sorted((g.email, g.name) for g in sitzung.gaeste) == [
        ("erika@example.org", "Erika Muster"),
        ("foo@bar.example", None),
    ]


def test_invalid_guest_address_is_explained(client, login, csrf_token, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium)
    login(runde.vorsitz)
    url = f"/sitzungen/{sitzung.id}/einladen"
    data = {"gaeste": "gut@test.example\nkein-at-zeichen", "csrf_token": csrf_token(client, url)}
    response = client.post(url, data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Zeile 2: „kein-at-zeichen“ ist keine gültige E-Mail-Adresse." in body
    assert (
        db.session.get(Sitzung, sitzung.id, populate_existing=True).status == SitzungStatus.GEPLANT
    )


def test_fan_out_writes_one_invitation_and_mail_per_person(app, eingeladen, runde) -> None:
    assert send_einladungen(eingeladen.id) == 5
    einladungen = db.session.scalars(
        select(Einladung).where(Einladung.sitzung_id == eingeladen.id)
    ).all()
    expected = sorted(
        [runde.vorsitz.email, *(m.email for m in runde.mitglieder), "gisela@extern.example"]
    )
    assert sorted(e.email for e in einladungen) == expected
    assert [e.name for e in einladungen if e.gast] == ["Gisela Gast"]
    mails = _mails("sitzung.einladung")
    assert sorted(m.recipient for m in mails) == expected
    sitzung = db.session.get(Sitzung, eingeladen.id, populate_existing=True)
    assert not sitzung.versand_ausstehend
    mail = next(m for m in mails if m.recipient == "gisela@extern.example")
    assert mail.subject.startswith("Einladung: ") and "Planungsrunde Herbst" in mail.subject
    assert "Guten Tag Gisela Gast" in mail.body_text and "als Gast" in mail.body_text
    assert (
        "TOP 2: Sozialreport 2027" in mail.body_text and "Vorstellung der Daten" in mail.body_text
    )
    assert "/sitzungen/antwort/" in mail.body_text and "Sozialreport 2027" in mail.body_html
    assert_itip(
        build_message(mail), "REQUEST", sitzung.uid, 0, "gisela@extern.example", _organizer(app)
    )


def test_fan_out_twice_changes_nothing_and_later_members_are_added(eingeladen, make, runde) -> None:
    send_einladungen(eingeladen.id)
    assert send_einladungen(eingeladen.id) == 0
    assert len(_mails()) == 5
    neu = make.user(name="Neues Mitglied")
    make.mitgliedschaft(runde.gremium, neu)
    services.invite(_fresh(eingeladen.id), [])
    db.session.commit()
    assert send_einladungen(eingeladen.id) == 1
    assert [m.recipient for m in _mails()][-1] == neu.email.lower()


def test_unique_invitation_per_meeting_and_address(eingeladen, runde) -> None:
    send_einladungen(eingeladen.id)
    db.session.add(
        Einladung(sitzung_id=eingeladen.id, email=runde.vorsitz.email.lower(), name="Doppelt")
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def _fresh(sitzung_id: int) -> Sitzung:
    """The row again: running a task in-process ends its app context and detaches objects."""
    return db.session.get(Sitzung, sitzung_id, populate_existing=True)


def test_moved_meeting_sends_update_with_next_sequence(app, eingeladen, runde) -> None:
    send_einladungen(eingeladen.id)
    services.update_sitzung(_fresh(eingeladen.id), titel="Nur ein neuer Titel")
    db.session.commit()
    assert _fresh(eingeladen.id).sequence == 0 and send_einladungen(eingeladen.id) == 0
    sitzung = _fresh(eingeladen.id)
    services.update_sitzung(
        sitzung, beginn=sitzung.beginn + timedelta(hours=1), ende=sitzung.ende + timedelta(hours=1)
    )
    db.session.commit()
    sitzung = _fresh(eingeladen.id)
    assert sitzung.sequence == 1 and sitzung.versand_ausstehend
    assert send_einladungen(sitzung.id) == 5
    updates = _mails("sitzung.aenderung")
    assert len(updates) == 5
    mail = next(m for m in updates if m.recipient == runde.mitglieder[0].email.lower())
    assert "Geänderter Termin oder Ort" in mail.subject and "haben sich geändert" in mail.body_text
    assert_itip(build_message(mail), "REQUEST", sitzung.uid, 1, mail.recipient, _organizer(app))
    services.update_sitzung(_fresh(eingeladen.id), ort_raum="Ratssaal")
    db.session.commit()
    assert _fresh(eingeladen.id).sequence == 2 and send_einladungen(eingeladen.id) == 5


def test_cancellation_sends_method_cancel(app, eingeladen, runde) -> None:
    send_einladungen(eingeladen.id)
    services.cancel_sitzung(_fresh(eingeladen.id), "Krankheitsfall")
    db.session.commit()
    sitzung = _fresh(eingeladen.id)
    assert (sitzung.status, sitzung.sequence) == (SitzungStatus.ABGESAGT, 1)
    assert send_einladungen(sitzung.id) == 5
    cancels = _mails("sitzung.absage")
    assert len(cancels) == 5
    mail = cancels[0]
    assert mail.subject.startswith("Abgesagt: ") and "Krankheitsfall" in mail.body_text
    assert_itip(build_message(mail), "CANCEL", sitzung.uid, 1, mail.recipient, _organizer(app))
    assert send_einladungen(sitzung.id) == 0
    parts = calendar_parts(build_message(mail))
    assert parts and all(b"ATTENDEE" in d and b"RSVP" not in d for _m, _a, d in parts)


def test_cancelled_before_invitation_sends_nothing(ctx, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium)
    services.cancel_sitzung(sitzung, None)
    db.session.commit()
    assert send_einladungen(sitzung.id) == 0
    assert db.session.scalar(select(func.count(Mail.id))) == 0


def test_cancel_view_and_no_changes_afterwards(client, login, csrf_token, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium)
    login(runde.vorsitz)
    url = f"/sitzungen/{sitzung.id}/absagen"
    assert (
        client.post(
            url, data={"grund": "Raum fehlt", "csrf_token": csrf_token(client, url)}
        ).status_code
        == 303
    )
    response = client.get(f"/sitzungen/{sitzung.id}/bearbeiten")
    assert response.status_code == 409 and "nicht mehr geändert" in response.get_data(as_text=True)


def test_no_invitation_for_a_past_meeting(ctx, make, runde) -> None:
    from app.core.types import utcnow

    sitzung = make.sitzung(runde.gremium, beginn=utcnow() - timedelta(days=2))
    with pytest.raises(services.SitzungError, match="Vergangenheit"):
        services.invite(sitzung, [])
