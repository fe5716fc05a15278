"""Blueprint ``beteiligung``: Rückmeldebögen for the Träger.

The routes live in modules that register on ``bp``: ``views_builder`` and ``views_fragen``
(the Stabsstelle builds and publishes), ``views_traeger`` (organisations fill in) and
``views_auswertung`` (status, results, export, reopening, impulses). Navigation and
start-page tasks are here.
"""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from sqlalchemy import select

from app.beteiligung import anfragen, services
from app.beteiligung.antworten import zahl_bereich_text
from app.beteiligung.blueprint import (  # noqa: F401  kept importable from views
    bogen_or_404,
    bp,
    rueckmeldung_or_404,
)
from app.beteiligung.ergebnisse import kategorien
from app.beteiligung.models import BogenFrage, BogenStatus, FrageTyp, Rueckmeldebogen
from app.beteiligung.permissions import editable, in_planungsrunde
from app.core.aufgaben import Aufgabe, aufgaben_provider
from app.core.i18n import datumzeit
from app.core.navigation import nav_entry
from app.core.permissions import can
from app.core.types import utcnow
from app.extensions import db

nav_entry("Offene Rückmeldungen", "beteiligung.offen", "rueckmeldung.eigene", order=35)
nav_entry("Rückmeldebögen", "beteiligung.liste", "rueckmeldebogen.verwalten", order=40)


@bp.app_template_global("rueckmeldung_optionen")
def wahl_optionen(frage: BogenFrage) -> list[tuple[str, str]]:
    """Label and value of each choice of a choice, scale, yes/no or matrix question."""
    if frage.typ == FrageTyp.SKALA:
        return [(label, str(n)) for n, label in enumerate(kategorien(frage), start=1)]
    if frage.typ == FrageTyp.JANEIN:
        return [("Ja", "ja"), ("Nein", "nein")]
    return [(o, o) for o in frage.optionen]


@bp.app_template_global("rueckmeldung_zahlbereich")
def zahlbereich(frage: BogenFrage) -> str:
    """The allowed range of a number question as a hint."""
    return zahl_bereich_text(frage)


@aufgaben_provider
def _offene_rueckmeldungen(user) -> list[Aufgabe]:
    """Träger staff: every open form of their organisation that is not submitted yet."""
    if not can(user, "rueckmeldung.eigene"):
        return []
    now = utcnow()
    return [
        Aufgabe(
            f"Rückmeldung „{rm.bogen.titel}“ ausfüllen",
            url_for("beteiligung.ausfuellen", bogen_id=rm.bogen_id),
            f"{rm.status.label}, Frist {datumzeit(rm.frist)}",
            dringend=rm.frist - now <= timedelta(days=rm.bogen.erinnerung_tage or 3),
        )
        for rm in services.offene_rueckmeldungen(user)
        if editable(rm, now)
    ]


@aufgaben_provider
def _anfragen(user) -> list[Aufgabe]:
    """The Stabsstelle: requests to decide; Träger staff: their requests awaiting a decision."""
    if can(user, "rueckmeldung.anfrage_entscheiden"):
        return [
            Aufgabe(
                f"{a.art.label} für {a.rueckmeldung.organisation.name} entscheiden: "
                f"„{a.rueckmeldung.bogen.titel}“",
                url_for("beteiligung.rueckmeldung", rueckmeldung_id=a.rueckmeldung_id),
                f"angefragt am {datumzeit(a.gestellt_at)}",
                dringend=True,
            )
            for a in anfragen.offene_anfragen()
        ]
    if not can(user, "rueckmeldung.eigene"):
        return []
    return [
        Aufgabe(
            f"Ihre Anfrage ({a.art.label}) zu „{a.rueckmeldung.bogen.titel}“",
            url_for("beteiligung.rueckmeldung", rueckmeldung_id=a.rueckmeldung_id),
            f"liegt seit {datumzeit(a.gestellt_at)} der Stabsstelle vor",
        )
        for a in anfragen.offene_anfragen(user.organisation_id)
    ]


@aufgaben_provider
def _freigegebene_ergebnisse(user) -> list[Aufgabe]:
    """Planungsrunde members: results the Stabsstelle released."""
    if getattr(user, "ist_stabsstelle", False) or not in_planungsrunde(user):
        return []
    boegen = db.session.scalars(
        select(Rueckmeldebogen)
        .where(
            Rueckmeldebogen.ergebnisse_freigegeben_at.is_not(None),
            Rueckmeldebogen.status != BogenStatus.ENTWURF,
        )
        .order_by(Rueckmeldebogen.ergebnisse_freigegeben_at.desc())
        .limit(5)
    ).all()
    return [
        Aufgabe(
            f"Ergebnisse „{b.titel}“ ansehen",
            url_for("beteiligung.ergebnisse", bogen_id=b.id),
            f"freigegeben am {datumzeit(b.ergebnisse_freigegeben_at)}",
        )
        for b in boegen
        if can(user, "rueckmeldebogen.ergebnisse", b)
    ]


from app.beteiligung import (  # noqa: E402, F401
    views_auswertung,
    views_builder,
    views_fragen,
    views_rueckmeldung,
    views_traeger,
)
