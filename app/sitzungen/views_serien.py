"""Meeting series with preview, copies of a meeting, and the annual plan (page, XLSX, .ics)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.forms import option
from app.core.permissions import can, require
from app.extensions import db
from app.sitzungen import jahresplan, kalender, serien, services
from app.sitzungen.blueprint import bp, form_status, sitzung_or_404
from app.sitzungen.forms_serien import KopieForm, SerieForm
from app.stammdaten.models import Gremium


def _serie(form: SerieForm) -> serien.Serie:
    return serien.Serie(
        jahr=form.jahr.data,
        regel=serien.Regel(form.regel.data),
        wochentag=form.wochentag.data,
        nummer=form.nummer.data,
        intervall=form.intervall.data or 1,
        beginn=form.beginn.data,
        dauer_minuten=form.dauer.data,
        feiertage_auslassen=form.feiertage.data,
    )


@bp.route("/serie", methods=["GET", "POST"])
@login_required
def serie():
    """Plan a Gremium's meetings for a year from a rule: preview first, then create."""
    gremien = services.creatable_gremien(current_user)
    if not gremien:
        require("sitzung.anlegen")
    form = SerieForm()
    form.gremium_id.choices = [option(g.id, g.name) for g in gremien]
    if request.method == "GET":
        form.jahr.data = form.jahr.data or jahresplan.default_jahr()
        form.gremium_id.data = request.args.get("gremium", type=int)
    termine: list[serien.Termin] = []
    if form.validate_on_submit():
        gremium = db.session.get(Gremium, form.gremium_id.data)
        require("sitzung.anlegen", gremium)
        regel = _serie(form)
        if form.anlegen.data:
            angelegt = serien.create_serie(
                gremium, regel, current_user, titel=form.titel.data, ort_name=form.ort_name.data
            )
            db.session.commit()
            n = len(angelegt)
            flash(
                f"{n} Sitzung{'' if n == 1 else 'en'} der {gremium.name} für {regel.jahr} "
                f"angelegt ({regel.beschreibung()}).",
                "erfolg",
            )
            return redirect(url_for("sitzungen.jahresplan", jahr=regel.jahr, gremium=gremium.id))
        termine = serien.termine(regel, gremium.id)
    page = render_template("sitzungen/serie.html", form=form, termine=termine)
    return page, form_status(form)


@bp.route("/<int:sitzung_id>/kopieren", methods=["GET", "POST"])
@login_required
def kopieren(sitzung_id: int):
    """A new planned meeting with this one's place, duration and agenda."""
    original = sitzung_or_404(sitzung_id)
    require("sitzung.anlegen", original.gremium)
    form = KopieForm()
    if request.method == "GET":
        form.titel.data = original.titel
        form.beginn.data = services.utc_to_berlin_naive(original.beginn)
    if form.validate_on_submit():
        kopie = serien.copy_sitzung(
            original, services.berlin_to_utc(form.beginn.data), current_user, form.titel.data
        )
        db.session.commit()
        flash("Die Sitzung wurde mit ihrer Tagesordnung kopiert.", "erfolg")
        return redirect(url_for("sitzungen.detail", sitzung_id=kopie.id))
    page = render_template("sitzungen/kopieren.html", form=form, sitzung=original)
    return page, form_status(form)


def _plan_args() -> tuple[int, Gremium | None]:
    jahr = request.args.get("jahr", type=int) or jahresplan.default_jahr()
    if not 2000 <= jahr <= 2099:
        abort(404)
    gremium_id = request.args.get("gremium", type=int)
    gremium = db.session.get(Gremium, gremium_id) if gremium_id else None
    if gremium_id and gremium is None:
        abort(404)
    return jahr, gremium


@bp.route("/jahresplan", endpoint="jahresplan")
@login_required
def jahresplan_seite():
    """The year's meetings by month (print view), for one Gremium or all the person sees."""
    jahr, gremium = _plan_args()
    alle = jahresplan.sitzungen_im_jahr(current_user, jahr, None)
    gremien = sorted({s.gremium for s in alle}, key=lambda g: g.name)
    if gremium is not None and gremium not in gremien:
        gremien.append(gremium)
    sitzungen = [s for s in alle if gremium is None or s.gremium_id == gremium.id]
    return render_template(
        "sitzungen/jahresplan.html",
        jahr=jahr,
        gremium=gremium,
        monate=jahresplan.nach_monat(sitzungen),
        anzahl=len(sitzungen),
        gremien=gremien,
        darf_planen=can(current_user, "sitzung.anlegen", gremium) if gremium else False,
        zeile=jahresplan.zeile,
    )


def _dateiname(jahr: int, gremium: Gremium | None, endung: str) -> str:
    teil = f"-{gremium.id}" if gremium else ""
    return f"sitzungsplan-{jahr}{teil}.{endung}"


@bp.route("/jahresplan.xlsx")
@login_required
def jahresplan_xlsx():
    """The plan as an Excel workbook with German headers."""
    jahr, gremium = _plan_args()
    sitzungen = jahresplan.sitzungen_im_jahr(current_user, jahr, gremium.id if gremium else None)
    titel = f"Sitzungsplan {jahr}" + (f" – {gremium.name}" if gremium else "")
    return (
        jahresplan.als_xlsx(sitzungen, titel),
        200,
        {
            "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Content-Disposition": f'attachment; filename="{_dateiname(jahr, gremium, "xlsx")}"',
        },
    )


@bp.route("/jahresplan.ics")
@login_required
def jahresplan_ics():
    """The plan as a calendar file (PUBLISH) to import once."""
    jahr, gremium = _plan_args()
    sitzungen = jahresplan.sitzungen_im_jahr(current_user, jahr, gremium.id if gremium else None)
    name = f"Sitzungsplan {jahr}" + (f" – {gremium.name}" if gremium else "")
    return (
        kalender.publish_ics(sitzungen, name=name),
        200,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{_dateiname(jahr, gremium, "ics")}"',
        },
    )
