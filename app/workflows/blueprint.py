"""The workflows blueprint and the helpers its view modules share (loaders that answer 404, form status, rendering)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.datenstand import zwischengespeichert
from app.core.forms import Form
from app.core.permissions import can, require
from app.extensions import db
from app.workflows import services
from app.workflows.diagram import build_diagram, phase_status, strang_status
from app.workflows.forms import StrangAbschlussForm, UebergangForm
from app.workflows.guards import Pruefung
from app.workflows.machine import PHASEN, STRANG_ABSCHLIESSEN
from app.workflows.models import Phase, Strang, Zyklus
from app.workflows.services import StaleState, WorkflowError

bp = Blueprint("workflows", __name__, url_prefix="/zyklen")

#: Renders a form page again after a refusal, or ``None`` when the form no longer applies.
RenderForm = Callable[[Zyklus, WorkflowError], ResponseReturnValue | None]


def _load(zyklus_id: int) -> Zyklus | None:
    """The cycle with everything its page shows, in a fixed number of queries."""
    return db.session.scalar(
        select(Zyklus)
        .options(
            selectinload(Zyklus.gremien),  # permissions read the person's own memberships
            selectinload(Zyklus.straenge).joinedload(Strang.gremium),
            selectinload(Zyklus.straenge).joinedload(Strang.abgeschlossen_von),
            selectinload(Zyklus.fristen),
            joinedload(Zyklus.vorgaenger),
        )
        .where(Zyklus.id == zyklus_id)
    )


def _visible(zyklus_id: int) -> Zyklus:
    """The cycle if the person may see it; 404 or 403 otherwise."""
    zyklus = _load(zyklus_id)
    if zyklus is None:
        abort(404)
    require("zyklus.ansehen", zyklus)
    return zyklus


def sichtbar_fuer_seite(zyklus_id: int) -> Zyklus:
    """The visible cycle with its Stränge (the page's rights need them); Gremien, deadlines and
    predecessor are loaded (one query each) only when the page's content is not cached."""
    zyklus = db.session.scalar(
        select(Zyklus)
        .options(
            selectinload(Zyklus.straenge).joinedload(Strang.gremium),
            selectinload(Zyklus.straenge).joinedload(Strang.abgeschlossen_von),
        )
        .where(Zyklus.id == zyklus_id)
    )
    if zyklus is None:
        abort(404)
    require("zyklus.ansehen", zyklus)
    return zyklus


def _permitted(zyklus_id: int, action: str) -> Zyklus:
    """The visible cycle if the person may also perform ``action`` on it."""
    zyklus = _visible(zyklus_id)
    require(action, zyklus)
    return zyklus


def _strang_of(zyklus: Zyklus, strang_id: int) -> Strang:
    """The cycle's Strang with this id; 404 if it belongs elsewhere."""
    strang = next((s for s in zyklus.straenge if s.id == strang_id), None)
    if strang is None:
        abort(404)
    return strang


def _done(zyklus_id: int, message: str) -> ResponseReturnValue:
    """Commit, flash the success message and go to the cycle page (303)."""
    db.session.commit()
    flash(message, "erfolg")
    return redirect(url_for("workflows.detail", zyklus_id=zyklus_id), 303)


def _form_page(template: str, **context: Any) -> ResponseReturnValue:
    """A form page: 200 when shown, 400 when a submission was invalid."""
    status = 400 if request.method == "POST" else 200
    return render_template(template, **context), status


def _refused(zyklus_id: int, exc: WorkflowError, render_form: RenderForm) -> ResponseReturnValue:
    """Answer a refused operation (nothing changed): the form again, or the cycle page if stale."""
    db.session.rollback()
    if exc.status_code in (403, 404):
        abort(exc.status_code)
    zyklus = _visible(zyklus_id)
    if not isinstance(exc, StaleState):
        page = render_form(zyklus, exc)
        if page is not None:
            return page[0], exc.status_code
    return _render_detail(zyklus, exc.status_code, exc.message)


def _form_problem(form: Form) -> str:
    """All validation messages of a form as one sentence."""
    return (
        " ".join(e for errors in form.errors.values() for e in errors)
        or "Die Anfrage ist unvollständig."
    )


def _invalid_request(zyklus: Zyklus, form: Form) -> ResponseReturnValue:
    """The cycle page with the form's validation messages (400)."""
    return _render_detail(zyklus, 400, _form_problem(form))


def _field_or_message(form: Form, exc: WorkflowError) -> str | None:
    """Attach a field-specific refusal to its field; otherwise it is shown on top."""
    if exc.field:
        form[exc.field].errors = [*form[exc.field].errors, exc.message]
        return None
    return exc.message


def _prepare_overrides(
    form: UebergangForm | StrangAbschlussForm, zyklus: Zyklus, pruefungen: list[Pruefung]
) -> None:
    """Offer checkboxes for failing guards the Stabsstelle may override."""
    failing = [p for p in pruefungen if not p.ok and p.guard.uebersteuerbar]
    form.uebersteuern.choices = (
        [(p.guard.name, p.guard.label) for p in failing]
        if can(current_user, "zyklus.uebersteuern", zyklus)
        else []
    )


def _override_args(form: UebergangForm | StrangAbschlussForm) -> dict[str, Any]:
    """The guard-override fields of a form as service keyword arguments."""
    return {
        "uebersteuern": form.uebersteuern.data or [],
        "uebersteuerung_begruendung": form.uebersteuerung_begruendung.data,
    }


def _render_checked(
    template: str,
    zyklus: Zyklus,
    form: UebergangForm | StrangAbschlussForm,
    pruefungen: list[Pruefung],
    **context: Any,
) -> ResponseReturnValue:
    """A confirmation page listing guard results, with overrides offered where allowed."""
    _prepare_overrides(form, zyklus, pruefungen)
    return render_template(
        template, zyklus=zyklus, pruefungen=pruefungen, form=form, **context
    ), 200


def _render_detail(
    zyklus: Zyklus, status: int = 200, fehler: str | None = None
) -> ResponseReturnValue:
    """The cycle page, optionally with an error message and a non-200 status."""
    return render_template(
        "workflows/detail.html", titel=zyklus.titel, inhalt=_seiteninhalt(zyklus), fehler=fehler
    ), status


def seite_fuer_leser(zyklus_id: int) -> ResponseReturnValue:
    """The cycle page as the logged-in person sees it, reused until the next write: a warm
    request loads nothing (the visibility check ran when the content was computed)."""
    titel, inhalt = zwischengespeichert(
        ("zyklus-seite-leser", zyklus_id, current_user.id),
        lambda: _titel_und_inhalt(sichtbar_fuer_seite(zyklus_id)),
    )
    return render_template("workflows/detail.html", titel=titel, inhalt=inhalt, fehler=None)


def _titel_und_inhalt(zyklus: Zyklus) -> tuple[str, Markup]:
    return zyklus.titel, _seiteninhalt(zyklus)


def _seiteninhalt(zyklus: Zyklus) -> Markup:
    """Diagram, steps, Stränge, deadlines and history for the reader's rights."""
    rechte = {
        action: can(current_user, f"zyklus.{action}", zyklus)
        for action in (
            "phase_wechseln",
            "verlauf_ansehen",
            "straenge_schliessen",
            "fristen_setzen",
            "folgezyklus",
        )
    }
    darf_strang = {s.id: can(current_user, STRANG_ABSCHLIESSEN, s) for s in zyklus.straenge}

    def inhalt() -> Markup:
        nachfolger = _nachfolger(zyklus)
        return Markup(
            render_template(
                "workflows/_detail_inhalt.html",
                zyklus=zyklus,
                phasen=list(Phase),
                info=PHASEN,
                phase_status=phase_status,
                strang_status=strang_status,
                diagramm=build_diagram(zyklus),
                diagramm_hoch=build_diagram(zyklus, hoch=True),
                schritte=zwischengespeichert(
                    ("naechste_schritte", zyklus.id), lambda: services.next_steps(zyklus)
                ),
                fristen=services.fristen_overview(zyklus),
                verlauf=services.history_of(zyklus.id) if rechte["verlauf_ansehen"] else None,
                darf_strang=darf_strang,
                rechte=rechte,
                nachfolger=nachfolger,
            )
        )

    schluessel = (
        "zyklus-seite",
        zyklus.id,
        tuple(sorted(rechte.items())),
        tuple(sorted(darf_strang.items())),
    )
    verlauf = Markup(render_template("workflows/_detail_aenderungen.html", zyklus=zyklus))
    return Markup(zwischengespeichert(schluessel, inhalt)) + verlauf


def _nachfolger(zyklus: Zyklus) -> Zyklus | None:
    """The follow-up cycle of a finished cycle, if one was started."""
    if zyklus.phase != Phase.ABGESCHLOSSEN:
        return None
    return db.session.scalar(select(Zyklus).where(Zyklus.vorgaenger_id == zyklus.id))
