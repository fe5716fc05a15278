"""Who may build, fill in and evaluate Rückmeldebögen (default deny).

- ``rueckmeldebogen.verwalten``: build, publish, copy, status, export, reopen, release (Stabsstelle)
- ``rueckmeldung.eigene``: "Offene Rückmeldungen" of one's organisation (its staff)
- ``rueckmeldung.ansehen``: one organisation's answer (Stabsstelle, staff of that organisation)
- ``rueckmeldung.bearbeiten``: save a draft or submit (staff of that organisation, while editable)
- ``rueckmeldebogen.ergebnisse``: the results (Stabsstelle; Planungsrunde members once released)
- ``anhang.herunterladen``: an attached file (the organisation; the Stabsstelle once submitted,
  exactly what the answer page shows)
"""

from __future__ import annotations

from typing import Any

from app.core.permissions import is_stabsstelle, rule
from app.core.types import utcnow
from app.stammdaten.models import GremiumTyp

rule("rueckmeldebogen.verwalten")(is_stabsstelle)


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


def editable(rueckmeldung: Any) -> bool:
    """Not submitted, and the form is open (or the Stabsstelle reopened this answer)."""
    if rueckmeldung.eingereicht:
        return False
    return rueckmeldung.bogen.ist_offen(utcnow()) or (
        rueckmeldung.wiedereroeffnet_at is not None
        and rueckmeldung.bogen.veroeffentlicht_at is not None
    )


@rule("rueckmeldung.bearbeiten")
def can_edit_rueckmeldung(user: Any, rueckmeldung: Any) -> bool:
    """Staff of the organisation edit its answer while it is editable."""
    return own(user, rueckmeldung) and not is_stabsstelle(user) and editable(rueckmeldung)


def in_planungsrunde(user: Any) -> bool:
    """An active membership in an active Planungsrunde."""
    return any(
        m.aktiv and m.gremium.aktiv and m.gremium.typ == GremiumTyp.PLANUNGSRUNDE
        for m in user.mitgliedschaften
    )


@rule("rueckmeldebogen.ergebnisse")
def can_view_results(user: Any, bogen: Any) -> bool:
    """The Stabsstelle always; the Planungsrunde only after the Stabsstelle released them."""
    if is_stabsstelle(user):
        return True
    return (
        bogen is not None and bogen.ergebnisse_freigegeben_at is not None and in_planungsrunde(user)
    )
