"""The one place that changes a cycle's phase, and concluding its Stränge."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.auth.models import User
from app.benachrichtigungen.services import notify
from app.core.permissions import can
from app.core.types import utcnow
from app.extensions import db
from app.workflows.abfragen import lock_zyklus
from app.workflows.benachrichtigung import link_path, stabsstelle_ids
from app.workflows.fehler import Forbidden, GuardsFailed, InvalidRequest, NotFound, StaleState
from app.workflows.guards import Pruefung, evaluate_strang, evaluate_transition
from app.workflows.machine import (
    STRANG_ABSCHLIESSEN,
    find_uebergang,
    uebergaenge_von,
)
from app.workflows.models import (
    Phase,
    Strang,
    StrangStatus,
    VerlaufArt,
    Verlaufseintrag,
    Zyklus,
)
from app.workflows.signals import (
    strang_closed,
    zyklus_phase_changed,
)

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


def write_verlauf(
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
    entry = write_verlauf(
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
    entry = write_verlauf(
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
            stabsstelle_ids(),
            f"{zyklus.titel}: {user.name} hat den Strang „{strang.gremium.name}“ abgeschlossen.",
            link_path("workflows.detail", zyklus_id=zyklus.id),
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
            write_verlauf(
                zyklus, VerlaufArt.STRANG_GESCHLOSSEN, user, strang=strang, begruendung=begruendung
            )
        )
    zyklus.version += 1
    db.session.flush()
    for strang, entry in zip(offen, entries, strict=True):
        strang_closed.send(strang, eintrag=entry, user=user, erzwungen=True)
    return entries
