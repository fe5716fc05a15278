"""Per-organisation deadlines: asking for more time, granting, late input, reminders, guard."""

from __future__ import annotations

from datetime import timedelta

from app.beteiligung import services
from app.beteiligung.forms import to_local
from app.beteiligung.models import (
    AnfrageStatus,
    EreignisArt,
    Rueckmeldebogen,
    RueckmeldungStatus,
)
from app.core.types import utcnow
from app.extensions import db
from tests.beteiligung.anfragen_hilfe import anfragen_of, mails, post_on_page, reload
from tests.beteiligung.conftest import fragen_ids, gueltige_antworten, version_of


def _move_deadline(bogen_id: int, delta: timedelta) -> None:
    """The general deadline moves to now + ``delta`` (negative: it has passed)."""
    bogen = db.session.get(Rueckmeldebogen, bogen_id, populate_existing=True)
    bogen.frist = utcnow() + delta
    db.session.commit()


def _local(value) -> str:
    return to_local(value).strftime("%Y-%m-%dT%H:%M")


def _ask(client, rm, grund="Unsere Geschäftsführung muss noch zustimmen.", bis=None):
    page = f"/beteiligung/rueckmeldungen/{rm.id}"
    data = {"grund": grund, "gewuenschte_frist": _local(bis) if bis else ""}
    return post_on_page(client, page, f"{page}/fristverlaengerung", data)


def _grant(client, anfrage, bis, kommentar=""):
    page = f"/beteiligung/rueckmeldungen/{anfrage.rueckmeldung_id}"
    prefix = f"anfrage{anfrage.id}"
    data = {
        f"{prefix}-neue_frist": _local(bis) if bis else "",
        f"{prefix}-kommentar": kommentar,
        f"{prefix}-gewaehren": "1",
    }
    return post_on_page(
        client, page, f"/beteiligung/anfragen/{anfrage.id}/entscheiden", data, prefix=prefix
    )


def test_extension_is_asked_granted_and_honoured(
    app, client, login, make, welt, bogen, post_form
) -> None:
    login(welt.anna)
    post_form(client, bogen, gueltige_antworten(bogen, welt))  # a draft
    rm = make.rueckmeldung(bogen, welt.awo)
    wunsch = utcnow() + timedelta(days=20)
    assert _ask(client, rm, bis=wunsch).status_code == 303
    [anfrage] = anfragen_of(rm.id)
    assert anfrage.gewuenschte_frist is not None
    stab = login(welt.stab, app.test_client())
    page = stab.get(f"/beteiligung/rueckmeldungen/{rm.id}").get_data(as_text=True)
    assert "Fristverlängerung für AWO Test entscheiden" in page
    assert f'value="{_local(wunsch)}"' in page  # prefilled with the wish
    # the general deadline passes; AWO keeps its own
    neue = utcnow() + timedelta(days=20)
    assert _grant(stab, anfrage, neue, kommentar="Bitte nicht später.").status_code == 303
    _move_deadline(bogen.id, timedelta(minutes=-1))
    assert services.close_due() == [bogen.id]
    db.session.commit()
    after = reload(rm.id)
    assert abs(after.frist - neue) < timedelta(minutes=1)
    assert anfragen_of(rm.id)[0].status == AnfrageStatus.GEWAEHRT
    [mail] = mails("rueckmeldung.frist_verlaengert")[:1]
    assert "Bitte nicht später." in mail.body_text and "verlängert" in mail.body_text
    assert client.get(f"/beteiligung/{bogen.id}/ausfuellen").status_code == 200
    assert "für Ihre Organisation verlängert" in client.get(
        f"/beteiligung/{bogen.id}/ausfuellen"
    ).get_data(as_text=True)
    assert "Rückmeldung „Rückmeldung Sozialreport“ ausfüllen" in client.get("/start").get_data(
        as_text=True
    )
    response = post_form(client, bogen, gueltige_antworten(bogen, welt), aktion="einreichen")
    assert response.status_code == 303
    assert reload(rm.id).status == RueckmeldungStatus.EINGEREICHT
    # the Diakonie, without an extension, is past its deadline
    david = login(welt.david, app.test_client())
    assert david.get(f"/beteiligung/{bogen.id}/ausfuellen").status_code == 302


def test_grant_needs_a_later_deadline_in_the_future(app, client, login, make, welt, bogen) -> None:
    login(welt.anna)
    rm = make.rueckmeldung(bogen, welt.awo)
    _ask(client, rm)
    [anfrage] = anfragen_of(rm.id)
    stab = login(welt.stab, app.test_client())
    missing = _grant(stab, anfrage, None)
    assert missing.status_code == 422
    assert "Bitte geben Sie die neue Frist an." in missing.get_data(as_text=True)
    past = _grant(stab, anfrage, utcnow() - timedelta(days=1))
    assert past.status_code == 422
    assert "Die neue Frist muss in der Zukunft liegen." in past.get_data(as_text=True)
    earlier = _grant(stab, anfrage, utcnow() + timedelta(days=2))  # form runs 14 days
    assert earlier.status_code == 422
    assert "nach der bisherigen Frist" in earlier.get_data(as_text=True)
    assert anfragen_of(rm.id)[0].status == AnfrageStatus.OFFEN
    assert reload(rm.id).frist_verlaengert_bis is None


def test_declined_extension_keeps_the_deadline_and_tells_why(
    app, client, login, make, welt, bogen
) -> None:
    login(welt.anna)
    rm = make.rueckmeldung(bogen, welt.awo)
    _ask(client, rm)
    [anfrage] = anfragen_of(rm.id)
    stab = login(welt.stab, app.test_client())
    prefix = f"anfrage{anfrage.id}"
    response = post_on_page(
        stab,
        f"/beteiligung/rueckmeldungen/{rm.id}",
        f"/beteiligung/anfragen/{anfrage.id}/entscheiden",
        {f"{prefix}-kommentar": "Die Sitzung ist schon terminiert.", f"{prefix}-ablehnen": "1"},
        prefix=prefix,
    )
    assert response.status_code == 303
    assert anfragen_of(rm.id)[0].status == AnfrageStatus.ABGELEHNT
    assert reload(rm.id).frist_verlaengert_bis is None
    assert [m.recipient for m in mails("rueckmeldung.frist_abgelehnt")] == sorted(
        [welt.anna.email, welt.arne.email]
    )
    page = client.get(f"/beteiligung/rueckmeldungen/{rm.id}").get_data(as_text=True)
    assert "Die Sitzung ist schon terminiert." in page and "Fristverlängerung abgelehnt" in page


def test_deadline_passing_while_typing_keeps_the_input_and_offers_an_extension(
    app, client, login, make, welt, bogen, csrf_token
) -> None:
    login(welt.anna)
    url = f"/beteiligung/{bogen.id}/ausfuellen"
    version = version_of(client.get(url).get_data(as_text=True))
    token = csrf_token(client, url)
    _move_deadline(bogen.id, timedelta(seconds=-1))  # while Anna types
    ids = fragen_ids(bogen)
    data = {
        **gueltige_antworten(bogen, welt),
        f"f{ids['zahl']}": "viele",  # invalid: shown, not stored
        "csrf_token": token,
        "aktion": "einreichen",
        "version": version,
    }
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Die Frist ist abgelaufen – Ihre Eingaben sind als Entwurf gespeichert" in body
    assert "Ihre Rückmeldung wurde deshalb nicht eingereicht." in body
    assert "Mehr Treffpunkte für Jugendliche." in body and 'value="viele"' in body
    assert "Einige Antworten waren ungültig und wurden nicht übernommen" in body
    assert "Bitte geben Sie eine Zahl ein, z. B. 12 oder 12,5." in body
    assert "Fristverlängerung anfragen" in body
    rm = reload(make.rueckmeldung(bogen, welt.awo).id)
    assert rm.status == RueckmeldungStatus.ENTWURF
    stored = services.current_clean(rm)
    assert stored[ids["langtext"]] == "Mehr Treffpunkte für Jugendliche.\nUnd Beratung."
    assert ids["zahl"] not in stored
    assert [e.art for e in rm.ereignisse] == [EreignisArt.NACH_FRIST_GESPEICHERT]
    # the extension form right on that page
    action = f"/beteiligung/rueckmeldungen/{rm.id}/fristverlaengerung"
    assert f'action="{action}"' in body
    from tests.beteiligung.anfragen_hilfe import form_tokens

    ask = client.post(action, data={**form_tokens(body, action), "grund": "Frist verpasst."})
    assert ask.status_code == 303
    assert [a.status for a in anfragen_of(rm.id)] == [AnfrageStatus.OFFEN]


def test_late_save_after_a_colleague_saved_stores_nothing_but_shows_the_input(
    app, client, login, make, welt, bogen, post_form, csrf_token
) -> None:
    login(welt.anna)
    url = f"/beteiligung/{bogen.id}/ausfuellen"
    stale = version_of(client.get(url).get_data(as_text=True))
    token = csrf_token(client, url)
    colleague = login(welt.arne, app.test_client())
    post_form(colleague, bogen, gueltige_antworten(bogen, welt))
    _move_deadline(bogen.id, timedelta(seconds=-1))
    ids = fragen_ids(bogen)
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "aktion": "speichern",
            "version": stale,
            f"f{ids['kurztext']}": "Anna neu",
        },
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Ihre Eingaben wurden deshalb nicht gespeichert" in body and 'value="Anna neu"' in body
    rm = reload(make.rueckmeldung(bogen, welt.awo).id)
    assert services.current_clean(rm)[ids["kurztext"]] == "Anna Awo"


def test_reminders_follow_the_organisations_deadline(ctx, make, welt, app) -> None:
    bogen = make.rueckmeldebogen(
        organisationen=[welt.awo, welt.diakonie],
        veroeffentlicht=True,
        frist=utcnow() + timedelta(days=2),
        erinnerung_tage=3,
    )
    from app.beteiligung import fristen

    awo = make.rueckmeldung(bogen, welt.awo)
    fristen.set_frist(awo, utcnow() + timedelta(days=10), welt.stab, None)
    db.session.commit()
    assert services.remind_non_submitters() == 1  # only David: AWO's deadline is 10 days off
    assert services.remind_non_submitters(now=utcnow() + timedelta(days=8)) == 2  # Anna, Arne
    db.session.commit()
    assert [e.art for e in reload(awo.id).ereignisse] == [
        EreignisArt.FRIST_VERLAENGERT,
        EreignisArt.ERINNERT,
    ]
    # the general deadline has passed, the AWO can still be reminded by hand
    assert fristen.erinnerbar(bogen.id, now=utcnow() + timedelta(days=5)) == [awo.id]


def test_cycle_guard_waits_for_running_extensions(ctx, make, welt, app) -> None:
    from app.beteiligung import fristen
    from app.beteiligung.zyklus import offene_fristen
    from app.workflows.models import Phase

    zyklus = make.zyklus([welt.pr, welt.tr], titel="Sozialplanung Test", phase=Phase.BETEILIGUNG)
    bogen = make.rueckmeldebogen(
        titel="Rückmeldung 2027",
        organisationen=[welt.awo, welt.diakonie],
        veroeffentlicht=True,
        zyklus_id=zyklus.id,
    )
    fristen.set_frist(
        make.rueckmeldung(bogen, welt.awo), utcnow() + timedelta(days=30), welt.stab, None
    )
    db.session.commit()
    _move_deadline(bogen.id, timedelta(minutes=-1))
    services.close_due()
    db.session.commit()
    [text] = offene_fristen(zyklus.id)
    assert "„Rückmeldung 2027“: eine Organisation hat eine verlängerte Frist bis" in text


def test_stabsstelle_sets_a_deadline_without_a_request(
    app, client, login, make, welt, bogen
) -> None:
    rm = make.rueckmeldung(bogen, welt.awo)
    stab = login(welt.stab)
    page = f"/beteiligung/rueckmeldungen/{rm.id}"
    neue = utcnow() + timedelta(days=30)
    response = post_on_page(
        stab, page, f"{page}/frist", {"neue_frist": _local(neue), "hinweis": "Wie besprochen."}
    )
    assert response.status_code == 303
    after = reload(rm.id)
    assert after.frist_verlaengert_bis is not None
    assert [e.art for e in after.ereignisse] == [EreignisArt.FRIST_VERLAENGERT]
    assert "Wie besprochen." in after.ereignisse[0].grund
    status = stab.get(f"/beteiligung/{bogen.id}/status").get_data(as_text=True)
    assert "(verlängert)" in status


def test_no_extension_for_an_answer_submitted_meanwhile(
    app, client, login, make, welt, bogen, post_form
) -> None:
    login(welt.anna)
    rm = make.rueckmeldung(bogen, welt.awo)
    _ask(client, rm)
    post_form(client, bogen, gueltige_antworten(bogen, welt), aktion="einreichen")
    [anfrage] = anfragen_of(rm.id)
    stab = login(welt.stab, app.test_client())
    response = _grant(stab, anfrage, utcnow() + timedelta(days=30))
    assert response.status_code == 409
    assert "bereits eingereicht; eine neue Frist ist nicht mehr nötig" in response.get_data(
        as_text=True
    )
    assert anfragen_of(rm.id)[0].status == AnfrageStatus.OFFEN
    assert reload(rm.id).frist_verlaengert_bis is None
