"""Released impulses with their official answer, and measures with their progress."""

from __future__ import annotations

from flask import abort, render_template, request

from app.impulse.models import ImpulsStatus
from app.massnahmen import wirkung
from app.massnahmen.models import MassnahmeStatus
from app.oeffentlich import drucksachen, rechenschaft
from app.oeffentlich.blueprint import bp
from app.planungsfelder import services as planungsfelder


def _enum_arg(name: str, enum_cls):
    try:
        return enum_cls(request.args.get(name, ""))
    except ValueError:
        return None


def _sozialraum_arg(raeume: list) -> object | None:
    wanted = request.args.get("stadtbereich", type=int)
    return next((r for r in raeume if r.id == wanted), None)


@bp.route("/impulse/")
def impulse() -> str:
    """Released impulses, with status and whether they led to a measure."""
    raeume = rechenschaft.sozialraeume()
    raum = _sozialraum_arg(raeume)
    status = _enum_arg("status", ImpulsStatus)
    feld = planungsfelder.by_schluessel(request.args.get("feld"))
    rows = rechenschaft.public_impulse(
        raum.id if raum else None, status, feld_id=feld.id if feld else None
    )
    return render_template(
        "oeffentlich/impulse.html",
        felder=planungsfelder.active_felder(),
        feld=feld,
        impulse=rows,
        massnahmen=rechenschaft.massnahmen_counts([i.id for i in rows]),
        raeume=raeume,
        raum=raum,
        status=status,
        stati=list(ImpulsStatus),
    )


@bp.route("/impulse/<int:impuls_id>")
def impuls(impuls_id: int) -> str:
    """One released impulse: where it came from, its status, the official answer, measures."""
    found = rechenschaft.public_impuls(impuls_id)
    if found is None:
        abort(404)
    return render_template(
        "oeffentlich/impuls.html",
        impuls=found,
        massnahmen=rechenschaft.massnahmen_of_impuls(found.id),
    )


@bp.route("/massnahmen/")
def massnahmen() -> str:
    """Released measures with status and progress."""
    raeume = rechenschaft.sozialraeume()
    raum = _sozialraum_arg(raeume)
    status = _enum_arg("status", MassnahmeStatus)
    feld = planungsfelder.by_schluessel(request.args.get("feld"))
    return render_template(
        "oeffentlich/massnahmen.html",
        massnahmen=rechenschaft.public_massnahmen(
            raum.id if raum else None, status, feld_id=feld.id if feld else None
        ),
        felder=planungsfelder.active_felder(),
        feld=feld,
        raeume=raeume,
        raum=raum,
        status=status,
        stati=list(MassnahmeStatus),
    )


@bp.route("/massnahmen/<int:massnahme_id>")
def massnahme(massnahme_id: int) -> str:
    """One released measure: progress, milestones, decisions, the impulses it came from."""
    found = rechenschaft.public_massnahme(massnahme_id)
    if found is None:
        abort(404)
    staende = wirkung.staende(found.wirkungsziele)
    return render_template(
        "oeffentlich/massnahme.html",
        massnahme=found,
        wirkung=[
            (staende[z.id], wirkung.diagramm(staende[z.id], f"wirkungsziel-{z.id}"))
            for z in found.wirkungsziele
        ],
        impulse=rechenschaft.impulse_of_massnahme(found.id),
        vorlagen=drucksachen.vorlagen_of_beratungen([b.beratung_id for b in found.beschluesse]),
    )
