"""Hand-off of the minutes: hand in, hand back with a comment, approve; tasks, notices, rights."""

from __future__ import annotations

import io

from sqlalchemy import select

from app.benachrichtigungen.models import Benachrichtigung
from app.extensions import db
from app.mail.models import Mail
from app.protokolle.aufgaben import offene_protokoll_aufgaben
from app.protokolle.models import Protokoll, ProtokollStatus, SchrittArt
from tests.protokolle.conftest import PDF


def _url(sitzung) -> str:
    return f"/protokolle/sitzung/{sitzung.id}"


def _upload(client, csrf_token, sitzung) -> None:
    token = csrf_token(client, _url(sitzung))
    response = client.post(
        f"{_url(sitzung)}/hochladen",
        data={"csrf_token": token, "datei": (io.BytesIO(PDF), "protokoll.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303


def _post(client, csrf_token, sitzung, action: str, page=None, **data):
    token = csrf_token(client, _url(page or sitzung))
    return client.post(f"{_url(sitzung)}/{action}", data={"csrf_token": token, **data})


def _protokoll(sitzung) -> Protokoll:
    return db.session.scalar(
        select(Protokoll)
        .where(Protokoll.sitzung_id == sitzung.id)
        .execution_options(populate_existing=True)
    )


def _notices(user) -> list[str]:
    return list(
        db.session.scalars(select(Benachrichtigung.text).where(Benachrichtigung.user_id == user.id))
    )


def _titles(user) -> list[str]:
    return [a.titel for a in offene_protokoll_aufgaben(user)]


def test_moderator_hands_in_and_the_approvers_are_told(
    app, client, login, welt, csrf_token
) -> None:
    login(welt.moderator)
    _upload(client, csrf_token, welt.sitzung)
    body = client.get(_url(welt.sitzung)).get_data(as_text=True)
    assert "Zur Freigabe einreichen" in body
    assert "Die Moderation (Mona Moderation) reicht das Protokoll zur Freigabe ein" in body
    with app.test_request_context():
        assert any(
            t.startswith("Protokoll zur Freigabe einreichen") for t in _titles(welt.moderator)
        )

    response = _post(client, csrf_token, welt.sitzung, "einreichen")
    assert response.status_code == 303
    body = client.get(_url(welt.sitzung)).get_data(as_text=True)
    assert "2 Personen wurden benachrichtigt" in body
    assert "zur Freigabe eingereicht" in body and "von Mona Moderation" in body
    assert (
        "Das Protokoll wartet auf die Freigabe durch die Stabsstelle Sozialplanung oder der "
        "Vorsitz (Viktor Vorsitz)." in body
    )
    assert _protokoll(welt.sitzung).status == ProtokollStatus.EINGEREICHT
    for person in (welt.vorsitz, welt.stab):
        assert any("zur Freigabe eingereicht" in t for t in _notices(person))
    mails = db.session.scalars(select(Mail).where(Mail.kind == "protokoll.eingereicht")).all()
    assert sorted(m.recipient for m in mails) == sorted([welt.vorsitz.email, welt.stab.email])
    assert not _notices(welt.mitglied) and not _notices(welt.sued_moderator)

    with app.test_request_context():
        for person in (welt.vorsitz, welt.stab):
            aufgaben = offene_protokoll_aufgaben(person)
            assert len(aufgaben) == 1
            assert aufgaben[0].titel.startswith("Protokoll freigeben: SAK Nord März (")
            assert aufgaben[0].url == _url(welt.sitzung) and aufgaben[0].dringend
        for person in (welt.mitglied, welt.sued_moderator, welt.aussen):
            assert not any("SAK Nord" in t for t in _titles(person))
        assert not any("einreichen" in t for t in _titles(welt.moderator))

    again = _post(client, csrf_token, welt.sitzung, "einreichen")
    assert again.status_code == 409
    assert "bereits zur Freigabe eingereicht" in again.get_data(as_text=True)


def test_hand_back_with_comment_then_approve_keeps_every_step(
    app, client, login, welt, csrf_token
) -> None:
    moderator = login(welt.moderator, app.test_client())
    _upload(moderator, csrf_token, welt.sitzung)
    assert _post(moderator, csrf_token, welt.sitzung, "einreichen").status_code == 303

    login(welt.vorsitz)
    body = client.get(_url(welt.sitzung)).get_data(as_text=True)
    assert "Zur Überarbeitung zurückgeben" in body and "Protokoll freigeben" in body
    empty = _post(client, csrf_token, welt.sitzung, "zurueckgeben", kommentar="  ")
    assert empty.status_code == 422
    assert "Bitte schreiben Sie, was am Protokoll zu ändern ist." in empty.get_data(as_text=True)
    kommentar = "Bitte die Teilnehmendenzahl ergänzen."
    response = _post(client, csrf_token, welt.sitzung, "zurueckgeben", kommentar=kommentar)
    assert response.status_code == 303
    assert _protokoll(welt.sitzung).status == ProtokollStatus.ZURUECKGEGEBEN
    assert any("zur Überarbeitung zurückgegeben" in t for t in _notices(welt.moderator))
    mail = db.session.scalar(select(Mail).where(Mail.kind == "protokoll.zurueckgegeben"))
    assert mail.recipient == welt.moderator.email

    body = moderator.get(_url(welt.sitzung)).get_data(as_text=True)
    assert "Hinweis zur Überarbeitung" in body and kommentar in body
    assert "Die Moderation (Mona Moderation) überarbeitet das Protokoll" in body
    with app.test_request_context():
        aufgaben = offene_protokoll_aufgaben(welt.moderator)
        assert aufgaben[0].titel.startswith("Protokoll überarbeiten: SAK Nord März")
        assert aufgaben[0].hinweis == f"Zurückgegeben: {kommentar}"
        assert not _titles(welt.vorsitz)
    late = _post(client, csrf_token, welt.sitzung, "zurueckgeben", kommentar="noch mal")
    assert late.status_code == 409 and "nur ein Protokoll, das zur Freigabe" in late.get_data(
        as_text=True
    )

    assert _post(moderator, csrf_token, welt.sitzung, "einreichen").status_code == 303
    login(welt.stab)
    assert _post(client, csrf_token, welt.sitzung, "freigeben").status_code == 303
    protokoll = _protokoll(welt.sitzung)
    assert protokoll.status == ProtokollStatus.FREIGEGEBEN
    assert [(s.art, s.user_id) for s in protokoll.schritte] == [
        (SchrittArt.HOCHGELADEN, welt.moderator.id),
        (SchrittArt.EINGEREICHT, welt.moderator.id),
        (SchrittArt.ZURUECKGEGEBEN, welt.vorsitz.id),
        (SchrittArt.EINGEREICHT, welt.moderator.id),
        (SchrittArt.FREIGEGEBEN, welt.stab.id),
    ]
    assert protokoll.schritte[2].kommentar == kommentar
    body = moderator.get(_url(welt.sitzung)).get_data(as_text=True)
    assert "Verlauf des Protokolls" in body and body.count(kommentar) == 1
    with app.test_request_context():
        assert not any("SAK Nord" in t for t in _titles(welt.moderator) + _titles(welt.stab))


def test_only_the_own_gremium_hands_in_and_only_approvers_hand_back(
    app, client, login, welt, csrf_token
) -> None:
    moderator = login(welt.moderator, app.test_client())
    _upload(moderator, csrf_token, welt.sitzung)
    login(welt.sued_moderator)
    fremd = _post(client, csrf_token, welt.sitzung, "einreichen", page=welt.sued_sitzung)
    assert fremd.status_code == 403
    assert _post(moderator, csrf_token, welt.sitzung, "einreichen").status_code == 303
    for person in (welt.sued_moderator, welt.mitglied, welt.moderator):
        login(person)
        page = welt.sued_sitzung if person is welt.sued_moderator else welt.sitzung
        for action in ("zurueckgeben", "freigeben"):
            response = _post(client, csrf_token, welt.sitzung, action, page=page, kommentar="x")
            assert response.status_code == 403, (person.name, action)
    assert _protokoll(welt.sitzung).status == ProtokollStatus.EINGEREICHT


def test_handing_in_without_a_file_explains_in_place(client, login, welt, csrf_token) -> None:
    login(welt.moderator)
    token = csrf_token(client, _url(welt.sitzung))
    response = client.post(f"{_url(welt.sitzung)}/einreichen", data={"csrf_token": token})
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Bitte laden Sie zuerst die Protokolldatei hoch" in body
    assert "<h1>Protokoll: SAK Nord März</h1>" in body


def test_collapsed_sections_have_accessible_names(client, login, welt, csrf_token) -> None:
    from tests.support.klappen import assert_named_disclosures

    login(welt.moderator)
    _upload(client, csrf_token, welt.sitzung)
    assert _post(client, csrf_token, welt.sitzung, "einreichen").status_code == 303
    assert assert_named_disclosures(client.get(_url(welt.sitzung)).get_data(as_text=True)) == 2
    login(welt.vorsitz)
    assert assert_named_disclosures(client.get(_url(welt.sitzung)).get_data(as_text=True)) == 1


def test_minutes_tasks_take_the_same_queries_for_many_minutes(
    app, client, login, welt, make, csrf_token, query_counter
) -> None:
    from app.protokolle.services import ensure_protokoll

    def hand_in(n: int) -> None:
        for i in range(n):
            sitzung = make.vergangene_sitzung(welt.nord, titel=f"Sitzung {i}", tage=5 + i)
            protokoll = ensure_protokoll(sitzung)
            protokoll.status = ProtokollStatus.EINGEREICHT
        db.session.commit()

    hand_in(1)
    counts = []
    for person in (welt.vorsitz, welt.vorsitz):
        with app.test_request_context(), query_counter() as statements:
            offene_protokoll_aufgaben(person)
        counts.append(len(statements))
        hand_in(6)
    assert counts[0] == counts[1], counts
    login(welt.stab)
    assert "Protokoll freigeben: Sitzung 5" in client.get("/start").get_data(as_text=True)
