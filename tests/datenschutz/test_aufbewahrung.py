"""Retention: the nightly purge removes each kind after its period, keeps what is younger,
and reports what it removed in the audit log; the periods are a public page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.audit.context import privileged
from app.audit.models import Aktion, AuditEintrag
from app.audit.services import record_event
from app.auth.models import LoginSession
from app.benachrichtigungen.models import Benachrichtigung
from app.beteiligung.models import BogenStatus, RueckmeldungAntwort, RueckmeldungStatus
from app.core.types import utcnow
from app.datenbasis.models import Interview
from app.datenschutz.aufbewahrung import ENTFERNT_INTERVIEW, ENTFERNT_MAIL
from app.datenschutz.tasks import bereinigung
from app.extensions import db
from app.mail.models import Mail, MailStatus
from app.sitzungen.models import Einladung, SitzungGast

ALT = timedelta(days=4000)  # beyond every default period


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _mail(subject: str, created, status=MailStatus.SENT) -> None:
    db.session.add(
        Mail(
            recipient="a@b.example",
            subject=subject,
            body_text="Geheimer Inhalt",
            body_html="<p>Geheimer Inhalt</p>",
            status=status,
            message_id=f"<{subject}@x>",
            created_at=created,
        )
    )


def test_purge_removes_what_is_past_its_period_and_reports_it(ctx, make) -> None:
    now = utcnow()
    user = make.traeger_user()
    org = user.organisation
    db.session.add_all(
        [
            LoginSession(user_id=user.id, created_at=now - ALT, ip="10.0.0.1"),
            LoginSession(user_id=user.id, created_at=now),
            Benachrichtigung(user_id=user.id, text="alt", created_at=now - ALT),
            Benachrichtigung(user_id=user.id, text="neu", created_at=now),
            Interview(titel="Alt", datum=(now - ALT).date(), zusammenfassung="Notizen alt"),
            Interview(titel="Neu", datum=now.date(), zusammenfassung="Notizen neu"),
        ]
    )
    _mail("alt", now - ALT)
    _mail("neu", now)
    _mail("wartet", now - ALT, status=MailStatus.PENDING)
    record_event(Aktion.ANMELDUNG_FEHLGESCHLAGEN, hinweis="Fehlversuch")
    db.session.commit()
    with privileged():  # the log is append-only; the test ages an entry
        db.session.execute(
            AuditEintrag.__table__.update()
            .where(AuditEintrag.aktion == Aktion.ANMELDUNG_FEHLGESCHLAGEN)
            .values(zeitpunkt=now - ALT)
        )
    record_event(Aktion.ANMELDUNG_FEHLGESCHLAGEN, hinweis="Fehlversuch heute")
    # a past meeting with a guest, a future one with a guest
    alt_sitzung = make.vergangene_sitzung(make.gremium(), tage=400)
    neu_sitzung = make.sitzung()
    for sitzung in (alt_sitzung, neu_sitzung):
        db.session.add(
            SitzungGast(sitzung_id=sitzung.id, email="gast@privat.example", name="Gustav")
        )
        db.session.add(
            Einladung(
                sitzung_id=sitzung.id, email="gast@privat.example", name="Gustav Gast", gast=True
            )
        )
    # a closed form long ago: the draft's answers go, the submitted ones stay
    bogen = make.rueckmeldebogen(organisationen=[org, make.organisation()], veroeffentlicht=True)
    entwurf, eingereicht = bogen.rueckmeldungen
    frage = bogen.fragen[0]
    eingereicht.status = RueckmeldungStatus.EINGEREICHT
    for rm in (entwurf, eingereicht):
        db.session.add(RueckmeldungAntwort(rueckmeldung_id=rm.id, frage_id=frage.id, wert="x"))
    bogen.status, bogen.geschlossen_at = BogenStatus.GESCHLOSSEN, now - ALT
    db.session.commit()
    entwurf_id, eingereicht_id = entwurf.id, eingereicht.id

    counts = bereinigung()
    assert counts["anmeldungen"] == 2  # one session, one failed login
    assert counts["postausgang"] == 1 and counts["benachrichtigungen"] == 1
    assert counts["interviews"] == 1 and counts["entwuerfe"] == 1
    assert counts["gaeste"] == 2  # the guest row and the guest's invitation
    db.session.expire_all()
    assert _count(LoginSession) == 1
    assert [b.text for b in db.session.scalars(select(Benachrichtigung))] == ["neu"]
    mails = {m.subject: m for m in db.session.scalars(select(Mail))}
    assert mails["alt"].body_text == ENTFERNT_MAIL and mails["alt"].body_html is None
    assert mails["neu"].body_text == "Geheimer Inhalt"
    assert mails["wartet"].body_text == "Geheimer Inhalt"  # not sent yet: kept
    notes = {i.titel: i.zusammenfassung for i in db.session.scalars(select(Interview))}
    assert notes == {"Alt": ENTFERNT_INTERVIEW, "Neu": "Notizen neu"}
    assert _count(SitzungGast, SitzungGast.sitzung_id == alt_sitzung.id) == 0
    assert _count(SitzungGast, SitzungGast.sitzung_id == neu_sitzung.id) == 1
    assert _count(Einladung, Einladung.email == "gast@privat.example") == 1
    assert _count(RueckmeldungAntwort, RueckmeldungAntwort.rueckmeldung_id == entwurf_id) == 0
    assert _count(RueckmeldungAntwort, RueckmeldungAntwort.rueckmeldung_id == eingereicht_id) == 1
    fehl = db.session.scalars(
        select(AuditEintrag.hinweis).where(AuditEintrag.aktion == Aktion.ANMELDUNG_FEHLGESCHLAGEN)
    ).all()
    assert fehl == ["Fehlversuch heute"]

    [report] = db.session.scalars(
        select(AuditEintrag).where(AuditEintrag.aktion == Aktion.BEREINIGUNG)
    ).all()
    assert "Anmeldesitzungen und fehlgeschlagene Anmeldungen: 2" in report.hinweis
    assert report.aenderungen["postausgang"] == {"neu": 1}
    # nothing else was logged row by row
    assert _count(AuditEintrag, AuditEintrag.objekt_typ.in_(["Interview", "SitzungGast"])) <= 4

    again = bereinigung()
    assert sum(again.values()) == 0
    assert _count(AuditEintrag, AuditEintrag.aktion == Aktion.BEREINIGUNG) == 2


def test_the_periods_are_a_public_page(client, app) -> None:
    response = client.get("/datenschutz/loeschfristen")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Adressen von Gästen vergangener Sitzungen" in body
    assert f"{app.config['AUFBEWAHRUNG_ANMELDUNGEN_TAGE']} Tage" in body
    assert "/datenschutz/loeschfristen" in client.get("/datenschutz").get_data(as_text=True)


def test_the_purge_runs_nightly_by_beat(app) -> None:
    from celery.schedules import crontab

    entry = app.extensions["celery"].conf.beat_schedule["datenschutz-bereinigung"]
    assert entry["task"] == "datenschutz.bereinigung"
    assert isinstance(entry["schedule"], crontab)
    assert entry["schedule"].hour == {app.config["BEREINIGUNG_STUNDE"]}
