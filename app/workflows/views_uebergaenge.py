"""Transition routes of ``workflows``: phase changes and referrals, concluding and closing Stränge."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.core.errors import german_abort
from app.core.i18n import anzahl
from app.core.permissions import require
from app.workflows import services
from app.workflows.blueprint import (
    _done,
    _field_or_message,
    _invalid_request,
    _override_args,
    _permitted,
    _refused,
    _render_checked,
    _render_detail,
    _strang_of,
    _visible,
    bp,
)
from app.workflows.forms import StraengeSchliessenForm, StrangAbschlussForm, UebergangForm
from app.workflows.guards import evaluate_strang, evaluate_transition
from app.workflows.machine import PHASEN, STRANG_ABSCHLIESSEN, Uebergang, find_uebergang
from app.workflows.models import Phase, Strang, Zyklus
from app.workflows.services import WorkflowError

# --------------------------------------------------------------------------- phase change


@bp.route("/<int:zyklus_id>/phase", methods=["GET", "POST"])
@login_required
def phase(zyklus_id: int) -> ResponseReturnValue:
    """GET: confirm a move (nothing changes). POST: perform it, or answer 400/409 in German."""
    zyklus = _permitted(zyklus_id, "zyklus.phase_wechseln")
    form = UebergangForm()
    if request.method == "GET":
        return _confirm_uebergang(zyklus, form)
    if not form.validate_on_submit():
        return _invalid_request(zyklus, form)
    try:
        entry = services.change_phase(
            zyklus.id,
            form.nach.data,
            user=current_user,
            expected_version=form.version.data,
            begruendung=form.begruendung.data,
            **_override_args(form),
        )
    except WorkflowError as exc:
        return _refused(zyklus_id, exc, lambda z, e: _retry_uebergang(z, form, e))
    verb = (
        "zurückverwiesen an"
        if entry.von_phase.index > entry.nach_phase.index
        else "ist jetzt in der Phase"
    )
    return _done(zyklus_id, f"„{zyklus.titel}“ {verb} „{entry.nach_phase.kurz}“.")


def _render_uebergang(
    zyklus: Zyklus, uebergang: Uebergang, form: UebergangForm, fehler: str | None = None
) -> ResponseReturnValue:
    """The confirmation page of a move, worded as a referral when it goes back."""
    pruefungen = evaluate_transition(zyklus, uebergang)
    if uebergang.rueckverweisung:
        form.begruendung.label.text = "Begründung der Rückverweisung"
        form.begruendung.flags.required = True
        form.submit.label.text = "Zurückverweisen"
    empfaenger = [g.name for g in zyklus.gremien if g.typ in PHASEN[uebergang.nach].gremium_typen]
    return _render_checked(
        "workflows/uebergang.html",
        zyklus,
        form,
        pruefungen,
        uebergang=uebergang,
        fehler=fehler,
        empfaenger=empfaenger,
    )


def _confirm_uebergang(zyklus: Zyklus, form: UebergangForm) -> ResponseReturnValue:
    """The confirmation page for the move named in ``?nach=``; 400 if there is no such move."""
    try:
        ziel = Phase(request.args.get("nach", ""))
    except ValueError:
        german_abort(400, "Bitte wählen Sie eine gültige Zielphase.")
    uebergang = find_uebergang(zyklus.phase, ziel)
    if uebergang is None:
        german_abort(
            400, f"Von „{zyklus.phase.kurz}“ ist kein Wechsel nach „{ziel.kurz}“ vorgesehen."
        )
    form.nach.data = ziel.value
    form.version.data = zyklus.version
    return _render_uebergang(zyklus, uebergang, form)


def _retry_uebergang(
    zyklus: Zyklus, form: UebergangForm, exc: WorkflowError
) -> ResponseReturnValue | None:
    """The confirmation page again with the refusal, when the move is still the right one."""
    uebergang = find_uebergang(zyklus.phase, form.ziel()) if form.ziel() else None
    if uebergang is None:
        return None
    return _render_uebergang(zyklus, uebergang, form, _field_or_message(form, exc))


# --------------------------------------------------------------------------- Stränge


def _render_strang(
    zyklus: Zyklus, strang: Strang, form: StrangAbschlussForm, fehler: str | None = None
) -> ResponseReturnValue:
    """The confirmation page for concluding one Strang."""
    return _render_checked(
        "workflows/strang.html", zyklus, form, evaluate_strang(strang), strang=strang, fehler=fehler
    )


@bp.route("/<int:zyklus_id>/straenge/<int:strang_id>/abschliessen", methods=["GET", "POST"])
@login_required
def strang_abschliessen(zyklus_id: int, strang_id: int) -> ResponseReturnValue:
    """Conclude one Strang (Stabsstelle or the Gremium's Vorsitz/Moderation), with confirmation."""
    zyklus = _visible(zyklus_id)
    strang = _strang_of(zyklus, strang_id)
    require(STRANG_ABSCHLIESSEN, strang)
    form = StrangAbschlussForm()
    if request.method == "GET":
        if not _strang_abschliessbar(zyklus, strang):
            return _render_detail(
                zyklus, 400, "Dieser Strang kann zurzeit nicht abgeschlossen werden."
            )
        form.version.data = zyklus.version
        return _render_strang(zyklus, strang, form)
    if not form.validate_on_submit():
        return _invalid_request(zyklus, form)
    try:
        services.close_strang(
            strang.id,
            user=current_user,
            expected_version=form.version.data,
            notiz=form.notiz.data,
            **_override_args(form),
        )
    except WorkflowError as exc:
        return _refused(zyklus_id, exc, lambda z, e: _retry_strang(z, strang_id, form, e))
    return _done(zyklus_id, f"Der Strang „{strang.gremium.name}“ ist abgeschlossen.")


def _strang_abschliessbar(zyklus: Zyklus, strang: Strang | None) -> bool:
    """Whether the Strang is open during the Beteiligung phase."""
    return strang is not None and strang.offen and zyklus.phase == Phase.BETEILIGUNG


def _retry_strang(
    zyklus: Zyklus, strang_id: int, form: StrangAbschlussForm, exc: WorkflowError
) -> ResponseReturnValue | None:
    """The Strang form again with the refusal, while the Strang can still be concluded."""
    strang = next((s for s in zyklus.straenge if s.id == strang_id), None)
    if not _strang_abschliessbar(zyklus, strang):
        return None
    return _render_strang(zyklus, strang, form, _field_or_message(form, exc))


@bp.route("/<int:zyklus_id>/straenge/schliessen", methods=["GET", "POST"])
@login_required
def straenge_schliessen(zyklus_id: int) -> ResponseReturnValue:
    """The Stabsstelle closes the remaining Stränge with a stated reason."""
    zyklus = _permitted(zyklus_id, "zyklus.straenge_schliessen")
    form = StraengeSchliessenForm()
    if request.method == "GET":
        if zyklus.phase != Phase.BETEILIGUNG or not any(s.offen for s in zyklus.straenge):
            return _render_detail(
                zyklus, 400, "Es gibt zurzeit keine offenen Stränge zu schließen."
            )
        form.version.data = zyklus.version
        return _render_schliessen(zyklus, form)
    if not form.validate_on_submit():
        if form.version.data is None:
            return _invalid_request(zyklus, form)
        return _render_schliessen(zyklus, form, status=400)
    try:
        entries = services.close_remaining_straenge(
            zyklus.id,
            user=current_user,
            expected_version=form.version.data,
            begruendung=form.begruendung.data,
        )
    except WorkflowError as exc:
        return _refused(zyklus_id, exc, lambda z, e: _render_schliessen(z, form, e.message))
    return _done(
        zyklus_id, anzahl(len(entries), "offener Strang", "offene Stränge") + " geschlossen."
    )


def _render_schliessen(
    zyklus: Zyklus, form: StraengeSchliessenForm, fehler: str | None = None, status: int = 200
) -> ResponseReturnValue:
    """The page for closing the remaining open Stränge."""
    return render_template(
        "workflows/straenge_schliessen.html",
        zyklus=zyklus,
        offen=[s for s in zyklus.straenge if s.offen],
        form=form,
        fehler=fehler,
    ), status
