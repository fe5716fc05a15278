"""One organisation's answer: its page, and the requests and decisions about it.

The Träger asks for a correction (after submitting) or for more time (before submitting, also
after the deadline); the Stabsstelle grants or declines, sets a later deadline for the
organisation, or reopens the answer on its own.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.beteiligung import anfragen, fristen, korrekturen, services
from app.beteiligung.antworten import anzeige
from app.beteiligung.blueprint import bogen_or_404, bp, rueckmeldung_or_404
from app.beteiligung.forms import (
    EntscheidungForm,
    FristAnfrageForm,
    FristForm,
    KorrekturAnfrageForm,
    WiedereroeffnenForm,
    to_local,
    to_utc,
)
from app.beteiligung.models import (
    AnfrageArt,
    FrageTyp,
    Rueckmeldung,
    RueckmeldungAnfrage,
    RueckmeldungAnhang,
    RueckmeldungAntwort,
    RueckmeldungEreignis,
)
from app.beteiligung.permissions import editable, nach_frist
from app.core.permissions import is_stabsstelle, require
from app.extensions import db


def entscheidung_form(anfrage: RueckmeldungAnfrage, **kw: Any) -> EntscheidungForm:
    """The decision form of one request; its fields are named after the request."""
    form = EntscheidungForm(prefix=f"anfrage{anfrage.id}", **kw)
    if anfrage.art == AnfrageArt.KORREKTUR:
        del form.neue_frist
    form.gewaehren.label.text = f"{anfrage.art.label} gewähren"
    form.ablehnen.label.text = f"{anfrage.art.label} ablehnen"
    return form


def _neue_entscheidung(anfrage: RueckmeldungAnfrage) -> EntscheidungForm:
    """An empty decision form; the deadline field starts with the one the Träger asked for."""
    form = entscheidung_form(anfrage, formdata=None)
    if "neue_frist" in form:
        form.neue_frist.data = to_local(anfrage.gewuenschte_frist)
    return form


def render_rueckmeldung(rm: Rueckmeldung, status: int = 200, **forms: Any):
    """The answer page; ``forms`` replaces a form by one that carries the user's input."""
    bogen = bogen_or_404(rm.bogen_id)
    eigene = not is_stabsstelle(current_user)
    sichtbar = rm.eingereicht or eigene
    ereignisse = db.session.scalars(
        select(RueckmeldungEreignis)
        .options(joinedload(RueckmeldungEreignis.user))
        .where(RueckmeldungEreignis.rueckmeldung_id == rm.id)
        .order_by(RueckmeldungEreignis.id)
    ).all()
    liste = anfragen.anfragen_von(rm)
    offen = {a.art: a for a in liste if a.offen}
    entscheidungen = {
        a.id: forms.get(f"entscheidung{a.id}") or _neue_entscheidung(a) for a in offen.values()
    }
    return render_template(
        "beteiligung/rueckmeldung.html",
        bogen=bogen,
        rm=rm,
        ereignisse=ereignisse,
        antworten=_antworten(rm) if sichtbar else {},
        sichtbar=sichtbar,
        eigene=eigene,
        bearbeitbar=eigene and editable(rm),
        nach_frist=nach_frist(rm),
        anfragen=liste,
        offen=offen,
        entscheidungen=entscheidungen,
        form=forms.get("form") or WiedereroeffnenForm(formdata=None),
        korrektur_form=forms.get("korrektur_form") or KorrekturAnfrageForm(formdata=None),
        frist_anfrage_form=forms.get("frist_anfrage_form") or FristAnfrageForm(formdata=None),
        frist_form=forms.get("frist_form") or FristForm(formdata=None),
    ), status


@bp.route("/rueckmeldungen/<int:rueckmeldung_id>")
@login_required
def rueckmeldung(rueckmeldung_id: int):
    """One organisation's answer with its history; the Stabsstelle sees it once submitted."""
    rm = rueckmeldung_or_404(rueckmeldung_id)
    require("rueckmeldung.ansehen", rm)
    return render_rueckmeldung(rm)


def _antworten(rm: Rueckmeldung) -> dict[int, list[tuple[RueckmeldungAntwort, str]]]:
    """Per question the stored rows and their text (with links to attachments)."""
    rows = db.session.scalars(
        select(RueckmeldungAntwort)
        .options(
            selectinload(RueckmeldungAntwort.frage),
            joinedload(RueckmeldungAntwort.sozialraum),
            joinedload(RueckmeldungAntwort.anhang).joinedload(RueckmeldungAnhang.datei),
        )
        .where(RueckmeldungAntwort.rueckmeldung_id == rm.id)
        .order_by(RueckmeldungAntwort.id)
    ).all()
    result: dict[int, list[tuple[RueckmeldungAntwort, str]]] = {}
    for row in rows:
        if row.frage.typ == FrageTyp.MATRIX:
            text = f"{row.sozialraum.name if row.sozialraum else ''}: {row.wert}"
        else:
            namen = {row.anhang_id: row.anhang.dateiname} if row.anhang else {}
            text = anzeige(row.frage, row.anhang_id if row.anhang_id else row.wert, {}, namen)
        result.setdefault(row.frage_id, []).append((row, text))
    return result


def _zurueck(rm: Rueckmeldung, anchor: str | None = None):
    return redirect(url_for("beteiligung.rueckmeldung", rueckmeldung_id=rm.id, _anchor=anchor), 303)


def _refused(rm: Rueckmeldung, exc: services.BeteiligungError, form_key: str, form: Any):
    """Show the refusal at the field (or above the form), keeping what was entered."""
    db.session.rollback()
    target = getattr(form, exc.field, None) if exc.field else None
    if target is not None:
        target.errors = [*target.errors, exc.message]
    else:
        flash(exc.message, "fehler")
    return render_rueckmeldung(rm, 409 if target is None else 422, **{form_key: form})


@bp.route("/rueckmeldungen/<int:rueckmeldung_id>/wiedereroeffnen", methods=["POST"])
@login_required
def wiedereroeffnen(rueckmeldung_id: int):
    """The Stabsstelle reopens a submitted answer; the reason stays in the history."""
    require("rueckmeldebogen.verwalten")
    rm = rueckmeldung_or_404(rueckmeldung_id)
    form = WiedereroeffnenForm()
    if not form.validate_on_submit():
        return render_rueckmeldung(rm, 422, form=form)
    offen = anfragen.offene_anfrage(rm, AnfrageArt.KORREKTUR)
    try:
        if offen is not None:  # reopening answers the open correction request as well
            korrekturen.grant_korrektur(offen, current_user, form.grund.data)
        else:
            services.reopen_rueckmeldung(rm, form.grund.data, current_user)
    except services.BeteiligungError as exc:
        return _refused(rm, exc, "form", form)
    db.session.commit()
    flash(
        f"Die Rückmeldung von {rm.organisation.name} ist wieder zur Bearbeitung geöffnet.", "erfolg"
    )
    return _zurueck(rm)


@bp.route("/rueckmeldungen/<int:rueckmeldung_id>/korrektur", methods=["POST"])
@login_required
def korrektur_anfragen(rueckmeldung_id: int):
    """The Träger asks the Stabsstelle to reopen its submitted answer."""
    rm = rueckmeldung_or_404(rueckmeldung_id)
    require("rueckmeldung.anfragen", rm)
    form = KorrekturAnfrageForm()
    if not form.validate_on_submit():
        return render_rueckmeldung(rm, 422, korrektur_form=form)
    try:
        korrekturen.request_korrektur(rm, form.grund.data, current_user)
    except services.BeteiligungError as exc:
        return _refused(rm, exc, "korrektur_form", form)
    db.session.commit()
    flash(
        "Ihre Korrekturanfrage wurde an die Stabsstelle Sozialplanung gesendet. Sie werden "
        "benachrichtigt, sobald sie entschieden ist.",
        "erfolg",
    )
    return _zurueck(rm, "anfragen")


@bp.route("/rueckmeldungen/<int:rueckmeldung_id>/fristverlaengerung", methods=["POST"])
@login_required
def frist_anfragen(rueckmeldung_id: int):
    """The Träger asks for more time, before or after its deadline."""
    rm = rueckmeldung_or_404(rueckmeldung_id)
    require("rueckmeldung.anfragen", rm)
    form = FristAnfrageForm()
    if not form.validate_on_submit():
        return render_rueckmeldung(rm, 422, frist_anfrage_form=form)
    try:
        fristen.request_verlaengerung(
            rm, form.grund.data, to_utc(form.gewuenschte_frist.data), current_user
        )
    except services.BeteiligungError as exc:
        return _refused(rm, exc, "frist_anfrage_form", form)
    db.session.commit()
    flash(
        "Ihre Anfrage auf Fristverlängerung wurde an die Stabsstelle Sozialplanung gesendet. "
        "Ihre Eingaben bleiben als Entwurf gespeichert; Sie werden benachrichtigt, sobald die "
        "Anfrage entschieden ist.",
        "erfolg",
    )
    return _zurueck(rm, "anfragen")


@bp.route("/anfragen/<int:anfrage_id>/entscheiden", methods=["POST"])
@login_required
def entscheiden(anfrage_id: int):
    """The Stabsstelle grants or declines a request for a correction or more time."""
    require("rueckmeldung.anfrage_entscheiden")
    anfrage = db.session.get(  # two deciders at once: the second sees the first's decision
        RueckmeldungAnfrage, anfrage_id, with_for_update=True, populate_existing=True
    )
    if anfrage is None:
        abort(404)
    rm = anfrage.rueckmeldung
    form = entscheidung_form(anfrage)
    key = f"entscheidung{anfrage.id}"
    if not form.validate_on_submit() or not (form.gewaehren.data or form.ablehnen.data):
        return render_rueckmeldung(rm, 422, **{key: form})
    kommentar = form.kommentar.data
    try:
        if anfrage.art == AnfrageArt.KORREKTUR:
            if form.gewaehren.data:
                korrekturen.grant_korrektur(anfrage, current_user, kommentar)
            else:
                korrekturen.decline_korrektur(anfrage, current_user, kommentar)
        elif form.gewaehren.data:
            neue_frist = to_utc(form.neue_frist.data)
            fristen.grant_verlaengerung(anfrage, current_user, neue_frist, kommentar)
        else:
            fristen.decline_verlaengerung(anfrage, current_user, kommentar)
    except services.BeteiligungError as exc:
        return _refused(rm, exc, key, form)
    db.session.commit()
    was = "gewährt" if form.gewaehren.data else "abgelehnt"
    flash(f"Die Anfrage ({anfrage.art.label}) von {rm.organisation.name} wurde {was}.", "erfolg")
    return _zurueck(rm)


@bp.route("/rueckmeldungen/<int:rueckmeldung_id>/frist", methods=["POST"])
@login_required
def frist_setzen(rueckmeldung_id: int):
    """The Stabsstelle gives one organisation a later deadline without a request."""
    require("rueckmeldung.anfrage_entscheiden")
    rm = rueckmeldung_or_404(rueckmeldung_id)
    form = FristForm()
    if not form.validate_on_submit():
        return render_rueckmeldung(rm, 422, frist_form=form)
    try:
        fristen.set_frist(rm, to_utc(form.neue_frist.data), current_user, form.hinweis.data)
    except services.BeteiligungError as exc:
        return _refused(rm, exc, "frist_form", form)
    db.session.commit()
    flash(f"Die Frist für {rm.organisation.name} wurde verlängert.", "erfolg")
    return _zurueck(rm)
