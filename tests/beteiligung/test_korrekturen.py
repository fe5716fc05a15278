"""Corrections: the Träger asks after submitting, the Stabsstelle grants (reopens) or declines."""

from __future__ import annotations

from sqlalchemy import select

from app.benachrichtigungen.models import Benachrichtigung
from app.beteiligung.models import AnfrageStatus, EreignisArt, RueckmeldungStatus
from app.extensions import db
from tests.beteiligung.anfragen_hilfe import anfragen_of, form_tokens, mails, post_on_page, reload
from tests.beteiligung.conftest import fragen_ids, gueltige_antworten


def _submitted(client, login, make, welt, bogen, post_form):
    login(welt.anna)
    response = post_form(client, bogen, gueltige_antworten(bogen, welt), aktion="einreichen")
    assert response.status_code == 303
    return make.rueckmeldung(bogen, welt.awo)


def _ask(client, rm, grund="Die Zahl der Plätze war falsch."):
    page = f"/beteiligung/rueckmeldungen/{rm.id}"
    return post_on_page(client, page, f"{page}/korrektur", {"grund": grund})


def _decide(client, anfrage, knopf: str, **felder):
    page = f"/beteiligung/rueckmeldungen/{anfrage.rueckmeldung_id}"
    prefix = f"anfrage{anfrage.id}"
    data = {f"{prefix}-{k}": v for k, v in felder.items()}
    data[f"{prefix}-{knopf}"] = "1"
    return post_on_page(
        client, page, f"/beteiligung/anfragen/{anfrage.id}/entscheiden", data, prefix=prefix
    )


def test_trager_asks_for_a_correction_and_the_stabsstelle_is_told(
    app, client, login, make, welt, bogen, post_form
) -> None:
    rm = _submitted(client, login, make, welt, bogen, post_form)
    body = client.get(f"/beteiligung/rueckmeldungen/{rm.id}").get_data(as_text=True)
    assert "Korrektur anfragen" in body
    response = _ask(client, rm)
    assert response.status_code == 303
    [anfrage] = anfragen_of(rm.id)
    assert anfrage.status == AnfrageStatus.OFFEN and anfrage.gestellt_von_id == welt.anna.id
    assert [e.art for e in reload(rm.id).ereignisse][-1] == EreignisArt.KORREKTUR_ANGEFRAGT
    notices = db.session.scalars(
        select(Benachrichtigung).where(Benachrichtigung.user_id == welt.stab.id)
    ).all()
    assert any("AWO Test bittet um Korrektur" in n.text for n in notices)
    page = client.get(f"/beteiligung/rueckmeldungen/{rm.id}").get_data(as_text=True)
    assert "liegt der Stabsstelle Sozialplanung vor" in page
    assert "Ihre Anfrage (Korrektur)" in client.get("/start").get_data(as_text=True)
    stab = login(welt.stab, app.test_client())
    assert "Korrektur für AWO Test entscheiden" in stab.get("/start").get_data(as_text=True)


def test_correction_needs_a_reason_and_keeps_nothing_without(
    client, login, make, welt, bogen, post_form
) -> None:
    rm = _submitted(client, login, make, welt, bogen, post_form)
    response = _ask(client, rm, grund="   ")
    assert response.status_code == 422
    assert "Bitte beschreiben Sie, was Sie korrigieren möchten." in response.get_data(as_text=True)
    assert anfragen_of(rm.id) == []


def test_double_click_and_second_request_make_one_request(
    client, login, make, welt, bogen, post_form, csrf_token
) -> None:
    rm = _submitted(client, login, make, welt, bogen, post_form)
    page = f"/beteiligung/rueckmeldungen/{rm.id}"
    body = client.get(page).get_data(as_text=True)
    data = {**form_tokens(body, f"{page}/korrektur"), "grund": "Tippfehler"}
    assert client.post(f"{page}/korrektur", data=data).status_code == 303
    repeat = client.post(f"{page}/korrektur", data=data)
    assert repeat.status_code == 303  # the one-time token answers the repeat
    assert len(anfragen_of(rm.id)) == 1
    # a new form while one is open: refused in German (the form is not offered any more)
    csrf = csrf_token(client, "/beteiligung/offen")
    again = client.post(f"{page}/korrektur", data={"csrf_token": csrf, "grund": "x"})
    assert again.status_code == 409
    assert "Es liegt bereits eine offene Anfrage (Korrektur) vor" in again.get_data(as_text=True)
    assert len(anfragen_of(rm.id)) == 1


def test_correction_only_for_submitted_answers(
    client, login, make, welt, bogen, post_form, csrf_token
) -> None:
    login(welt.anna)
    post_form(client, bogen, gueltige_antworten(bogen, welt))
    rm = make.rueckmeldung(bogen, welt.awo)
    response = client.post(
        f"/beteiligung/rueckmeldungen/{rm.id}/korrektur",
        data={"csrf_token": csrf_token(client, "/beteiligung/offen"), "grund": "Bitte öffnen"},
    )
    assert response.status_code == 409
    assert "nur für eine eingereichte Rückmeldung" in response.get_data(as_text=True)


def test_granted_correction_reopens_and_keeps_the_earlier_version(
    app, client, login, make, welt, bogen, post_form
) -> None:
    rm = _submitted(client, login, make, welt, bogen, post_form)
    _ask(client, rm)
    [anfrage] = anfragen_of(rm.id)
    stab = login(welt.stab, app.test_client())
    response = _decide(stab, anfrage, "gewaehren", kommentar="Bitte bis Freitag.")
    assert response.status_code == 303
    [anfrage] = anfragen_of(rm.id)
    assert anfrage.status == AnfrageStatus.GEWAEHRT and anfrage.entschieden_von_id == welt.stab.id
    assert reload(rm.id).status == RueckmeldungStatus.ENTWURF
    [mail] = mails("rueckmeldung.wiedereroeffnet")[:1]
    assert "Korrekturanfrage gewährt" in mail.body_text and "Bitte bis Freitag." in mail.body_text
    # the Träger corrects and submits again; both submissions stay in the history
    ids = fragen_ids(bogen)
    data = {**gueltige_antworten(bogen, welt), f"f{ids['zahl']}": "13"}
    assert post_form(client, bogen, data, aktion="einreichen").status_code == 303
    after = reload(rm.id)
    assert after.status == RueckmeldungStatus.EINGEREICHT
    arten = [e.art for e in after.ereignisse]
    assert arten == [
        EreignisArt.EINGEREICHT,
        EreignisArt.KORREKTUR_ANGEFRAGT,
        EreignisArt.WIEDEREROEFFNET,
        EreignisArt.EINGEREICHT,
    ]
    erste, zweite = (e for e in after.ereignisse if e.art == EreignisArt.EINGEREICHT)
    zahl = [x["antwort"] for x in erste.antworten if x["frage_id"] == ids["zahl"]]
    assert zahl == ["12,5"]
    assert [x["antwort"] for x in zweite.antworten if x["frage_id"] == ids["zahl"]] == ["13"]
    page = client.get(f"/beteiligung/rueckmeldungen/{rm.id}").get_data(as_text=True)
    assert "gewährt" in page and "Bitte bis Freitag." in page


def test_declined_correction_shows_the_comment_to_the_trager(
    app, client, login, make, welt, bogen, post_form
) -> None:
    rm = _submitted(client, login, make, welt, bogen, post_form)
    _ask(client, rm)
    [anfrage] = anfragen_of(rm.id)
    stab = login(welt.stab, app.test_client())
    without = _decide(stab, anfrage, "ablehnen", kommentar="")
    assert without.status_code == 422
    assert "Bitte begründen Sie die Ablehnung" in without.get_data(as_text=True)
    assert anfragen_of(rm.id)[0].status == AnfrageStatus.OFFEN
    response = _decide(stab, anfrage, "ablehnen", kommentar="Die Auswertung ist schon gelaufen.")
    assert response.status_code == 303
    assert anfragen_of(rm.id)[0].status == AnfrageStatus.ABGELEHNT
    assert reload(rm.id).status == RueckmeldungStatus.EINGEREICHT
    [mail] = mails("rueckmeldung.korrektur_abgelehnt")[:1]
    assert "Die Auswertung ist schon gelaufen." in mail.body_text
    page = client.get(f"/beteiligung/rueckmeldungen/{rm.id}").get_data(as_text=True)
    assert "abgelehnt" in page and "Die Auswertung ist schon gelaufen." in page
    assert "Korrektur abgelehnt" in page  # history entry


def test_a_decided_request_cannot_be_decided_again(
    app, client, login, make, welt, bogen, post_form, csrf_token
) -> None:
    rm = _submitted(client, login, make, welt, bogen, post_form)
    _ask(client, rm)
    [anfrage] = anfragen_of(rm.id)
    stab = login(welt.stab, app.test_client())
    assert _decide(stab, anfrage, "ablehnen", kommentar="Nein.").status_code == 303
    prefix = f"anfrage{anfrage.id}"
    token = csrf_token(stab, f"/beteiligung/rueckmeldungen/{rm.id}")
    late = stab.post(
        f"/beteiligung/anfragen/{anfrage.id}/entscheiden",
        data={f"{prefix}-csrf_token": token, f"{prefix}-gewaehren": "1"},
    )
    assert late.status_code == 409
    assert "bereits entschieden (abgelehnt)" in late.get_data(as_text=True)
    assert reload(rm.id).status == RueckmeldungStatus.EINGEREICHT


def test_permissions_from_outside(
    app, client, login, make, welt, bogen, post_form, csrf_token
) -> None:
    rm = _submitted(client, login, make, welt, bogen, post_form)
    _ask(client, rm)
    [anfrage] = anfragen_of(rm.id)
    page = f"/beteiligung/rueckmeldungen/{rm.id}"
    # another Träger: cannot see, cannot ask, cannot decide
    david = login(welt.david, app.test_client())
    csrf = csrf_token(david, "/beteiligung/offen")
    assert david.get(page).status_code == 403
    assert (
        david.post(f"{page}/korrektur", data={"csrf_token": csrf, "grund": "x"}).status_code == 403
    )
    assert (
        david.post(
            f"{page}/fristverlaengerung", data={"csrf_token": csrf, "grund": "x"}
        ).status_code
        == 403
    )
    prefix = f"anfrage{anfrage.id}"
    decide = {f"{prefix}-csrf_token": csrf, f"{prefix}-gewaehren": "1"}
    assert (
        david.post(f"/beteiligung/anfragen/{anfrage.id}/entscheiden", data=decide).status_code
        == 403
    )
    # the asking Träger itself cannot grant, nor set a deadline
    csrf = csrf_token(client, "/beteiligung/offen")
    decide = {f"{prefix}-csrf_token": csrf, f"{prefix}-gewaehren": "1"}
    assert (
        client.post(f"/beteiligung/anfragen/{anfrage.id}/entscheiden", data=decide).status_code
        == 403
    )
    assert (
        client.post(
            f"{page}/frist", data={"csrf_token": csrf, "neue_frist": "2099-01-01T10:00"}
        ).status_code
        == 403
    )
    assert anfragen_of(rm.id)[0].status == AnfrageStatus.OFFEN
    # the Stabsstelle does not ask; unknown requests are 404
    stab = login(welt.stab, app.test_client())
    token = form_tokens(stab.get(page).get_data(as_text=True), f"{page}/wiedereroeffnen")
    assert stab.post(f"{page}/korrektur", data={**token, "grund": "x"}).status_code == 403
    unknown = {"anfrage999999-csrf_token": token["csrf_token"], "anfrage999999-gewaehren": "1"}
    assert stab.post("/beteiligung/anfragen/999999/entscheiden", data=unknown).status_code == 404


def test_answer_page_queries_do_not_grow_with_requests(
    app, client, login, make, welt, bogen, post_form, query_counter
) -> None:
    from app.beteiligung.models import AnfrageArt, RueckmeldungAnfrage

    rm = _submitted(client, login, make, welt, bogen, post_form)
    stab = login(welt.stab, app.test_client())
    url = f"/beteiligung/rueckmeldungen/{rm.id}"

    def add(n: int) -> None:
        for i in range(n):
            db.session.add(
                RueckmeldungAnfrage(
                    rueckmeldung_id=rm.id,
                    art=AnfrageArt.KORREKTUR,
                    status=AnfrageStatus.ABGELEHNT,
                    grund=f"Anfragegrund {i}",
                    gestellt_von_id=welt.anna.id,
                    entschieden_von_id=welt.stab.id,
                    kommentar="Nein.",
                )
            )
        db.session.commit()

    add(1)
    stab.get(url)
    with query_counter() as one:
        assert stab.get(url).status_code == 200
    add(4)
    with query_counter() as five:
        body = stab.get(url).get_data(as_text=True)
    assert body.count("Anfragegrund ") == 5
    assert len(five) == len(one)


def test_status_page_marks_open_requests(app, client, login, make, welt, bogen, post_form) -> None:
    rm = _submitted(client, login, make, welt, bogen, post_form)
    _ask(client, rm)
    stab = login(welt.stab, app.test_client())
    body = stab.get(f"/beteiligung/{bogen.id}/status").get_data(as_text=True)
    assert f'href="/beteiligung/rueckmeldungen/{rm.id}#anfragen">Korrektur angefragt' in body


def test_double_click_on_grant_decides_once(
    app, client, login, make, welt, bogen, post_form
) -> None:
    rm = _submitted(client, login, make, welt, bogen, post_form)
    _ask(client, rm)
    [anfrage] = anfragen_of(rm.id)
    stab = login(welt.stab, app.test_client())
    page = f"/beteiligung/rueckmeldungen/{rm.id}"
    action = f"/beteiligung/anfragen/{anfrage.id}/entscheiden"
    tokens = form_tokens(stab.get(page).get_data(as_text=True), action)
    prefix = f"anfrage{anfrage.id}"
    data = {
        f"{prefix}-csrf_token": tokens["csrf_token"],
        "formular_token": tokens["formular_token"],
        f"{prefix}-gewaehren": "1",
    }
    assert stab.post(action, data=data).status_code == 303
    assert stab.post(action, data=data).status_code == 303  # answered by the one-time token
    arten = [e.art for e in reload(rm.id).ereignisse]
    assert arten.count(EreignisArt.WIEDEREROEFFNET) == 1
    assert len(mails("rueckmeldung.wiedereroeffnet")) == 2  # Anna and Arne, once each


def test_start_page_lists_every_open_request_without_extra_queries(
    app, client, login, make, welt, query_counter
) -> None:
    from app.beteiligung.models import AnfrageArt, RueckmeldungAnfrage

    stab = login(welt.stab, app.test_client())

    def ask(n: int) -> None:
        for _ in range(n):
            bogen = make.rueckmeldebogen(organisationen=[welt.awo], veroeffentlicht=True)
            rm = make.rueckmeldung(bogen, welt.awo)
            db.session.add(
                RueckmeldungAnfrage(
                    rueckmeldung_id=rm.id, art=AnfrageArt.FRISTVERLAENGERUNG, grund="Zeit"
                )
            )
        db.session.commit()

    ask(1)
    stab.get("/start")
    with query_counter() as one:
        stab.get("/start")
    ask(24)
    with query_counter() as many:
        body = stab.get("/start").get_data(as_text=True)
    assert body.count("Fristverlängerung für AWO Test entscheiden") == 25
    assert len(many) == len(one)


def test_reopening_by_hand_answers_the_open_correction_request(
    app, client, login, make, welt, bogen, post_form
) -> None:
    rm = _submitted(client, login, make, welt, bogen, post_form)
    _ask(client, rm)
    stab = login(welt.stab, app.test_client())
    page = f"/beteiligung/rueckmeldungen/{rm.id}"
    response = post_on_page(stab, page, f"{page}/wiedereroeffnen", {"grund": "Wie besprochen."})
    assert response.status_code == 303
    [anfrage] = anfragen_of(rm.id)
    assert anfrage.status == AnfrageStatus.GEWAEHRT and anfrage.kommentar == "Wie besprochen."
    assert reload(rm.id).status == RueckmeldungStatus.ENTWURF
    assert "Korrektur für AWO Test entscheiden" not in stab.get("/start").get_data(as_text=True)
