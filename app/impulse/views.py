"""Blueprint ``impulse``: the register, one impulse with its chain, direct entry.

Status moves, the answer and its publication live in ``views_aktionen``.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from app.core.datenstand import zwischengespeichert
from app.core.forms import options
from app.core.navigation import nav_entry
from app.core.permissions import require
from app.core.seiten import Blatt, blaettern
from app.core.seitenspeicher import je_leser, seite
from app.extensions import db
from app.impulse import services
from app.impulse.blueprint import (  # noqa: F401  kept importable from views
    bp,
    detail_inhalt,
    felder_form,
    impuls_or_404,
    render_detail,
    source_step,
    status_form,
)
from app.impulse.forms import (
    DirektImpulsForm,
    FilterForm,
)
from app.impulse.models import ImpulsAdressat
from app.planungsfelder import services as planungsfelder
from app.stammdaten.models import Sozialraum
from app.workflows.models import Zyklus

nav_entry("Impulse", "impulse.register", "impulse.register", order=45)
LIST_LIMIT = 50  # rows per page


def sozialraum_options(blank: str) -> list:
    rows = db.session.scalars(select(Sozialraum).order_by(Sozialraum.nummer))
    return options([(s.id, s.name) for s in rows], blank)


def zyklus_options(blank: str) -> list:
    rows = db.session.scalars(select(Zyklus).order_by(Zyklus.beginn.desc(), Zyklus.id.desc()))
    return options([(z.id, z.titel) for z in rows], blank)


def gremium_options(blank: str) -> list:
    return options([(g.id, g.name) for g in services.source_gremien()], blank)


@bp.route("/")
@login_required
def register():
    """All impulses, filtered by source, Gremium, Sozialraum, status and cycle."""
    require("impulse.register")
    form = FilterForm(request.args)
    auswahl = zwischengespeichert(("impulse-filterauswahl",), _filter_auswahl)
    form.gremium_id.choices = options(list(auswahl[0]), "– alle –")
    form.sozialraum_id.choices = options(list(auswahl[1]), "– alle –")
    form.zyklus_id.choices = options(list(auswahl[2]), "– alle –")
    form.planungsfeld_id.choices = options(list(auswahl[3]), "– alle –")
    if not form.validate():
        leer = Blatt([])
        inhalt = Markup(
            render_template("impulse/_register_inhalt.html", form=form, impulse=[], blatt=leer)
        )
        return render_template("impulse/register.html", inhalt=inhalt), 400
    schluessel = ("impulse-register", tuple(sorted(request.args.items(multi=True))))
    inhalt = zwischengespeichert(schluessel, lambda: _register_inhalt(form))
    return render_template("impulse/register.html", inhalt=inhalt)


def _filter_auswahl() -> tuple[tuple, tuple, tuple, tuple]:
    """(id, label) pairs of the four filter selects (plain values, kept until a write)."""
    gremien = tuple((g.id, g.name) for g in services.source_gremien())
    raeume = tuple(
        db.session.execute(select(Sozialraum.id, Sozialraum.name).order_by(Sozialraum.nummer))
    )
    zyklen = tuple(
        db.session.execute(
            select(Zyklus.id, Zyklus.titel).order_by(Zyklus.beginn.desc(), Zyklus.id.desc())
        )
    )
    return (
        gremien,
        tuple(map(tuple, raeume)),
        tuple(map(tuple, zyklen)),
        tuple(planungsfelder.form_choices()),
    )


def _register_inhalt(form: FilterForm) -> Markup:
    """Filter form and the page of impulses (pure: data and query arguments)."""
    filt = services.Filter(
        form.quelle.data or None,
        form.gremium_id.data,
        form.sozialraum_id.data,
        form.status.data or None,
        form.zyklus_id.data,
        form.planungsfeld_id.data,
    )
    blatt = blaettern(services.register_query(filt), LIST_LIMIT)
    return Markup(
        render_template(
            "impulse/_register_inhalt.html", form=form, impulse=blatt.eintraege, blatt=blatt
        )
    )


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def neu():
    """The Stabsstelle enters an impulse of the Verwaltungsvorstand or of politics."""
    require("impuls.anlegen")
    form = DirektImpulsForm(
        data=None if request.method == "POST" else {"adressiert_an": ImpulsAdressat.PLANUNGSRUNDE}
    )
    form.sozialraum_id.choices = sozialraum_options("– gesamte Stadt –")
    form.quelle_gremium_id.choices = gremium_options("– keines –")
    form.zyklus_id.choices = zyklus_options("– keinem Zyklus zugeordnet –")
    form.planungsfelder.choices = options(planungsfelder.form_choices())
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("impulse/neu.html", form=form), status
    try:
        impuls = services.create_impuls(
            form.titel.data,
            form.quelle.data,
            erstellt_von_id=current_user.id,
            beschreibung=form.beschreibung.data,
            thema=form.thema.data,
            sozialraum_id=form.sozialraum_id.data,
            adressiert_an=form.adressiert_an.data,
            zyklus_id=form.zyklus_id.data,
            quelle_gremium_id=form.quelle_gremium_id.data,
            planungsfelder=planungsfelder.resolve(form.planungsfelder.data),
        )
    except services.ImpulsError as exc:
        db.session.rollback()
        form.form_errors.append(exc.message)
        return render_template("impulse/neu.html", form=form), exc.status_code
    db.session.commit()
    flash("Der Impuls wurde angelegt.", "erfolg")
    return redirect(url_for("impulse.detail", impuls_id=impuls.id), 303)


@bp.route("/<int:impuls_id>")
@login_required
def detail(impuls_id: int):
    """One impulse: status, answer, and its chain from the source to the decisions."""
    return seite(*je_leser(("impuls-seite", impuls_id), lambda: _detail_inhalt(impuls_id)))


def _detail_inhalt(impuls_id: int) -> tuple[str, Markup, int]:
    impuls = impuls_or_404(impuls_id)
    require("impuls.ansehen", impuls)
    return detail_inhalt(impuls)


from app.impulse import felder, views_aktionen  # noqa: E402, F401
