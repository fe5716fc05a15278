"""Blueprint ``audit``: the Stabsstelle's filterable log, an object's history, exports.

Every route reads; no route edits or deletes an entry (``tests/audit/test_append_only.py``).
Downloads of data (CSV, XLSX, ZIP, JSON attachments) are recorded as export events by
``_record_export`` for every blueprint.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, g, get_template_attribute, render_template, request
from flask_login import current_user, login_required
from markupsafe import Markup

from app.audit import anzeige, erfassung, export, services
from app.audit.forms import FilterForm
from app.audit.models import Aktion, AuditEintrag
from app.core.datenstand import zwischengespeichert
from app.core.errors import german_abort
from app.core.navigation import nav_entry
from app.core.permissions import can, require
from app.core.seiten import Blatt, blaettern
from app.core.tabellen import CSV_TYPE, XLSX_TYPE
from app.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/protokoll")
nav_entry("Änderungsprotokoll", "audit.liste", "audit.ansehen", order=95)
PAGE_SIZE = 50
HISTORY_ON_PAGE = 10
EXPORT_TYPES = frozenset({"text/csv", XLSX_TYPE, "application/zip", "application/json"})


@bp.record_once
def _register_globals(state) -> None:
    """The history macro (``templates/audit/_verlauf.html``) reads through these globals."""
    state.app.jinja_env.globals.update(
        audit_verlauf_html=_history_html,
        audit_aenderungen=anzeige.changes,
        audit_objekt=anzeige.object_text,
    )


def _history_html(obj: Any, ueberschrift: str | None = None) -> Markup:
    """The history section of ``obj``'s page: the same for everyone who may read the log and
    free of forms, so it is rendered once until the next write."""
    if obj is None or not can(current_user, "audit.ansehen"):
        return Markup("")
    titel = None if ueberschrift is None else str(ueberschrift)
    key = ("verlauf", type(obj).__name__, erfassung.object_id(db.inspect(obj)), titel)
    return zwischengespeichert(key, lambda: _render_history(obj, ueberschrift))


def _render_history(obj: Any, ueberschrift: str | None) -> Markup:
    abschnitt = get_template_attribute("audit/_verlauf.html", "abschnitt")
    return Markup(abschnitt(_history_for_page(obj), ueberschrift))


def _history_for_page(obj: Any, limit: int = HISTORY_ON_PAGE) -> dict | None:
    """The latest entries about ``obj`` for its page; None for people who may not see the log."""
    if obj is None or not can(current_user, "audit.ansehen"):
        return None
    entries = services.history(obj, limit=limit + 1)
    state = db.inspect(obj)
    return {
        "eintraege": entries[:limit],
        "mehr": len(entries) > limit,
        "typ": erfassung.model_config(type(obj)).name,
        "id": erfassung.object_id(state),
    }


def _filter_form() -> tuple[FilterForm, services.Filter]:
    form = FilterForm(request.args, meta={"csrf": False})
    form.set_choices(
        services.actors(), services.object_types(), services.action_choices(), erfassung.type_label
    )
    if request.args and not form.validate():
        return form, None  # type: ignore[return-value]
    return form, services.Filter(
        akteur_id=form.person.data,
        objekt_typ=form.objekt_typ.data or None,
        objekt_id=form.objekt_id.data or None,
        aktion=form.aktion.data or None,
        von=form.von.data,
        bis=form.bis.data,
    )


@bp.route("/")
@login_required
def liste():
    """The log, newest first, filtered by person, object, action and period."""
    require("audit.ansehen")
    form, filt = _filter_form()
    blatt = blaettern(services.filtered(filt), PAGE_SIZE) if filt is not None else Blatt([])
    html = render_template(
        "audit/liste.html", form=form, eintraege=blatt.eintraege, blatt=blatt, args=blatt.args
    )
    return (html, 400) if filt is None else html


@bp.route("/<int:eintrag_id>")
@login_required
def detail(eintrag_id: int):
    """One entry with all differences and the other changes of the same transaction."""
    require("audit.ansehen")
    entry = db.get_or_404(AuditEintrag, eintrag_id)
    same = []
    if entry.vorgang:
        same = list(
            db.session.scalars(
                db.select(AuditEintrag)
                .where(AuditEintrag.vorgang == entry.vorgang, AuditEintrag.id != entry.id)
                .order_by(AuditEintrag.id)
                .limit(100)
            )
        )
    return render_template("audit/detail.html", eintrag=entry, vorgang=same)


@bp.route("/objekt/<typ>/<objekt_id>")
@login_required
def objekt(typ: str, objekt_id: str):
    """The whole history of one object, also after it was deleted."""
    require("audit.ansehen")
    if len(typ) > 80 or len(objekt_id) > 64:
        german_abort(404, "Dieses Objekt kommt im Protokoll nicht vor.")
    query = services.filtered(services.Filter(objekt_typ=typ, objekt_id=objekt_id))
    blatt = blaettern(query, PAGE_SIZE)
    if not blatt.eintraege and blatt.seite == 1:
        german_abort(404, "Dieses Objekt kommt im Protokoll nicht vor.")
    return render_template(
        "audit/objekt.html",
        eintraege=blatt.eintraege,
        blatt=blatt,
        typ=typ,
        objekt_id=objekt_id,
        typ_label=erfassung.type_label(typ),
    )


@bp.route("/export.<any(xlsx, csv):fmt>")
@login_required
def exportieren(fmt: str):
    """The filtered log as a spreadsheet (the download itself is recorded as an export)."""
    require("audit.ansehen")
    _form, filt = _filter_form()
    if filt is None:
        german_abort(400, "Der Filter ist ungültig. Bitte prüfen Sie die Angaben.")
    query = services.filtered(filt)
    if fmt == "xlsx":
        return _download(export.xlsx(query), XLSX_TYPE, "aenderungsprotokoll.xlsx")
    return _download(export.csv_bytes(query), CSV_TYPE, "aenderungsprotokoll.csv")


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.after_app_request
def _record_export(response: Response) -> Response:
    """A download of data is an audited event, whichever package serves it.

    Packages mark other downloads with ``g.audit_export = "Beschreibung"`` and exclude one
    with ``g.audit_export = False``.
    """
    marked = g.get("audit_export")
    if marked is False or response.status_code != 200:
        return response
    disposition = response.headers.get("Content-Disposition", "")
    if not marked and not (
        disposition.startswith("attachment") and response.mimetype in EXPORT_TYPES
    ):
        return response
    filename = disposition.partition("filename=")[2].strip('"') or request.path
    services.record_event(
        Aktion.EXPORT,
        hinweis=f"{marked if isinstance(marked, str) else 'Download'}: {filename} ({request.path})",
        label=filename[:300],
    )
    db.session.commit()
    return response
