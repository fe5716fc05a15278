"""Notification settings: defaults per role, the settings page, the mail policy, unsubscribe."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.audit.models import AuditEintrag
from app.benachrichtigungen.arten import Rhythmus
from app.benachrichtigungen.einstellungen import abmelde_token, einstellungen, set_einstellungen
from app.benachrichtigungen.models import Benachrichtigungseinstellung
from app.extensions import db
from app.mail.models import Mail
from app.mail.services import build_message, queue_mail


def _mails_to(address: str) -> list[Mail]:
    return list(db.session.scalars(select(Mail).where(Mail.recipient == address)))


def test_defaults_differ_by_role(ctx, make) -> None:
    stab, traeger = make.stabsstelle(), make.traeger_user()
    assert einstellungen(stab)["protokolle"] == Rhythmus.SOFORT
    assert einstellungen(traeger)["protokolle"] == Rhythmus.WOECHENTLICH
    assert einstellungen(traeger)["aufgaben"] == Rhythmus.SOFORT


def test_settings_page_saves_a_weekly_digest_and_is_audited(client, login, make) -> None:
    user = make.traeger_user()
    login(user)
    page = client.get("/benachrichtigungen/einstellungen")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Immer sofort per E-Mail" in body and "Wöchentliche Zusammenfassung" in body
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)
    data = {
        "csrf_token": token,
        "art_zyklus": "woechentlich",
        "art_impulse": "aus",
        "art_protokolle": "woechentlich",
        "art_aufgaben": "sofort",
    }
    response = client.post("/benachrichtigungen/einstellungen", data=data)
    assert response.status_code == 303
    werte = einstellungen(user)
    assert werte["zyklus"] == Rhythmus.WOECHENTLICH and werte["impulse"] == Rhythmus.AUS
    entries = db.session.scalars(
        select(AuditEintrag).where(AuditEintrag.objekt_typ == "Benachrichtigungseinstellung")
    ).all()
    assert {e.aenderungen["rhythmus"]["neu"] for e in entries} == {"woechentlich", "aus"}
    assert all(e.akteur_id == user.id for e in entries)


def test_off_is_refused_where_not_allowed_and_input_is_kept(client, login, make) -> None:
    user = make.traeger_user()
    login(user)
    body = client.get("/benachrichtigungen/einstellungen").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)
    response = client.post(
        "/benachrichtigungen/einstellungen",
        data={
            "csrf_token": token,
            "art_zyklus": "taeglich",
            "art_impulse": "taeglich",
            "art_protokolle": "taeglich",
            "art_aufgaben": "aus",
        },
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Not a valid choice" not in body and "Bitte" in body
    assert re.search(r'value="taeglich"[^>]*checked|checked[^>]*value="taeglich"', body)
    assert db.session.scalar(select(func.count(Benachrichtigungseinstellung.id))) == 0


def test_settings_need_a_login(client) -> None:
    assert client.get("/benachrichtigungen/einstellungen").status_code in (302, 401)


def test_sofort_mails_carry_an_unsubscribe_link_and_header(ctx, make) -> None:
    user = make.stabsstelle(email="stab@hilden.example")
    mail = queue_mail(
        user.email, "Neue Phase", "mail/impuls_status", kind="zyklus.phasenwechsel", **_impuls(make)
    )
    assert mail is not None and mail.list_unsubscribe
    message = build_message(mail)
    assert message["List-Unsubscribe"] == f"<{mail.list_unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.list_unsubscribe in mail.body_text and "abbestellen" in mail.body_html


def test_essential_mails_have_no_unsubscribe_link(ctx, make) -> None:
    user = make.traeger_user()
    db.session.execute(
        Benachrichtigungseinstellung.__table__.insert(),
        [{"user_id": user.id, "art": "zyklus", "rhythmus": "aus", "updated_at": user.created_at}],
    )
    from app.auth.services import invite_user

    mail = invite_user(user)
    assert mail is not None and mail.list_unsubscribe is None
    assert "List-Unsubscribe" not in build_message(mail)


def test_digest_or_off_holds_the_mail_back_but_not_the_notification(ctx, make) -> None:
    from app.impulse.services import inform

    user = make.traeger_user(email="traeger@hilden.example")
    set_einstellungen(user, {"impulse": Rhythmus.TAEGLICH})
    impuls = make.impuls()
    inform(
        [user],
        "Neuer Status",
        "/impulse/1",
        kind="impuls.status",
        template="mail/impuls_status",
        impuls=impuls,
    )
    assert _mails_to(user.email) == []  # held back for the daily digest
    from app.benachrichtigungen.models import Benachrichtigung

    [row] = db.session.scalars(select(Benachrichtigung).where(Benachrichtigung.user_id == user.id))
    assert row.art == "impuls.status"


def _impuls(make) -> dict:
    return {"text": "Text", "link": "http://x/", "impuls": make.impuls()}


def test_unsubscribe_link_works_without_login_and_only_with_a_valid_signature(
    app, client, make
) -> None:
    user = make.stabsstelle()
    with app.app_context():
        token = abmelde_token(user.id, "zyklus")
        forged = abmelde_token(user.id + 1, "zyklus")[:-3] + token[-3:]
    page = client.get(f"/benachrichtigungen/abbestellen/{token}")
    assert page.status_code == 200 and "Planungszyklus" in page.get_data(as_text=True)
    assert einstellungen(user)["zyklus"] == Rhythmus.SOFORT  # GET changes nothing
    # RFC 8058 one-click: a POST without session or CSRF token
    done = client.post(
        f"/benachrichtigungen/abbestellen/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert done.status_code == 200
    db.session.expire_all()
    assert einstellungen(user)["zyklus"] == Rhythmus.AUS
    assert client.get(f"/benachrichtigungen/abbestellen/{token}x").status_code == 404
    assert client.get(f"/benachrichtigungen/abbestellen/{forged}").status_code == 404


def test_unsubscribing_from_deadlines_means_weekly_not_off(app, client, make) -> None:
    user = make.stabsstelle()
    with app.app_context():
        token = abmelde_token(user.id, "alle")
    client.post(f"/benachrichtigungen/abbestellen/{token}")
    db.session.expire_all()
    werte = einstellungen(user)
    assert werte["aufgaben"] == Rhythmus.WOECHENTLICH
    assert werte["zyklus"] == werte["impulse"] == werte["protokolle"] == Rhythmus.AUS


def test_settings_page_query_count_is_constant(client, login, make, query_counter) -> None:
    user = make.traeger_user()
    login(user)

    def count() -> int:
        with query_counter() as statements:
            assert client.get("/benachrichtigungen/einstellungen").status_code == 200
        return len(statements)

    few = count()
    set_einstellungen(user, {"zyklus": Rhythmus.TAEGLICH, "impulse": Rhythmus.AUS})
    db.session.commit()
    assert count() == few
