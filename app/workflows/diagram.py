"""Layout of the cycle diagram (server-rendered SVG): phases in a row, Stränge under Beteiligung;
on narrow screens the same diagram top-down (``build_diagram(zyklus, hoch=True)``)."""

from __future__ import annotations

from dataclasses import dataclass

from app.workflows.machine import UEBERGAENGE
from app.workflows.models import Phase, Strang, Zyklus

BOX_W, BOX_H, GAP, MARGIN, TOP = 156, 64, 28, 16, 70
STRANG_W, STRANG_H, STRANG_GAP = 200, 40, 8
HOCH_W, HOCH_TOP, HOCH_EINZUG = 232, 12, 40  # top-down: box width, top, Strang indent


@dataclass(frozen=True)
class Knoten:
    """One phase box."""

    phase: Phase
    x: int
    y: int
    status: str  # erledigt | aktuell | offen
    status_text: str
    w: int = BOX_W

    @property
    def cx(self) -> int:
        return self.x + self.w // 2


@dataclass(frozen=True)
class StrangKnoten:
    """One Strang box under the Beteiligung phase."""

    name: str
    kurzname: str
    x: int
    y: int
    status: str  # abgeschlossen | offen
    status_text: str


@dataclass(frozen=True)
class Pfeil:
    d: str
    rueck: bool


@dataclass(frozen=True)
class Diagramm:
    width: int
    height: int
    knoten: list[Knoten]
    straenge: list[StrangKnoten]
    pfeile: list[Pfeil]
    beschreibung: str
    box_w: int = BOX_W
    box_h: int = BOX_H
    strang_w: int = STRANG_W
    strang_h: int = STRANG_H
    verbindung: tuple[int, int, int, int] | None = None  # line from Beteiligung to its Stränge


def phase_status(zyklus: Zyklus, phase: Phase) -> tuple[str, str]:
    """(status, German text) of a phase relative to where the cycle stands."""
    if zyklus.phase == Phase.ABGESCHLOSSEN:
        return "erledigt", "Zyklus abgeschlossen" if phase == Phase.ABGESCHLOSSEN else "erledigt"
    if phase == zyklus.phase:
        return "aktuell", "aktuelle Phase"
    if phase.index < zyklus.phase.index:
        return "erledigt", "erledigt"
    return "offen", "ausstehend"


def strang_status(strang: Strang) -> tuple[str, str]:
    """(status, German text) of a Strang."""
    if strang.offen:
        return "offen", "offen"
    return "abgeschlossen", "geschlossen (Stabsstelle)" if strang.erzwungen else "abgeschlossen"


def _kurzname(name: str) -> str:
    short = name.replace("Stadtteilarbeitskreis", "SAK")
    return short if len(short) <= 26 else short[:25] + "…"


def _x(phase: Phase) -> int:
    return MARGIN + phase.index * (BOX_W + GAP)


def _referral_path(von: Phase, nach: Phase) -> str:
    """An arc above the boxes from ``von`` back to ``nach``; longer jumps arc higher."""
    start, end = _x(von) + BOX_W // 2 + 10, _x(nach) + BOX_W // 2 - 10
    height = 22 + 12 * (von.index - nach.index)
    return f"M{start},{TOP} C{start},{TOP - height} {end},{TOP - height} {end},{TOP - 6}"


def build_diagram(zyklus: Zyklus, hoch: bool = False) -> Diagramm:
    """Positions and states of every phase, Strang and arrow of ``zyklus``."""
    if hoch:
        return _build_hoch(zyklus)
    knoten = [Knoten(p, _x(p), TOP, *phase_status(zyklus, p)) for p in Phase]
    bx = _x(Phase.BETEILIGUNG) + (BOX_W - STRANG_W) // 2
    straenge = [
        StrangKnoten(
            s.gremium.name,
            _kurzname(s.gremium.name),
            bx,
            TOP + BOX_H + 24 + i * (STRANG_H + STRANG_GAP),
            *strang_status(s),
        )
        for i, s in enumerate(zyklus.straenge)
    ]
    pfeile = [
        Pfeil(
            f"M{_x(p) + BOX_W},{TOP + BOX_H // 2} L{_x(p) + BOX_W + GAP - 4},{TOP + BOX_H // 2}",
            False,
        )
        for p in list(Phase)[:-1]
    ]
    pfeile += [Pfeil(_referral_path(u.von, u.nach), True) for u in UEBERGAENGE if u.rueckverweisung]
    width = MARGIN * 2 + len(Phase) * BOX_W + (len(Phase) - 1) * GAP
    height = max(TOP + BOX_H + 24 + len(straenge) * (STRANG_H + STRANG_GAP) + 10, TOP + BOX_H + 30)
    b = knoten[Phase.BETEILIGUNG.index]
    verbindung = (b.cx, b.y + BOX_H, b.cx, straenge[-1].y + STRANG_H // 2) if straenge else None
    return Diagramm(
        width, height, knoten, straenge, pfeile, _describe(zyklus, straenge), verbindung=verbindung
    )


def _build_hoch(zyklus: Zyklus) -> Diagramm:
    """The same diagram top-down for narrow screens (no sideways scrolling at 390 px)."""
    knoten: list[Knoten] = []
    straenge: list[StrangKnoten] = []
    pfeile: list[Pfeil] = []
    y = HOCH_TOP
    pfeil_x = MARGIN + HOCH_EINZUG // 2  # left of the indented Stränge
    for phase in Phase:
        if knoten:
            pfeile.append(Pfeil(f"M{pfeil_x},{knoten[-1].y + BOX_H} L{pfeil_x},{y - 4}", False))
        knoten.append(Knoten(phase, MARGIN, y, *phase_status(zyklus, phase), w=HOCH_W))
        y += BOX_H + GAP
        if phase == Phase.BETEILIGUNG:
            for s in zyklus.straenge:
                straenge.append(
                    StrangKnoten(
                        s.gremium.name,
                        _kurzname(s.gremium.name),
                        MARGIN + HOCH_EINZUG,
                        y - GAP + 8,
                        *strang_status(s),
                    )
                )
                y += STRANG_H + STRANG_GAP
            y += 8 if zyklus.straenge else 0
    rechts = MARGIN + HOCH_W
    for u in UEBERGAENGE:
        if u.rueckverweisung:
            von, nach = knoten[u.von.index], knoten[u.nach.index]
            bogen = rechts + 14 + 12 * (u.von.index - nach.phase.index)
            y1, y2 = von.y + BOX_H // 2 + 8, nach.y + BOX_H // 2 - 8
            pfeile.append(
                Pfeil(f"M{rechts},{y1} C{bogen},{y1} {bogen},{y2} {rechts + 6},{y2}", True)
            )
    width = rechts + 14 + 12 * 3 + MARGIN
    return Diagramm(
        width,
        y - GAP + MARGIN,
        knoten,
        straenge,
        pfeile,
        _describe(zyklus, straenge),
        box_w=HOCH_W,
    )


def _describe(zyklus: Zyklus, straenge: list[StrangKnoten]) -> str:
    if zyklus.phase == Phase.ABGESCHLOSSEN:
        text = f"Der Planungszyklus „{zyklus.titel}“ ist abgeschlossen; alle Phasen sind erledigt."
    else:
        text = (
            f"Kreislauf mit sechs Phasen von Datenbasis bis abgeschlossen. Aktuelle Phase: "
            f"{zyklus.phase.kurz} ({zyklus.phase.index + 1} von {len(Phase)})."
        )
    if straenge:
        done = sum(s.status == "abgeschlossen" for s in straenge)
        text += f" Beteiligungsstränge: {done} von {len(straenge)} abgeschlossen."
    return text + " Gestrichelte Bögen zeigen die möglichen Rückverweisungen."
