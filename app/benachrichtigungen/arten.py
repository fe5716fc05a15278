"""Kinds of notifications, the rhythms a person may choose, and the defaults per role.

Mail kinds (``Mail.kind``, e.g. ``zyklus.phasenwechsel``) map to a few kinds a person can
set. Invitations, meeting changes and account mails are essential: always sent at once,
without an unsubscribe link. An unknown kind counts as essential (never silently held back).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class Rhythmus(enum.StrEnum):
    SOFORT = "sofort"
    TAEGLICH = "taeglich"
    WOECHENTLICH = "woechentlich"
    AUS = "aus"

    @property
    def label(self) -> str:
        return {
            "sofort": "Sofort per E-Mail",
            "taeglich": "Tägliche Zusammenfassung",
            "woechentlich": "Wöchentliche Zusammenfassung",
            "aus": "Aus (nur in der Plattform)",
        }[self]


ZUSAMMENFASSUNGEN = (Rhythmus.TAEGLICH, Rhythmus.WOECHENTLICH)
ZUSAMMENFASSUNG_KIND = "benachrichtigung.zusammenfassung"  # the mail kind of a digest


@dataclass(frozen=True)
class Art:
    """A kind a person sets: which mail kinds it covers and whether "aus" is allowed."""

    schluessel: str
    titel: str
    beschreibung: str
    praefixe: tuple[str, ...]
    aus_erlaubt: bool


ARTEN: tuple[Art, ...] = (
    Art(
        "zyklus",
        "Planungszyklus",
        "Eine neue Phase des Planungszyklus beginnt oder er wird zurückverwiesen.",
        ("zyklus.phasenwechsel",),
        True,
    ),
    Art(
        "impulse",
        "Impulse",
        "Neue Impulse, Statusänderungen und offizielle Antworten.",
        ("impuls.",),
        True,
    ),
    Art(
        "protokolle",
        "Protokolle",
        "Ein Protokoll einer Sitzung Ihrer Gremien ist freigegeben.",
        ("protokoll.freigegeben",),
        True,
    ),
    Art(
        "aufgaben",
        "Fristen und Aufgaben",
        "Erinnerungen an Fristen, fehlende Protokolle und offene oder wieder geöffnete "
        "Rückmeldungen. Diese Hinweise lassen sich nicht abschalten.",
        (
            "zyklus.frist.",
            "protokoll.erinnerung",
            "rueckmeldung.erinnerung",
            "rueckmeldung.wiedereroeffnet",
        ),
        False,
    ),
)
ARTEN_NACH_SCHLUESSEL = {art.schluessel: art for art in ARTEN}

# Always at once (shown on the settings page as fixed).
IMMER_SOFORT = (
    ("Einladungen und Sitzungsänderungen", "Einladungen zu Sitzungen, Änderungen, Absagen."),
    ("Einladungen zu Rückmeldebögen", "Ein neuer Rückmeldebogen für Ihre Organisation."),
    ("Konto und Bestätigungen", "Zugangslinks, Passwort, Eingangsbestätigungen."),
)


def art_fuer(kind: str | None) -> Art | None:
    """The settable kind a mail kind belongs to; None: essential (always at once)."""
    if not kind:
        return None
    for art in ARTEN:
        if any(kind == p or (p.endswith(".") and kind.startswith(p)) for p in art.praefixe):
            return art
    return None


def rolle(user: Any) -> str:
    """The role whose defaults apply: Stabsstelle, Träger or another account."""
    if getattr(user, "ist_stabsstelle", False):
        return "stabsstelle"
    if getattr(user, "organisation_id", None):
        return "traeger"
    return "sonstige"


# Staff of the city and moderators work with each event at once; a Träger sitting in several
# Gremien gets the approved minutes once a week (they rarely need to act on them).
STANDARD: dict[str, dict[str, Rhythmus]] = {
    "stabsstelle": {
        "zyklus": Rhythmus.SOFORT,
        "impulse": Rhythmus.SOFORT,
        "protokolle": Rhythmus.SOFORT,
        "aufgaben": Rhythmus.SOFORT,
    },
    "traeger": {
        "zyklus": Rhythmus.SOFORT,
        "impulse": Rhythmus.SOFORT,
        "protokolle": Rhythmus.WOECHENTLICH,
        "aufgaben": Rhythmus.SOFORT,
    },
    "sonstige": {
        "zyklus": Rhythmus.SOFORT,
        "impulse": Rhythmus.SOFORT,
        "protokolle": Rhythmus.SOFORT,
        "aufgaben": Rhythmus.SOFORT,
    },
}


def standard(user: Any, art: str) -> Rhythmus:
    """The default rhythm of ``art`` for ``user``'s role."""
    return STANDARD[rolle(user)][art]


def erlaubt(art: Art) -> list[Rhythmus]:
    """The rhythms a person may choose for ``art``."""
    return [r for r in Rhythmus if art.aus_erlaubt or r != Rhythmus.AUS]
