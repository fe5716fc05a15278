"""Account routes of the ``stammdaten`` blueprint: list, create, show, edit, invite, (de)activate."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from app.auth.models import User
from app.core.datenstand import zwischengespeichert
from app.core.permissions import require
from app.core.seiten import Blatt, blaettern
from app.extensions import db
from app.mail.services import mails_to
from app.stammdaten import services
from app.stammdaten.blueprint import (
    Page,
    blank,
    bp,
    confirm_status,
    get_or_none,
    invalid_status,
    load,
    render,
    save_form,
)
from app.stammdaten.forms import (
    BenutzerAnlegenForm,
    BenutzerBearbeitenForm,
    BenutzerFilterForm,
    BenutzerForm,
    ConfirmForm,
    options,
)
from app.stammdaten.models import Mitgliedschaft, Organisation
from app.stammdaten.services import StammdatenError

BENUTZER_PAGE_SIZE = 50
STATUS_FILTER: dict[str, tuple[Any, ...]] = {
    "aktiv": (User.aktiv,),
    "eingeladen": (User.aktiv, User.password_hash.is_(None)),
    "deaktiviert": (~User.aktiv,),
    "stabsstelle": (User.ist_stabsstelle,),
}
DEAKTIVIEREN_HINWEIS = (
    "Die Person wird sofort auf allen Geräten abgemeldet und kann sich nicht mehr "
    "anmelden. Ihre Mitgliedschaften in Gremien und Stellvertretungen werden beendet; "
    "bisherige Beiträge und die Historie bleiben erhalten."
)
REAKTIVIEREN_HINWEIS = (
    "Die Person kann sich danach wieder anmelden. Mitgliedschaften in Gremien "
    "müssen bei Bedarf neu eingetragen werden."
)


def _detail_url(user: User) -> str:
    """The account's detail page."""
    return url_for("stammdaten.benutzer_detail", user_id=user.id)


def _filtered(query: Select, form: BenutzerFilterForm) -> Select:
    """Restrict the account query by text, organisation and status."""
    if form.q.data:
        pattern = f"%{form.q.data.strip().lower()}%"
        query = query.where(
            or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern))
        )
    if form.organisation_id.data is not None:
        query = query.where(User.organisation_id == form.organisation_id.data)
    return query.where(*STATUS_FILTER.get(form.status.data, ()))


@bp.route("/benutzer")
@login_required
def benutzer() -> Page:
    """All accounts, filterable by text, organisation and status."""
    require("benutzer.verwalten")
    form = BenutzerFilterForm(request.args)
    organisationen = zwischengespeichert(
        ("organisationen-auswahl",), lambda: tuple(services.choices(Organisation))
    )
    form.organisation_id.choices = options(list(organisationen), "alle")
    if not form.validate():
        leer = render_template("stammdaten/_benutzer_tabelle.html", users=[], blatt=Blatt([]))
        return render("benutzer.html", "benutzer", 400, form=form, tabelle_html=Markup(leer))
    filter_html = zwischengespeichert(  # the filter depends on its values and the choices only
        ("benutzer-filter", form.q.data, form.organisation_id.data, form.status.data),
        lambda: Markup(render_template("stammdaten/_benutzer_filter.html", form=form)),
    )
    tabelle_html = zwischengespeichert(
        ("benutzer-tabelle", tuple(sorted(request.args.items(multi=True)))),
        lambda: _tabelle(form),
    )
    return render("benutzer.html", "benutzer", filter_html=filter_html, tabelle_html=tabelle_html)


def _tabelle(form: BenutzerFilterForm) -> Markup:
    """The page of accounts for the filter (columns only; pure: data and query arguments)."""
    query = _filtered(_KONTO_SPALTEN.outerjoin(User.organisation), form)
    blatt = blaettern(
        query.order_by(User.aktiv.desc(), User.name, User.id), BENUTZER_PAGE_SIZE, scalars=False
    )
    blatt.eintraege = [_konto_zeile(row) for row in blatt.eintraege]
    html = render_template("stammdaten/_benutzer_tabelle.html", users=blatt.eintraege, blatt=blatt)
    return Markup(html)


class KontoOrganisation(NamedTuple):
    """What the account list shows of the organisation."""

    name: str
    kurzname: str | None
    aktiv: bool


class KontoZeile(NamedTuple):
    """One row of the account list (columns, not the ORM object: the list is a page of 50)."""

    id: int
    name: str
    email: str
    aktiv: bool
    password_hash: bool  # only whether one is set (``konto_status``)
    ist_stabsstelle: bool
    last_login_at: datetime | None
    organisation: KontoOrganisation | None


_KONTO_SPALTEN = select(
    User.id,
    User.name,
    User.email,
    User.aktiv,
    User.password_hash.is_not(None),
    User.ist_stabsstelle,
    User.last_login_at,
    Organisation.id,
    Organisation.name,
    Organisation.kurzname,
    Organisation.aktiv,
)


def _konto_zeile(row: Any) -> KontoZeile:
    *konto, org_id, org_name, org_kurz, org_aktiv = row
    org = KontoOrganisation(org_name, org_kurz, org_aktiv) if org_id is not None else None
    return KontoZeile(*konto, org)


def _benutzer_choices(form: BenutzerForm, user: User | None) -> None:
    """Active organisations (plus the account's current one) as choices."""
    current = user.organisation_id if user else None
    form.organisation_id.choices = blank(services.choices(Organisation, current))


@bp.route("/benutzer/neu", methods=["GET", "POST"])
@login_required
def benutzer_neu() -> Page | Response:
    """Create an account; the person receives the invitation mail after the commit."""
    require("benutzer.verwalten")
    form = BenutzerAnlegenForm()
    _benutzer_choices(form, None)
    done = save_form(
        form,
        lambda: services.create_user(
            email=form.email.data,
            name=form.name.data,
            organisation=get_or_none(Organisation, form.organisation_id.data),
            ist_stabsstelle=form.ist_stabsstelle.data,
        ),
        erfolg=lambda user: (
            f"Das Konto für {user.name} wurde angelegt. Die Einladung geht an {user.email}."
        ),
        ziel=_detail_url,
    )
    if done is not None:
        return done
    return render("benutzer_form.html", "benutzer", invalid_status(), form=form, user=None)


def _vertretungen(user: User) -> list[Mitgliedschaft]:
    """The active seats the person deputises, with member and Gremium (one query)."""
    return list(
        db.session.scalars(
            select(Mitgliedschaft)
            .options(joinedload(Mitgliedschaft.gremium), joinedload(Mitgliedschaft.user))
            .where(Mitgliedschaft.stellvertretung_id == user.id, Mitgliedschaft.aktiv)
            .order_by(Mitgliedschaft.id)
        )
    )


@bp.route("/benutzer/<int:user_id>")
@login_required
def benutzer_detail(user_id: int) -> Page:
    """An account with its memberships and the invitation mails sent to it."""
    user = load(
        User,
        user_id,
        joinedload(User.organisation),
        selectinload(User.mitgliedschaften).joinedload(Mitgliedschaft.gremium),
        selectinload(User.mitgliedschaften).joinedload(Mitgliedschaft.organisation),
        selectinload(User.mitgliedschaften).joinedload(Mitgliedschaft.stellvertretung),
    )
    require("benutzer.verwalten", user)
    einladungen = mails_to(user.email, "konto.einladung")
    mitgliedschaften = sorted(
        user.mitgliedschaften, key=lambda m: (not m.aktiv, m.gremium.name.lower())
    )
    return render(
        "benutzer_detail.html",
        "benutzer",
        user=user,
        mitgliedschaften=mitgliedschaften,
        vertretungen=_vertretungen(user),
        einladungen=einladungen,
        einladung_offen=services.is_invitation_open(user),
        form=ConfirmForm(),
    )


@bp.route("/benutzer/<int:user_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def benutzer_bearbeiten(user_id: int) -> Page | Response:
    """Change name, organisation and the Stabsstelle role."""
    user = load(User, user_id, joinedload(User.organisation))
    require("benutzer.verwalten", user)
    form = BenutzerBearbeitenForm(obj=user)
    _benutzer_choices(form, user)
    done = save_form(
        form,
        lambda: services.update_user(
            user,
            name=form.name.data,
            organisation=get_or_none(Organisation, form.organisation_id.data),
            ist_stabsstelle=form.ist_stabsstelle.data,
            acting_user=current_user,
            name_oeffentlich=form.name_oeffentlich.data,
        ),
        erfolg=lambda _: f"Das Konto von {user.name} wurde gespeichert.",
        ziel=lambda _: _detail_url(user),
    )
    if done is not None:
        return done
    return render("benutzer_form.html", "benutzer", invalid_status(), form=form, user=user)


@bp.route("/benutzer/<int:user_id>/einladen", methods=["POST"])
@login_required
def benutzer_einladen(user_id: int) -> Response:
    """Mail a fresh invitation link to an account that is not activated yet."""
    user = load(User, user_id)
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
    return redirect(_detail_url(user), 303)


def _wechsel(user: User, aktivieren: bool) -> int | None:
    """Run the service that reactivates or deactivates the account."""
    if aktivieren:
        return services.reactivate_user(user)
    return services.deactivate_user(user, acting_user=current_user)


def _statuswechsel(user_id: int, aktivieren: bool) -> Page | Response:
    """Confirm and (de)activate an account."""
    user = load(User, user_id)
    require("benutzer.verwalten", user)
    return confirm_status(
        aktivieren=aktivieren,
        artikel="das",
        nomen="Konto",
        bezeichnung=f"Konto von {user.name}",
        hinweis=REAKTIVIEREN_HINWEIS if aktivieren else DEAKTIVIEREN_HINWEIS,
        knopf="Konto deaktivieren",
        zurueck=_detail_url(user),
        action=lambda: _wechsel(user, aktivieren),
        bereich="benutzer",
    )


@bp.route("/benutzer/<int:user_id>/deaktivieren", methods=["GET", "POST"])
@login_required
def benutzer_deaktivieren(user_id: int) -> Page | Response:
    """Deactivate an account after confirmation; its memberships end."""
    return _statuswechsel(user_id, aktivieren=False)


@bp.route("/benutzer/<int:user_id>/reaktivieren", methods=["GET", "POST"])
@login_required
def benutzer_reaktivieren(user_id: int) -> Page | Response:
    """Reactivate an account after confirmation."""
    return _statuswechsel(user_id, aktivieren=True)
