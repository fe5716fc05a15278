"""A member's Absage invites the seat's Stellvertretung (normal fan-out: Einladung, outbox
mail with calendar and reply link), once; a later Zusage withdraws it with a calendar CANCEL."""

from __future__ import annotations

import re
from email.utils import parseaddr
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.mail.models import Mail
from app.mail.services import build_message
from app.sitzungen import services
from app.sitzungen.models import Antwort, Einladung, Sitzung, SitzungGast
from app.sitzungen.tasks import send_einladungen
from app.stammdaten.models import Mitgliedschaft
from tests.sitzungen.conftest import assert_itip


@pytest.fixture
def vertretung(make, runde):
    """Dora Deputy, the Stellvertretung of the first member's seat."""
    person = make.user(name="Dora Deputy")
    sitz = db.session.scalar(
        select(Mitgliedschaft).where(Mitgliedschaft.user_id == runde.mitglieder[0].id)
    )
    sitz.stellvertretung_id = person.id
    db.session.commit()
    return person


@pytest.fixture
def sitzung(ctx, make, runde):
    """A meeting to which every member was invited (fan-out done)."""
    sitzung = make.sitzung(runde.gremium, titel="Runde Juni")
    make.top(sitzung, "Haushalt")
    services.invite(sitzung, [])
    db.session.commit()
    send_einladungen(sitzung.id)
    return _fresh(sitzung.id)


def _fresh(sitzung_id: int) -> Sitzung:
    return db.session.get(Sitzung, sitzung_id, populate_existing=True)


def _einladung(sitzung_id: int, person) -> Einladung | None:
    return db.session.scalar(
        select(Einladung)
        .where(Einladung.sitzung_id == sitzung_id, Einladung.email == person.email.lower())
        .execution_options(populate_existing=True)
    )


def _link(app, einladung: Einladung) -> str:
    with app.test_request_context():
        return f"/sitzungen/antwort/{services.reply_token(einladung)}"


def _reply(client, url: str, antwort: str, **extra: str):
    body = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)
    return client.post(url, data={"antwort": antwort, "csrf_token": token, **extra})


def _mails_to(person, kind: str | None = None) -> list[Mail]:
    query = select(Mail).where(Mail.recipient == person.email.lower()).order_by(Mail.id)
    if kind:
        query = query.where(Mail.kind == kind)
    return list(db.session.scalars(query))


def _organizer(app) -> str:
    return parseaddr(app.config["MAIL_FROM"])[1]


def test_absage_invites_the_deputy_with_the_normal_invitation(
    app, client, login, runde, vertretung, sitzung
) -> None:
    mitglied = _einladung(sitzung.id, runde.mitglieder[0])
    url = _link(app, mitglied)
    assert _reply(client, url, "absage").status_code == 303
    assert "Ihre Stellvertretung Dora Deputy wurde eingeladen." in client.get(url).get_data(
        as_text=True
    )
    assert _fresh(sitzung.id).versand_ausstehend  # the fan-out is due, after the commit
    assert _einladung(sitzung.id, vertretung) is None

    assert send_einladungen(sitzung.id) == 1
    einladung = _einladung(sitzung.id, vertretung)
    assert (einladung.vertritt_einladung_id, einladung.user_id, einladung.gast) == (
        mitglied.id,
        vertretung.id,
        False,
    )
    [mail] = _mails_to(vertretung)
    assert mail.kind == "sitzung.einladung" and mail.subject.startswith("Einladung: ")
    assert "in Vertretung für Mitglied 0" in mail.body_text
    assert "in Vertretung für Mitglied 0" in mail.body_html and "TOP 1: Haushalt" in mail.body_text
    link = re.search(r"http://\S+/sitzungen/antwort/\S+", mail.body_text).group(0)
    assert_itip(
        build_message(mail), "REQUEST", sitzung.uid, 0, vertretung.email.lower(), _organizer(app)
    )
    deputy_page = client.get(urlsplit(link).path).get_data(as_text=True)
    assert "Sie sind in Vertretung für Mitglied 0 eingeladen." in deputy_page

    login(runde.vorsitz)
    overview = client.get(f"/sitzungen/{sitzung.id}").get_data(as_text=True)
    assert "Dora Deputy" in overview and "in Vertretung für Mitglied 0" in overview
    liste = client.get(f"/sitzungen/{sitzung.id}/anwesenheitsliste").get_data(as_text=True)
    assert "Stellvertretung für Mitglied 0" in liste


def test_repeated_absage_gives_one_invitation(app, client, runde, vertretung, sitzung) -> None:
    url = _link(app, _einladung(sitzung.id, runde.mitglieder[0]))
    assert _reply(client, url, "absage").status_code == 303
    assert _reply(client, url, "absage", kommentar="Urlaub").status_code == 303
    assert send_einladungen(sitzung.id) == 1
    assert _reply(client, url, "absage", kommentar="wirklich").status_code == 303
    assert send_einladungen(sitzung.id) == 0
    einladungen = db.session.scalars(
        select(Einladung).where(
            Einladung.sitzung_id == sitzung.id, Einladung.user_id == vertretung.id
        )
    ).all()
    assert len(einladungen) == 1 and len(_mails_to(vertretung)) == 1


def test_logged_in_zusage_withdraws_the_deputy_with_a_calendar_cancel(
    app, client, login, runde, vertretung, sitzung
) -> None:
    mitglied = _einladung(sitzung.id, runde.mitglieder[0])
    url = _link(app, mitglied)
    login(runde.mitglieder[0])
    _reply(client, url, "absage")
    send_einladungen(sitzung.id)
    deputy_link = _link(app, _einladung(sitzung.id, vertretung))

    assert _reply(client, url, "zusage").status_code == 303
    assert _einladung(sitzung.id, vertretung) is None
    assert "Ihre Stellvertretung" not in client.get(url).get_data(as_text=True)
    [mail] = _mails_to(vertretung, "sitzung.vertretung_entfaellt")
    assert mail.subject.startswith("Vertretung nicht mehr nötig: ")
    assert "Mitglied 0 nimmt an der folgenden Sitzung nun doch teil" in mail.body_text
    assert "nicht mehr nötig" in mail.body_html
    assert_itip(
        build_message(mail), "CANCEL", sitzung.uid, 0, vertretung.email.lower(), _organizer(app)
    )
    assert client.get(deputy_link).status_code == 400  # the old reply link is void
    assert send_einladungen(sitzung.id) == 0  # nobody to invite after the Zusage
    login(vertretung)
    assert client.get(f"/sitzungen/{sitzung.id}").status_code == 200  # still reads as deputy

    _reply(client, url, "absage")  # declines again: invited again
    assert send_einladungen(sitzung.id) == 1
    assert _einladung(sitzung.id, vertretung).vertritt_einladung_id == mitglied.id


@pytest.mark.parametrize("wie", ["mitglied", "gast"])
def test_a_deputy_invited_anyway_is_not_invited_twice(
    app, client, ctx, make, runde, vertretung, wie
) -> None:
    sitzung = make.sitzung(runde.gremium)
    if wie == "mitglied":
        make.mitgliedschaft(runde.gremium, vertretung)
    else:
        db.session.add(
            SitzungGast(sitzung_id=sitzung.id, email=vertretung.email.lower(), name="Dora")
        )
    services.invite(_fresh(sitzung.id), [])
    db.session.commit()
    send_einladungen(sitzung.id)
    url = _link(app, _einladung(sitzung.id, runde.mitglieder[0]))
    _reply(client, url, "absage")
    page = client.get(url).get_data(as_text=True)
    assert "Ihre Stellvertretung Dora Deputy ist zu dieser Sitzung bereits eingeladen." in page
    assert not _fresh(sitzung.id).versand_ausstehend
    assert send_einladungen(sitzung.id) == 0
    _reply(client, url, "zusage")  # nothing to withdraw either
    einladung = _einladung(sitzung.id, vertretung)
    assert einladung is not None and einladung.vertritt_einladung_id is None
    assert [m.kind for m in _mails_to(vertretung)] == ["sitzung.einladung"]


def test_absage_with_own_substitute_or_without_deputy_invites_nobody(
    app, client, runde, vertretung, sitzung
) -> None:
    url = _link(app, _einladung(sitzung.id, runde.mitglieder[0]))
    _reply(client, url, "vertretung", vertretung_name="Paula Privat")
    _reply(client, _link(app, _einladung(sitzung.id, runde.mitglieder[1])), "absage")
    assert not _fresh(sitzung.id).versand_ausstehend
    assert send_einladungen(sitzung.id) == 0 and _einladung(sitzung.id, vertretung) is None


def test_the_invited_deputy_gets_updates_and_the_cancellation(
    app, client, runde, vertretung, sitzung
) -> None:
    _reply(client, _link(app, _einladung(sitzung.id, runde.mitglieder[0])), "absage")
    send_einladungen(sitzung.id)
    services.cancel_sitzung(_fresh(sitzung.id), "Raum fehlt")
    db.session.commit()
    send_einladungen(sitzung.id)
    assert [m.kind for m in _mails_to(vertretung)] == ["sitzung.einladung", "sitzung.absage"]
    assert _einladung(sitzung.id, vertretung).antwort == Antwort.OFFEN


@pytest.mark.worker
def test_worker_delivers_the_deputy_invitation_after_the_absage(
    app, ctx, client, celery_worker, smtp_server, make
) -> None:
    from app.stammdaten.models import Funktion

    gremium = make.gremium()
    make.mitgliedschaft(gremium, make.user(name="Vera Vorsitz"), Funktion.VORSITZ)
    mitglied = make.user(name="Max Mitglied")
    deputy = make.user(name="Dora Deputy")
    make.mitgliedschaft(gremium, mitglied, stellvertretung_id=deputy.id)
    sitzung = make.sitzung(gremium, titel="Runde mit Vertretung")
    services.invite(_fresh(sitzung.id), [])
    db.session.commit()
    [einladung] = smtp_server.wait_for(mitglied.email.lower())
    link = re.search(r"http://\S+/sitzungen/antwort/\S+", einladung.text()).group(0)
    assert _reply(client, urlsplit(link).path, "absage").status_code == 303

    [message] = smtp_server.wait_for(deputy.email.lower())
    assert message.message["Subject"].startswith("Einladung: ")
    assert "in Vertretung für Max Mitglied" in message.text()
    assert_itip(message.message, "REQUEST", sitzung.uid, 0, deputy.email.lower(), _organizer(app))
