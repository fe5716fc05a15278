"""Blueprint ``protokolle``: the list of meetings with minutes, one minutes page, downloads.

Writing routes (upload, results, impulses, approval) live in ``views_bearbeiten``.
"""

from __future__ import annotations

from flask import Response, abort, current_app, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from app.core.datenstand import zwischengespeichert
from app.core.navigation import nav_entry
from app.core.permissions import can, require
from app.core.seiten import aktuelle_seite, blaettern
from app.dateien.services import send_datei
from app.protokolle import services, vorlage
from app.protokolle import zyklus as _guard  # noqa: F401  (registers "Protokoll liegt vor")
from app.protokolle.blueprint import (  # noqa: F401  kept importable from views
    bp,
    load,
    render_page,
    sozialraum_options,
)
from app.protokolle.models import Protokoll
from app.sitzungen.models import Sitzung

nav_entry("Protokolle", "protokolle.liste", "protokolle.liste", order=32)
LIST_LIMIT = 50  # rows per page


def require_read(sitzung: Sitzung, protokoll: Protokoll | None) -> None:
    """Drafts for writers and approvers; approved minutes for members (or all, if public)."""
    if can(current_user, "protokoll.entwurf_ansehen", sitzung):
        return
    if (
        protokoll is not None
        and protokoll.freigegeben
        and can(current_user, "protokoll.ansehen", sitzung)
    ):
        return
    if not current_user.is_authenticated:
        abort(current_app.login_manager.unauthorized())
    abort(403)


@bp.route("/")
@login_required
def liste():
    """Held meetings the person may read minutes of, with the state of the minutes."""
    require("protokolle.liste")
    args = tuple(sorted(request.args.items(multi=True)))
    schluessel = ("protokolle", current_user.id, aktuelle_seite(), args)
    return render_template(
        "protokolle/liste.html", inhalt=zwischengespeichert(schluessel, _liste_inhalt)
    )


def _liste_inhalt() -> Markup:
    """One page of the meetings the reader may read minutes of (the rights are the reader's)."""
    blatt = blaettern(services.visible_sitzungen(current_user), LIST_LIMIT, scalars=False)
    return Markup(
        render_template("protokolle/_liste_inhalt.html", rows=blatt.eintraege, blatt=blatt)
    )


@bp.route("/sitzung/<int:sitzung_id>")
def detail(sitzung_id: int):
    """The minutes of one meeting: file revisions, results, impulses; forms for the writers."""
    sitzung, protokoll = load(sitzung_id)
    require_read(sitzung, protokoll)
    if not current_user.is_authenticated:  # visitors read released minutes in the portal
        return redirect(url_for("oeffentlich.protokoll", sitzung_id=sitzung.id))
    return render_page(sitzung, protokoll)


@bp.route("/sitzung/<int:sitzung_id>/fassungen/<int:revision_id>")
def datei(sitzung_id: int, revision_id: int):
    """Download one revision of the minutes file (whoever may read the minutes)."""
    sitzung, protokoll = load(sitzung_id)
    require_read(sitzung, protokoll)
    if protokoll is None:  # a meeting without minutes has no file versions
        abort(404)
    revision = next((r for r in protokoll.revisionen if r.id == revision_id), None)
    if revision is None:
        abort(404)
    if not current_user.is_authenticated:  # visitors get only the current, released file
        if revision is not protokoll.aktuelle_revision:
            abort(404)
        return redirect(url_for("oeffentlich.datei", datei_id=revision.datei_id, download=1))
    return send_datei(revision.datei)


@bp.route("/sitzung/<int:sitzung_id>/protokollvorlage.docx")
@login_required
def vorlage_docx(sitzung_id: int):
    """The minutes template with the meeting's data, for those who write or approve them."""
    sitzung = services.sitzung_or_none(sitzung_id)
    if sitzung is None:
        abort(404)
    require("protokoll.vorlage", sitzung)
    g.audit_export = "Protokollvorlage"  # names the invitees and their replies
    response = Response(vorlage.protokollvorlage(sitzung), mimetype=vorlage.DOCX_TYPE)
    name = vorlage.vorlage_dateiname(sitzung)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


from app.protokolle import aufgaben, views_bearbeiten  # noqa: E402, F401
