"""A body records its decision on the Vorlage (whole and per Maßnahme); the Beschlussauszug."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.core.forms import options
from app.core.permissions import is_stabsstelle, require
from app.core.types import utcnow
from app.extensions import db
from app.massnahmen.models import Ergebnis
from app.sitzungen.models import Tagesordnungspunkt
from app.vorlagen import services
from app.vorlagen.blueprint import beratung_or_404, bp, pdf_response, vorlage_or_404
from app.vorlagen.forms import EntscheidungForm
from app.vorlagen.models import Beratung
from app.vorlagen.permissions import darf_fuer_gremium_beschliessen
from app.vorlagen.services import VorlageError


def _top_options(beratung: Beratung) -> list:
    pairs = [
        (t.id, f"{s.titel} ({s.beginn:%d.%m.%Y}), TOP {t.position}: {t.titel}")
        for s in services.sitzungen_fuer(beratung)
        for t in sorted(s.tagesordnungspunkte, key=lambda t: t.position)
    ]
    return options(pairs, "– ohne Sitzung –")


def _einzeln(massnahmen: list) -> tuple[dict[int, Ergebnis], dict[int, str], list[str]]:
    """Per-measure results from the form; empty means "as the whole Vorlage"."""
    gewaehlt: dict[int, Ergebnis] = {}
    roh: dict[int, str] = {}
    fehler: list[str] = []
    for m in massnahmen:
        value = request.form.get(f"massnahme-{m.id}", "")
        roh[m.id] = value
        if not value:
            continue
        try:
            gewaehlt[m.id] = Ergebnis(value)
        except ValueError:
            fehler.append(f"Ungültiges Ergebnis für „{m.titel}“.")
    return gewaehlt, roh, fehler


def _render(beratung: Beratung, form: EntscheidungForm, code: int = 200, **extra: Any):
    vorlage = beratung.vorlage
    massnahmen = services.massnahmen_der_fassung(vorlage.aktuelle_fassung)
    stab_auftrag = is_stabsstelle(current_user) and not darf_fuer_gremium_beschliessen(
        current_user, beratung.gremium_id
    )
    return render_template(
        "vorlagen/beschluss.html",
        beratung=beratung,
        vorlage=vorlage,
        fassung=vorlage.aktuelle_fassung,
        massnahmen=massnahmen,
        form=form,
        ergebnisse=list(Ergebnis),
        wartet=services.wartet_auf(beratung),
        sperre=extra.pop("sperre", None) or _sperre(beratung),
        im_auftrag=stab_auftrag,
        roh=extra.pop("roh", {}),
        einzel_fehler=extra.pop("einzel_fehler", []),
    ), code


def _sperre(beratung: Beratung) -> str | None:
    """Why the body cannot decide now (German), or None."""
    if services.wartet_auf(beratung):
        return None
    if beratung.erledigt:
        return None  # a decision may be corrected while the phase lasts
    zyklus = beratung.vorlage.zyklus
    if not services.beratung_phase_aktiv(beratung):
        return (
            f"„{beratung.gremium.name}“ beschließt, wenn der Planungszyklus in der passenden "
            f"Phase steht; zurzeit steht er in „{zyklus.phase.kurz}“."
        )
    offen = services.vorherige_offen(beratung)
    return "Zuerst beschließt " + ", ".join(f"„{b.gremium.name}“" for b in offen) + "."


@bp.route("/beratung/<int:beratung_id>/beschluss", methods=["GET", "POST"])
@login_required
def beschluss(beratung_id: int):
    """The body's decision: the Vorlage as a whole and each Maßnahme, tied to meeting and TOP."""
    beratung = beratung_or_404(beratung_id)
    vorlage_or_404(beratung.vorlage_id)
    require("beratung.beschliessen", beratung)
    form = EntscheidungForm(
        formdata=None if request.method == "GET" else request.form,
        data={
            "datum": utcnow().date(),
            "top_id": beratung.tagesordnungspunkt_id,
            "drucksache": beratung.vorlage.drucksache,
            "ris_url": beratung.vorlage.ris_url,
        },
    )
    form.top_id.choices = _top_options(beratung)
    if request.method == "GET":
        return _render(beratung, form)
    massnahmen = services.massnahmen_der_fassung(beratung.vorlage.aktuelle_fassung)
    einzeln, roh, fehler = _einzeln(massnahmen)
    if not form.validate_on_submit() or fehler:
        return _render(beratung, form, 422, roh=roh, einzel_fehler=fehler)
    top = db.session.get(Tagesordnungspunkt, form.top_id.data) if form.top_id.data else None
    try:
        services.record_entscheidung(
            beratung,
            current_user,
            ergebnis=form.ergebnis.data,
            datum=form.datum.data,
            sitzung=top.sitzung if top else None,
            top=top,
            einzeln=einzeln,
            drucksache=form.drucksache.data,
            ris_url=form.ris_url.data,
            bemerkung=form.bemerkung.data,
        )
    except VorlageError as exc:
        db.session.rollback()
        return _render(beratung, form, exc.status_code, roh=roh, sperre=exc.message)
    db.session.commit()
    flash(
        f"Der Beschluss von „{beratung.gremium.name}“ wurde gespeichert. "
        "Der Beschlussauszug steht als PDF bereit.",
        "erfolg",
    )
    return redirect(
        url_for(
            "vorlagen.detail", vorlage_id=beratung.vorlage_id, _anchor=f"beratung-{beratung.id}"
        ),
        303,
    )


@bp.route("/beratung/<int:beratung_id>/beschlussauszug.pdf")
@login_required
def beschlussauszug(beratung_id: int):
    """The decision extract of one body as PDF."""
    beratung = beratung_or_404(beratung_id)
    vorlage = vorlage_or_404(beratung.vorlage_id)
    require("vorlage.ansehen", vorlage)
    gesamt = beratung.gesamtbeschluss
    if gesamt is None:
        abort(404)
    massnahmen = services.massnahmen_der_fassung(vorlage.aktuelle_fassung)
    html = render_template(
        "vorlagen/beschlussauszug_pdf.html",
        beratung=beratung,
        vorlage=vorlage,
        gesamt=gesamt,
        einzeln=[(m, beratung.beschluss_zu(m.id)) for m in massnahmen],
        erstellt=utcnow(),
    )
    return pdf_response(html, f"beschlussauszug-{vorlage.id}-{beratung.id}.pdf")
