"""Addressees, publishing, invitation and reminder mails, closing and releasing results."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import case, select, update
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.benachrichtigungen.services import notify
from app.beteiligung.grundlagen import (
    MAX_ERINNERUNG_TAGE,
    BeteiligungError,
    external_url,
    require_entwurf,
)
from app.beteiligung.models import (
    BogenStatus,
    EreignisArt,
    Rueckmeldebogen,
    Rueckmeldung,
    RueckmeldungEreignis,
    RueckmeldungStatus,
)
from app.core.types import utcnow
from app.extensions import db
from app.mail.services import queue_mail
from app.stammdaten.models import Mitgliedschaft, Organisation

# --------------------------------------------------------------------------- addressees, publishing


def adressaten_ids(bogen: Rueckmeldebogen) -> set[int]:
    """Chosen organisations plus those represented in the Gremium (the Stabsstelle excluded)."""
    ids = {o.id for o in bogen.organisationen}
    if bogen.gremium_id is not None:
        ids |= set(
            db.session.scalars(
                select(Mitgliedschaft.organisation_id)
                .join(User, User.id == Mitgliedschaft.user_id)
                .where(
                    Mitgliedschaft.gremium_id == bogen.gremium_id,
                    Mitgliedschaft.aktiv,
                    Mitgliedschaft.organisation_id.is_not(None),
                    ~User.ist_stabsstelle,
                )
            )
        )
    return ids


def adressaten(bogen: Rueckmeldebogen) -> list[Organisation]:
    """The active addressed organisations, by name."""
    ids = adressaten_ids(bogen)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.id.in_(ids), Organisation.aktiv)
            .order_by(Organisation.name)
        )
    )


def sync_rueckmeldungen(bogen: Rueckmeldebogen) -> int:
    """One answer row per addressed organisation; existing rows are kept."""
    existing = set(
        db.session.scalars(
            select(Rueckmeldung.organisation_id).where(Rueckmeldung.bogen_id == bogen.id)
        )
    )
    neue = [o for o in adressaten(bogen) if o.id not in existing]
    for organisation in neue:
        db.session.add(Rueckmeldung(bogen_id=bogen.id, organisation_id=organisation.id))
    db.session.flush()
    return len(neue)


def publish_bogen(bogen: Rueckmeldebogen) -> int:
    """Publish: answer rows for every addressee, invitations when the form is open already."""
    require_entwurf(bogen)
    if not bogen.fragen:
        raise BeteiligungError("Der Bogen enthält noch keine Fragen.")
    if bogen.frist <= utcnow():
        raise BeteiligungError("Die Frist liegt in der Vergangenheit. Bitte passen Sie sie an.")
    if not adressaten(bogen):
        raise BeteiligungError(
            "Der Bogen hat keine Adressaten. Bitte wählen Sie ein Gremium oder Organisationen aus."
        )
    bogen.status, bogen.veroeffentlicht_at = BogenStatus.VEROEFFENTLICHT, utcnow()
    count = sync_rueckmeldungen(bogen)
    invite_due(bogen_id=bogen.id)
    return count


def kontaktpersonen(organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    """Active staff of each organisation: they receive invitations, reminders and notices."""
    ids = list(organisation_ids)
    result: dict[int, list[User]] = {i: [] for i in ids}
    if not ids:
        return result
    users = db.session.scalars(
        select(User)
        .where(User.organisation_id.in_(ids), User.aktiv, ~User.ist_stabsstelle)
        .order_by(User.name)
    )
    for user in users:
        result[user.organisation_id].append(user)  # type: ignore[index]
    return result


def _claim(column: Any, ids: list[int], *extra: Any) -> list[int]:
    """Set ``column`` to now on rows where it is still empty; the rows this call won."""
    if not ids:
        return []
    rows = db.session.execute(
        update(Rueckmeldung)
        .where(Rueckmeldung.id.in_(ids), column.is_(None), *extra)
        .values({column.key: utcnow()})
        .returning(Rueckmeldung.id)
        .execution_options(synchronize_session=False)
    )
    return [row[0] for row in rows]


def mail_rueckmeldungen(ids: list[int], subject: str, template: str, kind: str) -> int:
    """Queue one mail per contact person of each claimed answer row."""
    if not ids:
        return 0
    rows = db.session.scalars(
        select(Rueckmeldung)
        .options(selectinload(Rueckmeldung.bogen), selectinload(Rueckmeldung.organisation))
        .where(Rueckmeldung.id.in_(ids))
    ).all()
    kontakte = kontaktpersonen({r.organisation_id for r in rows})
    count = 0
    for rm in rows:
        link = external_url("beteiligung.ausfuellen", bogen_id=rm.bogen_id)
        notify(
            [user.id for user in kontakte[rm.organisation_id]],
            subject.format(titel=rm.bogen.titel),
            urlsplit(link).path,
            art=kind,
        )
        for user in kontakte[rm.organisation_id]:
            queue_mail(
                user.email,
                subject.format(titel=rm.bogen.titel),
                template,
                recipient_name=user.name,
                kind=kind,
                bogen=rm.bogen,
                organisation=rm.organisation,
                link=link,
                user=user,
                frist=rm.frist,
            )
            count += 1
    return count


def invite_due(now: datetime | None = None, bogen_id: int | None = None) -> int:
    """Invite the addressees of published forms that have opened; each organisation once."""
    now = now or utcnow()
    query = (
        select(Rueckmeldung.id)
        .join(Rueckmeldebogen)
        .where(
            Rueckmeldebogen.status == BogenStatus.VEROEFFENTLICHT,
            Rueckmeldebogen.oeffnet_am <= now,
            Rueckmeldebogen.frist > now,
            Rueckmeldung.eingeladen_at.is_(None),
        )
    )
    if bogen_id is not None:
        query = query.where(Rueckmeldung.bogen_id == bogen_id)
    won = _claim(Rueckmeldung.eingeladen_at, list(db.session.scalars(query)))
    return mail_rueckmeldungen(
        won,
        "Bitte um Rückmeldung: {titel}",
        "mail/rueckmeldung_einladung",
        "rueckmeldung.einladung",
    )


def remind_non_submitters(now: datetime | None = None) -> int:
    """A reminder shortly before each organisation's deadline (its own, if extended), once."""
    now = now or utcnow()
    frist = frist_spalte()
    candidates = db.session.execute(
        select(Rueckmeldung.id, frist, Rueckmeldebogen.erinnerung_tage)
        .join(Rueckmeldebogen)
        .where(
            Rueckmeldebogen.status != BogenStatus.ENTWURF,
            Rueckmeldebogen.veroeffentlicht_at.is_not(None),
            frist > now,
            frist <= now + timedelta(days=MAX_ERINNERUNG_TAGE),
            Rueckmeldebogen.erinnerung_tage > 0,
            Rueckmeldebogen.oeffnet_am <= now,
            Rueckmeldung.status != RueckmeldungStatus.EINGEREICHT,
            Rueckmeldung.erinnert_at.is_(None),
        )
    ).all()
    due = [rid for rid, frist, tage in candidates if frist - timedelta(days=tage) <= now]
    won = _claim(
        Rueckmeldung.erinnert_at, due, Rueckmeldung.status != RueckmeldungStatus.EINGEREICHT
    )
    db.session.add_all(  # in the answer's history, next to reminders by hand
        RueckmeldungEreignis(
            rueckmeldung_id=rm_id, art=EreignisArt.ERINNERT, grund="Erinnerung vor der Frist"
        )
        for rm_id in won
    )
    return mail_rueckmeldungen(
        won,
        "Erinnerung: Rückmeldung zu {titel}",
        "mail/rueckmeldung_erinnerung",
        "rueckmeldung.erinnerung",
    )


def frist_spalte() -> Any:
    """SQL for an answer's deadline: the organisation's extension if later than the form's."""
    return case(
        (
            Rueckmeldung.frist_verlaengert_bis > Rueckmeldebogen.frist,
            Rueckmeldung.frist_verlaengert_bis,
        ),
        else_=Rueckmeldebogen.frist,
    )


def close_due(now: datetime | None = None) -> list[int]:
    """Close published forms whose deadline has passed; returns their ids."""
    now = now or utcnow()
    rows = db.session.execute(
        update(Rueckmeldebogen)
        .where(Rueckmeldebogen.status == BogenStatus.VEROEFFENTLICHT, Rueckmeldebogen.frist <= now)
        .values(status=BogenStatus.GESCHLOSSEN, geschlossen_at=now)
        .returning(Rueckmeldebogen.id)
        .execution_options(synchronize_session=False)
    )
    return [row[0] for row in rows]


def release_results(bogen: Rueckmeldebogen) -> None:
    """Make the results visible to the Planungsrunde."""
    if bogen.status == BogenStatus.ENTWURF:
        raise BeteiligungError(
            "Ergebnisse eines unveröffentlichten Bogens können nicht freigegeben werden."
        )
    bogen.ergebnisse_freigegeben_at = bogen.ergebnisse_freigegeben_at or utcnow()
