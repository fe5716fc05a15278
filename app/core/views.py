"""Blueprint ``core``: start page and the public legal pages."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.abschnitte import abschnitte
from app.core.aufgaben import lagen, open_tasks
from app.core.datenstand import zwischengespeichert
from app.core.navigation import public_landing
from app.core.oeffentlichkeit import ist_oeffentlich
from app.core.startseite import kontext_fuer
from app.extensions import db

bp = Blueprint("core", __name__)
bp.add_app_template_global(abschnitte, "seitenabschnitte")
bp.add_app_template_global(ist_oeffentlich, "ist_oeffentlich")


@bp.route("/")
def index():
    """Logged-in users land on their start page, others on the public landing page."""
    return redirect(url_for("core.start" if current_user.is_authenticated else public_landing()))


@bp.route("/start")
@login_required
def start():
    """What is expected of the person: where their cycles stand, open tasks, their Gremien."""
    return render_template(
        "core/start.html",
        aufgaben=zwischengespeichert(
            ("aufgaben", current_user.id), lambda: tuple(open_tasks(current_user))
        ),
        lagen=zwischengespeichert(("lagen", current_user.id), lambda: tuple(lagen(current_user))),
        **kontext_fuer(current_user),
    )


@bp.route("/barrierefreiheit")
def public_barrierefreiheit():
    """Erklärung zur Barrierefreiheit (BITV 2.0)."""
    return render_template("core/barrierefreiheit.html")


@bp.route("/impressum")
def public_impressum():
    """Impressum from configuration."""
    return render_template("core/rechtstext.html", titel="Impressum", key="IMPRESSUM_TEXT")


@bp.route("/datenschutz")
def public_datenschutz():
    """Datenschutzerklärung from configuration."""
    return render_template("core/rechtstext.html", titel="Datenschutz", key="DATENSCHUTZ_TEXT")


@bp.route("/gesund")
def public_health():
    """Liveness probe for the load balancer."""
    db.session.execute(select(1))
    return {"status": "ok"}
