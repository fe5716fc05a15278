"""Filling in an answer: drafts, attachments, submitting, reopening, and the open forms of a user."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.benachrichtigungen.services import notify
from app.beteiligung.antworten import anzeige, clean_from_rows, rows_for
from app.beteiligung.grundlagen import BeteiligungError, VersionKonflikt, external_url, sozialraeume
from app.beteiligung.models import (
    BogenAbschnitt,
    BogenFrage,
    BogenStatus,
    EreignisArt,
    FrageTyp,
    Rueckmeldebogen,
    Rueckmeldung,
    RueckmeldungAnhang,
    RueckmeldungEreignis,
    RueckmeldungStatus,
)
from app.beteiligung.versand import kontaktpersonen
from app.core.types import utcnow
from app.dateien.models import Datei
from app.extensions import db
from app.mail.services import queue_mail
from app.stammdaten.models import Sozialraum

# --------------------------------------------------------------------------- answering


def rueckmeldung_for(
    bogen_id: int, organisation_id: int | None, *, lock: bool = False
) -> Rueckmeldung | None:
    """The organisation's answer row for a form (row-locked for a save)."""
    if organisation_id is None:
        return None
    query = select(Rueckmeldung).where(
        Rueckmeldung.bogen_id == bogen_id, Rueckmeldung.organisation_id == organisation_id
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return db.session.scalar(query)


def load_bogen(bogen_id: int) -> Rueckmeldebogen | None:
    """A form with its sections and questions in two queries."""
    return db.session.scalar(
        select(Rueckmeldebogen)
        .options(selectinload(Rueckmeldebogen.abschnitte).selectinload(BogenAbschnitt.fragen))
        .where(Rueckmeldebogen.id == bogen_id)
    )


def dateinamen(rueckmeldung_id: int) -> dict[int, str]:
    """Attachment ids of one answer and their file names."""
    return dict(
        db.session.execute(
            select(RueckmeldungAnhang.id, Datei.original_name)
            .join(Datei, Datei.id == RueckmeldungAnhang.datei_id)
            .where(RueckmeldungAnhang.rueckmeldung_id == rueckmeldung_id)
        ).all()
    )


def store_anhang(rm: Rueckmeldung, datei: Datei) -> RueckmeldungAnhang:
    """Tie a stored upload to the answer it belongs to."""
    anhang = RueckmeldungAnhang(rueckmeldung_id=rm.id, datei_id=datei.id)
    db.session.add(anhang)
    db.session.flush()
    return anhang


def current_clean(rm: Rueckmeldung) -> dict[int, Any]:
    """The stored answers as clean values per question."""
    return clean_from_rows(rm.antworten)


def save_rueckmeldung(
    rm: Rueckmeldung,
    clean: Mapping[int, Any],
    user: User,
    version: int,
    *,
    einreichen: bool = False,
    raeume: list[Sozialraum] | None = None,
) -> None:
    """Store the answers as a draft (or submit); refuses stale versions and submitted answers."""
    if rm.eingereicht:
        raise BeteiligungError(
            "Diese Rückmeldung ist bereits eingereicht und kann nicht mehr geändert werden."
        )
    if rm.version != version:
        raise VersionKonflikt(rm)
    has_files = any(f.typ == FrageTyp.DATEI for f in rm.bogen.fragen)
    namen = dateinamen(rm.id) if has_files else {}
    _replace_answers(rm, clean, namen)
    now = utcnow()
    rm.version += 1
    rm.status, rm.bearbeitet_at, rm.bearbeitet_von_id = RueckmeldungStatus.ENTWURF, now, user.id
    if einreichen:
        _submit(rm, clean, user, namen, raeume if raeume is not None else sozialraeume())
    db.session.flush()


def _replace_answers(rm: Rueckmeldung, clean: Mapping[int, Any], namen: Mapping[int, str]) -> None:
    """Update rows in place (their ids stay, impulses keep their source), add and drop the rest."""
    existing = {(a.frage_id, a.sozialraum_id): a for a in rm.antworten}
    keep: set[tuple[int, int | None]] = set()
    for frage in rm.bogen.fragen:
        if frage.id not in clean:
            continue
        for row in rows_for(frage, clean[frage.id], namen):
            key = (row.frage_id, row.sozialraum_id)
            keep.add(key)
            if key in existing:
                existing[key].wert, existing[key].anhang_id = row.wert, row.anhang_id
            else:
                rm.antworten.append(row)
    for key, antwort in existing.items():
        if key not in keep:
            rm.antworten.remove(antwort)


def antwort_liste(
    bogen: Rueckmeldebogen,
    clean: Mapping[int, Any],
    namen: Mapping[int, str],
    raeume: list[Sozialraum] | None = None,
) -> list[tuple[str, list[tuple[BogenFrage, str]]]]:
    """Sections with their questions and the answers as text (receipt, history)."""
    namen_raeume = {s.id: s.name for s in (raeume if raeume is not None else sozialraeume())}
    return [
        (a.titel, [(f, anzeige(f, clean.get(f.id), namen_raeume, namen)) for f in a.fragen])
        for a in bogen.abschnitte
    ]


def _submit(
    rm: Rueckmeldung,
    clean: Mapping[int, Any],
    user: User,
    namen: Mapping[int, str],
    raeume: list[Sozialraum],
) -> None:
    """Make the answer final, keep a snapshot in the history and mail the receipt."""
    rm.status, rm.eingereicht_at, rm.eingereicht_von_id = (
        RueckmeldungStatus.EINGEREICHT,
        utcnow(),
        user.id,
    )
    liste = antwort_liste(rm.bogen, clean, namen, raeume)
    snapshot = [
        {"abschnitt": titel, "frage_id": f.id, "frage": f.text, "antwort": text}
        for titel, fragen in liste
        for f, text in fragen
    ]
    db.session.add(
        RueckmeldungEreignis(
            rueckmeldung_id=rm.id, art=EreignisArt.EINGEREICHT, user_id=user.id, antworten=snapshot
        )
    )
    queue_mail(
        user.email,
        f"Eingangsbestätigung: {rm.bogen.titel}",
        "mail/rueckmeldung_quittung",
        recipient_name=user.name,
        kind="rueckmeldung.quittung",
        bogen=rm.bogen,
        organisation=rm.organisation,
        rueckmeldung=rm,
        liste=liste,
        user=user,
        link=external_url("beteiligung.rueckmeldung", rueckmeldung_id=rm.id),
    )


def reopen_rueckmeldung(rm: Rueckmeldung, grund: str, user: User) -> None:
    """The Stabsstelle reopens a submitted answer with a reason; the organisation is told."""
    if not rm.eingereicht:
        raise BeteiligungError("Nur eingereichte Rückmeldungen können wieder geöffnet werden.")
    grund = (grund or "").strip()
    if not grund:
        raise BeteiligungError("Bitte geben Sie einen Grund an.", "grund")
    rm.status, rm.wiedereroeffnet_at, rm.version = (
        RueckmeldungStatus.ENTWURF,
        utcnow(),
        rm.version + 1,
    )
    db.session.add(
        RueckmeldungEreignis(
            rueckmeldung_id=rm.id, art=EreignisArt.WIEDEREROEFFNET, grund=grund, user_id=user.id
        )
    )
    link = external_url("beteiligung.ausfuellen", bogen_id=rm.bogen_id)
    kontakte = kontaktpersonen([rm.organisation_id])[rm.organisation_id]
    notify(
        [k.id for k in kontakte],
        f"Rückmeldung wieder geöffnet: {rm.bogen.titel}",
        urlsplit(link).path,
        art="rueckmeldung.wiedereroeffnet",
    )
    for kontakt in kontakte:
        queue_mail(
            kontakt.email,
            f"Rückmeldung wieder geöffnet: {rm.bogen.titel}",
            "mail/rueckmeldung_wiedereroeffnet",
            recipient_name=kontakt.name,
            kind="rueckmeldung.wiedereroeffnet",
            bogen=rm.bogen,
            grund=grund,
            link=link,
        )
    db.session.flush()


# --------------------------------------------------------------------------- lists and impulses


def offene_rueckmeldungen(user: User) -> list[Rueckmeldung]:
    """The forms addressed to the user's organisation that are open or were answered."""
    if user.organisation_id is None:
        return []
    return list(
        db.session.scalars(
            select(Rueckmeldung)
            .join(Rueckmeldebogen)
            .options(selectinload(Rueckmeldung.bogen), selectinload(Rueckmeldung.bearbeitet_von))
            .where(
                Rueckmeldung.organisation_id == user.organisation_id,
                Rueckmeldebogen.status != BogenStatus.ENTWURF,
                Rueckmeldebogen.oeffnet_am <= utcnow(),
            )
            .order_by(Rueckmeldebogen.frist.desc())
        )
    )
