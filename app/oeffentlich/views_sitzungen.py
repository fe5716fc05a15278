"""Public calendar by month, meeting pages with agenda and documents, feeds, minutes."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, render_template, request, url_for

from app.core.markdown import render_markdown
from app.dateien.services import send_datei
from app.extensions import db
from app.oeffentlich import drucksachen, services
from app.oeffentlich.blueprint import bp
from app.sitzungen import kalender
from app.sitzungen.models import Sitzung
from app.stammdaten.models import Gremium


def _month(value: str | None) -> tuple[int, int]:
    """``2026-05`` from the query string, else the current month (Berlin)."""
    today = services.berlin_today()
    if not value:
        return today.year, today.month
    try:
        jahr, monat = (int(part) for part in value.split("-", 1))
        date(jahr, monat, 1)
    except ValueError:
        return today.year, today.month
    if not 1900 <= jahr <= 2999:
        return today.year, today.month
    return jahr, monat


def _shift(jahr: int, monat: int, delta: int) -> str:
    index = jahr * 12 + (monat - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value and value > 0 else None


def webcal(endpoint: str, **values: object) -> str:
    """A ``webcal://`` address calendar programs subscribe to."""
    url = url_for(endpoint, _external=True, **values)
    return "webcal://" + url.split("://", 1)[1]


@bp.route("/sitzungen/")
def sitzungen() -> str:
    """Public meetings of one month, grouped by day, optionally of one Gremium."""
    jahr, monat = _month(request.args.get("monat"))
    gremium_id = _int_arg("gremium")
    gremien = services.gremien_with_public_meetings()
    gremium = next((g for g in gremien if g.id == gremium_id), None)
    rows = services.meetings_in_month(jahr, monat, gremium.id if gremium else None)
    tage: dict[date, list[Sitzung]] = {}
    for sitzung in rows:
        tage.setdefault(sitzung.beginn.astimezone(services.BERLIN).date(), []).append(sitzung)
    return render_template(
        "oeffentlich/sitzungen.html",
        monat=date(jahr, monat, 1),
        tage=tage,
        gremien=gremien,
        gremium=gremium,
        vorher=_shift(jahr, monat, -1),
        nachher=_shift(jahr, monat, 1),
        protokolle=services.minutes_flags([s.id for s in rows]),
        abo_alle=webcal("oeffentlich.kalender_alle"),
        abo_gremium=webcal("oeffentlich.kalender_gremium", gremium_id=gremium.id)
        if gremium
        else None,
    )


@bp.route("/sitzungen/<int:sitzung_id>")
def sitzung(sitzung_id: int) -> str:
    """A public meeting: date, place, agenda with documents, minutes when released."""
    found = services.public_meeting(sitzung_id)
    if found is None:
        abort(404)
    return render_template(
        "oeffentlich/sitzung.html",
        sitzung=found,
        protokoll=services.public_minutes_of(found.id),
        vorlagen=drucksachen.vorlagen_of_tops([t.id for t in found.tagesordnungspunkte]),
        abo_gremium=webcal("oeffentlich.kalender_gremium", gremium_id=found.gremium_id),
    )


def _public_url(sitzung: Sitzung) -> str:
    return url_for("oeffentlich.sitzung", sitzung_id=sitzung.id, _external=True)


def _ics(data: bytes, filename: str, attachment: bool) -> Response:
    response = Response(data)
    response.headers["Content-Type"] = kalender.CALENDAR_CONTENT_TYPE
    disposition = "attachment" if attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@bp.route("/sitzungen/<int:sitzung_id>.ics")
def sitzung_ics(sitzung_id: int) -> Response:
    """One public meeting as a calendar file."""
    found = services.public_meeting(sitzung_id)
    if found is None:
        abort(404)
    data = kalender.publish_ics([found], public_url=_public_url)
    return _ics(data, f"sitzung-{found.id}.ics", attachment=True)


@bp.route("/kalender.ics")
def kalender_alle() -> Response:
    """All public meetings as a subscribable calendar."""
    from flask import current_app

    name = f"Sozialplanung {current_app.config['ORGANISATION_NAME']} – öffentliche Sitzungen"
    data = kalender.publish_ics(services.feed_meetings(), name, public_url=_public_url)
    return _ics(data, "oeffentliche-sitzungen.ics", attachment=False)


@bp.route("/gremien/<int:gremium_id>/kalender.ics")
def kalender_gremium(gremium_id: int) -> Response:
    """The public meetings of one Gremium as a subscribable calendar."""
    gremium = db.session.get(Gremium, gremium_id)
    if gremium is None:
        abort(404)
    data = kalender.publish_ics(
        services.feed_meetings(gremium.id),
        f"{gremium.name} – öffentliche Sitzungen",
        public_url=_public_url,
    )
    return _ics(data, f"gremium-{gremium.id}.ics", attachment=False)


@bp.route("/dateien/<int:datei_id>")
def datei(datei_id: int) -> Response:
    """A public document (agenda item or minutes); ``?download=1`` saves it."""
    found = services.public_file(datei_id)
    if found is None:
        abort(404)
    return send_datei(found, as_attachment=request.args.get("download") == "1")


@bp.route("/protokolle/")
def protokolle() -> str:
    """Released minutes of public meetings, filtered by Gremium and year."""
    gremien = services.minutes_gremien()
    gremium_id = _int_arg("gremium")
    gremium = next((g for g in gremien if g.id == gremium_id), None)
    jahr = services.year_filter_value(request.args.get("jahr"))
    return render_template(
        "oeffentlich/protokolle.html",
        protokolle=services.public_minutes(gremium.id if gremium else None, jahr),
        gremien=gremien,
        gremium=gremium,
        jahre=services.minutes_years(),
        jahr=jahr,
    )


@bp.route("/protokolle/<int:sitzung_id>")
def protokoll(sitzung_id: int) -> str:
    """The released minutes of one public meeting."""
    found = services.public_minutes_of(sitzung_id)
    if found is None:
        abort(404)
    return render_template(
        "oeffentlich/protokoll.html",
        protokoll=found,
        sitzung=found.sitzung,
        ergebnisse=render_markdown(found.ergebnisse or ""),
        vereinbarungen=render_markdown(found.vereinbarungen or ""),
    )


@bp.route("/gremien/<int:gremium_id>")
def gremium(gremium_id: int) -> str:
    """A Gremium: what it does, its next public meetings, office holders who agreed."""
    found = db.session.get(Gremium, gremium_id)
    if found is None:
        abort(404)
    return render_template(
        "oeffentlich/gremium.html",
        gremium=found,
        sitzungen=services.upcoming_meetings(limit=10, gremium_ids=[found.id]),
        protokolle=services.public_minutes(gremium_id=found.id, limit=10),
        mitglieder=services.public_members(found.id),
        abo=webcal("oeffentlich.kalender_gremium", gremium_id=found.id),
    )
