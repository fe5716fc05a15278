"""Who may build, fill in and evaluate Rückmeldebögen (default deny).

- ``rueckmeldebogen.verwalten``: build, publish, copy, status, export, reopen, release (Stabsstelle)
- ``rueckmeldung.eigene``: "Offene Rückmeldungen" of one's organisation (its staff)
- ``rueckmeldung.ansehen``: one organisation's answer (Stabsstelle, staff of that organisation)
- ``rueckmeldung.bearbeiten``: save a draft or submit (staff of that organisation, while editable)
- ``rueckmeldung.anfragen``: ask for a correction or more time (staff of that organisation)
- ``rueckmeldung.anfrage_entscheiden``: grant or decline such requests, remind now (Stabsstelle)
- ``rueckmeldebogen.ergebnisse``: the results (Stabsstelle; Planungsrunde members once released)
- ``anhang.herunterladen``: an attached file (the organisation; the Stabsstelle once submitted,
  exactly what the answer page shows)
"""

from __future__ import annotations

from typing import Any

from app.beteiligung.models import BogenStatus
from app.core.permissions import is_stabsstelle, rule
from app.core.types import utcnow
from app.stammdaten.models import GremiumTyp
from app.stammdaten.rollen import in_aktivem_gremium

rule("rueckmeldebogen.verwalten")(is_stabsstelle)
rule("rueckmeldung.anfrage_entscheiden")(is_stabsstelle)


@rule("rueckmeldung.eigene")
def has_organisation(user: Any, obj: Any = None) -> bool:
    """Staff acting for an organisation answer its forms; the Stabsstelle sends them."""
    return not is_stabsstelle(user) and user.organisation_id is not None


def own(user: Any, rueckmeldung: Any) -> bool:
    """``rueckmeldung`` belongs to the user's organisation."""
    return (
        rueckmeldung is not None
        and user.organisation_id is not None
        and rueckmeldung.organisation_id == user.organisation_id
    )


@rule("rueckmeldung.ansehen")
def can_view_rueckmeldung(user: Any, rueckmeldung: Any) -> bool:
    """The Stabsstelle sees every answer, an organisation only its own."""
    return is_stabsstelle(user) or own(user, rueckmeldung)


@rule("anhang.herunterladen")
def can_download_anhang(user: Any, rueckmeldung: Any) -> bool:
    """As on the answer page: the organisation always, the Stabsstelle only once submitted."""
    if rueckmeldung is None:
        return False
    return own(user, rueckmeldung) or (is_stabsstelle(user) and rueckmeldung.eingereicht)


def editable(rueckmeldung: Any, now: Any = None) -> bool:
    """Not submitted, and open until the organisation's deadline (or reopened by the Stabsstelle).

    The organisation's deadline is the form's or the later one the Stabsstelle granted; a form
    closed at its general deadline stays open for an organisation with an extension.
    """
    if rueckmeldung.eingereicht:
        return False
    bogen = rueckmeldung.bogen
    if bogen.veroeffentlicht_at is None or bogen.status == BogenStatus.ENTWURF:
        return False
    if rueckmeldung.wiedereroeffnet_at is not None:
        return True
    now = now or utcnow()
    return bogen.oeffnet_am <= now < rueckmeldung.frist


def nach_frist(rueckmeldung: Any, now: Any = None) -> bool:
    """Published and opened, not submitted, but the organisation's deadline has passed."""
    bogen = rueckmeldung.bogen
    now = now or utcnow()
    return (
        not rueckmeldung.eingereicht
        and bogen.veroeffentlicht_at is not None
        and bogen.status != BogenStatus.ENTWURF
        and bogen.oeffnet_am <= now
        and not editable(rueckmeldung, now)
    )


@rule("rueckmeldung.bearbeiten")
def can_edit_rueckmeldung(user: Any, rueckmeldung: Any) -> bool:
    """Staff of the organisation edit its answer while it is editable."""
    return own(user, rueckmeldung) and not is_stabsstelle(user) and editable(rueckmeldung)


@rule("rueckmeldung.anfragen")
def can_ask(user: Any, rueckmeldung: Any) -> bool:
    """Staff of the organisation ask the Stabsstelle for a correction or an extension."""
    return own(user, rueckmeldung) and not is_stabsstelle(user)


def in_planungsrunde(user: Any) -> bool:
    """An active seat (own or deputised) in an active Planungsrunde (read once per request)."""
    return in_aktivem_gremium(user, (GremiumTyp.PLANUNGSRUNDE,))


@rule("rueckmeldebogen.ergebnisse")
def can_view_results(user: Any, bogen: Any) -> bool:
    """The Stabsstelle always; the Planungsrunde only after the Stabsstelle released them."""
    if is_stabsstelle(user):
        return True
    return (
        bogen is not None and bogen.ergebnisse_freigegeben_at is not None and in_planungsrunde(user)
    )
