"""The confirmation before the irreversible submission, and "jetzt erinnern"."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.beteiligung.models import EreignisArt, Rueckmeldebogen, RueckmeldungStatus
from app.core.types import utcnow
from app.extensions import db
from app.mail.models import Mail
from tests.beteiligung.anfragen_hilfe import form_tokens, mails, reload
from tests.beteiligung.conftest import fragen_ids, gueltige_antworten, version_of


def test_einreichen_first_shows_the_answers_to_confirm(
    client, login, make, welt, bogen, post_form
) -> None:
    login(welt.anna)
    response = post_form(
        client, bogen, gueltige_antworten(bogen, welt), aktion="einreichen", bestaetigen=False
    )
    assert response.status_code == 303
    assert response.location == f"/beteiligung/{bogen.id}/einreichen"
    rm = reload(make.rueckmeldung(bogen, welt.awo).id)
    assert rm.status == RueckmeldungStatus.ENTWURF  # saved, not yet submitted
    body = client.get(response.location).get_data(as_text=True)
    assert "Rückmeldung einreichen?" in body and "Jetzt verbindlich einreichen" in body
    assert "Mehr Treffpunkte für Jugendliche." in body and "Stadtbereich Süd: gering" in body
    assert "Korrektur anfragen" in body
    assert mails("rueckmeldung.quittung") == []


def test_double_click_on_confirm_submits_once(client, login, make, welt, bogen, post_form) -> None:
    login(welt.anna)
    post_form(
        client, bogen, gueltige_antworten(bogen, welt), aktion="einreichen", bestaetigen=False
    )
    url = f"/beteiligung/{bogen.id}/einreichen"
    body = client.get(url).get_data(as_text=True)
    data = {**form_tokens(body, url), "version": version_of(body)}
    first = client.post(url, data=data)
    second = client.post(url, data=data)
    assert first.status_code == second.status_code == 303
    rm = reload(make.rueckmeldung(bogen, welt.awo).id)
    assert rm.status == RueckmeldungStatus.EINGEREICHT
    assert [e.art for e in rm.ereignisse] == [EreignisArt.EINGEREICHT]
    assert len(mails("rueckmeldung.quittung")) == 1


def test_confirm_with_an_outdated_version_asks_to_check_again(
    app, client, login, make, welt, bogen, post_form
) -> None:
    login(welt.anna)
    post_form(
        client, bogen, gueltige_antworten(bogen, welt), aktion="einreichen", bestaetigen=False
    )
    url = f"/beteiligung/{bogen.id}/einreichen"
    body = client.get(url).get_data(as_text=True)
    colleague = login(welt.arne, app.test_client())
    ids = fragen_ids(bogen)
    post_form(colleague, bogen, {**gueltige_antworten(bogen, welt), f"f{ids['zahl']}": "99"})
    response = client.post(url, data={**form_tokens(body, url), "version": version_of(body)})
    assert response.status_code == 303 and response.location == url
    assert reload(make.rueckmeldung(bogen, welt.awo).id).status == RueckmeldungStatus.ENTWURF
    again = client.get(url).get_data(as_text=True)
    assert "inzwischen geändert" in again and "99" in again


def test_confirm_refuses_a_draft_missing_required_answers(
    client, login, make, welt, bogen, post_form
) -> None:
    login(welt.anna)
    ids = fragen_ids(bogen)
    data = {k: v for k, v in gueltige_antworten(bogen, welt).items() if k != f"f{ids['kurztext']}"}
    post_form(client, bogen, data)  # a draft without the required short text
    url = f"/beteiligung/{bogen.id}/einreichen"
    body = client.get(url).get_data(as_text=True)
    response = client.post(url, data={**form_tokens(body, url), "version": version_of(body)})
    assert response.status_code == 422
    assert "Bitte beantworten Sie diese Frage." in response.get_data(as_text=True)
    assert reload(make.rueckmeldung(bogen, welt.awo).id).status == RueckmeldungStatus.ENTWURF


def test_confirm_after_the_deadline_keeps_the_draft(
    client, login, make, welt, bogen, post_form
) -> None:
    login(welt.anna)
    post_form(
        client, bogen, gueltige_antworten(bogen, welt), aktion="einreichen", bestaetigen=False
    )
    url = f"/beteiligung/{bogen.id}/einreichen"
    body = client.get(url).get_data(as_text=True)
    db.session.get(Rueckmeldebogen, bogen.id).frist = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.post(url, data={**form_tokens(body, url), "version": version_of(body)})
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "Die Frist ist abgelaufen" in text and "Fristverlängerung anfragen" in text
    assert "Mehr Treffpunkte für Jugendliche." in text
    rm = reload(make.rueckmeldung(bogen, welt.awo).id)
    assert rm.status == RueckmeldungStatus.ENTWURF and rm.antworten


def test_confirmation_page_is_only_for_the_own_organisation(
    app, client, login, make, welt, bogen
) -> None:
    outsider = login(make.traeger_user(), app.test_client())
    assert outsider.get(f"/beteiligung/{bogen.id}/einreichen").status_code == 404
    stab = login(welt.stab, app.test_client())
    assert stab.get(f"/beteiligung/{bogen.id}/einreichen").status_code == 404


# --------------------------------------------------------------------------- jetzt erinnern


def _remind(client, bogen):
    url = f"/beteiligung/{bogen.id}/status"
    body = client.get(url).get_data(as_text=True)
    action = f"/beteiligung/{bogen.id}/erinnern"
    return client.post(action, data=form_tokens(body, action))


def test_jetzt_erinnern_reaches_non_submitters_once_a_day(
    app, client, login, make, welt, bogen, einreichen, csrf_token
) -> None:
    einreichen(bogen, welt.david)
    login(welt.stab)
    status = client.get(f"/beteiligung/{bogen.id}/status").get_data(as_text=True)
    assert "1 Organisation hat noch nicht eingereicht und kann es noch." in status
    response = _remind(client, bogen)
    assert response.status_code == 303
    assert "Eine Organisation wird per E-Mail erinnert." in client.get(response.location).get_data(
        as_text=True
    )
    recipients = sorted(m.recipient for m in mails("rueckmeldung.erinnerung.manuell"))
    assert recipients == sorted([welt.anna.email, welt.arne.email])
    rm = reload(make.rueckmeldung(bogen, welt.awo).id)
    assert [e.art for e in rm.ereignisse] == [EreignisArt.ERINNERT]
    # the same day: no second reminder, and the page says so
    page = client.get(f"/beteiligung/{bogen.id}/status").get_data(as_text=True)
    assert "Heute wurde bereits erinnert" in page
    assert f'action="/beteiligung/{bogen.id}/erinnern"' not in page
    token = csrf_token(client, "/beteiligung/offen")
    again = client.post(f"/beteiligung/{bogen.id}/erinnern", data={"csrf_token": token})
    assert again.status_code == 303
    assert "Heute wurde bereits an diesen Rückmeldebogen erinnert" in client.get(
        again.location
    ).get_data(as_text=True)
    assert len(mails("rueckmeldung.erinnerung.manuell")) == 2
    # the next day it works again
    db.session.get(Rueckmeldebogen, bogen.id).manuell_erinnert_at = utcnow() - timedelta(days=1)
    db.session.commit()
    assert _remind(client, bogen).status_code == 303
    assert len(mails("rueckmeldung.erinnerung.manuell")) == 4


def test_only_the_stabsstelle_reminds(app, client, login, make, welt, bogen, csrf_token) -> None:
    login(welt.anna)
    token = csrf_token(client, "/beteiligung/offen")
    response = client.post(f"/beteiligung/{bogen.id}/erinnern", data={"csrf_token": token})
    assert response.status_code == 403
    assert db.session.scalars(select(Mail)).all() == []
