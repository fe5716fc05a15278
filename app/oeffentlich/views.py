"""Blueprint ``oeffentlich``: the public portal, the landing page for visitors without login.

Route modules: ``views_sitzungen`` (calendar, meetings, feeds, files, minutes),
``views_rechenschaft`` (impulses and measures), ``views_vorlagen`` (Vorlagen with their
decisions), ``views_verwaltung`` (the Stabsstelle's
overview of what is public). Everything here only reads; nothing needs a login except the
overview.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import abort, render_template, url_for
from flask_babel import format_date

from app.core.navigation import public_nav_entry, set_public_landing
from app.oeffentlich import rechenschaft, services
from app.oeffentlich.blueprint import (
    bp,
)

set_public_landing("oeffentlich.start")
public_nav_entry("Start", "oeffentlich.start", 0)
public_nav_entry("Planungszyklus", "oeffentlich.zyklus", 10)
public_nav_entry("Sozialreports", "datenbasis.public_berichte", 20, ("datenbasis.public_bericht",))
public_nav_entry("Sitzungen", "oeffentlich.sitzungen", 30, ("oeffentlich.sitzung",))
public_nav_entry("Protokolle", "oeffentlich.protokolle", 40, ("oeffentlich.protokoll",))
public_nav_entry("Impulse", "oeffentlich.impulse", 50, ("oeffentlich.impuls",))
public_nav_entry("Maßnahmen", "oeffentlich.massnahmen", 60, ("oeffentlich.massnahme",))
public_nav_entry("Vorlagen", "oeffentlich.vorlagen", 65, ("oeffentlich.vorlage",))
public_nav_entry("Stadtbereiche", "oeffentlich.stadtbereiche", 70, ("oeffentlich.stadtbereich",))


@bp.app_template_filter("monat_jahr")
def _monat_jahr(value: date) -> str:
    """Mai 2026."""
    return format_date(value, "MMMM yyyy")


@bp.app_template_filter("wochentag_datum")
def _wochentag_datum(value: date) -> str:
    """Dienstag, 12.05.2026."""
    return format_date(value, "EEEE, dd.MM.yyyy")


@bp.app_template_filter("monat_param")
def _monat_param(value: datetime) -> str:
    """The ``monat`` query value (Berlin calendar) of a moment."""
    return value.astimezone(services.BERLIN).strftime("%Y-%m")


@bp.route("/")
def start() -> str:
    """What the city's Sozialplanung is doing now, and where to read more."""
    zyklus = services.current_zyklus()
    return render_template(
        "oeffentlich/start.html",
        zyklus=zyklus,
        stationen=services.timeline(zyklus) if zyklus else [],
        bericht=rechenschaft.latest_report(),
        sitzungen=services.upcoming_meetings(limit=5),
        impulse=rechenschaft.public_impulse(limit=3),
        massnahmen=rechenschaft.public_massnahmen(limit=3),
    )


@bp.route("/planungszyklus")
def zyklus() -> str:
    """The current cycle as a timeline: phases with dates, what happens, where it stands."""
    z = services.current_zyklus()
    return render_template(
        "oeffentlich/zyklus.html", zyklus=z, stationen=services.timeline(z) if z else []
    )


@bp.route("/stadtbereiche/")
def stadtbereiche() -> str:
    """The Sozialräume, each with its released impulses and measures counted, and a map."""
    from app.karten.services import werte_karte

    raeume = rechenschaft.sozialraeume()
    zaehlung = rechenschaft.counts_per_sozialraum()
    karte = werte_karte(
        "stadtbereiche-karte",
        "Karte: veröffentlichte Maßnahmen je Stadtbereich",
        "der Zahl veröffentlichter Maßnahmen",
        "Anzahl der Maßnahmen",
        {r.id: float(zaehlung[r.id].massnahmen if r.id in zaehlung else 0) for r in raeume},
        url_gebiet=lambda rid: url_for("oeffentlich.stadtbereich", sozialraum_id=rid),
    )
    return render_template(
        "oeffentlich/stadtbereiche.html",
        raeume=raeume,
        zaehlung=zaehlung,
        karte=karte,
        link_gebiet=lambda rid: url_for("oeffentlich.stadtbereich", sozialraum_id=rid),
    )


@bp.route("/stadtbereiche/<int:sozialraum_id>")
def stadtbereich(sozialraum_id: int) -> str:
    """Everything public about one Sozialraum on one page."""
    raum = rechenschaft.sozialraum(sozialraum_id)
    if raum is None:
        abort(404)
    gremien = rechenschaft.gremien_of(raum.id)
    sitzungen = services.upcoming_meetings(limit=10, gremium_ids=[g.id for g in gremien])
    protokolle = services.public_minutes(gremium_ids=[g.id for g in gremien], limit=10)
    return render_template(
        "oeffentlich/stadtbereich.html",
        raum=raum,
        gremien=gremien,
        sitzungen=sitzungen,
        protokolle=protokolle,
        impulse=rechenschaft.public_impulse(sozialraum_id=raum.id, limit=50),
        massnahmen=rechenschaft.public_massnahmen(sozialraum_id=raum.id, limit=50),
        bericht=rechenschaft.latest_report(),
    )


# Route modules register on ``bp``; imported last because they import ``bp`` from here.
from app.oeffentlich import (  # noqa: E402
    views_rechenschaft,
    views_sitzungen,
    views_verwaltung,
    views_vorlagen,
)

__all__ = ["bp", "views_rechenschaft", "views_sitzungen", "views_verwaltung", "views_vorlagen"]
