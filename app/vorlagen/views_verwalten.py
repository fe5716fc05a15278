"""The Stabsstelle creates the Vorlage, its versions and configures the Beratungsfolge."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.auth.models import User
from app.core.errors import german_abort
from app.core.forms import options
from app.core.permissions import require
from app.extensions import db
from app.sitzungen.models import Sitzung
from app.stammdaten.models import Gremium
from app.vorlagen import services
from app.vorlagen.blueprint import beratung_or_404, bp, render_detail, vorlage_or_404
from app.vorlagen.forms import (
    BeratungForm,
    ButtonForm,
    FassungForm,
    RechtForm,
    SitzungForm,
    VorlageForm,
)
from app.vorlagen.models import Beschlussrecht
from app.vorlagen.services import VorlageError
from app.workflows.models import Zyklus


def _refused(exc: VorlageError) -> None:
    db.session.rollback()
    german_abort(exc.status_code, exc.message)


def _back(vorlage_id: int, anchor: str | None = None):
    return redirect(url_for("vorlagen.detail", vorlage_id=vorlage_id, _anchor=anchor), 303)


@bp.route("/zyklus/<int:zyklus_id>/anlegen", methods=["POST"])
@login_required
def anlegen(zyklus_id: int):
    """Create the Vorlage from today's priorities, with the standard Beratungsfolge."""
    require("vorlage.verwalten")
    zyklus = db.session.get(Zyklus, zyklus_id)
    if zyklus is None:
        abort(404)
    form = VorlageForm()
    if not form.validate_on_submit():
        return render_template("vorlagen/anlegen.html", zyklus=zyklus, form=form), 422
    try:
        vorlage = services.create_vorlage(
            zyklus, current_user, form.titel.data, form.drucksache.data, form.ris_url.data
        )
    except VorlageError as exc:
        db.session.rollback()
        return render_template(
            "vorlagen/anlegen.html", zyklus=zyklus, form=form, fehler=exc.message
        ), exc.status_code
    db.session.commit()
    flash("Die Vorlage wurde angelegt (Fassung 1).", "erfolg")
    return _back(vorlage.id)


@bp.route("/<int:vorlage_id>/bearbeiten", methods=["POST"])
@login_required
def bearbeiten(vorlage_id: int):
    """Title, Drucksache number and link to the council information system."""
    require("vorlage.verwalten")
    vorlage = vorlage_or_404(vorlage_id)
    form = VorlageForm()
    if not form.validate_on_submit():
        return render_detail(vorlage, 422, vorlage_form=form)
    try:
        services.update_vorlage(vorlage, form.titel.data, form.drucksache.data, form.ris_url.data)
    except VorlageError as exc:
        _refused(exc)
    db.session.commit()
    flash("Die Angaben zur Vorlage wurden gespeichert.", "erfolg")
    return _back(vorlage.id)


@bp.route("/<int:vorlage_id>/fassungen", methods=["POST"])
@login_required
def fassung_neu(vorlage_id: int):
    """Freeze today's priorities as the next version."""
    require("vorlage.verwalten")
    vorlage = vorlage_or_404(vorlage_id)
    form = FassungForm()
    if not form.validate_on_submit():
        return render_detail(vorlage, 422, fassung_form=form)
    try:
        fassung = services.neue_fassung(vorlage, current_user, form.anlass.data)
    except VorlageError as exc:
        _refused(exc)
    db.session.commit()
    flash(f"Fassung {fassung.nummer} wurde erstellt.", "erfolg")
    return _back(vorlage.id, "abschnitt-fassungen")


@bp.route("/<int:vorlage_id>/beratungen", methods=["POST"])
@login_required
def beratung_neu(vorlage_id: int):
    """Append a body to the Beratungsfolge."""
    require("vorlage.verwalten")
    vorlage = vorlage_or_404(vorlage_id)
    form = BeratungForm()
    form.gremium_id.choices = options(
        [(g.id, g.name) for g in db.session.scalars(db.select(Gremium).where(Gremium.aktiv))]
    )
    if not form.validate_on_submit():
        return render_detail(vorlage, 422, beratung_form=form)
    try:
        services.add_beratung(vorlage, db.session.get(Gremium, form.gremium_id.data))
    except VorlageError as exc:
        _refused(exc)
    db.session.commit()
    flash("Die Beratungsfolge wurde ergänzt.", "erfolg")
    return _back(vorlage.id, "abschnitt-beratungsfolge")


@bp.route("/beratung/<int:beratung_id>/entfernen", methods=["POST"])
@login_required
def beratung_entfernen(beratung_id: int):
    """Take a body that has not decided out of the sequence."""
    require("vorlage.verwalten")
    beratung = beratung_or_404(beratung_id)
    vorlage_id = beratung.vorlage_id
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        services.remove_beratung(beratung)
    except VorlageError as exc:
        _refused(exc)
    db.session.commit()
    flash("Das Gremium wurde aus der Beratungsfolge genommen.", "erfolg")
    return _back(vorlage_id, "abschnitt-beratungsfolge")


@bp.route("/beratung/<int:beratung_id>/sitzung", methods=["POST"])
@login_required
def beratung_sitzung(beratung_id: int):
    """Put the Vorlage on the agenda of one of the body's meetings."""
    require("vorlage.verwalten")
    beratung = beratung_or_404(beratung_id)
    vorlage = vorlage_or_404(beratung.vorlage_id)
    form = SitzungForm(prefix=f"sitzung-{beratung.id}")
    form.sitzung_id.choices = options([(s.id, s.titel) for s in services.sitzungen_fuer(beratung)])
    if not form.validate_on_submit():
        return render_detail(vorlage, 422)
    try:
        services.assign_sitzung(beratung, db.session.get(Sitzung, form.sitzung_id.data))
    except VorlageError as exc:
        _refused(exc)
    db.session.commit()
    flash("Die Vorlage steht auf der Tagesordnung der Sitzung.", "erfolg")
    return _back(vorlage.id, "abschnitt-beratungsfolge")


@bp.route("/beratung/<int:beratung_id>/rechte", methods=["POST"])
@login_required
def recht_neu(beratung_id: int):
    """Let a member of the body record its decisions."""
    require("vorlage.verwalten")
    beratung = beratung_or_404(beratung_id)
    vorlage = vorlage_or_404(beratung.vorlage_id)
    form = RechtForm(prefix=f"recht-{beratung.id}")
    form.user_id.choices = options(
        [(m.user_id, m.user.name) for m in beratung.gremium.mitgliedschaften if m.aktiv]
    )
    if not form.validate_on_submit():
        return render_detail(vorlage, 422)
    try:
        services.grant_recht(
            beratung.gremium, db.session.get(User, form.user_id.data), current_user
        )
    except VorlageError as exc:
        _refused(exc)
    db.session.commit()
    flash("Das Mitglied darf Beschlüsse des Gremiums erfassen.", "erfolg")
    return _back(vorlage.id, "abschnitt-beratungsfolge")


@bp.route("/<int:vorlage_id>/rechte/<int:recht_id>/entziehen", methods=["POST"])
@login_required
def recht_entziehen(vorlage_id: int, recht_id: int):
    """Withdraw a granted right."""
    require("vorlage.verwalten")
    vorlage_or_404(vorlage_id)
    recht = db.session.get(Beschlussrecht, recht_id)
    if recht is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    services.revoke_recht(recht)
    db.session.commit()
    flash("Das Recht wurde entzogen.", "erfolg")
    return _back(vorlage_id, "abschnitt-beratungsfolge")
