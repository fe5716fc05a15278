"""Operations on planning cycles: create, change phase, conclude Stränge, deadlines, next cycle.

Every operation that changes state locks the cycle row (SELECT … FOR UPDATE), compares the
version the user saw, checks the move, the permission and the guards, writes the history and
flushes; the view commits once. Errors carry a German message and the HTTP status to answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from app.auth.models import User
from app.benachrichtigungen.services import notify
from app.core.permissions import can
from app.core.types import utcnow
from app.extensions import db
from app.mail.services import queue_mail
from app.stammdaten.models import Gremium, GremiumTyp, Mitgliedschaft
from app.workflows.guards import Pruefung, evaluate_strang, evaluate_transition
from app.workflows.machine import (
    PHASEN,
    STRANG_ABSCHLIESSEN,
    STRANG_TYPEN,
    Uebergang,
    find_uebergang,
    uebergaenge_von,
)
from app.workflows.models import (
    Phase,
    Phasenfrist,
    Strang,
    StrangStatus,
    VerlaufArt,
    Verlaufseintrag,
    Zyklus,
    zyklus_gremium,
)
from app.workflows.signals import (
    carry_over_providers,
    strang_closed,
    zyklus_created,
    zyklus_phase_changed,
)

BERLIN = ZoneInfo("Europe/Berlin")


class WorkflowError(Exception):
    """A refused operation; ``message`` is German, ``status_code`` the HTTP answer."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidRequest(WorkflowError):
    """Illegal move or incomplete input: nothing changed (400)."""


class StaleState(WorkflowError):
    """The cycle changed since the user loaded the page (409)."""

    status_code = 409


class Forbidden(WorkflowError):
    """The person may not do this (403)."""

    status_code = 403


class GuardsFailed(WorkflowError):
    """Conditions of the move are not met and were not overridden (409)."""

    status_code = 409

    def __init__(self, pruefungen: list[Pruefung]) -> None:
        text = " ".join(f"„{p.guard.label}“: {p.erklaerung}" for p in pruefungen)
        super().__init__("Der Schritt ist noch nicht möglich. " + text)
        self.pruefungen = pruefungen


class NotFound(WorkflowError):
    status_code = 404


# --------------------------------------------------------------------------- look-ups


def straenge_of(zyklus_id: int) -> list[Strang]:
    """The parallel tracks of a cycle, with their Gremien."""
    return list(
        db.session.scalars(select(Strang).where(Strang.zyklus_id == zyklus_id).order_by(Strang.id))
    )


def find_strang(zyklus_id: int, gremium_id: int) -> Strang | None:
    """The track of ``gremium_id`` in the cycle, if the Gremium takes part in the Beteiligung."""
    return db.session.scalar(
        select(Strang).where(Strang.zyklus_id == zyklus_id, Strang.gremium_id == gremium_id)
    )


def active_zyklen() -> list[Zyklus]:
    """Cycles that are not finished, newest first."""
    return list(
        db.session.scalars(
            select(Zyklus).where(Zyklus.phase != Phase.ABGESCHLOSSEN).order_by(Zyklus.beginn.desc())
        )
    )


def zyklen_for_gremium(gremium_id: int) -> list[Zyklus]:
    """Every cycle a Gremium takes part in, newest first."""
    return list(
        db.session.scalars(
            select(Zyklus)
            .join(zyklus_gremium, zyklus_gremium.c.zyklus_id == Zyklus.id)
            .where(zyklus_gremium.c.gremium_id == gremium_id)
            .order_by(Zyklus.beginn.desc(), Zyklus.id.desc())
        )
    )


def lock_zyklus(zyklus_id: int) -> Zyklus:
    """Lock the cycle row for this transaction and reload it and its Stränge fresh."""
    zyklus = db.session.scalar(
        select(Zyklus)
        .where(Zyklus.id == zyklus_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if zyklus is None:
        raise NotFound("Diesen Planungszyklus gibt es nicht.")
    db.session.scalars(
        select(Strang)
        .where(Strang.zyklus_id == zyklus_id)
        .execution_options(populate_existing=True)
    ).all()
    db.session.expire(zyklus, ["straenge"])
    return zyklus


# --------------------------------------------------------------------------- creating


def _strang_sort_key(gremium: Gremium) -> tuple[int, str]:
    return (STRANG_TYPEN.index(gremium.typ), gremium.name)


def create_zyklus(
    titel: str,
    beginn: date,
    ende: date,
    gremien: Iterable[Gremium],
    user: User,
    *,
    erinnerung_tage: int | None = None,
    vorgaenger: Zyklus | None = None,
) -> Zyklus:
    """A new cycle in phase Datenbasis with one open Strang per Beteiligung Gremium."""
    if not can(user, "zyklus.anlegen"):
        raise Forbidden("Nur die Stabsstelle Sozialplanung kann Planungszyklen anlegen.")
    titel = titel.strip()
    if ende < beginn:
        raise InvalidRequest("Das Ende darf nicht vor dem Beginn liegen.", field="ende")
    if db.session.scalar(select(Zyklus.id).where(Zyklus.titel == titel)) is not None:
        raise InvalidRequest(f"Es gibt bereits einen Planungszyklus „{titel}“.", field="titel")
    gremien = list(dict.fromkeys(gremien))
    default_tage = int(current_app.config.get("ZYKLUS_ERINNERUNG_TAGE", 7))
    zyklus = Zyklus(
        titel=titel,
        beginn=beginn,
        ende=ende,
        phase=Phase.DATENBASIS,
        erinnerung_tage=default_tage if erinnerung_tage is None else erinnerung_tage,
        vorgaenger_id=vorgaenger.id if vorgaenger else None,
        angelegt_von_id=user.id,
    )
    zyklus.gremien = gremien
    beteiligte = sorted((g for g in gremien if g.typ in STRANG_TYPEN), key=_strang_sort_key)
    zyklus.straenge = [Strang(gremium=g) for g in beteiligte]
    db.session.add(zyklus)
    db.session.flush()
    _log(zyklus, VerlaufArt.ANGELEGT, user, nach=Phase.DATENBASIS)
    db.session.flush()
    zyklus_created.send(zyklus, vorgaenger=vorgaenger, user=user)
    return zyklus


def start_folgezyklus(
    vorgaenger_id: int, *, user: User, titel: str, beginn: date, ende: date
) -> tuple[Zyklus, list[str]]:
    """The next cycle of a finished one: same Gremien, Stränge, settings, plus open items."""
    alt = lock_zyklus(vorgaenger_id)
    if not can(user, "zyklus.folgezyklus", alt):
        raise Forbidden("Nur die Stabsstelle Sozialplanung kann einen Folgezyklus anlegen.")
    if alt.phase != Phase.ABGESCHLOSSEN:
        raise InvalidRequest(
            "Ein Folgezyklus kann erst angelegt werden, wenn dieser Zyklus abgeschlossen ist."
        )
    existing = db.session.scalar(select(Zyklus).where(Zyklus.vorgaenger_id == alt.id))
    if existing is not None:
        raise StaleState(
            f"Für „{alt.titel}“ wurde bereits der Folgezyklus „{existing.titel}“ angelegt."
        )
    gremien = [g for g in alt.gremien if g.aktiv]
    neu = create_zyklus(
        titel, beginn, ende, gremien, user, erinnerung_tage=alt.erinnerung_tage, vorgaenger=alt
    )
    notes = [f"{len(gremien)} Gremien und {len(neu.straenge)} Beteiligungsstränge übernommen"]
    for provider in list(carry_over_providers):
        notes.extend(provider(alt, neu) or [])
    entry = db.session.scalar(
        select(Verlaufseintrag).where(
            Verlaufseintrag.zyklus_id == neu.id, Verlaufseintrag.art == VerlaufArt.ANGELEGT
        )
    )
    entry.begruendung = f"Folgezyklus von „{alt.titel}“. " + "; ".join(notes) + "."
    db.session.flush()
    return neu, notes


# --------------------------------------------------------------------------- phase changes


def _parse_phase(value: Phase | str | None) -> Phase:
    try:
        return Phase(value)
    except ValueError as exc:
        raise InvalidRequest(f"Unbekannte Phase „{value}“.") from exc


def _check_version(zyklus: Zyklus, expected_version: int | None) -> None:
    if expected_version is None or zyklus.version != expected_version:
        raise StaleState(
            f"Der Planungszyklus „{zyklus.titel}“ wurde inzwischen geändert (jetzt in Phase "
            f"„{zyklus.phase.kurz}“). Ihre Aktion wurde nicht ausgeführt. Bitte prüfen Sie den "
            "aktuellen Stand."
        )


def _illegal_move(zyklus: Zyklus, nach: Phase) -> InvalidRequest:
    erlaubt = ", ".join(f"„{u.nach.kurz}“" for u in uebergaenge_von(zyklus.phase)) or "keine"
    return InvalidRequest(
        f"Von der Phase „{zyklus.phase.kurz}“ ist kein Wechsel nach „{nach.kurz}“ vorgesehen. "
        f"Möglich: {erlaubt}."
    )


def _apply_guards(
    pruefungen: list[Pruefung],
    zyklus: Zyklus,
    user: User,
    uebersteuern: Iterable[str],
    grund: str | None,
) -> tuple[list[dict[str, Any]], str | None]:
    """Raise unless every guard holds or is overridden with a reason; returns the overrides used."""
    wanted = set(uebersteuern)
    known = {p.guard.name for p in pruefungen}
    if wanted - known:
        raise InvalidRequest(
            "Diese Bedingung gehört nicht zu diesem Schritt: " + ", ".join(sorted(wanted - known))
        )
    used = [p for p in pruefungen if not p.ok and p.guard.name in wanted]
    if used and not can(user, "zyklus.uebersteuern", zyklus):
        raise Forbidden("Nur die Stabsstelle Sozialplanung darf Bedingungen übergehen.")
    fixed = [p for p in used if not p.guard.uebersteuerbar]
    if fixed:
        raise InvalidRequest(
            f"Die Bedingung „{fixed[0].guard.label}“ kann nicht übergangen werden. "
            + fixed[0].erklaerung
        )
    grund = (grund or "").strip() or None
    if used and not grund:
        raise InvalidRequest(
            "Bitte begründen Sie schriftlich, warum Sie die Bedingung übergehen.",
            field="uebersteuerung_begruendung",
        )
    blocking = [p for p in pruefungen if not p.ok and p.guard.name not in wanted]
    if blocking:
        raise GuardsFailed(blocking)
    overrides = [
        {"name": p.guard.name, "label": p.guard.label, "erklaerung": p.erklaerung} for p in used
    ]
    return overrides, grund if used else None


def _log(
    zyklus: Zyklus,
    art: VerlaufArt,
    user: User | None,
    *,
    von: Phase | None = None,
    nach: Phase | None = None,
    strang: Strang | None = None,
    begruendung: str | None = None,
    uebersteuert: list[dict[str, Any]] | None = None,
    uebersteuerung_begruendung: str | None = None,
) -> Verlaufseintrag:
    entry = Verlaufseintrag(
        zyklus_id=zyklus.id,
        art=art,
        von_phase=von,
        nach_phase=nach,
        strang_id=strang.id if strang else None,
        user_id=user.id if user else None,
        zeitpunkt=utcnow(),
        begruendung=begruendung,
        uebersteuert=uebersteuert or [],
        uebersteuerung_begruendung=uebersteuerung_begruendung,
    )
    db.session.add(entry)
    return entry


def _enter(zyklus: Zyklus, nach: Phase) -> None:
    """Set the new phase; entering Beteiligung (again) opens every Strang for a new round."""
    zyklus.phase = nach
    zyklus.version += 1
    zyklus.abgeschlossen_at = utcnow() if nach == Phase.ABGESCHLOSSEN else None
    if nach == Phase.BETEILIGUNG:
        for strang in zyklus.straenge:
            strang.status = StrangStatus.OFFEN
            strang.abgeschlossen_at = None
            strang.abgeschlossen_von_id = None
            strang.erzwungen = False
            strang.notiz = None


def change_phase(
    zyklus_id: int,
    nach: Phase | str,
    *,
    user: User,
    expected_version: int | None,
    begruendung: str | None = None,
    uebersteuern: Iterable[str] = (),
    uebersteuerung_begruendung: str | None = None,
) -> Verlaufseintrag:
    """The one operation that moves a cycle to another phase."""
    ziel = _parse_phase(nach)
    zyklus = lock_zyklus(zyklus_id)
    uebergang = find_uebergang(zyklus.phase, ziel)
    if not can(user, uebergang.action if uebergang else "zyklus.phase_wechseln", zyklus):
        raise Forbidden("Nur die Stabsstelle Sozialplanung kann die Phase eines Zyklus wechseln.")
    _check_version(zyklus, expected_version)
    if uebergang is None:
        raise _illegal_move(zyklus, ziel)
    begruendung = (begruendung or "").strip() or None
    if uebergang.rueckverweisung and not begruendung:
        raise InvalidRequest("Bitte begründen Sie die Rückverweisung.", field="begruendung")
    overrides, grund = _apply_guards(
        evaluate_transition(zyklus, uebergang),
        zyklus,
        user,
        uebersteuern,
        uebersteuerung_begruendung,
    )
    von = zyklus.phase
    _enter(zyklus, ziel)
    art = VerlaufArt.RUECKVERWEISUNG if uebergang.rueckverweisung else VerlaufArt.VORWAERTS
    entry = _log(
        zyklus,
        art,
        user,
        von=von,
        nach=ziel,
        begruendung=begruendung,
        uebersteuert=overrides,
        uebersteuerung_begruendung=grund,
    )
    db.session.flush()
    zyklus_phase_changed.send(zyklus, eintrag=entry, von=von, nach=ziel, user=user)
    return entry


# --------------------------------------------------------------------------- Stränge


def close_strang(
    strang_id: int,
    *,
    user: User,
    expected_version: int | None,
    notiz: str | None = None,
    uebersteuern: Iterable[str] = (),
    uebersteuerung_begruendung: str | None = None,
) -> Verlaufseintrag:
    """Conclude one Strang (Stabsstelle, or Vorsitz/Moderation of its Gremium)."""
    strang = db.session.get(Strang, strang_id)
    if strang is None:
        raise NotFound("Diesen Beteiligungsstrang gibt es nicht.")
    zyklus = lock_zyklus(strang.zyklus_id)
    strang = db.session.get(Strang, strang_id)
    if not can(user, STRANG_ABSCHLIESSEN, strang):
        raise Forbidden(
            "Diesen Strang können nur die Stabsstelle und die Moderation bzw. der Vorsitz "
            "des Gremiums abschließen."
        )
    _check_version(zyklus, expected_version)
    if zyklus.phase != Phase.BETEILIGUNG:
        raise InvalidRequest("Stränge können nur in der Phase „Beteiligung“ abgeschlossen werden.")
    if not strang.offen:
        raise StaleState(f"Der Strang „{strang.gremium.name}“ ist bereits abgeschlossen.")
    overrides, grund = _apply_guards(
        evaluate_strang(strang), zyklus, user, uebersteuern, uebersteuerung_begruendung
    )
    notiz = (notiz or "").strip() or None
    _conclude(strang, user, notiz, erzwungen=bool(overrides))
    zyklus.version += 1
    entry = _log(
        zyklus,
        VerlaufArt.STRANG_ABGESCHLOSSEN,
        user,
        strang=strang,
        begruendung=notiz,
        uebersteuert=overrides,
        uebersteuerung_begruendung=grund,
    )
    db.session.flush()
    strang_closed.send(strang, eintrag=entry, user=user, erzwungen=bool(overrides))
    if not user.ist_stabsstelle:
        notify(
            _stabsstelle_ids(),
            f"{zyklus.titel}: {user.name} hat den Strang „{strang.gremium.name}“ abgeschlossen.",
            _path("workflows.detail", zyklus_id=zyklus.id),
        )
    return entry


def _conclude(strang: Strang, user: User, notiz: str | None, *, erzwungen: bool) -> None:
    strang.status = StrangStatus.ABGESCHLOSSEN
    strang.abgeschlossen_at = utcnow()
    strang.abgeschlossen_von_id = user.id
    strang.erzwungen = erzwungen
    strang.notiz = notiz


def close_remaining_straenge(
    zyklus_id: int, *, user: User, expected_version: int | None, begruendung: str | None
) -> list[Verlaufseintrag]:
    """The Stabsstelle closes every open Strang with a stated reason, so Beteiligung can end."""
    zyklus = lock_zyklus(zyklus_id)
    if not can(user, "zyklus.straenge_schliessen", zyklus):
        raise Forbidden("Nur die Stabsstelle Sozialplanung kann offene Stränge schließen.")
    _check_version(zyklus, expected_version)
    if zyklus.phase != Phase.BETEILIGUNG:
        raise InvalidRequest("Stränge können nur in der Phase „Beteiligung“ geschlossen werden.")
    begruendung = (begruendung or "").strip() or None
    if not begruendung:
        raise InvalidRequest(
            "Bitte begründen Sie, warum die offenen Stränge geschlossen werden.",
            field="begruendung",
        )
    offen = [s for s in zyklus.straenge if s.offen]
    if not offen:
        raise StaleState("Es gibt keine offenen Stränge mehr.")
    entries = []
    for strang in offen:
        _conclude(strang, user, begruendung, erzwungen=True)
        entries.append(
            _log(
                zyklus, VerlaufArt.STRANG_GESCHLOSSEN, user, strang=strang, begruendung=begruendung
            )
        )
    zyklus.version += 1
    db.session.flush()
    for strang, entry in zip(offen, entries, strict=True):
        strang_closed.send(strang, eintrag=entry, user=user, erzwungen=True)
    return entries


# --------------------------------------------------------------------------- notifications


def _path(endpoint: str, **values: Any) -> str:
    """A path inside the app, also outside a request (worker)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def _absolute(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


def _stabsstelle_ids() -> list[int]:
    return list(
        db.session.scalars(
            select(User.id).where(User.ist_stabsstelle, User.aktiv).order_by(User.id)
        )
    )


def phase_members(zyklus: Zyklus, phase: Phase) -> list[tuple[User, list[str]]]:
    """Active members of the cycle's Gremien that work in ``phase`` (all of them when finished)."""
    typen: tuple[GremiumTyp, ...] = PHASEN[phase].gremium_typen
    if phase == Phase.ABGESCHLOSSEN:
        typen = tuple(GremiumTyp)
    if not typen:
        return []
    rows = db.session.execute(
        select(User, Gremium.name)
        .join(Mitgliedschaft, Mitgliedschaft.user_id == User.id)
        .join(Gremium, Gremium.id == Mitgliedschaft.gremium_id)
        .join(zyklus_gremium, zyklus_gremium.c.gremium_id == Gremium.id)
        .where(
            zyklus_gremium.c.zyklus_id == zyklus.id,
            Gremium.typ.in_(typen),
            Gremium.aktiv,
            Mitgliedschaft.aktiv,
            User.aktiv,
        )
        .order_by(User.id, Gremium.name)
    ).all()
    grouped: dict[int, tuple[User, list[str]]] = {}
    for user, name in rows:
        grouped.setdefault(user.id, (user, []))[1].append(name)
    return list(grouped.values())


def _phase_text(zyklus: Zyklus, entry: Verlaufseintrag) -> str:
    if entry.art == VerlaufArt.RUECKVERWEISUNG:
        return (
            f"{zyklus.titel}: an „{entry.nach_phase.kurz}“ zurückverwiesen "
            f"(Begründung: {entry.begruendung})."
        )
    if entry.nach_phase == Phase.ABGESCHLOSSEN:
        return f"{zyklus.titel}: Der Planungszyklus ist abgeschlossen."
    return f"{zyklus.titel}: Die Phase „{entry.nach_phase.kurz}“ hat begonnen."


@zyklus_phase_changed.connect
def notify_phase_change(zyklus: Zyklus, *, eintrag: Verlaufseintrag, user: User, **_: Any) -> None:
    """Tell the members of the new phase's Gremien in the app and by mail (sent after commit)."""
    members = [
        (m, names) for m, names in phase_members(zyklus, eintrag.nach_phase) if m.id != user.id
    ]
    if not members:
        return
    text = _phase_text(zyklus, eintrag)
    path = _path("workflows.detail", zyklus_id=zyklus.id)
    notify([m.id for m, _ in members], text, path)
    for member, gremien in members:
        queue_mail(
            member.email,
            text,
            "workflows/mail/phasenwechsel",
            recipient_name=member.name,
            kind="zyklus.phasenwechsel",
            zyklus=zyklus,
            eintrag=eintrag,
            gremien=gremien,
            beschreibung=PHASEN[eintrag.nach_phase].beschreibung,
            link=_absolute(path),
        )


# --------------------------------------------------------------------------- deadlines


def berlin_today() -> date:
    """Today in Hilden; deadlines are calendar days there."""
    return datetime.now(BERLIN).date()


@dataclass(frozen=True)
class Fristlage:
    """A deadline as the cycle page and the start page show it."""

    label: str
    faellig_am: date
    erledigt: bool
    ueberfaellig: bool
    bald: bool
    tage: int  # days left (negative: overdue)

    @property
    def hinweis(self) -> str:
        if self.erledigt:
            return "erledigt"
        if self.ueberfaellig:
            return f"überfällig seit {-self.tage} Tag(en)"
        if self.tage == 0:
            return "heute fällig"
        return f"noch {self.tage} Tag(e)"


def _lage(label: str, faellig: date, erledigt: bool, tage_vorher: int, today: date) -> Fristlage:
    tage = (faellig - today).days
    return Fristlage(
        label,
        faellig,
        erledigt,
        not erledigt and tage < 0,
        not erledigt and 0 <= tage <= tage_vorher,
        tage,
    )


def phase_erledigt(zyklus: Zyklus, phase: Phase) -> bool:
    """The cycle has moved past ``phase`` (or is finished)."""
    return zyklus.phase == Phase.ABGESCHLOSSEN or zyklus.phase.index > phase.index


def strang_erledigt(strang: Strang, zyklus: Zyklus) -> bool:
    return not strang.offen or phase_erledigt(zyklus, Phase.BETEILIGUNG)


def fristen_overview(zyklus: Zyklus, today: date | None = None) -> dict[str, Any]:
    """Deadline state per phase and per Strang (for pages and open tasks)."""
    today = today or berlin_today()
    tage = zyklus.erinnerung_tage
    phasen = {
        f.phase: _lage(f.phase.kurz, f.faellig_am, phase_erledigt(zyklus, f.phase), tage, today)
        for f in zyklus.fristen
    }
    straenge = {
        s.id: _lage(s.gremium.name, s.frist, strang_erledigt(s, zyklus), tage, today)
        for s in zyklus.straenge
        if s.frist
    }
    return {"phasen": phasen, "straenge": straenge}


def set_fristen(
    zyklus_id: int,
    *,
    user: User,
    phasen: dict[Phase, date | None],
    straenge: dict[int, date | None],
    erinnerung_tage: int | None = None,
) -> bool:
    """Store target dates; a changed date is reminded of again. Returns whether anything changed."""
    zyklus = lock_zyklus(zyklus_id)
    if not can(user, "zyklus.fristen_setzen", zyklus):
        raise Forbidden("Nur die Stabsstelle Sozialplanung kann Fristen setzen.")
    changes = [_set_phase_frist(zyklus, phase, value) for phase, value in phasen.items()]
    by_id = {s.id: s for s in zyklus.straenge}
    for strang_id, value in straenge.items():
        if strang_id not in by_id:
            raise InvalidRequest("Dieser Strang gehört nicht zu diesem Zyklus.")
        changes.append(_set_strang_frist(by_id[strang_id], value))
    if erinnerung_tage is not None and erinnerung_tage != zyklus.erinnerung_tage:
        changes.append(f"Erinnerung {erinnerung_tage} Tage vor einer Frist")
        zyklus.erinnerung_tage = erinnerung_tage
    changed = [c for c in changes if c]
    if changed:
        _log(zyklus, VerlaufArt.FRISTEN, user, begruendung="; ".join(changed))
    db.session.flush()
    return bool(changed)


def _fmt(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "keine"


def _set_phase_frist(zyklus: Zyklus, phase: Phase, value: date | None) -> str | None:
    if phase == Phase.ABGESCHLOSSEN:
        raise InvalidRequest("Für „abgeschlossen“ gibt es keine Frist.")
    row = zyklus.frist(phase)
    if (row.faellig_am if row else None) == value:
        return None
    if value is None:
        zyklus.fristen.remove(row)
    elif row is None:
        zyklus.fristen.append(Phasenfrist(phase=phase, faellig_am=value))
    else:
        row.faellig_am, row.erinnerung_gesendet_at, row.ueberfaellig_gemeldet_at = value, None, None
    return f"{phase.kurz}: {_fmt(value)}"


def _set_strang_frist(strang: Strang, value: date | None) -> str | None:
    if strang.frist == value:
        return None
    strang.frist = value
    strang.erinnerung_gesendet_at = None
    strang.ueberfaellig_gemeldet_at = None
    return f"{strang.gremium.name}: {_fmt(value)}"


def send_deadline_reminders(today: date | None = None) -> int:
    """Remind the Stabsstelle before each open deadline and report it overdue after; once each."""
    today = today or berlin_today()
    stab = db.session.scalars(
        select(User).where(User.ist_stabsstelle, User.aktiv).order_by(User.id)
    ).all()
    sent = 0
    for frist in _due_phase_fristen():
        kind = _reminder_kind(frist, frist.zyklus, phase_erledigt(frist.zyklus, frist.phase), today)
        if kind:
            _remind(
                stab, frist.zyklus, f"Phase „{frist.phase.kurz}“", frist.faellig_am, kind, today
            )
            _mark(frist, kind)
            sent += 1
    for strang in _due_strang_fristen():
        kind = _reminder_kind(strang, strang.zyklus, strang_erledigt(strang, strang.zyklus), today)
        if kind:
            _remind(
                stab, strang.zyklus, f"Strang „{strang.gremium.name}“", strang.frist, kind, today
            )
            _mark(strang, kind)
            sent += 1
    db.session.flush()
    return sent


def _due_phase_fristen() -> list[Phasenfrist]:
    """Unsent deadline rows of running cycles, locked so a parallel run skips them."""
    return list(
        db.session.scalars(
            select(Phasenfrist)
            .join(Zyklus, Zyklus.id == Phasenfrist.zyklus_id)
            .where(
                Zyklus.phase != Phase.ABGESCHLOSSEN,
                (Phasenfrist.erinnerung_gesendet_at.is_(None))
                | (Phasenfrist.ueberfaellig_gemeldet_at.is_(None)),
            )
            .order_by(Phasenfrist.id)
            .with_for_update(skip_locked=True, of=Phasenfrist)
        )
    )


def _due_strang_fristen() -> list[Strang]:
    return list(
        db.session.scalars(
            select(Strang)
            .join(Zyklus, Zyklus.id == Strang.zyklus_id)
            .where(
                Zyklus.phase.in_([Phase.DATENBASIS, Phase.PLANUNGSRUNDE, Phase.BETEILIGUNG]),
                Strang.status == StrangStatus.OFFEN,
                Strang.frist.is_not(None),
                (Strang.erinnerung_gesendet_at.is_(None))
                | (Strang.ueberfaellig_gemeldet_at.is_(None)),
            )
            .order_by(Strang.id)
            .with_for_update(skip_locked=True, of=Strang)
        )
    )


def _reminder_kind(
    row: Phasenfrist | Strang, zyklus: Zyklus, erledigt: bool, today: date
) -> str | None:
    faellig = row.faellig_am if isinstance(row, Phasenfrist) else row.frist
    if erledigt or faellig is None:
        return None
    if today > faellig:
        return None if row.ueberfaellig_gemeldet_at else "ueberfaellig"
    if (faellig - today).days <= zyklus.erinnerung_tage and not row.erinnerung_gesendet_at:
        return "erinnerung"
    return None


def _mark(row: Phasenfrist | Strang, kind: str) -> None:
    if kind == "ueberfaellig":
        row.ueberfaellig_gemeldet_at = utcnow()
    else:
        row.erinnerung_gesendet_at = utcnow()


def _remind(
    stab: list[User], zyklus: Zyklus, was: str, faellig: date, kind: str, today: date
) -> None:
    path = _path("workflows.detail", zyklus_id=zyklus.id)
    tage = (faellig - today).days
    if kind == "ueberfaellig":
        subject = f"Frist überschritten: {was} – {zyklus.titel}"
    else:
        subject = f"Frist am {_fmt(faellig)}: {was} – {zyklus.titel}"
    notify([u.id for u in stab], subject, path)
    for person in stab:
        queue_mail(
            person.email,
            subject,
            "workflows/mail/frist",
            recipient_name=person.name,
            kind=f"zyklus.frist.{kind}",
            zyklus=zyklus,
            was=was,
            faellig=_fmt(faellig),
            tage=tage,
            ueberfaellig=kind == "ueberfaellig",
            link=_absolute(path),
        )


# --------------------------------------------------------------------------- overview for pages


@dataclass(frozen=True)
class Schritt:
    """A move out of the current phase with its guard results."""

    uebergang: Uebergang
    pruefungen: list[Pruefung]

    @property
    def blockiert(self) -> bool:
        return any(not p.ok for p in self.pruefungen)


def next_steps(zyklus: Zyklus) -> list[Schritt]:
    """Every move out of the current phase, each with what blocks it."""
    return [Schritt(u, evaluate_transition(zyklus, u)) for u in uebergaenge_von(zyklus.phase)]


def history_of(zyklus_id: int) -> list[Verlaufseintrag]:
    """The timeline of a cycle in order, with people and Stränge, in one query."""
    from sqlalchemy.orm import joinedload

    return list(
        db.session.scalars(
            select(Verlaufseintrag)
            .options(
                joinedload(Verlaufseintrag.user),
                joinedload(Verlaufseintrag.strang).joinedload(Strang.gremium),
            )
            .where(Verlaufseintrag.zyklus_id == zyklus_id)
            .order_by(Verlaufseintrag.zeitpunkt, Verlaufseintrag.id)
        )
    )


def phase_counts(entries: list[Verlaufseintrag]) -> dict[Phase, int]:
    """How often the cycle entered each phase (the diagram shows rounds after referrals)."""
    counts: dict[Phase, int] = defaultdict(int)
    for entry in entries:
        if entry.nach_phase is not None:
            counts[entry.nach_phase] += 1
    return dict(counts)
