"""Corrections of a submitted answer: the Träger asks, the Stabsstelle grants or declines.

Granting reopens the answer for editing (``services.reopen_rueckmeldung``): the submitted
version stays in the history as the snapshot of its "eingereicht" entry, and the answer can be
submitted again. Declining keeps it as it is; the comment is shown to the Träger.
"""

from __future__ import annotations

from app.auth.models import User
from app.beteiligung import anfragen
from app.beteiligung.models import AnfrageArt, EreignisArt, Rueckmeldung, RueckmeldungAnfrage
from app.beteiligung.services import BeteiligungError, reopen_rueckmeldung


def request_korrektur(rm: Rueckmeldung, grund: str | None, user: User) -> RueckmeldungAnfrage:
    """A Träger asks to correct its submitted answer, giving a reason."""
    if not rm.eingereicht:
        raise BeteiligungError(
            "Eine Korrektur kann nur für eine eingereichte Rückmeldung angefragt werden; "
            "Ihren Entwurf können Sie selbst weiter bearbeiten."
        )
    text = anfragen.clean_text(
        grund, "Bitte beschreiben Sie, was Sie korrigieren möchten.", "grund"
    )
    return anfragen.open_anfrage(rm, AnfrageArt.KORREKTUR, text, user)


def grant_korrektur(anfrage: RueckmeldungAnfrage, user: User, kommentar: str | None) -> None:
    """Reopen the answer for the organisation; its earlier submission stays in the history."""
    _check(anfrage)
    rm = anfrage.rueckmeldung
    anfragen.decide(anfrage, user, gewaehrt=True, kommentar=kommentar)
    grund = f"Korrekturanfrage gewährt: {anfrage.grund}"
    if anfrage.kommentar:
        grund += f"\nHinweis der Stabsstelle: {anfrage.kommentar}"
    if rm.eingereicht:
        reopen_rueckmeldung(rm, grund, user)  # history entry and mail to the organisation
    anfragen.tell_organisation(
        rm,
        f"Korrektur gewährt, bitte erneut einreichen: {rm.bogen.titel}",
        template=None,
        kind="rueckmeldung.wiedereroeffnet",
    )


def decline_korrektur(anfrage: RueckmeldungAnfrage, user: User, kommentar: str | None) -> None:
    """Keep the submitted answer; the organisation sees the Stabsstelle's comment."""
    _check(anfrage)
    anfragen.decline(
        anfrage,
        user,
        kommentar,
        art=EreignisArt.KORREKTUR_ABGELEHNT,
        betreff="Korrekturanfrage abgelehnt",
        kind="rueckmeldung.korrektur_abgelehnt",
    )


def _check(anfrage: RueckmeldungAnfrage) -> None:
    if anfrage.art != AnfrageArt.KORREKTUR:
        raise BeteiligungError("Diese Anfrage ist keine Korrekturanfrage.")
