"""Per-organisation deadlines: extension requests, input that arrives late, "jetzt erinnern".

An organisation's deadline is ``Rueckmeldung.frist`` (the form's, or a later one the
Stabsstelle granted in ``frist_verlaengert_bis``); ``permissions.editable``, the reminders,
the start page and the cycle guard read it. Nothing typed is lost at the deadline: a save or
submission that arrives late is stored as a draft (``save_nach_frist``) and the Träger can ask
for more time right there. Everything flushes, nothing commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update

from app.auth.models import User
from app.beteiligung import anfragen, services, versand
from app.beteiligung.models import (
    AnfrageArt,
    BogenStatus,
    EreignisArt,
    Rueckmeldebogen,
    Rueckmeldung,
    RueckmeldungAnfrage,
    RueckmeldungStatus,
)
from app.beteiligung.services import BeteiligungError
from app.core.i18n import datumzeit
from app.core.types import utcnow
from app.extensions import db

BERLIN = ZoneInfo("Europe/Berlin")


# --------------------------------------------------------------------------- extensions


def request_verlaengerung(
    rm: Rueckmeldung, grund: str | None, gewuenschte_frist: datetime | None, user: User
) -> RueckmeldungAnfrage:
    """A Träger asks for more time (before or after the deadline), with a reason."""
    if rm.eingereicht:
        raise BeteiligungError(
            "Diese Rückmeldung ist bereits eingereicht. Möchten Sie etwas ändern, fragen Sie "
            "bitte eine Korrektur an."
        )
    if rm.bogen.veroeffentlicht_at is None:
        raise BeteiligungError("Der Rückmeldebogen ist noch nicht veröffentlicht.")
    text = anfragen.clean_text(grund, "Bitte geben Sie an, warum Sie mehr Zeit benötigen.", "grund")
    if gewuenschte_frist is not None and gewuenschte_frist <= utcnow():
        raise BeteiligungError(
            "Die gewünschte Frist muss in der Zukunft liegen.", "gewuenschte_frist"
        )
    return anfragen.open_anfrage(rm, AnfrageArt.FRISTVERLAENGERUNG, text, user, gewuenschte_frist)


def set_frist(rm: Rueckmeldung, neue_frist: datetime | None, user: User, hinweis: str | None):
    """Give one organisation a later deadline; its reminder is due again before it."""
    if rm.eingereicht:
        raise BeteiligungError(
            "Die Rückmeldung ist bereits eingereicht; eine neue Frist ist nicht mehr nötig. "
            "Lehnen Sie eine offene Anfrage bei Bedarf mit diesem Hinweis ab."
        )
    if neue_frist is None:
        raise BeteiligungError("Bitte geben Sie die neue Frist an.", "neue_frist")
    bisher = rm.frist
    if neue_frist <= utcnow():
        raise BeteiligungError("Die neue Frist muss in der Zukunft liegen.", "neue_frist")
    if neue_frist <= bisher:
        raise BeteiligungError(
            f"Die neue Frist muss nach der bisherigen Frist ({datumzeit(bisher)} Uhr) liegen.",
            "neue_frist",
        )
    rm.frist_verlaengert_bis = neue_frist
    rm.erinnert_at = None
    grund = f"Neue Frist für {rm.organisation.name}: {datumzeit(neue_frist)} Uhr"
    if hinweis:
        grund += f"\n{hinweis}"
    anfragen.ereignis(rm, EreignisArt.FRIST_VERLAENGERT, user, grund)
    anfragen.tell_organisation(
        rm,
        f"Frist verlängert bis {datumzeit(neue_frist)} Uhr: {rm.bogen.titel}",
        template="mail/rueckmeldung_anfrage_entschieden",
        kind="rueckmeldung.frist_verlaengert",
        kommentar=hinweis,
        neue_frist=neue_frist,
        ausfuellen=services.external_url("beteiligung.ausfuellen", bogen_id=rm.bogen_id),
    )
    db.session.flush()


def grant_verlaengerung(
    anfrage: RueckmeldungAnfrage, user: User, neue_frist: datetime | None, kommentar: str | None
) -> None:
    """Grant a requested extension with the deadline the Stabsstelle chose."""
    _check(anfrage)
    anfrage.neue_frist = neue_frist
    set_frist(anfrage.rueckmeldung, neue_frist, user, (kommentar or "").strip() or None)
    anfragen.decide(anfrage, user, gewaehrt=True, kommentar=kommentar)


def decline_verlaengerung(anfrage: RueckmeldungAnfrage, user: User, kommentar: str | None) -> None:
    """Keep the deadline; the organisation sees the Stabsstelle's comment."""
    _check(anfrage)
    anfragen.decline(
        anfrage,
        user,
        kommentar,
        art=EreignisArt.FRIST_ABGELEHNT,
        betreff="Fristverlängerung abgelehnt",
        kind="rueckmeldung.frist_abgelehnt",
    )


def _check(anfrage: RueckmeldungAnfrage) -> None:
    if anfrage.art != AnfrageArt.FRISTVERLAENGERUNG:
        raise BeteiligungError("Diese Anfrage ist keine Anfrage auf Fristverlängerung.")


# --------------------------------------------------------------------------- late input


def save_nach_frist(
    rm: Rueckmeldung, clean: Mapping[int, Any], user: User, version: int, *, einreichen: bool
) -> None:
    """Keep what arrived after the deadline as a draft, with a history entry (not submitted)."""
    services.save_rueckmeldung(rm, clean, user, version)
    namen = services.dateinamen(rm.id)
    snapshot = [
        {"abschnitt": titel, "frage_id": f.id, "frage": f.text, "antwort": text}
        for titel, fragen in services.antwort_liste(rm.bogen, clean, namen)
        for f, text in fragen
    ]
    was = "Einreichen" if einreichen else "Speichern"
    anfragen.ereignis(
        rm,
        EreignisArt.NACH_FRIST_GESPEICHERT,
        user,
        f"{was} nach Fristende ({datumzeit(rm.frist)} Uhr); als Entwurf gespeichert.",
        snapshot,
    )
    db.session.flush()


# --------------------------------------------------------------------------- jetzt erinnern


def _heute_beginn(now: datetime) -> datetime:
    """Midnight of today in Berlin, as UTC: reminders by hand once per calendar day."""
    local = now.astimezone(BERLIN)
    return datetime.combine(local.date(), time(0), tzinfo=BERLIN).astimezone(now.tzinfo)


def erinnerbar(bogen_id: int, now: datetime | None = None) -> list[int]:
    """Answers that can still be submitted and are not: whom "jetzt erinnern" reaches."""
    now = now or utcnow()
    frist = versand.frist_spalte()
    return list(
        db.session.scalars(
            select(Rueckmeldung.id)
            .join(Rueckmeldebogen)
            .where(
                Rueckmeldung.bogen_id == bogen_id,
                Rueckmeldebogen.status != BogenStatus.ENTWURF,
                Rueckmeldebogen.oeffnet_am <= now,
                Rueckmeldung.status != RueckmeldungStatus.EINGEREICHT,
                or_(frist > now, Rueckmeldung.wiedereroeffnet_at.is_not(None)),
            )
            .order_by(Rueckmeldung.id)
        )
    )


def heute_erinnert(bogen: Rueckmeldebogen, now: datetime | None = None) -> bool:
    """Whether someone reminded by hand today already."""
    now = now or utcnow()
    return bogen.manuell_erinnert_at is not None and bogen.manuell_erinnert_at >= _heute_beginn(now)


def remind_now(bogen: Rueckmeldebogen, user: User, now: datetime | None = None) -> int:
    """Remind every organisation that has not submitted; at most once per day per form."""
    now = now or utcnow()
    ids = erinnerbar(bogen.id, now)
    if not ids:
        raise BeteiligungError(
            "Es gibt niemanden zu erinnern: alle Organisationen haben eingereicht oder ihre "
            "Frist ist abgelaufen."
        )
    won = db.session.execute(
        update(Rueckmeldebogen)
        .where(
            Rueckmeldebogen.id == bogen.id,
            or_(
                Rueckmeldebogen.manuell_erinnert_at.is_(None),
                Rueckmeldebogen.manuell_erinnert_at < _heute_beginn(now),
            ),
        )
        .values(manuell_erinnert_at=now)
        .returning(Rueckmeldebogen.id)
        .execution_options(synchronize_session=False)
    ).first()
    if won is None:
        raise BeteiligungError(
            "Heute wurde bereits an diesen Rückmeldebogen erinnert. Eine weitere Erinnerung "
            "ist ab morgen möglich."
        )
    bogen.manuell_erinnert_at = now
    rows = db.session.scalars(select(Rueckmeldung).where(Rueckmeldung.id.in_(ids))).all()
    for rm in rows:
        anfragen.ereignis(rm, EreignisArt.ERINNERT, user, "Erinnerung durch die Stabsstelle")
    versand.mail_rueckmeldungen(
        ids,
        "Erinnerung: Rückmeldung zu {titel}",
        "mail/rueckmeldung_erinnerung",
        "rueckmeldung.erinnerung.manuell",
    )
    db.session.flush()
    return len(ids)
