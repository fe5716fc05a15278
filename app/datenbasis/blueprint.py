"""The datenbasis blueprint and the helpers its view modules share (loaders that answer 404, form status, rendering)."""

from __future__ import annotations

from typing import TypeVar

from flask import Blueprint, abort, redirect, url_for
from werkzeug.wrappers import Response

from app.core.forms import Form
from app.extensions import db

M = TypeVar("M")

bp = Blueprint("datenbasis", __name__)


def _redirect(endpoint: str, **values: object) -> Response:
    """Redirect after POST with 303, so a reload does not post again."""
    return redirect(url_for(endpoint, **values), 303)


def _get_or_none(model: type[M], object_id: int | None) -> M | None:
    """The row to edit, or None when a new one is created; unknown ids are 404."""
    return db.get_or_404(model, object_id) if object_id else None


def _form_status(form: Form) -> int:
    """422 when the submitted form has errors, else 200."""
    return 422 if form.errors else 200


def _require_valid(form: Form) -> None:
    """A bare button or confirmation form must validate (CSRF), else 400."""
    if not form.validate_on_submit():
        abort(400)
