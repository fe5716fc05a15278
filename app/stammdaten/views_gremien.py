"""Gremium routes of the ``stammdaten`` blueprint: list, create, show, edit, (de)activate."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from app.auth.models import User
from app.core.permissions import can, require
from app.extensions import db
from app.stammdaten import services
from app.stammdaten.blueprint import (
    Page,
    blank,
    bp,
    confirm_status,
    count_by,
    get_or_none,
    invalid_status,
    load,
    render,
    save_form,
    user_label,
)
from app.stammdaten.forms import GremiumForm, MitgliedHinzufuegenForm, options
from app.stammdaten.models import (
    Funktion,
    Gremium,
    GremiumTyp,
    Mitgliedschaft,
    Organisation,
    Sozialraum,
)

FUNKTION_ORDER = {f: i for i, f in enumerate(Funktion)}
DEAKTIVIEREN_HINWEIS = (
    "Es erscheint nicht mehr auf den Startseiten seiner Mitglieder und in "
    "Auswahllisten. Mitgliedschaften, Sitzungen und Protokolle bleiben erhalten."
)


def detail_url(gremium_id: int) -> str:
    """The Gremium's detail page."""
    return url_for("stammdaten.gremium_detail", gremium_id=gremium_id)


@bp.route("/gremien")
@login_required
def gremien() -> Page:
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
    member_counts = count_by(
        Mitgliedschaft.gremium_id,
        Mitgliedschaft.aktiv,
        User.aktiv,
        join=(User, User.id == Mitgliedschaft.user_id),
    )
    return render(
        "gremien.html",
        "gremien",
        gremien=rows,
        member_counts=member_counts,
        typ=typ,
        typen=list(GremiumTyp),
    )


def _gremium_form_choices(form: GremiumForm, gremium: Gremium | None) -> None:
    """Active Sozialräume (plus the current one) as choices."""
    current = gremium.sozialraum_id if gremium else None
    form.sozialraum_id.choices = blank(
        services.choices(Sozialraum, current, lambda r: f"{r.nummer} – {r.name}")
    )


def _gremium_fields(form: GremiumForm) -> dict:
    """The form's values as keyword arguments for the services."""
    return {
        "name": form.name.data,
        "typ": form.typ.data,
        "sozialraum": get_or_none(Sozialraum, form.sozialraum_id.data),
        "beschreibung": form.beschreibung.data,
        "email": form.email.data,
    }


@bp.route("/gremien/neu", methods=["GET", "POST"])
@login_required
def gremium_neu() -> Page | Response:
    """Create a Gremium."""
    require("gremium.bearbeiten")
    form = GremiumForm()
    _gremium_form_choices(form, None)
    done = save_form(
        form,
        lambda: services.create_gremium(**_gremium_fields(form)),
        erfolg=lambda gremium: f"Das Gremium „{gremium.name}“ wurde angelegt.",
        ziel=lambda gremium: detail_url(gremium.id),
    )
    if done is not None:
        return done
    return render("gremium_form.html", "gremien", invalid_status(), form=form, gremium=None)


def load_gremium(gremium_id: int) -> Gremium:
    """The Gremium with Sozialraum, members, their organisations and deputies, or 404."""
    return load(
        Gremium,
        gremium_id,
        joinedload(Gremium.sozialraum),
        selectinload(Gremium.mitgliedschaften).joinedload(Mitgliedschaft.user),
        selectinload(Gremium.mitgliedschaften).joinedload(Mitgliedschaft.organisation),
        selectinload(Gremium.mitgliedschaften).joinedload(Mitgliedschaft.stellvertretung),
    )


def add_member_choices(
    form: MitgliedHinzufuegenForm, gremium: Gremium, *, include_members: bool = False
) -> None:
    """Active people (current members left out of the offer) and active organisations."""
    members = set() if include_members else {m.user_id for m in gremium.mitgliedschaften if m.aktiv}
    users = db.session.scalars(select(User).where(User.aktiv).order_by(User.name)).all()
    form.user_id.choices = options(
        [(u.id, user_label(u)) for u in users if u.id not in members], "– bitte wählen –"
    )
    form.organisation_id.choices = blank(services.choices(Organisation))


def gremium_page(
    gremium: Gremium, form: MitgliedHinzufuegenForm | None = None, status: int = 200
) -> Page:
    """The detail page: active members by function, former ones and the add form for managers."""
    verwalten = can(current_user, "mitgliedschaft.bearbeiten", gremium)
    aktive = sorted(
        (m for m in gremium.mitgliedschaften if m.aktiv),
        key=lambda m: (FUNKTION_ORDER[m.funktion], m.user.name.lower()),
    )
    frueher = [m for m in gremium.mitgliedschaften if not m.aktiv] if verwalten else []
    if verwalten and gremium.aktiv and form is None:
        form = MitgliedHinzufuegenForm(formdata=None, funktion=Funktion.MITGLIED.value)
        add_member_choices(form, gremium)
    return render(
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
def gremium_detail(gremium_id: int) -> Page:
    """A Gremium with its members; visible to its members and the Stabsstelle."""
    gremium = load_gremium(gremium_id)
    require("gremium.ansehen", gremium)
    return gremium_page(gremium)


@bp.route("/gremien/<int:gremium_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def gremium_bearbeiten(gremium_id: int) -> Page | Response:
    """Edit a Gremium's name, type, Sozialraum, description and address."""
    gremium = load(Gremium, gremium_id, joinedload(Gremium.sozialraum))
    require("gremium.bearbeiten", gremium)
    form = GremiumForm(obj=gremium)
    _gremium_form_choices(form, gremium)
    done = save_form(
        form,
        lambda: services.update_gremium(gremium, **_gremium_fields(form)),
        erfolg=lambda _: "Das Gremium wurde gespeichert.",
        ziel=lambda _: detail_url(gremium.id),
    )
    if done is not None:
        return done
    return render("gremium_form.html", "gremien", invalid_status(), form=form, gremium=gremium)


def _statuswechsel(gremium_id: int, aktivieren: bool) -> Page | Response:
    """Confirm and (de)activate a Gremium."""
    gremium = load(Gremium, gremium_id)
    require("gremium.bearbeiten", gremium)
    wechsel = services.reactivate_gremium if aktivieren else services.deactivate_gremium
    return confirm_status(
        aktivieren=aktivieren,
        artikel="das",
        nomen="Gremium",
        bezeichnung=f"Gremium „{gremium.name}“",
        hinweis=None if aktivieren else DEAKTIVIEREN_HINWEIS,
        zurueck=detail_url(gremium.id),
        action=lambda: wechsel(gremium),
        bereich="gremien",
    )


@bp.route("/gremien/<int:gremium_id>/deaktivieren", methods=["GET", "POST"])
@login_required
def gremium_deaktivieren(gremium_id: int) -> Page | Response:
    """Deactivate a Gremium after confirmation."""
    return _statuswechsel(gremium_id, aktivieren=False)


@bp.route("/gremien/<int:gremium_id>/reaktivieren", methods=["GET", "POST"])
@login_required
def gremium_reaktivieren(gremium_id: int) -> Page | Response:
    """Reactivate a Gremium after confirmation."""
    return _statuswechsel(gremium_id, aktivieren=True)
