"""Blueprint ``workflows``: cycle list, cycle page with diagram and history, confirmed moves."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.aufgaben import Aufgabe, aufgaben_provider
from app.core.errors import german_abort
from app.core.navigation import nav_entry
from app.core.permissions import can, is_stabsstelle, require
from app.extensions import db
from app.stammdaten.models import Gremium, Mitgliedschaft
from app.workflows import services
from app.workflows.diagram import build_diagram, phase_status, strang_status
from app.workflows.forms import (
    FolgezyklusForm,
    StraengeSchliessenForm,
    StrangAbschlussForm,
    UebergangForm,
    ZyklusForm,
    fristen_form_class,
)
from app.workflows.guards import Pruefung, evaluate_strang, evaluate_transition
from app.workflows.machine import PHASEN, STRANG_ABSCHLIESSEN, Uebergang, find_uebergang
from app.workflows.models import Phase, Strang, StrangStatus, Zyklus, zyklus_gremium
from app.workflows.permissions import LEITUNG
from app.workflows.services import StaleState, WorkflowError

bp = Blueprint("workflows", __name__, url_prefix="/zyklen")
nav_entry("Planungszyklen", "workflows.liste", "zyklus.liste", order=20)


# --------------------------------------------------------------------------- loading


def _load(zyklus_id: int) -> Zyklus | None:
    """The cycle with everything its page shows, in a fixed number of queries."""
    return db.session.scalar(
        select(Zyklus)
        .options(
            selectinload(Zyklus.gremien).selectinload(Gremium.mitgliedschaften),
            selectinload(Zyklus.straenge).joinedload(Strang.gremium),
            selectinload(Zyklus.straenge).joinedload(Strang.abgeschlossen_von),
            selectinload(Zyklus.fristen),
            joinedload(Zyklus.vorgaenger),
        )
        .where(Zyklus.id == zyklus_id)
    )


def _visible(zyklus_id: int) -> Zyklus:
    zyklus = _load(zyklus_id)
    if zyklus is None:
        abort(404)
    require("zyklus.ansehen", zyklus)
    return zyklus


def _strang_of(zyklus: Zyklus, strang_id: int) -> Strang:
    strang = next((s for s in zyklus.straenge if s.id == strang_id), None)
    if strang is None:
        abort(404)
    return strang


def _done(zyklus_id: int, message: str) -> ResponseReturnValue:
    db.session.commit()
    flash(message, "erfolg")
    return redirect(url_for("workflows.detail", zyklus_id=zyklus_id), 303)


def _refused(
    zyklus_id: int,
    exc: WorkflowError,
    render_form: Callable[[Zyklus, WorkflowError], ResponseReturnValue | None],
) -> ResponseReturnValue:
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


def _form_problem(form) -> str:
    return (
        " ".join(e for errors in form.errors.values() for e in errors)
        or "Die Anfrage ist unvollständig."
    )


# --------------------------------------------------------------------------- list and create


@bp.route("/")
@login_required
def liste():
    """Cycles the person may see, newest first."""
    require("zyklus.liste")
    query = (
        select(Zyklus)
        .options(selectinload(Zyklus.straenge))
        .order_by(Zyklus.beginn.desc(), Zyklus.id.desc())
    )
    if not is_stabsstelle(current_user):
        mine = (
            select(zyklus_gremium.c.zyklus_id)
            .join(Mitgliedschaft, Mitgliedschaft.gremium_id == zyklus_gremium.c.gremium_id)
            .join(Gremium, Gremium.id == zyklus_gremium.c.gremium_id)
            .where(Mitgliedschaft.user_id == current_user.id, Mitgliedschaft.aktiv, Gremium.aktiv)
        )
        query = query.where(Zyklus.id.in_(mine))
    return render_template("workflows/liste.html", zyklen=db.session.scalars(query).all())


def _gremium_choices() -> list[tuple[int, str]]:
    gremien = db.session.scalars(
        select(Gremium).where(Gremium.aktiv).order_by(Gremium.typ, Gremium.name)
    )
    return [
        (g.id, g.name if g.name == g.typ.label else f"{g.name} ({g.typ.label})") for g in gremien
    ]


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def anlegen():
    """Create a cycle: title, period, participating Gremien, reminder days."""
    require("zyklus.anlegen")
    form = ZyklusForm()
    form.gremien.choices = _gremium_choices()
    if request.method == "GET":
        form.gremien.data = [value for value, _ in form.gremien.choices]
    if form.validate_on_submit():
        gremien = db.session.scalars(select(Gremium).where(Gremium.id.in_(form.gremien.data))).all()
        try:
            zyklus = services.create_zyklus(
                form.titel.data,
                form.beginn.data,
                form.ende.data,
                gremien,
                current_user,
                erinnerung_tage=form.erinnerung_tage.data,
            )
        except WorkflowError as exc:
            db.session.rollback()
            form[exc.field or "titel"].errors.append(exc.message)
            return render_template("workflows/anlegen.html", form=form), exc.status_code
        return _done(zyklus.id, f"Der Planungszyklus „{zyklus.titel}“ wurde angelegt.")
    status = 400 if request.method == "POST" else 200
    return render_template("workflows/anlegen.html", form=form), status


# --------------------------------------------------------------------------- cycle page


@bp.route("/<int:zyklus_id>")
@login_required
def detail(zyklus_id: int):
    """Diagram, next steps, Stränge, deadlines and (for the city's Gremien) the history."""
    return _render_detail(_visible(zyklus_id))


def _render_detail(
    zyklus: Zyklus, status: int = 200, fehler: str | None = None
) -> ResponseReturnValue:
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
    abgeschlossen = zyklus.phase == Phase.ABGESCHLOSSEN
    nachfolger = (
        db.session.scalar(select(Zyklus).where(Zyklus.vorgaenger_id == zyklus.id))
        if abgeschlossen
        else None
    )
    return render_template(
        "workflows/detail.html",
        zyklus=zyklus,
        phasen=list(Phase),
        info=PHASEN,
        phase_status=phase_status,
        strang_status=strang_status,
        diagramm=build_diagram(zyklus),
        schritte=services.next_steps(zyklus),
        fristen=services.fristen_overview(zyklus),
        verlauf=services.history_of(zyklus.id) if rechte["verlauf_ansehen"] else None,
        darf_strang={s.id: can(current_user, STRANG_ABSCHLIESSEN, s) for s in zyklus.straenge},
        rechte=rechte,
        nachfolger=nachfolger,
        fehler=fehler,
    ), status


# --------------------------------------------------------------------------- phase change


def _render_uebergang(
    zyklus: Zyklus, uebergang: Uebergang, form: UebergangForm, fehler: str | None = None
) -> ResponseReturnValue:
    pruefungen = evaluate_transition(zyklus, uebergang)
    _prepare_overrides(form, zyklus, pruefungen)
    if uebergang.rueckverweisung:
        form.begruendung.label.text = "Begründung der Rückverweisung"
        form.begruendung.flags.required = True
        form.submit.label.text = "Zurückverweisen"
    empfaenger = [g.name for g in zyklus.gremien if g.typ in PHASEN[uebergang.nach].gremium_typen]
    return render_template(
        "workflows/uebergang.html",
        zyklus=zyklus,
        uebergang=uebergang,
        pruefungen=pruefungen,
        form=form,
        fehler=fehler,
        empfaenger=empfaenger,
    ), 200


def _prepare_overrides(form, zyklus: Zyklus, pruefungen: list[Pruefung]) -> None:
    """Offer checkboxes for failing guards the Stabsstelle may override."""
    failing = [p for p in pruefungen if not p.ok and p.guard.uebersteuerbar]
    form.uebersteuern.choices = (
        [(p.guard.name, p.guard.label) for p in failing]
        if can(current_user, "zyklus.uebersteuern", zyklus)
        else []
    )


@bp.route("/<int:zyklus_id>/phase", methods=["GET", "POST"])
@login_required
def phase(zyklus_id: int):
    """GET: confirm a move (nothing changes). POST: perform it, or answer 400/409 in German."""
    zyklus = _visible(zyklus_id)
    require("zyklus.phase_wechseln", zyklus)
    form = UebergangForm()
    if request.method == "GET":
        return _confirm_uebergang(zyklus, form)
    if not form.validate_on_submit():
        return _render_detail(zyklus, 400, _form_problem(form))
    try:
        entry = services.change_phase(
            zyklus.id,
            form.nach.data,
            user=current_user,
            expected_version=form.version.data,
            begruendung=form.begruendung.data,
            uebersteuern=form.uebersteuern.data or [],
            uebersteuerung_begruendung=form.uebersteuerung_begruendung.data,
        )
    except WorkflowError as exc:
        return _refused(zyklus_id, exc, lambda z, e: _retry_uebergang(z, form, e))
    verb = (
        "zurückverwiesen an"
        if entry.von_phase.index > entry.nach_phase.index
        else "ist jetzt in der Phase"
    )
    return _done(zyklus_id, f"„{zyklus.titel}“ {verb} „{entry.nach_phase.kurz}“.")


def _confirm_uebergang(zyklus: Zyklus, form: UebergangForm) -> ResponseReturnValue:
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


def _retry_uebergang(zyklus: Zyklus, form: UebergangForm, exc: WorkflowError):
    """The confirmation page again with the refusal, when the move is still the right one."""
    uebergang = find_uebergang(zyklus.phase, form.ziel()) if form.ziel() else None
    if uebergang is None:
        return None
    return _render_uebergang(zyklus, uebergang, form, _field_or_message(form, exc))


def _field_or_message(form, exc: WorkflowError) -> str | None:
    """Attach a field-specific refusal to its field; otherwise it is shown on top."""
    if exc.field:
        form[exc.field].errors = [*form[exc.field].errors, exc.message]
        return None
    return exc.message


# --------------------------------------------------------------------------- Stränge


def _render_strang(
    zyklus: Zyklus, strang: Strang, form: StrangAbschlussForm, fehler: str | None = None
):
    pruefungen = evaluate_strang(strang)
    _prepare_overrides(form, zyklus, pruefungen)
    return render_template(
        "workflows/strang.html",
        zyklus=zyklus,
        strang=strang,
        pruefungen=pruefungen,
        form=form,
        fehler=fehler,
    ), 200


@bp.route("/<int:zyklus_id>/straenge/<int:strang_id>/abschliessen", methods=["GET", "POST"])
@login_required
def strang_abschliessen(zyklus_id: int, strang_id: int):
    """Conclude one Strang (Stabsstelle or the Gremium's Vorsitz/Moderation), with confirmation."""
    zyklus = _visible(zyklus_id)
    strang = _strang_of(zyklus, strang_id)
    require(STRANG_ABSCHLIESSEN, strang)
    form = StrangAbschlussForm()
    if request.method == "GET":
        if zyklus.phase != Phase.BETEILIGUNG or not strang.offen:
            return _render_detail(
                zyklus, 400, "Dieser Strang kann zurzeit nicht abgeschlossen werden."
            )
        form.version.data = zyklus.version
        return _render_strang(zyklus, strang, form)
    if not form.validate_on_submit():
        return _render_detail(zyklus, 400, _form_problem(form))
    try:
        services.close_strang(
            strang.id,
            user=current_user,
            expected_version=form.version.data,
            notiz=form.notiz.data,
            uebersteuern=form.uebersteuern.data or [],
            uebersteuerung_begruendung=form.uebersteuerung_begruendung.data,
        )
    except WorkflowError as exc:
        return _refused(zyklus_id, exc, lambda z, e: _retry_strang(z, strang_id, form, e))
    return _done(zyklus_id, f"Der Strang „{strang.gremium.name}“ ist abgeschlossen.")


def _retry_strang(zyklus: Zyklus, strang_id: int, form, exc: WorkflowError):
    """The Strang form again with the refusal, while the Strang can still be concluded."""
    strang = next((s for s in zyklus.straenge if s.id == strang_id), None)
    if strang is None or not strang.offen or zyklus.phase != Phase.BETEILIGUNG:
        return None
    return _render_strang(zyklus, strang, form, _field_or_message(form, exc))


@bp.route("/<int:zyklus_id>/straenge/schliessen", methods=["GET", "POST"])
@login_required
def straenge_schliessen(zyklus_id: int):
    """The Stabsstelle closes the remaining Stränge with a stated reason."""
    zyklus = _visible(zyklus_id)
    require("zyklus.straenge_schliessen", zyklus)
    form = StraengeSchliessenForm()
    offen = [s for s in zyklus.straenge if s.offen]

    def page(z: Zyklus, fehler: str | None = None, status: int = 200):
        return render_template(
            "workflows/straenge_schliessen.html",
            zyklus=z,
            offen=[s for s in z.straenge if s.offen],
            form=form,
            fehler=fehler,
        ), status

    if request.method == "GET":
        if zyklus.phase != Phase.BETEILIGUNG or not offen:
            return _render_detail(
                zyklus, 400, "Es gibt zurzeit keine offenen Stränge zu schließen."
            )
        form.version.data = zyklus.version
        return page(zyklus)
    if not form.validate_on_submit():
        if form.version.data is None:
            return _render_detail(zyklus, 400, _form_problem(form))
        return page(zyklus, status=400)
    try:
        entries = services.close_remaining_straenge(
            zyklus.id,
            user=current_user,
            expected_version=form.version.data,
            begruendung=form.begruendung.data,
        )
    except WorkflowError as exc:
        return _refused(zyklus_id, exc, lambda z, e: page(z, e.message))
    return _done(zyklus_id, f"{len(entries)} offene(r) Strang/Stränge geschlossen.")


# --------------------------------------------------------------------------- deadlines


def _fristen_phasen() -> list[Phase]:
    return [p for p in Phase if p != Phase.ABGESCHLOSSEN]


@bp.route("/<int:zyklus_id>/fristen", methods=["GET", "POST"])
@login_required
def fristen(zyklus_id: int):
    """Target dates per phase and per Strang, and how many days before to remind."""
    zyklus = _visible(zyklus_id)
    require("zyklus.fristen_setzen", zyklus)
    form_class = fristen_form_class(
        _fristen_phasen(), [(s.id, s.gremium.name) for s in zyklus.straenge]
    )
    form = form_class()
    if request.method == "GET":
        _fill_fristen(form, zyklus)
    elif form.validate_on_submit():
        services.set_fristen(
            zyklus.id,
            user=current_user,
            phasen={p: form[f"phase_{p.value}"].data for p in _fristen_phasen()},
            straenge={s.id: form[f"strang_{s.id}"].data for s in zyklus.straenge},
            erinnerung_tage=form.erinnerung_tage.data,
        )
        return _done(zyklus_id, "Die Fristen wurden gespeichert.")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "workflows/fristen.html", zyklus=zyklus, form=form, phasen=_fristen_phasen()
    ), status


def _fill_fristen(form, zyklus: Zyklus) -> None:
    form.erinnerung_tage.data = zyklus.erinnerung_tage
    for phase in _fristen_phasen():
        row = zyklus.frist(phase)
        form[f"phase_{phase.value}"].data = row.faellig_am if row else None
    for strang in zyklus.straenge:
        form[f"strang_{strang.id}"].data = strang.frist


# --------------------------------------------------------------------------- next cycle


def _next_title(titel: str) -> str:
    """'Sozialplanung 2027' → 'Sozialplanung 2028'."""
    match = list(re.finditer(r"\d{4}", titel))
    if not match:
        return f"{titel} (Folgezyklus)"
    last = match[-1]
    return titel[: last.start()] + str(int(last.group()) + 1) + titel[last.end() :]


def _plus_year(value: date) -> date:
    try:
        return value.replace(year=value.year + 1)
    except ValueError:  # 29 February
        return value.replace(year=value.year + 1, day=28)


@bp.route("/<int:zyklus_id>/folgezyklus", methods=["GET", "POST"])
@login_required
def folgezyklus(zyklus_id: int):
    """Start the next cycle from a finished one (Gremien, Stränge, settings, open items)."""
    zyklus = _visible(zyklus_id)
    require("zyklus.folgezyklus", zyklus)
    form = FolgezyklusForm()
    if request.method == "GET":
        form.titel.data = _next_title(zyklus.titel)
        form.beginn.data, form.ende.data = _plus_year(zyklus.beginn), _plus_year(zyklus.ende)
    elif form.validate_on_submit():
        try:
            neu, notes = services.start_folgezyklus(
                zyklus.id,
                user=current_user,
                titel=form.titel.data,
                beginn=form.beginn.data,
                ende=form.ende.data,
            )
        except WorkflowError as exc:
            db.session.rollback()
            if exc.field:
                form[exc.field].errors.append(exc.message)
                return render_template(
                    "workflows/folgezyklus.html", zyklus=_visible(zyklus_id), form=form
                ), 400
            return _render_detail(_visible(zyklus_id), exc.status_code, exc.message)
        return _done(
            neu.id, f"Der Folgezyklus „{neu.titel}“ wurde angelegt: " + "; ".join(notes) + "."
        )
    status = 400 if request.method == "POST" else 200
    return render_template("workflows/folgezyklus.html", zyklus=zyklus, form=form), status


# --------------------------------------------------------------------------- open tasks


@aufgaben_provider
def _zyklus_aufgaben(user) -> list[Aufgabe]:
    tasks = _strang_aufgaben(user)
    if not can(user, "zyklus.phase_wechseln"):
        return tasks
    zyklen = db.session.scalars(
        select(Zyklus)
        .options(
            selectinload(Zyklus.straenge).joinedload(Strang.gremium), selectinload(Zyklus.fristen)
        )
        .where(Zyklus.phase != Phase.ABGESCHLOSSEN)
        .order_by(Zyklus.beginn, Zyklus.id)
    ).all()
    for zyklus in zyklen:
        tasks += _stabsstelle_aufgaben(zyklus)
    return tasks


def _stabsstelle_aufgaben(zyklus: Zyklus) -> list[Aufgabe]:
    url = url_for("workflows.detail", zyklus_id=zyklus.id)
    lage = services.fristen_overview(zyklus)
    tasks = [
        Aufgabe(
            f"{zyklus.titel}: Frist „{f.label}“ überschritten",
            url,
            f"fällig am {f.faellig_am:%d.%m.%Y}",
            True,
        )
        for f in [*lage["phasen"].values(), *lage["straenge"].values()]
        if f.ueberfaellig
    ]
    for schritt in services.next_steps(zyklus):
        if not schritt.uebergang.rueckverweisung and not schritt.blockiert:
            tasks.append(
                Aufgabe(
                    f"{zyklus.titel}: bereit für „{schritt.uebergang.label}“",
                    url_for(
                        "workflows.phase", zyklus_id=zyklus.id, nach=schritt.uebergang.nach.value
                    ),
                    "alle Bedingungen sind erfüllt",
                )
            )
    return tasks


def _strang_aufgaben(user) -> list[Aufgabe]:
    """Vorsitz/Moderation of a Gremium with an open Strang in a running Beteiligung."""
    rows = db.session.execute(
        select(Strang.id, Zyklus.id, Zyklus.titel, Gremium.name)
        .join(Zyklus, Zyklus.id == Strang.zyklus_id)
        .join(Gremium, Gremium.id == Strang.gremium_id)
        .join(Mitgliedschaft, Mitgliedschaft.gremium_id == Gremium.id)
        .where(
            Zyklus.phase == Phase.BETEILIGUNG,
            Strang.status == StrangStatus.OFFEN,
            Mitgliedschaft.user_id == user.id,
            Mitgliedschaft.aktiv,
            Mitgliedschaft.funktion.in_(LEITUNG),
            Gremium.aktiv,
        )
        .order_by(Zyklus.id, Strang.id)
    ).all()
    return [
        Aufgabe(
            f"{titel}: Beteiligung „{name}“ abschließen",
            url_for("workflows.strang_abschliessen", zyklus_id=zyklus_id, strang_id=strang_id),
            "wenn die Rückmeldungen des Gremiums vorliegen",
        )
        for strang_id, zyklus_id, titel, name in rows
    ]
