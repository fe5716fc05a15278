"""The impulse lifecycle: declared moves, illegal moves, answer vs publication, notifications."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.benachrichtigungen.models import Benachrichtigung
from app.extensions import db
from app.impulse.models import UEBERGAENGE, Impuls, ImpulsStatus, ImpulsVerlauf
from app.impulse.services import ImpulsError, change_status
from app.mail.models import Mail

S = ImpulsStatus


def _impuls(make, quelle, **kw) -> Impuls:
    return make.impuls(
        "Mehr Bänke im Park",
        quelle_gremium_id=quelle.kreis.id,
        zyklus_id=quelle.zyklus.id,
        von=quelle.moderator.id,
        **kw,
    )


def _move(client, csrf_token, impuls_id: int, nach: str, **extra):
    url = f"/impulse/{impuls_id}"
    data = {"csrf_token": csrf_token(client, url), "nach": nach, **extra}
    return client.post(f"{url}/status", data=data)


def _fresh(impuls_id: int) -> Impuls:
    return db.session.get(Impuls, impuls_id, populate_existing=True)


def test_every_declared_move_and_nothing_else(ctx, make, quelle) -> None:
    for von in S:
        for nach in S:
            impuls = _impuls(make, quelle)
            impuls.status = von
            db.session.flush()
            if (von, nach) in UEBERGAENGE:
                change_status(impuls, nach, quelle.stab, "weil")
                assert impuls.status == nach
            else:
                with pytest.raises(ImpulsError) as refused:
                    change_status(impuls, nach, quelle.stab, "weil")
                assert refused.value.status_code == 409 and "kann nicht" in refused.value.message
                assert impuls.status == von


def test_full_path_through_the_views_with_history(client, login, make, quelle, csrf_token) -> None:
    impuls = _impuls(make, quelle)
    login(quelle.stab)
    for nach in ("in_pruefung", "weitergeleitet", "aufgenommen", "umgesetzt"):
        assert _move(client, csrf_token, impuls.id, nach).status_code == 303
    assert _fresh(impuls.id).status == S.UMGESETZT
    verlauf = db.session.scalars(
        select(ImpulsVerlauf).where(ImpulsVerlauf.impuls_id == impuls.id).order_by(ImpulsVerlauf.id)
    ).all()
    assert [(e.von, e.nach) for e in verlauf] == [
        (None, S.EINGEGANGEN),
        (S.EINGEGANGEN, S.IN_PRUEFUNG),
        (S.IN_PRUEFUNG, S.WEITERGELEITET),
        (S.WEITERGELEITET, S.AUFGENOMMEN),
        (S.AUFGENOMMEN, S.UMGESETZT),
    ]


def test_illegal_move_is_409_in_german_and_changes_nothing(
    client, login, make, quelle, csrf_token
) -> None:
    impuls = _impuls(make, quelle)
    login(quelle.stab)
    response = _move(client, csrf_token, impuls.id, "umgesetzt")
    assert response.status_code == 409
    assert "kann nicht auf „umgesetzt“ gesetzt werden" in response.get_data(as_text=True)
    assert _fresh(impuls.id).status == S.EINGEGANGEN
    unknown = _move(client, csrf_token, impuls.id, "erledigt")
    assert unknown.status_code == 400 and "Liste" in unknown.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Mail)) == 0


def test_rejection_needs_a_reason(client, login, make, quelle, csrf_token) -> None:
    impuls = _impuls(make, quelle)
    login(quelle.stab)
    _move(client, csrf_token, impuls.id, "in_pruefung")
    response = _move(client, csrf_token, impuls.id, "abgelehnt", begruendung="  ")
    assert response.status_code == 400
    assert "Bitte begründen Sie die Ablehnung." in response.get_data(as_text=True)
    assert _fresh(impuls.id).status == S.IN_PRUEFUNG
    ok = _move(client, csrf_token, impuls.id, "abgelehnt", begruendung="Bereits vorhanden")
    assert ok.status_code == 303
    assert _fresh(impuls.id).begruendung == "Bereits vorhanden"


def test_stale_status_is_409(client, login, make, quelle, csrf_token) -> None:
    impuls = _impuls(make, quelle)
    login(quelle.stab)
    response = _move(client, csrf_token, impuls.id, "in_pruefung", erwartet="in_pruefung")
    assert response.status_code == 409 and "inzwischen" in response.get_data(as_text=True)
    assert _fresh(impuls.id).status == S.EINGEGANGEN


def test_status_change_notifies_source_members(client, login, make, quelle, csrf_token) -> None:
    impuls = _impuls(make, quelle)
    login(quelle.stab)
    _move(client, csrf_token, impuls.id, "in_pruefung")
    notified = set(db.session.scalars(select(Benachrichtigung.user_id)))
    assert notified == {quelle.moderator.id, quelle.mitglied.id}
    mails = db.session.scalars(select(Mail).where(Mail.kind == "impuls.status")).all()
    assert {m.recipient for m in mails} == {quelle.moderator.email, quelle.mitglied.email}
    assert "in Prüfung" in mails[0].subject


def test_answered_is_not_published(app, client, login, make, quelle, csrf_token) -> None:
    impuls = _impuls(make, quelle)
    stab = login(quelle.stab)
    url = f"/impulse/{impuls.id}"
    token = csrf_token(stab, url)
    assert (
        stab.post(
            f"{url}/antwort", data={"csrf_token": token, "antwort": "Wir prüfen einen Standort."}
        ).status_code
        == 303
    )
    saved = _fresh(impuls.id)
    assert saved.beantwortet and not saved.veroeffentlicht
    assert db.session.scalar(select(func.count()).select_from(Mail)) == 0
    member = login(quelle.mitglied, app.test_client())
    assert "Wir prüfen einen Standort." not in member.get(url).get_data(as_text=True)
    assert stab.post(f"{url}/veroeffentlichen", data={"csrf_token": token}).status_code == 303
    assert "Wir prüfen einen Standort." in member.get(url).get_data(as_text=True)
    mails = db.session.scalars(select(Mail)).all()
    assert len(mails) == 2 and "Wir prüfen einen Standort." in mails[0].body_text
    again = stab.post(f"{url}/veroeffentlichen", data={"csrf_token": token})
    assert again.status_code == 409 and "bereits veröffentlicht" in again.get_data(as_text=True)
    empty = stab.post(f"{url}/antwort", data={"csrf_token": token, "antwort": " "})
    assert empty.status_code == 422


def test_who_sees_and_manages_impulses(app, client, login, make, quelle, csrf_token) -> None:
    impuls = _impuls(make, quelle)
    url = f"/impulse/{impuls.id}"
    for person, code in ((quelle.mitglied, 200), (quelle.planer, 200), (quelle.aussen, 403)):
        assert login(person, app.test_client()).get(url).status_code == code
    member = login(quelle.mitglied, app.test_client())
    assert "Status ändern" not in member.get(url).get_data(as_text=True)
    token = csrf_token(member, url)
    assert (
        member.post(f"{url}/status", data={"csrf_token": token, "nach": "in_pruefung"}).status_code
        == 403
    )
    assert (
        member.post(f"{url}/antwort", data={"csrf_token": token, "antwort": "x"}).status_code == 403
    )
    assert member.get("/impulse/").status_code == 403
    assert login(quelle.planer, app.test_client()).get("/impulse/").status_code == 200
    assert _fresh(impuls.id).status == S.EINGEGANGEN


def test_stabsstelle_enters_impulses_of_board_and_politics(
    client, login, make, quelle, csrf_token
) -> None:
    ausschuss = make.gremium(make.GremiumTyp.FACHAUSSCHUSS, name="Sozialausschuss Test")
    login(quelle.stab)
    token = csrf_token(client, "/impulse/neu")
    response = client.post(
        "/impulse/neu",
        data={
            "csrf_token": token,
            "quelle": "politik",
            "quelle_gremium_id": str(ausschuss.id),
            "titel": "Prüfauftrag Seniorentreff",
            "beschreibung": "",
            "thema": "Senioren",
            "sozialraum_id": "",
            "adressiert_an": "planungsrunde",
            "zyklus_id": str(quelle.zyklus.id),
        },
    )
    assert response.status_code == 303
    impuls = db.session.scalar(select(Impuls).where(Impuls.titel == "Prüfauftrag Seniorentreff"))
    assert (impuls.quelle.value, impuls.quelle_gremium_id, impuls.zyklus_id) == (
        "politik",
        ausschuss.id,
        quelle.zyklus.id,
    )
    bad = client.post(
        "/impulse/neu",
        data={"csrf_token": token, "quelle": "traeger", "titel": "", "adressiert_an": "x"},
    )
    assert bad.status_code == 422
    assert "Bitte geben Sie einen Titel ein." in bad.get_data(as_text=True)
