"""Retention (Art. 5 (1) e DSGVO): configured periods per kind of data, the nightly purge.

Each kind names its setting (days); the purge removes what is older, inside
``app.audit.context.paused()``, and records one audit event listing what it removed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, delete, or_, select, update

from app.audit.context import paused, privileged
from app.audit.models import Aktion, AuditEintrag
from app.audit.services import record_event
from app.auth.models import LoginSession
from app.benachrichtigungen.models import Benachrichtigung, Zusammenfassung
from app.beteiligung.models import (
    BogenStatus,
    Rueckmeldebogen,
    Rueckmeldung,
    RueckmeldungAntwort,
    RueckmeldungStatus,
)
from app.core.types import utcnow
from app.datenbasis.models import Interview
from app.datenschutz.models import Datenauskunft
from app.datenschutz.services import remove_file
from app.extensions import db
from app.mail.models import Mail, MailAttachment, MailStatus
from app.mail.services import remove_unused_inhalte
from app.sitzungen.models import Einladung, Sitzung, SitzungGast

ENTFERNT_MAIL = "(Inhalt nach Ablauf der Löschfrist entfernt)"
ENTFERNT_INTERVIEW = "(Notizen nach Ablauf der Löschfrist entfernt)"
GAST_EMAIL = "entfernt@gast.invalid"


@dataclass(frozen=True)
class Frist:
    """A kind of data, its setting and what happens after the period."""

    schluessel: str
    titel: str
    config: str
    was: str

    @property
    def tage(self) -> int:
        return int(current_app.config[self.config])


FRISTEN: tuple[Frist, ...] = (
    Frist(
        "anmeldungen",
        "Anmeldesitzungen und fehlgeschlagene Anmeldungen",
        "AUFBEWAHRUNG_ANMELDUNGEN_TAGE",
        "Sitzungsdaten (Gerät, IP-Adresse) und Einträge fehlgeschlagener Anmeldungen werden "
        "gelöscht; bei Anmeldungen im Änderungsprotokoll wird die IP-Adresse entfernt.",
    ),
    Frist(
        "postausgang",
        "Inhalte versendeter E-Mails (Postausgang)",
        "AUFBEWAHRUNG_POSTAUSGANG_TAGE",
        "Text und Anhänge versendeter oder endgültig fehlgeschlagener E-Mails werden gelöscht; "
        "Empfänger, Betreff und Versandzeit bleiben als Nachweis.",
    ),
    Frist(
        "benachrichtigungen",
        "Benachrichtigungen in der Plattform",
        "AUFBEWAHRUNG_BENACHRICHTIGUNGEN_TAGE",
        "Benachrichtigungen und Versandnachweise der Zusammenfassungen werden gelöscht.",
    ),
    Frist(
        "entwuerfe",
        "Nicht eingereichte Antworten geschlossener Rückmeldebögen",
        "AUFBEWAHRUNG_ENTWUERFE_TAGE",
        "Entwürfe, die bis zum Schluss des Bogens nicht eingereicht wurden, werden gelöscht "
        "(gezählt ab dem Schluss).",
    ),
    Frist(
        "gaeste",
        "Adressen von Gästen vergangener Sitzungen",
        "AUFBEWAHRUNG_GAESTE_TAGE",
        "Name und E-Mail-Adresse von Gästen werden gelöscht (gezählt ab dem Sitzungsende).",
    ),
    Frist(
        "interviews",
        "Notizen von Interviews der Datenbasis",
        "AUFBEWAHRUNG_INTERVIEWNOTIZEN_TAGE",
        "Die Zusammenfassung des Interviews wird gelöscht; Titel, Datum und Schlagworte "
        "bleiben (gezählt ab dem Interviewdatum).",
    ),
)


def fristen() -> list[Frist]:
    return list(FRISTEN)


def _vor(frist: str, now: datetime) -> datetime:
    return now - timedelta(days=int(current_app.config[frist]))


def _anmeldungen(grenze: datetime) -> int:
    sessions = db.session.execute(
        delete(LoginSession).where(LoginSession.created_at < grenze)
    ).rowcount
    with privileged():
        fehl = db.session.execute(
            delete(AuditEintrag)
            .where(
                AuditEintrag.aktion == Aktion.ANMELDUNG_FEHLGESCHLAGEN,
                AuditEintrag.zeitpunkt < grenze,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.execute(
            update(AuditEintrag)
            .where(
                AuditEintrag.aktion.in_([Aktion.ANMELDUNG, Aktion.ABMELDUNG]),
                AuditEintrag.zeitpunkt < grenze,
                AuditEintrag.ip.is_not(None),
            )
            .values(ip=None)
            .execution_options(synchronize_session=False)
        )
    return (sessions or 0) + (fehl or 0)


def _postausgang(grenze: datetime) -> int:
    alt = (
        Mail.status.in_([MailStatus.SENT, MailStatus.FAILED]),
        Mail.created_at < grenze,
        Mail.body_text != ENTFERNT_MAIL,
    )
    ids = list(db.session.scalars(select(Mail.id).where(*alt)))
    if not ids:
        return 0
    db.session.execute(delete(MailAttachment).where(MailAttachment.mail_id.in_(ids)))
    remove_unused_inhalte()
    db.session.execute(
        update(Mail)
        .where(Mail.id.in_(ids))
        .values(body_text=ENTFERNT_MAIL, body_html=None)
        .execution_options(synchronize_session=False)
    )
    return len(ids)


def _benachrichtigungen(grenze: datetime) -> int:
    count = db.session.execute(
        delete(Benachrichtigung).where(Benachrichtigung.created_at < grenze)
    ).rowcount
    db.session.execute(delete(Zusammenfassung).where(Zusammenfassung.created_at < grenze))
    return count or 0


def _entwuerfe(grenze: datetime) -> int:
    entwuerfe = (
        select(Rueckmeldung.id)
        .join(Rueckmeldebogen, Rueckmeldebogen.id == Rueckmeldung.bogen_id)
        .where(
            Rueckmeldebogen.status == BogenStatus.GESCHLOSSEN,
            Rueckmeldebogen.geschlossen_at < grenze,
            Rueckmeldung.status != RueckmeldungStatus.EINGEREICHT,
        )
    )
    return (
        db.session.execute(
            delete(RueckmeldungAntwort)
            .where(RueckmeldungAntwort.rueckmeldung_id.in_(entwuerfe))
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )


def _gaeste(grenze: datetime) -> int:
    vergangen = select(Sitzung.id).where(Sitzung.ende < grenze)
    count = db.session.execute(
        delete(SitzungGast)
        .where(SitzungGast.sitzung_id.in_(vergangen))
        .execution_options(synchronize_session=False)
    ).rowcount
    count += db.session.execute(
        update(Einladung)
        .where(
            Einladung.gast.is_(True),
            Einladung.sitzung_id.in_(vergangen),
            Einladung.email != GAST_EMAIL,
        )
        .values(email=GAST_EMAIL, name="Gast", vertretung_name=None, kommentar=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    return count or 0


def _interviews(grenze: datetime) -> int:
    return (
        db.session.execute(
            update(Interview)
            .where(
                or_(
                    Interview.datum < grenze.date(),
                    and_(Interview.datum.is_(None), Interview.created_at < grenze),
                ),
                Interview.zusammenfassung != ENTFERNT_INTERVIEW,
            )
            .values(zusammenfassung=ENTFERNT_INTERVIEW)
            .execution_options(synchronize_session=False)
        ).rowcount
        or 0
    )


def _auskuenfte(now: datetime) -> int:
    """Expired "Meine Daten" ZIPs (not a setting: their link's validity)."""
    rows = db.session.scalars(select(Datenauskunft).where(Datenauskunft.laeuft_ab_at < now)).all()
    for row in rows:
        remove_file(row)
        db.session.delete(row)
    return len(rows)


PURGES: dict[str, Callable[[datetime], int]] = {
    "anmeldungen": _anmeldungen,
    "postausgang": _postausgang,
    "benachrichtigungen": _benachrichtigungen,
    "entwuerfe": _entwuerfe,
    "gaeste": _gaeste,
    "interviews": _interviews,
}


def bereinigen(now: datetime | None = None) -> dict[str, int]:
    """Remove everything past its period (flushes); one audit event reports the counts."""
    now = now or utcnow()
    counts: dict[str, int] = {}
    with paused():
        for frist in FRISTEN:
            counts[frist.schluessel] = PURGES[frist.schluessel](_vor(frist.config, now))
        counts["datenauskuenfte"] = _auskuenfte(now)
        db.session.flush()
    titel = {f.schluessel: f.titel for f in FRISTEN} | {
        "datenauskuenfte": "Abgelaufene Datenauskünfte („Meine Daten“)"
    }
    teile = [f"{titel[k]}: {n}" for k, n in counts.items() if n]
    record_event(
        Aktion.BEREINIGUNG,
        hinweis="Entfernt – " + "; ".join(teile) if teile else "Nichts zu entfernen.",
        aenderungen={k: {"neu": n} for k, n in counts.items()},
    )
    return counts
