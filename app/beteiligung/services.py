"""Rückmeldebogen operations: build, publish, save drafts, submit, reopen, remind, close.

They flush, never commit; the view (or task) commits once. Refusals raise ``BeteiligungError``
with a German message; a concurrent edit raises ``VersionKonflikt``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.beteiligung import zyklus as _zyklus  # noqa: F401  (registers the cycle guard)
from app.beteiligung.antworten import anzeige, clean_from_rows, rows_for
from app.beteiligung.models import (
    BogenAbschnitt,
    BogenFrage,
    BogenStatus,
    EreignisArt,
    FrageTyp,
    Rueckmeldebogen,
    Rueckmeldung,
    RueckmeldungAnhang,
    RueckmeldungAntwort,
    RueckmeldungEreignis,
    RueckmeldungStatus,
)
from app.core.types import utcnow
from app.dateien.models import Datei
from app.extensions import db
from app.mail.services import queue_mail
from app.stammdaten.models import Mitgliedschaft, Organisation, Sozialraum

MAX_ERINNERUNG_TAGE = 30
BOGEN_FELDER = (
    "titel",
    "einleitung",
    "oeffnet_am",
    "frist",
    "erinnerung_tage",
    "gremium_id",
    "zyklus_id",
    "phase",
    "strang_id",
)
FRAGE_FELDER = (
    "typ",
    "text",
    "hilfetext",
    "pflicht",
    "optionen",
    "skala_min_label",
    "skala_max_label",
    "zahl_min",
    "zahl_max",
)


class BeteiligungError(ValueError):
    """A refused change; ``message`` is German, ``field`` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class VersionKonflikt(Exception):
    """Someone else saved the answer since the user loaded it."""

    def __init__(self, rueckmeldung: Rueckmeldung) -> None:
        super().__init__("Die Rückmeldung wurde inzwischen geändert.")
        self.rueckmeldung = rueckmeldung


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link for mails, also from the worker (no request there)."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context():
        return base + url_for(endpoint, **values)


def sozialraeume() -> list[Sozialraum]:
    """The active Sozialräume in their order: the rows of every matrix question."""
    return list(
        db.session.scalars(select(Sozialraum).where(Sozialraum.aktiv).order_by(Sozialraum.nummer))
    )


# --------------------------------------------------------------------------- builder


def require_entwurf(bogen: Rueckmeldebogen) -> None:
    """Questions and sections change only before publishing, so answers keep their meaning."""
    if bogen.status != BogenStatus.ENTWURF:
        raise BeteiligungError(
            "Der Bogen ist bereits veröffentlicht; Abschnitte und Fragen können nicht mehr "
            "geändert werden. Legen Sie bei Bedarf eine Kopie an."
        )


def _bogen_werte(data: Mapping[str, Any]) -> dict[str, Any]:
    """The form's columns; a track's Gremium becomes the addressee when none was chosen."""
    values = {k: data.get(k) for k in BOGEN_FELDER}
    if values["gremium_id"] is None and data.get("strang_gremium_id"):
        values["gremium_id"] = data["strang_gremium_id"]
    return values


def _check_dates(oeffnet_am: datetime, frist: datetime) -> None:
    if frist <= oeffnet_am:
        raise BeteiligungError("Die Frist muss nach dem Öffnungszeitpunkt liegen.", "frist")


def create_bogen(user: User, organisation_ids: Iterable[int], **data: Any) -> Rueckmeldebogen:
    """A new form in preparation with its addressees."""
    _check_dates(data["oeffnet_am"], data["frist"])
    bogen = Rueckmeldebogen(
        erstellt_von_id=user.id, status=BogenStatus.ENTWURF, **_bogen_werte(data)
    )
    bogen.organisationen = _organisationen(organisation_ids)
    db.session.add(bogen)
    db.session.flush()
    return bogen


def _organisationen(ids: Iterable[int]) -> list[Organisation]:
    ids = list(ids)
    if not ids:
        return []
    return list(db.session.scalars(select(Organisation).where(Organisation.id.in_(ids))))


def update_bogen(bogen: Rueckmeldebogen, organisation_ids: Iterable[int], **data: Any) -> None:
    """Change title, dates and addressees; after publishing addressees can only be added."""
    _check_dates(data["oeffnet_am"], data["frist"])
    for key, value in _bogen_werte(data).items():
        setattr(bogen, key, value)
    chosen = _organisationen(organisation_ids)
    if bogen.status == BogenStatus.ENTWURF:
        bogen.organisationen = chosen
        return
    bogen.organisationen = list({o.id: o for o in [*bogen.organisationen, *chosen]}.values())
    if bogen.status == BogenStatus.GESCHLOSSEN and bogen.frist > utcnow():
        bogen.status, bogen.geschlossen_at = BogenStatus.VEROEFFENTLICHT, None
    db.session.flush()
    sync_rueckmeldungen(bogen)
    invite_due(bogen_id=bogen.id)


def add_abschnitt(bogen: Rueckmeldebogen, titel: str, beschreibung: str | None) -> BogenAbschnitt:
    """Append a section."""
    require_entwurf(bogen)
    position = max((a.position for a in bogen.abschnitte), default=0) + 1
    abschnitt = BogenAbschnitt(titel=titel, beschreibung=beschreibung, position=position)
    bogen.abschnitte.append(abschnitt)
    db.session.flush()
    return abschnitt


def update_abschnitt(abschnitt: BogenAbschnitt, titel: str, beschreibung: str | None) -> None:
    """Rename a section or change its text."""
    require_entwurf(abschnitt.bogen)
    abschnitt.titel, abschnitt.beschreibung = titel, beschreibung


def delete_abschnitt(abschnitt: BogenAbschnitt) -> None:
    """Remove a section with its questions."""
    require_entwurf(abschnitt.bogen)
    abschnitt.bogen.abschnitte.remove(abschnitt)
    db.session.flush()


def _check_frage(data: Mapping[str, Any]) -> None:
    typ: FrageTyp = data["typ"]
    optionen = data.get("optionen") or []
    if typ in (FrageTyp.EINFACHAUSWAHL, FrageTyp.MEHRFACHAUSWAHL) and len(optionen) < 2:
        raise BeteiligungError(
            "Bitte geben Sie mindestens zwei Antwortmöglichkeiten an.", "optionen"
        )
    if len(set(optionen)) != len(optionen):
        raise BeteiligungError("Jede Antwortmöglichkeit darf nur einmal vorkommen.", "optionen")
    low, high = data.get("zahl_min"), data.get("zahl_max")
    if low is not None and high is not None and low > high:
        raise BeteiligungError(
            "Der kleinste Wert darf nicht größer als der größte sein.", "zahl_max"
        )


def _frage_werte(data: Mapping[str, Any]) -> dict[str, Any]:
    """Only the settings that matter for the question's type."""
    typ: FrageTyp = data["typ"]
    values = {k: data.get(k) for k in FRAGE_FELDER}
    values["pflicht"] = bool(values["pflicht"])
    values["optionen"] = list(data.get("optionen") or []) if typ.hat_optionen else []
    if typ != FrageTyp.SKALA:
        values["skala_min_label"] = values["skala_max_label"] = None
    if typ != FrageTyp.ZAHL:
        values["zahl_min"] = values["zahl_max"] = None
    return values


def add_frage(abschnitt: BogenAbschnitt, **data: Any) -> BogenFrage:
    """Append a question to a section."""
    require_entwurf(abschnitt.bogen)
    _check_frage(data)
    position = max((f.position for f in abschnitt.fragen), default=0) + 1
    frage = BogenFrage(position=position, **_frage_werte(data))
    abschnitt.fragen.append(frage)
    db.session.flush()
    return frage


def update_frage(frage: BogenFrage, **data: Any) -> None:
    """Change a question's text, type and settings."""
    require_entwurf(frage.abschnitt.bogen)
    _check_frage(data)
    for key, value in _frage_werte(data).items():
        setattr(frage, key, value)


def delete_frage(frage: BogenFrage) -> None:
    """Remove a question."""
    require_entwurf(frage.abschnitt.bogen)
    frage.abschnitt.fragen.remove(frage)
    db.session.flush()


def move_frage(frage: BogenFrage, richtung: int) -> None:
    """Swap a question with its neighbour (-1 up, +1 down) within its section."""
    require_entwurf(frage.abschnitt.bogen)
    fragen = frage.abschnitt.fragen
    index = fragen.index(frage)
    other = index + richtung
    if 0 <= other < len(fragen):
        fragen[index].position, fragen[other].position = (
            fragen[other].position,
            fragen[index].position,
        )
        fragen.sort(key=lambda f: f.position)
    db.session.flush()


def copy_bogen(bogen: Rueckmeldebogen, user: User) -> Rueckmeldebogen:
    """A new form in preparation with the same sections, questions and addressees."""
    dauer = bogen.frist - bogen.oeffnet_am
    start = utcnow().replace(second=0, microsecond=0)
    kopie = Rueckmeldebogen(
        titel=f"{bogen.titel} (Kopie)"[:200],
        einleitung=bogen.einleitung,
        status=BogenStatus.ENTWURF,
        oeffnet_am=start,
        frist=start + dauer,
        erinnerung_tage=bogen.erinnerung_tage,
        gremium_id=bogen.gremium_id,
        kopiert_von_id=bogen.id,
        erstellt_von_id=user.id,
    )
    kopie.organisationen = list(bogen.organisationen)
    for abschnitt in bogen.abschnitte:
        neu = BogenAbschnitt(
            titel=abschnitt.titel, beschreibung=abschnitt.beschreibung, position=abschnitt.position
        )
        for frage in abschnitt.fragen:
            values = {k: getattr(frage, k) for k in FRAGE_FELDER}
            neu.fragen.append(BogenFrage(position=frage.position, **values))
        kopie.abschnitte.append(neu)
    db.session.add(kopie)
    db.session.flush()
    return kopie


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


def _mail_rueckmeldungen(ids: list[int], subject: str, template: str, kind: str) -> int:
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
    return _mail_rueckmeldungen(
        won,
        "Bitte um Rückmeldung: {titel}",
        "mail/rueckmeldung_einladung",
        "rueckmeldung.einladung",
    )


def remind_non_submitters(now: datetime | None = None) -> int:
    """A reminder shortly before the deadline to organisations that have not submitted, once."""
    now = now or utcnow()
    candidates = db.session.execute(
        select(Rueckmeldung.id, Rueckmeldebogen.frist, Rueckmeldebogen.erinnerung_tage)
        .join(Rueckmeldebogen)
        .where(
            Rueckmeldebogen.status == BogenStatus.VEROEFFENTLICHT,
            Rueckmeldebogen.frist > now,
            Rueckmeldebogen.frist <= now + timedelta(days=MAX_ERINNERUNG_TAGE),
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
    return _mail_rueckmeldungen(
        won,
        "Erinnerung: Rückmeldung zu {titel}",
        "mail/rueckmeldung_erinnerung",
        "rueckmeldung.erinnerung",
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
    for kontakt in kontaktpersonen([rm.organisation_id])[rm.organisation_id]:
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


def antwort_quelle(antwort_id: int) -> tuple[str, str] | None:
    """Text and link of the answer an impulse came from."""
    antwort = db.session.get(RueckmeldungAntwort, antwort_id)
    if antwort is None:
        return None
    rm = antwort.rueckmeldung
    return (
        f"Rückmeldung {rm.organisation.name} zu „{rm.bogen.titel}“",
        url_for("beteiligung.rueckmeldung", rueckmeldung_id=rm.id),
    )
