"""Blueprint ``stammdaten``: organisations, Sozialräume, Gremien, memberships, accounts.

Every view checks its permission on the object it touches (``require(action, obj)``);
state changes are POST only, each runs one service call and commits once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.auth.models import User
from app.core.navigation import nav_entry
from app.core.permissions import can, require
from app.extensions import db
from app.mail.models import Mail
from app.stammdaten import services
from app.stammdaten.forms import (
    KEINE,
    BenutzerAnlegenForm,
    BenutzerFilterForm,
    BenutzerForm,
    ConfirmForm,
    GremiumForm,
    MitgliedHinzufuegenForm,
    MitgliedschaftForm,
    OrganisationContactForm,
    OrganisationForm,
    SozialraumForm,
    options,
)
from app.stammdaten.models import (
    Funktion,
    Gremium,
    GremiumTyp,
    Mitgliedschaft,
    Organisation,
    Sozialraum,
)
from app.stammdaten.services import StammdatenError

bp = Blueprint("stammdaten", __name__, url_prefix="/stammdaten")
nav_entry("Stammdaten", "stammdaten.uebersicht", "stammdaten.verwalten", order=80)
nav_entry("Meine Organisation", "stammdaten.meine_organisation", "organisation.eigene", order=70)

BENUTZER_PAGE_SIZE = 50
FUNKTION_ORDER = {f: i for i, f in enumerate(Funktion)}


# --------------------------------------------------------------------------- helpers


def _render(template: str, bereich: str | None = None, status: int = 200, **context: Any):
    """Render a master-data page; ``bereich`` marks the current sub-navigation entry."""
    return render_template(f"stammdaten/{template}", bereich=bereich, **context), status


def _load(model: type, obj_id: int, *options: Any) -> Any:
    """The row with ``obj_id`` (with loader ``options``) or 404."""
    obj = db.session.scalar(select(model).options(*options).where(model.id == obj_id))
    if obj is None:
        abort(404)
    return obj


def _show_error(form: FlaskForm, exc: StammdatenError) -> None:
    """Attach a service refusal to its form field, or to the form as a whole."""
    if exc.field and exc.field in form:
        form[exc.field].errors = [*form[exc.field].errors, exc.message]
    else:
        form.form_errors.append(exc.message)


def _save(form: FlaskForm, action: Callable[[], Any]) -> Any | None:
    """Run one service call and commit; a refusal is shown in the form (returns None)."""
    try:
        result = action()
    except StammdatenError as exc:
        db.session.rollback()
        _show_error(form, exc)
        return None
    db.session.commit()
    return result


def _invalid_status() -> int:
    """A form that was sent but refused is answered with 400, a fresh form with 200."""
    return 400 if request.method == "POST" else 200


def _confirm(
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
):
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
    return _render(
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


def _get_or_none(model: type, obj_id: int | None) -> Any:
    return db.session.get(model, obj_id) if obj_id is not None else None


def _blank(pairs: list) -> list:
    return options(pairs, KEINE)


def _user_label(user: User) -> str:
    return f"{user.name} ({user.email})"


# --------------------------------------------------------------------------- overview


@bp.route("/")
@login_required
def uebersicht():
    """Entry to the administration with the number of entries per area."""
    require("stammdaten.verwalten")
    counts = {}
    for key, model in (
        ("organisationen", Organisation),
        ("sozialraeume", Sozialraum),
        ("gremien", Gremium),
        ("benutzer", User),
    ):
        total, active = db.session.execute(
            select(func.count(), func.count(case((model.aktiv, 1))))
        ).one()
        counts[key] = {"gesamt": total, "aktiv": active}
    return _render("uebersicht.html", None, counts=counts)


# --------------------------------------------------------------------------- Organisation


@bp.route("/organisationen")
@login_required
def organisationen():
    """All organisations, deactivated ones marked, with the number of active accounts."""
    require("stammdaten.verwalten")
    rows = db.session.scalars(
        select(Organisation).order_by(Organisation.aktiv.desc(), Organisation.name)
    ).all()
    user_counts = dict(
        db.session.execute(
            select(User.organisation_id, func.count())
            .where(User.aktiv, User.organisation_id.is_not(None))
            .group_by(User.organisation_id)
        ).all()
    )
    return _render(
        "organisationen.html", "organisationen", organisationen=rows, user_counts=user_counts
    )


@bp.route("/organisationen/neu", methods=["GET", "POST"])
@login_required
def organisation_neu():
    """Create an organisation."""
    require("organisation.anlegen")
    form = OrganisationForm()
    if form.validate_on_submit():
        org = _save(
            form,
            lambda: services.create_organisation(
                name=form.name.data,
                art=form.art.data,
                kurzname=form.kurzname.data,
                email=form.email.data,
            ),
        )
        if org is not None:
            flash(f"Die Organisation „{org.name}“ wurde angelegt.", "erfolg")
            return redirect(url_for("stammdaten.organisation_detail", organisation_id=org.id), 303)
    return _render(
        "organisation_form.html",
        "organisationen",
        _invalid_status(),
        form=form,
        organisation=None,
        voll=True,
    )


def _organisation_page(org: Organisation, bereich: str | None):
    users = []
    if can(current_user, "benutzer.verwalten"):
        users = db.session.scalars(
            select(User)
            .where(User.organisation_id == org.id)
            .order_by(User.aktiv.desc(), User.name)
        ).all()
    return _render(
        "organisation_detail.html", bereich, organisation=org, users=users, form=ConfirmForm()
    )


@bp.route("/organisationen/<int:organisation_id>")
@login_required
def organisation_detail(organisation_id: int):
    """An organisation's data; the Stabsstelle also sees its accounts."""
    org = _load(Organisation, organisation_id)
    require("organisation.ansehen", org)
    return _organisation_page(org, "organisationen")


@bp.route("/meine-organisation")
@login_required
def meine_organisation():
    """The organisation the current user works for."""
    require("organisation.eigene")
    org = _load(Organisation, current_user.organisation_id)
    require("organisation.ansehen", org)
    return _organisation_page(org, None)


@bp.route("/organisationen/<int:organisation_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def organisation_bearbeiten(organisation_id: int):
    """The Stabsstelle edits everything; staff edit the contact data of their own organisation."""
    org = _load(Organisation, organisation_id)
    require("organisation.bearbeiten", org)
    voll = can(current_user, "organisation.verwalten", org)
    form = (OrganisationForm if voll else OrganisationContactForm)(obj=org)

    def action() -> Organisation:
        if voll:
            return services.update_organisation(
                org,
                name=form.name.data,
                art=form.art.data,
                kurzname=form.kurzname.data,
                email=form.email.data,
            )
        return services.update_organisation_contact(
            org, kurzname=form.kurzname.data, email=form.email.data
        )

    if form.validate_on_submit() and _save(form, action) is not None:
        flash("Die Angaben zur Organisation wurden gespeichert.", "erfolg")
        target = (
            url_for("stammdaten.organisation_detail", organisation_id=org.id)
            if can(current_user, "stammdaten.verwalten")
            else url_for("stammdaten.meine_organisation")
        )
        return redirect(target, 303)
    return _render(
        "organisation_form.html",
        "organisationen" if voll else None,
        _invalid_status(),
        form=form,
        organisation=org,
        voll=voll,
    )


@bp.route("/organisationen/<int:organisation_id>/deaktivieren", methods=["GET", "POST"])
@login_required
def organisation_deaktivieren(organisation_id: int):
    org = _load(Organisation, organisation_id)
    require("organisation.verwalten", org)
    return _confirm(
        titel=f"Organisation „{org.name}“ deaktivieren",
        frage="Soll die Organisation deaktiviert werden?",
        hinweis="Sie wird in Auswahllisten nicht mehr angeboten. Konten, Mitgliedschaften und "
        "bisherige Rückmeldungen bleiben erhalten. Sie können die Organisation später wieder "
        "aktivieren.",
        knopf="Deaktivieren",
        gefahr=True,
        zurueck=url_for("stammdaten.organisation_detail", organisation_id=org.id),
        action=lambda: services.deactivate_organisation(org),
        erfolg=f"Die Organisation „{org.name}“ wurde deaktiviert.",
        bereich="organisationen",
    )


@bp.route("/organisationen/<int:organisation_id>/reaktivieren", methods=["GET", "POST"])
@login_required
def organisation_reaktivieren(organisation_id: int):
    org = _load(Organisation, organisation_id)
    require("organisation.verwalten", org)
    return _confirm(
        titel=f"Organisation „{org.name}“ wieder aktivieren",
        frage="Soll die Organisation wieder aktiviert werden?",
        knopf="Wieder aktivieren",
        zurueck=url_for("stammdaten.organisation_detail", organisation_id=org.id),
        action=lambda: services.reactivate_organisation(org),
        erfolg=f"Die Organisation „{org.name}“ ist wieder aktiv.",
        bereich="organisationen",
    )


# --------------------------------------------------------------------------- Sozialraum


@bp.route("/sozialraeume")
@login_required
def sozialraeume():
    """All Sozialräume with their Stadtteilarbeitskreise."""
    require("stammdaten.verwalten")
    rows = db.session.scalars(select(Sozialraum).order_by(Sozialraum.nummer)).all()
    kreise: dict[int, list[Gremium]] = {}
    for gremium in db.session.scalars(
        select(Gremium).where(Gremium.sozialraum_id.is_not(None)).order_by(Gremium.name)
    ):
        kreise.setdefault(gremium.sozialraum_id, []).append(gremium)
    return _render("sozialraeume.html", "sozialraeume", sozialraeume=rows, kreise=kreise)


@bp.route("/sozialraeume/neu", methods=["GET", "POST"])
@login_required
def sozialraum_neu():
    require("sozialraum.bearbeiten")
    form = SozialraumForm()
    if form.validate_on_submit():
        raum = _save(
            form,
            lambda: services.create_sozialraum(
                nummer=form.nummer.data, name=form.name.data, beschreibung=form.beschreibung.data
            ),
        )
        if raum is not None:
            flash(f"Der Sozialraum „{raum.name}“ wurde angelegt.", "erfolg")
            return redirect(url_for("stammdaten.sozialraum_detail", sozialraum_id=raum.id), 303)
    return _render(
        "sozialraum_form.html", "sozialraeume", _invalid_status(), form=form, sozialraum=None
    )


@bp.route("/sozialraeume/<int:sozialraum_id>")
@login_required
def sozialraum_detail(sozialraum_id: int):
    raum = _load(Sozialraum, sozialraum_id)
    require("sozialraum.bearbeiten", raum)
    kreise = db.session.scalars(
        select(Gremium)
        .where(Gremium.sozialraum_id == raum.id)
        .order_by(Gremium.aktiv.desc(), Gremium.name)
    ).all()
    return _render("sozialraum_detail.html", "sozialraeume", sozialraum=raum, kreise=kreise)


@bp.route("/sozialraeume/<int:sozialraum_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def sozialraum_bearbeiten(sozialraum_id: int):
    raum = _load(Sozialraum, sozialraum_id)
    require("sozialraum.bearbeiten", raum)
    form = SozialraumForm(obj=raum)
    if form.validate_on_submit():
        saved = _save(
            form,
            lambda: services.update_sozialraum(
                raum,
                nummer=form.nummer.data,
                name=form.name.data,
                beschreibung=form.beschreibung.data,
            ),
        )
        if saved is not None:
            flash("Der Sozialraum wurde gespeichert.", "erfolg")
            return redirect(url_for("stammdaten.sozialraum_detail", sozialraum_id=raum.id), 303)
    return _render(
        "sozialraum_form.html", "sozialraeume", _invalid_status(), form=form, sozialraum=raum
    )


@bp.route("/sozialraeume/<int:sozialraum_id>/deaktivieren", methods=["GET", "POST"])
@login_required
def sozialraum_deaktivieren(sozialraum_id: int):
    raum = _load(Sozialraum, sozialraum_id)
    require("sozialraum.bearbeiten", raum)
    return _confirm(
        titel=f"Sozialraum „{raum.name}“ deaktivieren",
        frage="Soll der Sozialraum deaktiviert werden?",
        hinweis="Er wird in Auswahllisten nicht mehr angeboten. Bisherige Daten, die sich auf "
        "ihn beziehen, bleiben erhalten.",
        knopf="Deaktivieren",
        gefahr=True,
        zurueck=url_for("stammdaten.sozialraum_detail", sozialraum_id=raum.id),
        action=lambda: services.deactivate_sozialraum(raum),
        erfolg=f"Der Sozialraum „{raum.name}“ wurde deaktiviert.",
        bereich="sozialraeume",
    )


@bp.route("/sozialraeume/<int:sozialraum_id>/reaktivieren", methods=["GET", "POST"])
@login_required
def sozialraum_reaktivieren(sozialraum_id: int):
    raum = _load(Sozialraum, sozialraum_id)
    require("sozialraum.bearbeiten", raum)
    return _confirm(
        titel=f"Sozialraum „{raum.name}“ wieder aktivieren",
        frage="Soll der Sozialraum wieder aktiviert werden?",
        knopf="Wieder aktivieren",
        zurueck=url_for("stammdaten.sozialraum_detail", sozialraum_id=raum.id),
        action=lambda: services.reactivate_sozialraum(raum),
        erfolg=f"Der Sozialraum „{raum.name}“ ist wieder aktiv.",
        bereich="sozialraeume",
    )


# --------------------------------------------------------------------------- Gremium


@bp.route("/gremien")
@login_required
def gremien():
    """All Gremien with type, Sozialraum and number of active members; filterable by type."""
    require("stammdaten.verwalten")
    typ = request.args.get("typ") or None
    if typ is not None and typ not in {t.value for t in GremiumTyp}:
        abort(400)
    query = (
        select(Gremium)
        .options(joinedload(Gremium.sozialraum))
        .order_by(Gremium.aktiv.desc(), Gremium.typ, Gremium.name)
    )
    if typ:
        query = query.where(Gremium.typ == GremiumTyp(typ))
    rows = db.session.scalars(query).all()
    member_counts = dict(
        db.session.execute(
            select(Mitgliedschaft.gremium_id, func.count())
            .join(User, User.id == Mitgliedschaft.user_id)
            .where(Mitgliedschaft.aktiv, User.aktiv)
            .group_by(Mitgliedschaft.gremium_id)
        ).all()
    )
    return _render(
        "gremien.html",
        "gremien",
        gremien=rows,
        member_counts=member_counts,
        typ=typ,
        typen=list(GremiumTyp),
    )


def _gremium_form_choices(form: GremiumForm, gremium: Gremium | None) -> None:
    current = gremium.sozialraum_id if gremium else None
    form.sozialraum_id.choices = _blank(
        services.choices(Sozialraum, current, lambda r: f"{r.nummer} – {r.name}")
    )


@bp.route("/gremien/neu", methods=["GET", "POST"])
@login_required
def gremium_neu():
    require("gremium.bearbeiten")
    form = GremiumForm()
    _gremium_form_choices(form, None)
    if form.validate_on_submit():
        gremium = _save(
            form,
            lambda: services.create_gremium(
                name=form.name.data,
                typ=form.typ.data,
                sozialraum=_get_or_none(Sozialraum, form.sozialraum_id.data),
                beschreibung=form.beschreibung.data,
                email=form.email.data,
            ),
        )
        if gremium is not None:
            flash(f"Das Gremium „{gremium.name}“ wurde angelegt.", "erfolg")
            return redirect(url_for("stammdaten.gremium_detail", gremium_id=gremium.id), 303)
    return _render("gremium_form.html", "gremien", _invalid_status(), form=form, gremium=None)


def _load_gremium(gremium_id: int) -> Gremium:
    return _load(
        Gremium,
        gremium_id,
        joinedload(Gremium.sozialraum),
        selectinload(Gremium.mitgliedschaften).joinedload(Mitgliedschaft.user),
        selectinload(Gremium.mitgliedschaften).joinedload(Mitgliedschaft.organisation),
    )


def _add_member_choices(
    form: MitgliedHinzufuegenForm, gremium: Gremium, *, include_members: bool = False
) -> None:
    """Active people (current members left out of the offer) and active organisations."""
    members = set() if include_members else {m.user_id for m in gremium.mitgliedschaften if m.aktiv}
    users = db.session.scalars(select(User).where(User.aktiv).order_by(User.name)).all()
    form.user_id.choices = options(
        [(u.id, _user_label(u)) for u in users if u.id not in members], "– bitte wählen –"
    )
    form.organisation_id.choices = _blank(services.choices(Organisation))


def _gremium_page(gremium: Gremium, form: MitgliedHinzufuegenForm | None = None, status: int = 200):
    verwalten = can(current_user, "mitgliedschaft.bearbeiten", gremium)
    aktive = sorted(
        (m for m in gremium.mitgliedschaften if m.aktiv),
        key=lambda m: (FUNKTION_ORDER[m.funktion], m.user.name.lower()),
    )
    frueher = [m for m in gremium.mitgliedschaften if not m.aktiv] if verwalten else []
    if verwalten and gremium.aktiv and form is None:
        form = MitgliedHinzufuegenForm(formdata=None, funktion=Funktion.MITGLIED.value)
        _add_member_choices(form, gremium)
    return _render(
        "gremium_detail.html",
        "gremien" if can(current_user, "stammdaten.verwalten") else None,
        status,
        gremium=gremium,
        aktive=aktive,
        frueher=frueher,
        verwalten=verwalten,
        form=form,
    )


@bp.route("/gremien/<int:gremium_id>")
@login_required
def gremium_detail(gremium_id: int):
    """A Gremium with its members; visible to its members and the Stabsstelle."""
    gremium = _load_gremium(gremium_id)
    require("gremium.ansehen", gremium)
    return _gremium_page(gremium)


@bp.route("/gremien/<int:gremium_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def gremium_bearbeiten(gremium_id: int):
    gremium = _load(Gremium, gremium_id, joinedload(Gremium.sozialraum))
    require("gremium.bearbeiten", gremium)
    form = GremiumForm(obj=gremium)
    _gremium_form_choices(form, gremium)
    if form.validate_on_submit():
        saved = _save(
            form,
            lambda: services.update_gremium(
                gremium,
                name=form.name.data,
                typ=form.typ.data,
                sozialraum=_get_or_none(Sozialraum, form.sozialraum_id.data),
                beschreibung=form.beschreibung.data,
                email=form.email.data,
            ),
        )
        if saved is not None:
            flash("Das Gremium wurde gespeichert.", "erfolg")
            return redirect(url_for("stammdaten.gremium_detail", gremium_id=gremium.id), 303)
    return _render("gremium_form.html", "gremien", _invalid_status(), form=form, gremium=gremium)


@bp.route("/gremien/<int:gremium_id>/deaktivieren", methods=["GET", "POST"])
@login_required
def gremium_deaktivieren(gremium_id: int):
    gremium = _load(Gremium, gremium_id)
    require("gremium.bearbeiten", gremium)
    return _confirm(
        titel=f"Gremium „{gremium.name}“ deaktivieren",
        frage="Soll das Gremium deaktiviert werden?",
        hinweis="Es erscheint nicht mehr auf den Startseiten seiner Mitglieder und in "
        "Auswahllisten. Mitgliedschaften, Sitzungen und Protokolle bleiben erhalten.",
        knopf="Deaktivieren",
        gefahr=True,
        zurueck=url_for("stammdaten.gremium_detail", gremium_id=gremium.id),
        action=lambda: services.deactivate_gremium(gremium),
        erfolg=f"Das Gremium „{gremium.name}“ wurde deaktiviert.",
        bereich="gremien",
    )


@bp.route("/gremien/<int:gremium_id>/reaktivieren", methods=["GET", "POST"])
@login_required
def gremium_reaktivieren(gremium_id: int):
    gremium = _load(Gremium, gremium_id)
    require("gremium.bearbeiten", gremium)
    return _confirm(
        titel=f"Gremium „{gremium.name}“ wieder aktivieren",
        frage="Soll das Gremium wieder aktiviert werden?",
        knopf="Wieder aktivieren",
        zurueck=url_for("stammdaten.gremium_detail", gremium_id=gremium.id),
        action=lambda: services.reactivate_gremium(gremium),
        erfolg=f"Das Gremium „{gremium.name}“ ist wieder aktiv.",
        bereich="gremien",
    )


# --------------------------------------------------------------------------- Mitgliedschaft


@bp.route("/gremien/<int:gremium_id>/mitglieder", methods=["POST"])
@login_required
def mitglied_hinzufuegen(gremium_id: int):
    """Add a person with a function, optionally on behalf of an organisation."""
    gremium = _load_gremium(gremium_id)
    require("mitgliedschaft.bearbeiten", gremium)
    form = MitgliedHinzufuegenForm()
    _add_member_choices(form, gremium, include_members=True)
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        saved = _save(
            form,
            lambda: services.add_mitgliedschaft(
                gremium,
                user,
                form.funktion.data,
                _get_or_none(Organisation, form.organisation_id.data),
            ),
        )
        if saved is not None:
            flash(f"{user.name} wurde als {saved.funktion.label} hinzugefügt.", "erfolg")
            return redirect(url_for("stammdaten.gremium_detail", gremium_id=gremium.id), 303)
        gremium = _load_gremium(gremium_id)
    return _gremium_page(gremium, form, 400)


def _load_mitgliedschaft(mitgliedschaft_id: int) -> Mitgliedschaft:
    return _load(
        Mitgliedschaft,
        mitgliedschaft_id,
        joinedload(Mitgliedschaft.gremium),
        joinedload(Mitgliedschaft.user),
        joinedload(Mitgliedschaft.organisation),
    )


@bp.route("/mitgliedschaften/<int:mitgliedschaft_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def mitgliedschaft_bearbeiten(mitgliedschaft_id: int):
    """Change the function or the organisation of an active membership."""
    mitgliedschaft = _load_mitgliedschaft(mitgliedschaft_id)
    require("mitgliedschaft.bearbeiten", mitgliedschaft.gremium)
    if not mitgliedschaft.aktiv:
        abort(404)
    form = MitgliedschaftForm(obj=mitgliedschaft)
    form.organisation_id.choices = _blank(
        services.choices(Organisation, mitgliedschaft.organisation_id)
    )
    if form.validate_on_submit():
        saved = _save(
            form,
            lambda: services.update_mitgliedschaft(
                mitgliedschaft,
                funktion=form.funktion.data,
                organisation=_get_or_none(Organisation, form.organisation_id.data),
            ),
        )
        if saved is not None:
            flash(f"Die Mitgliedschaft von {mitgliedschaft.user.name} wurde geändert.", "erfolg")
            return redirect(
                url_for("stammdaten.gremium_detail", gremium_id=mitgliedschaft.gremium_id), 303
            )
    return _render(
        "mitgliedschaft_form.html",
        "gremien",
        _invalid_status(),
        form=form,
        mitgliedschaft=mitgliedschaft,
    )


@bp.route("/mitgliedschaften/<int:mitgliedschaft_id>/beenden", methods=["GET", "POST"])
@login_required
def mitgliedschaft_beenden(mitgliedschaft_id: int):
    mitgliedschaft = _load_mitgliedschaft(mitgliedschaft_id)
    require("mitgliedschaft.bearbeiten", mitgliedschaft.gremium)
    name, gremium = mitgliedschaft.user.name, mitgliedschaft.gremium
    return _confirm(
        titel=f"Mitgliedschaft von {name} beenden",
        frage=f"Soll die Mitgliedschaft von {name} im Gremium „{gremium.name}“ beendet werden?",
        hinweis="Die Person erhält keine Einladungen dieses Gremiums mehr. Die Mitgliedschaft "
        "bleibt als frühere Mitgliedschaft sichtbar.",
        knopf="Mitgliedschaft beenden",
        gefahr=True,
        zurueck=url_for("stammdaten.gremium_detail", gremium_id=gremium.id),
        action=lambda: services.end_mitgliedschaft(mitgliedschaft),
        erfolg=f"Die Mitgliedschaft von {name} wurde beendet.",
        bereich="gremien",
    )


# --------------------------------------------------------------------------- Benutzer


@bp.route("/benutzer")
@login_required
def benutzer():
    """All accounts, filterable by text, organisation and status."""
    require("benutzer.verwalten")
    form = BenutzerFilterForm(request.args)
    form.organisation_id.choices = options(services.choices(Organisation), "alle")
    if not form.validate():
        return _render(
            "benutzer.html", "benutzer", 400, form=form, users=[], page=1, seitengroesse=0
        )
    query = select(User).options(joinedload(User.organisation))
    if form.q.data:
        pattern = f"%{form.q.data.strip().lower()}%"
        query = query.where(
            or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern))
        )
    if form.organisation_id.data is not None:
        query = query.where(User.organisation_id == form.organisation_id.data)
    status = form.status.data
    if status == "aktiv":
        query = query.where(User.aktiv)
    elif status == "eingeladen":
        query = query.where(User.aktiv, User.password_hash.is_(None))
    elif status == "deaktiviert":
        query = query.where(~User.aktiv)
    elif status == "stabsstelle":
        query = query.where(User.ist_stabsstelle)
    page = max(request.args.get("seite", 1, type=int) or 1, 1)
    users = db.session.scalars(
        query.order_by(User.aktiv.desc(), User.name, User.id)
        .limit(BENUTZER_PAGE_SIZE)
        .offset((page - 1) * BENUTZER_PAGE_SIZE)
    ).all()
    filters = {k: v for k, v in request.args.items() if k != "seite" and k != "submit" and v}
    return _render(
        "benutzer.html",
        "benutzer",
        form=form,
        users=users,
        page=page,
        seitengroesse=BENUTZER_PAGE_SIZE,
        filters=filters,
    )


def _benutzer_choices(form: BenutzerForm, user: User | None) -> None:
    current = user.organisation_id if user else None
    form.organisation_id.choices = _blank(services.choices(Organisation, current))


@bp.route("/benutzer/neu", methods=["GET", "POST"])
@login_required
def benutzer_neu():
    """Create an account; the person receives the invitation mail after the commit."""
    require("benutzer.verwalten")
    form = BenutzerAnlegenForm()
    _benutzer_choices(form, None)
    if form.validate_on_submit():
        user = _save(
            form,
            lambda: services.create_user(
                email=form.email.data,
                name=form.name.data,
                organisation=_get_or_none(Organisation, form.organisation_id.data),
                ist_stabsstelle=form.ist_stabsstelle.data,
            ),
        )
        if user is not None:
            flash(
                f"Das Konto für {user.name} wurde angelegt. Die Einladung geht an {user.email}.",
                "erfolg",
            )
            return redirect(url_for("stammdaten.benutzer_detail", user_id=user.id), 303)
    return _render("benutzer_form.html", "benutzer", _invalid_status(), form=form, user=None)


@bp.route("/benutzer/<int:user_id>")
@login_required
def benutzer_detail(user_id: int):
    """An account with its memberships and the invitation mails sent to it."""
    user = _load(
        User,
        user_id,
        joinedload(User.organisation),
        selectinload(User.mitgliedschaften).joinedload(Mitgliedschaft.gremium),
        selectinload(User.mitgliedschaften).joinedload(Mitgliedschaft.organisation),
    )
    require("benutzer.verwalten", user)
    einladungen = db.session.scalars(
        select(Mail)
        .where(func.lower(Mail.recipient) == user.email.lower(), Mail.kind == "konto.einladung")
        .order_by(Mail.id.desc())
    ).all()
    mitgliedschaften = sorted(
        user.mitgliedschaften, key=lambda m: (not m.aktiv, m.gremium.name.lower())
    )
    return _render(
        "benutzer_detail.html",
        "benutzer",
        user=user,
        mitgliedschaften=mitgliedschaften,
        einladungen=einladungen,
        einladung_offen=services.is_invitation_open(user),
        form=ConfirmForm(),
    )


@bp.route("/benutzer/<int:user_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def benutzer_bearbeiten(user_id: int):
    """Change name, organisation and the Stabsstelle role."""
    user = _load(User, user_id, joinedload(User.organisation))
    require("benutzer.verwalten", user)
    form = BenutzerForm(obj=user)
    _benutzer_choices(form, user)
    if form.validate_on_submit():
        saved = _save(
            form,
            lambda: services.update_user(
                user,
                name=form.name.data,
                organisation=_get_or_none(Organisation, form.organisation_id.data),
                ist_stabsstelle=form.ist_stabsstelle.data,
                acting_user=current_user,
            ),
        )
        if saved is not None:
            flash(f"Das Konto von {user.name} wurde gespeichert.", "erfolg")
            return redirect(url_for("stammdaten.benutzer_detail", user_id=user.id), 303)
    return _render("benutzer_form.html", "benutzer", _invalid_status(), form=form, user=user)


@bp.route("/benutzer/<int:user_id>/einladen", methods=["POST"])
@login_required
def benutzer_einladen(user_id: int):
    """Mail a fresh invitation link to an account that is not activated yet."""
    user = _load(User, user_id)
    require("benutzer.verwalten", user)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.resend_invitation(user)
    except StammdatenError as exc:
        db.session.rollback()
        flash(exc.message, "fehler")
    else:
        db.session.commit()
        flash(f"Die Einladung wurde erneut an {user.email} gesendet.", "erfolg")
    return redirect(url_for("stammdaten.benutzer_detail", user_id=user.id), 303)


@bp.route("/benutzer/<int:user_id>/deaktivieren", methods=["GET", "POST"])
@login_required
def benutzer_deaktivieren(user_id: int):
    user = _load(User, user_id)
    require("benutzer.verwalten", user)
    return _confirm(
        titel=f"Konto von {user.name} deaktivieren",
        frage="Soll das Konto deaktiviert werden?",
        hinweis="Die Person wird sofort auf allen Geräten abgemeldet und kann sich nicht mehr "
        "anmelden. Ihre Mitgliedschaften in Gremien werden beendet; bisherige Beiträge und "
        "die Historie bleiben erhalten.",
        knopf="Konto deaktivieren",
        gefahr=True,
        zurueck=url_for("stammdaten.benutzer_detail", user_id=user.id),
        action=lambda: services.deactivate_user(user, acting_user=current_user),
        erfolg=f"Das Konto von {user.name} wurde deaktiviert.",
        bereich="benutzer",
    )


@bp.route("/benutzer/<int:user_id>/reaktivieren", methods=["GET", "POST"])
@login_required
def benutzer_reaktivieren(user_id: int):
    user = _load(User, user_id)
    require("benutzer.verwalten", user)
    return _confirm(
        titel=f"Konto von {user.name} wieder aktivieren",
        frage="Soll das Konto wieder aktiviert werden?",
        hinweis="Die Person kann sich danach wieder anmelden. Mitgliedschaften in Gremien "
        "müssen bei Bedarf neu eingetragen werden.",
        knopf="Wieder aktivieren",
        zurueck=url_for("stammdaten.benutzer_detail", user_id=user.id),
        action=lambda: services.reactivate_user(user),
        erfolg=f"Das Konto von {user.name} ist wieder aktiv.",
        bereich="benutzer",
    )
