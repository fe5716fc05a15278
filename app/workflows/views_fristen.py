"""Deadline routes of ``workflows``: target dates per phase and Strang, reminder days."""

from __future__ import annotations

from flask import request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from app.core.forms import Form
from app.workflows import services
from app.workflows.blueprint import _done, _form_page, _permitted, bp
from app.workflows.forms import fristen_form_class
from app.workflows.models import Phase, Zyklus


def _fristen_phasen() -> list[Phase]:
    """The phases that can have a deadline (all but the final one)."""
    return [p for p in Phase if p != Phase.ABGESCHLOSSEN]


@bp.route("/<int:zyklus_id>/fristen", methods=["GET", "POST"])
@login_required
def fristen(zyklus_id: int) -> ResponseReturnValue:
    """Target dates per phase and per Strang, and how many days before to remind."""
    zyklus = _permitted(zyklus_id, "zyklus.fristen_setzen")
    form_class = fristen_form_class(
        _fristen_phasen(), [(s.id, s.gremium.name) for s in zyklus.straenge]
    )
    form = form_class()
    if request.method == "GET":
        _fill_fristen(form, zyklus)
    elif form.validate_on_submit():
        _save_fristen(form, zyklus)
        return _done(zyklus_id, "Die Fristen wurden gespeichert.")
    return _form_page("workflows/fristen.html", zyklus=zyklus, form=form, phasen=_fristen_phasen())


def _fill_fristen(form: Form, zyklus: Zyklus) -> None:
    """Prefill the form with the cycle's current deadlines."""
    form.erinnerung_tage.data = zyklus.erinnerung_tage
    for phase in _fristen_phasen():
        row = zyklus.frist(phase)
        form[f"phase_{phase.value}"].data = row.faellig_am if row else None
    for strang in zyklus.straenge:
        form[f"strang_{strang.id}"].data = strang.frist


def _save_fristen(form: Form, zyklus: Zyklus) -> None:
    """Hand the valid form's deadlines to the service (flushes, no commit)."""
    services.set_fristen(
        zyklus.id,
        user=current_user,
        phasen={p: form[f"phase_{p.value}"].data for p in _fristen_phasen()},
        straenge={s.id: form[f"strang_{s.id}"].data for s in zyklus.straenge},
        erinnerung_tage=form.erinnerung_tage.data,
    )
