"""Accounts: create with invitation mail, single-use link, resend, edit, deactivate, list filter."""

from __future__ import annotations

import re
import time

from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from app.auth.models import LoginSession, User
from app.extensions import db
from app.mail.models import Mail
from app.stammdaten.models import Funktion, Mitgliedschaft

NEU = "/stammdaten/benutzer/neu"
NEW_PASSWORD = "mein-neues-Passwort-2026"


def _invitations(email: str) -> list[Mail]:
    return db.session.scalars(
        select(Mail)
        .where(Mail.recipient == email, Mail.kind == "konto.einladung")
        .order_by(Mail.id)
    ).all()


def _link_path(mail: Mail) -> str:
    match = re.search(r"http://[^/\s]+(/einladung/\S+)", mail.body_text)
    assert match, mail.body_text
    assert match.group(1) in mail.body_html
    return match.group(1)


def _create(post, **overrides):
    data = {
        "name": "Nina Neu",
        "email": "Nina.Neu@Traeger.example",
        "organisation_id": "",
        "ist_stabsstelle": "",
    }
    data.update(overrides)
    if not data["ist_stabsstelle"]:
        del data["ist_stabsstelle"]
    return post(NEU, data)


def _accept(client, csrf_token, path: str):
    token = csrf_token(client, path)
    return client.post(
        path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token}
    )


def test_create_user_queues_invitation_that_works_once(
    app, stab_client, post, csrf_token, make
) -> None:
    org = make.organisation(name="Diakonie")
    response = _create(post, organisation_id=str(org.id))
    assert response.status_code == 303
    user = db.session.scalars(select(User).where(User.email == "nina.neu@traeger.example")).one()
    assert (user.name, user.organisation_id, user.ist_stabsstelle, user.password_hash) == (
        "Nina Neu",
        org.id,
        False,
        None,
    )
    assert response.headers["Location"] == f"/stammdaten/benutzer/{user.id}"
    detail = stab_client.get(response.headers["Location"]).text
    assert (
        "Die Einladung geht an nina.neu@traeger.example." in detail and "Einladung offen" in detail
    )
    [mail] = _invitations(user.email)
    assert (
        mail.subject == "Einladung zur Plattform Sozialplanung"
        and mail.recipient_name == "Nina Neu"
    )
    path = _link_path(mail)

    visitor = app.test_client()
    form = visitor.get(path)
    assert form.status_code == 200 and "Willkommen, Nina Neu" in form.text
    accepted = _accept(visitor, csrf_token, path)
    assert accepted.status_code == 302 and accepted.headers["Location"] == "/anmelden"
    assert db.session.get(User, user.id).password_hash is not None

    second = visitor.get(path)
    assert second.status_code == 400
    assert (
        "Dieser Link wurde bereits verwendet." in second.text
        and "<h1>Link nicht verwendbar</h1>" in second.text
    )
    assert "Einladung offen" not in stab_client.get(f"/stammdaten/benutzer/{user.id}").text


def test_tampered_invitation_link_is_400(app, stab_client, post) -> None:
    _create(post)
    path = _link_path(_invitations("nina.neu@traeger.example")[0])
    response = app.test_client().get(path[:-4] + "abcd")
    assert response.status_code == 400
    assert "Dieser Link ist ungültig." in response.text


def test_expired_invitation_link_is_400(app, stab_client, post, monkeypatch) -> None:
    _create(post)
    path = _link_path(_invitations("nina.neu@traeger.example")[0])
    fifteen_days_later = int(time.time()) + app.config["INVITATION_MAX_AGE"] + 24 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: fifteen_days_later)
    response = app.test_client().get(path)
    assert response.status_code == 400
    assert "Dieser Link ist abgelaufen." in response.text


def test_link_of_a_deactivated_account_is_400(app, stab_client, post) -> None:
    _create(post)
    user = db.session.scalars(select(User).where(User.email == "nina.neu@traeger.example")).one()
    path = _link_path(_invitations(user.email)[0])
    assert post(f"/stammdaten/benutzer/{user.id}/deaktivieren").status_code == 303
    response = app.test_client().get(path)
    assert response.status_code == 400 and "nicht (mehr) aktiv" in response.text


def test_duplicate_and_invalid_email_are_refused(stab_client, post, make) -> None:
    make.user(email="vorhanden@test.example")
    users_before = db.session.scalar(select(func.count()).select_from(User))
    duplicate = _create(post, email="VORHANDEN@test.example")
    assert duplicate.status_code == 400
    assert "Für diese E-Mail-Adresse gibt es bereits ein Konto." in duplicate.text
    assert (
        'value="VORHANDEN@test.example"' in duplicate.text and 'value="Nina Neu"' in duplicate.text
    )
    invalid = _create(post, email="nina-at-example")
    assert (
        invalid.status_code == 400
        and "Bitte geben Sie eine gültige E-Mail-Adresse ein." in invalid.text
    )
    missing = _create(post, email="", name="")
    assert missing.status_code == 400
    assert "Bitte geben Sie eine E-Mail-Adresse ein." in missing.text
    assert "Bitte geben Sie den Namen der Person ein." in missing.text
    assert db.session.scalar(select(func.count()).select_from(User)) == users_before
    assert db.session.scalar(select(func.count()).select_from(Mail)) == 0


def test_create_stabsstelle_account(stab_client, post) -> None:
    assert _create(post, email="neu.stab@stadt.example", ist_stabsstelle="y").status_code == 303
    assert (
        db.session.scalars(select(User).where(User.email == "neu.stab@stadt.example"))
        .one()
        .ist_stabsstelle
    )


def test_resend_invitation_until_accepted(app, stab_client, post, csrf_token) -> None:
    _create(post)
    user = db.session.scalars(select(User).where(User.email == "nina.neu@traeger.example")).one()
    detail = f"/stammdaten/benutzer/{user.id}"
    assert "Einladung erneut senden" in stab_client.get(detail).text
    resent = post(f"/stammdaten/benutzer/{user.id}/einladen", form_url=detail)
    assert resent.status_code == 303
    first, second = _invitations(user.email)
    assert (
        "Die Einladung wurde erneut an nina.neu@traeger.example gesendet."
        in stab_client.get(detail).text
    )
    assert _accept(app.test_client(), csrf_token, _link_path(second)).status_code == 302
    # accepting one link uses up every link sent before
    assert app.test_client().get(_link_path(first)).status_code == 400
    refused = post(f"/stammdaten/benutzer/{user.id}/einladen", form_url=detail)
    assert refused.status_code == 303
    assert "Dieses Konto ist bereits aktiviert." in stab_client.get(detail).text
    assert len(_invitations(user.email)) == 2


def test_edit_name_organisation_and_role(stab_client, post, make) -> None:
    org = make.organisation(name="AWO")
    user = make.user(name="Alt Name")
    url = f"/stammdaten/benutzer/{user.id}/bearbeiten"
    assert 'value="Alt Name"' in stab_client.get(url).text
    response = post(
        url, {"name": "Neu Name", "organisation_id": str(org.id), "ist_stabsstelle": "y"}
    )
    assert response.status_code == 303
    user = db.session.get(User, user.id)
    assert (user.name, user.organisation_id, user.ist_stabsstelle) == ("Neu Name", org.id, True)
    bad = post(url, {"name": "", "organisation_id": "999999"})
    assert bad.status_code == 400
    assert "Bitte geben Sie den Namen der Person ein." in bad.text
    assert "Bitte wählen Sie einen Eintrag aus der Liste." in bad.text


def test_stabsstelle_cannot_remove_own_role_or_deactivate_itself(stab_client, post, stab) -> None:
    response = post(
        f"/stammdaten/benutzer/{stab.id}/bearbeiten",
        {"name": "Stefanie Stab", "organisation_id": ""},
    )
    assert response.status_code == 400
    assert "Sie können sich die Rolle Stabsstelle nicht selbst entziehen." in response.text
    refused = post(f"/stammdaten/benutzer/{stab.id}/deaktivieren")
    assert (
        refused.status_code == 409
        and "Sie können Ihr eigenes Konto nicht deaktivieren." in refused.text
    )
    me = db.session.get(User, stab.id)
    assert me.ist_stabsstelle and me.aktiv


def test_deactivate_user_ends_sessions_and_memberships_but_keeps_rows(
    app, stab_client, post, login, make
) -> None:
    person = make.user(name="Geht Bald")
    gremium = make.gremium()
    m = make.mitgliedschaft(gremium, person, Funktion.MODERATION)
    device = login(person, app.test_client())
    assert device.get("/start").status_code == 200
    url = f"/stammdaten/benutzer/{person.id}/deaktivieren"
    assert "Soll das Konto deaktiviert werden?" in stab_client.get(url).text
    assert post(url).status_code == 303
    assert device.get("/start").status_code == 302
    sessions = db.session.scalars(
        select(LoginSession).where(LoginSession.user_id == person.id)
    ).all()
    assert sessions and all(s.revoked_at is not None for s in sessions)
    assert db.session.get(User, person.id).aktiv is False
    assert db.session.get(Mitgliedschaft, m.id).aktiv is False
    listing = stab_client.get("/stammdaten/benutzer").text
    assert "Geht Bald" in listing and "deaktiviert" in listing
    assert "Frühere Mitglieder" in stab_client.get(f"/stammdaten/gremien/{gremium.id}").text
    assert post(f"/stammdaten/benutzer/{person.id}/reaktivieren").status_code == 303
    assert db.session.get(User, person.id).aktiv is True


def test_user_list_filters(stab_client, make) -> None:
    org = make.organisation(name="Caritas")
    make.user(name="Anna Aktiv", organisation=org)
    make.user(name="Emil Eingeladen", password=None)
    make.user(name="Dora Deaktiviert", aktiv=False)
    make.user(name="Sven Stab", stabsstelle=True)

    def names(query: str) -> set[str]:
        page = stab_client.get(f"/stammdaten/benutzer?{query}")
        assert page.status_code == 200
        return {
            n
            for n in ("Anna Aktiv", "Emil Eingeladen", "Dora Deaktiviert", "Sven Stab")
            if n in page.text
        }

    assert names("") == {"Anna Aktiv", "Emil Eingeladen", "Dora Deaktiviert", "Sven Stab"}
    assert names("status=eingeladen") == {"Emil Eingeladen"}
    assert names("status=deaktiviert") == {"Dora Deaktiviert"}
    assert names("status=stabsstelle") == {"Sven Stab"}
    assert names(f"organisation_id={org.id}") == {"Anna Aktiv"}
    assert names("q=EMIL") == {"Emil Eingeladen"}
    assert names("q=dora&status=aktiv") == set()


def test_user_list_bad_filter_is_400(stab_client) -> None:
    response = stab_client.get("/stammdaten/benutzer?status=geheim")
    assert response.status_code == 400
    assert "Bitte wählen Sie einen Eintrag aus der Liste." in response.text


def test_account_list_is_reused_per_filter_until_an_account_changes(
    stab_client, make, query_counter
) -> None:
    make.user(name="Zora Zwischen", email="zora@zwischen.example")
    with query_counter(zwischenspeicher=True):
        stab_client.get("/stammdaten/benutzer")
    with query_counter(zwischenspeicher=True) as cached:
        alle = stab_client.get("/stammdaten/benutzer").get_data(as_text=True)
    with query_counter() as uncached:
        stab_client.get("/stammdaten/benutzer")
    assert len(cached) < len(uncached), (cached, uncached)
    assert "Zora Zwischen" in alle
    with query_counter(zwischenspeicher=True):
        leer = stab_client.get("/stammdaten/benutzer?q=niemand").get_data(as_text=True)
    assert "Keine Konten gefunden." in leer and 'value="niemand"' in leer
    make.user(name="Xaver Neu", email="xaver@zwischen.example")
    db.session.commit()
    with query_counter(zwischenspeicher=True):
        assert "Xaver Neu" in stab_client.get("/stammdaten/benutzer").get_data(as_text=True)
