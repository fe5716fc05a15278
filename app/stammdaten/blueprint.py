"""The stammdaten blueprint and the helpers its view modules share (loaders that answer 404, form status, rendering)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.auth.models import User
from app.core.forms import Form
from app.extensions import db
from app.stammdaten.forms import KEINE, ConfirmForm, options
from app.stammdaten.services import StammdatenError

bp = Blueprint("stammdaten", __name__, url_prefix="/stammdaten")

Page = tuple[str, int]


def render(template: str, bereich: str | None = None, status: int = 200, **context: Any) -> Page:
    """Render a master-data page; ``bereich`` marks the current sub-navigation entry."""
    return render_template(f"stammdaten/{template}", bereich=bereich, **context), status


def load(model: type, obj_id: int, *loader_options: Any) -> Any:
    """The row with ``obj_id`` (with loader options) or 404."""
    obj = db.session.scalar(select(model).options(*loader_options).where(model.id == obj_id))
    if obj is None:
        abort(404)
    return obj


def _show_error(form: Form, exc: StammdatenError) -> None:
    """Attach a service refusal to its form field, or to the form as a whole."""
    if exc.field and exc.field in form:
        form[exc.field].errors = [*form[exc.field].errors, exc.message]
    else:
        form.form_errors.append(exc.message)


def save(form: Form, action: Callable[[], Any]) -> Any | None:
    """Run one service call and commit; a refusal is shown in the form (returns None)."""
    try:
        result = action()
    except StammdatenError as exc:
        db.session.rollback()
        _show_error(form, exc)
        return None
    db.session.commit()
    return result


def save_form(
    form: Form,
    action: Callable[[], Any],
    erfolg: Callable[[Any], str],
    ziel: Callable[[Any], str],
) -> Response | None:
    """On a valid POST save, flash ``erfolg(result)`` and redirect to ``ziel(result)``."""
    if not form.validate_on_submit():
        return None
    result = save(form, action)
    if result is None:
        return None
    flash(erfolg(result), "erfolg")
    return redirect(ziel(result), 303)


def invalid_status() -> int:
    """A form that was sent but refused is answered with 400, a fresh form with 200."""
    return 400 if request.method == "POST" else 200


def confirm(
    *,
    titel: str,
    frage: str,
    knopf: str,
    zurueck: str,
    action: Callable[[], Any],
    erfolg: str,
    bereich: str,
    gefahr: bool = False,
    hinweis: str | None = None,
) -> Page | Response:
    """GET shows the confirmation page, POST runs ``action`` and commits."""
    form = ConfirmForm()
    fehler = None
    if form.validate_on_submit():
        try:
            action()
        except StammdatenError as exc:
            db.session.rollback()
            fehler = exc.message
        else:
            db.session.commit()
            flash(erfolg, "erfolg")
            return redirect(zurueck, 303)
    return render(
        "bestaetigen.html",
        bereich,
        status=409 if fehler else 200,
        form=form,
        titel=titel,
        frage=frage,
        knopf=knopf,
        zurueck=zurueck,
        gefahr=gefahr,
        hinweis=hinweis,
        fehler=fehler,
    )


def confirm_status(
    *,
    aktivieren: bool,
    artikel: str,
    nomen: str,
    bezeichnung: str,
    zurueck: str,
    action: Callable[[], Any],
    bereich: str,
    hinweis: str | None = None,
    knopf: str = "Deaktivieren",
) -> Page | Response:
    """Confirm deactivating or reactivating ``artikel nomen`` (e.g. "die", "Organisation")."""
    artikel_gross = artikel.capitalize()
    if aktivieren:
        knopf = "Wieder aktivieren"
        titel, frage = f"{bezeichnung} wieder aktivieren", "wieder aktiviert"
        erfolg = f"{artikel_gross} {bezeichnung} ist wieder aktiv."
    else:
        titel, frage = f"{bezeichnung} deaktivieren", "deaktiviert"
        erfolg = f"{artikel_gross} {bezeichnung} wurde deaktiviert."
    return confirm(
        titel=titel,
        frage=f"Soll {artikel} {nomen} {frage} werden?",
        hinweis=hinweis,
        knopf=knopf,
        gefahr=not aktivieren,
        zurueck=zurueck,
        action=action,
        erfolg=erfolg,
        bereich=bereich,
    )


def count_by(key: Any, *conditions: Any, join: tuple[Any, Any] | None = None) -> dict[Any, int]:
    """Number of rows per value of ``key`` that meet ``conditions``."""
    query = select(key, func.count())
    if join is not None:
        query = query.join(*join)
    return dict(db.session.execute(query.where(*conditions).group_by(key)).all())


def get_or_none(model: type, obj_id: int | None) -> Any:
    """The row with ``obj_id``, or None when no id was chosen."""
    return db.session.get(model, obj_id) if obj_id is not None else None


def blank(pairs: list) -> list:
    """Choices with the empty "keine" entry first."""
    return options(pairs, KEINE)


def user_label(user: User) -> str:
    """A person as shown in choices: name and address."""
    return f"{user.name} ({user.email})"
