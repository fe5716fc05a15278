"""Interview summary routes of the ``datenbasis`` blueprint."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_login import login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from app.core.permissions import require
from app.datenbasis.blueprint import _get_or_none, _redirect, bp
from app.datenbasis.forms import InterviewForm, choices
from app.datenbasis.models import Interview, Schlagwort
from app.datenbasis.services import personal_data_hints, save_interview, sozialraeume
from app.extensions import db


@bp.route("/datenbasis/interviews")
@login_required
def interviews() -> str:
    """Interview summaries, filterable by tag and Sozialraum."""
    require("datenbasis.ansehen")
    tag = (request.args.get("schlagwort") or "").strip()
    raum_id = request.args.get("sozialraum", type=int)
    query = select(Interview).options(
        joinedload(Interview.sozialraum), selectinload(Interview.schlagworte)
    )
    if tag:
        query = query.where(Interview.schlagworte.any(func.lower(Schlagwort.name) == tag.lower()))
    if raum_id:
        query = query.where(Interview.sozialraum_id == raum_id)
    rows = db.session.scalars(
        query.order_by(Interview.datum.desc().nulls_last(), Interview.id.desc())
    ).all()
    tags = db.session.scalars(select(Schlagwort.name).order_by(Schlagwort.name)).all()
    return render_template(
        "datenbasis/interviews.html",
        interviews=rows,
        tags=tags,
        tag=tag,
        raeume=sozialraeume(),
        raum_id=raum_id,
    )


@bp.route("/datenbasis/interviews/neu", methods=["GET", "POST"])
@bp.route("/datenbasis/interviews/<int:interview_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def interview_bearbeiten(interview_id: int | None = None) -> Response | tuple[str, int]:
    """Record a summary; text that looks like personal data needs an explicit confirmation."""
    require("datenbasis.bearbeiten")
    interview = _get_or_none(Interview, interview_id)
    form = InterviewForm(obj=interview)
    form.sozialraum_id.choices = choices(
        [(0, "Gesamtstadt"), *((r.id, r.name) for r in sozialraeume())]
    )
    if request.method == "GET" and interview:
        form.schlagworte.data = ", ".join(s.name for s in interview.schlagworte)
    hints: list[str] = []
    if form.validate_on_submit():
        hints = personal_data_hints(f"{form.titel.data}\n{form.zusammenfassung.data}")
        if not hints or form.keine_personendaten.data:
            saved = _save(interview, form)
            db.session.commit()
            flash(f"Die Zusammenfassung „{saved.titel}“ wurde gespeichert.", "erfolg")
            return _redirect("datenbasis.interviews")
    status = 422 if form.errors or hints else 200
    page = render_template(
        "datenbasis/interview_form.html", form=form, interview=interview, hints=hints
    )
    return page, status


def _save(interview: Interview | None, form: InterviewForm) -> Interview:
    """Save the validated form through the service (flushes, does not commit)."""
    return save_interview(
        interview,
        titel=form.titel.data,
        datum=form.datum.data,
        sozialraum_id=form.sozialraum_id.data,
        zusammenfassung=form.zusammenfassung.data,
        schlagworte=form.schlagworte.data or "",
    )
