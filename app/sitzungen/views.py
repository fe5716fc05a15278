"""Blueprint ``sitzungen``: meetings, agenda, invitations, reply links, calendar files and feeds."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.aufgaben import Aufgabe, aufgaben_provider
from app.core.errors import german_abort
from app.core.i18n import datumzeit
from app.core.navigation import nav_entry
from app.core.permissions import can, require
from app.core.types import utcnow
from app.dateien.services import UploadError, send_datei, store_upload
from app.extensions import db
from app.sitzungen import kalender, services
from app.sitzungen.forms import (
    AbsageForm,
    AntwortForm,
    ButtonForm,
    DateiForm,
    EinladenForm,
    SitzungForm,
    TopEditForm,
    TopForm,
    choice,
)
from app.sitzungen.models import Antwort, Einladung, Sitzung, SitzungStatus, Tagesordnungspunkt
from app.stammdaten.models import Gremium

bp = Blueprint("sitzungen", __name__, url_prefix="/sitzungen")
nav_entry("Sitzungen", "sitzungen.liste", None, order=30)
LIST_LIMIT = 100


def _sitzung_or_404(sitzung_id: int, action: str = "sitzung.ansehen") -> Sitzung:
    """The meeting with its Gremium; 404 when missing, 403 without ``action``."""
    sitzung = db.session.scalar(
        select(Sitzung).options(joinedload(Sitzung.gremium)).where(Sitzung.id == sitzung_id)
    )
    if sitzung is None:
        abort(404)
    require(action, sitzung)
    return sitzung


def _top_or_404(sitzung: Sitzung, top_id: int) -> Tagesordnungspunkt:
    top = db.session.get(Tagesordnungspunkt, top_id)
    if top is None or top.sitzung_id != sitzung.id:
        abort(404)
    return top


def _changeable(sitzung: Sitzung) -> None:
    if not sitzung.offen_fuer_aenderungen:
        german_abort(
            409, "Eine durchgeführte oder abgesagte Sitzung kann nicht mehr geändert werden."
        )


def _valid_button() -> None:
    if not ButtonForm().validate_on_submit():
        abort(400)


# --------------------------------------------------------------------------- list and detail


@bp.route("/")
@login_required
def liste():
    """Upcoming (or past) meetings the person may see, with reply counts for organisers."""
    vergangen = request.args.get("zeitraum") == "vergangen"
    now = utcnow()
    query = services.visible_sitzungen(current_user).options(joinedload(Sitzung.gremium))
    if vergangen:
        query = query.where(Sitzung.ende < now).order_by(Sitzung.beginn.desc())
    else:
        query = query.where(Sitzung.ende >= now).order_by(Sitzung.beginn)
    sitzungen = list(db.session.scalars(query.limit(LIST_LIMIT)))
    organisiert = services.organised_gremium_ids(current_user)
    eigene = _own_answers([s.id for s in sitzungen])
    return render_template(
        "sitzungen/liste.html",
        sitzungen=sitzungen,
        vergangen=vergangen,
        zaehler=services.reply_counts([s.id for s in sitzungen]),
        organisiert=organisiert,
        eigene=eigene,
        darf_anlegen=current_user.ist_stabsstelle or bool(organisiert),
    )


def _own_answers(sitzung_ids: list[int]) -> dict[int, Antwort]:
    if not sitzung_ids:
        return {}
    rows = db.session.execute(
        select(Einladung.sitzung_id, Einladung.antwort).where(
            Einladung.sitzung_id.in_(sitzung_ids), Einladung.user_id == current_user.id
        )
    ).all()
    return {row.sitzung_id: row.antwort for row in rows}


@bp.route("/<int:sitzung_id>")
@login_required
def detail(sitzung_id: int):
    """Meeting data and agenda; organisers also see the attendance list and reply history."""
    sitzung = _sitzung_or_404(sitzung_id)
    tops = list(
        db.session.scalars(
            select(Tagesordnungspunkt)
            .options(selectinload(Tagesordnungspunkt.dateien))
            .where(Tagesordnungspunkt.sitzung_id == sitzung.id)
            .order_by(Tagesordnungspunkt.position, Tagesordnungspunkt.id)
        )
    )
    bearbeiten = can(current_user, "sitzung.bearbeiten", sitzung)
    einladungen = _einladungen(sitzung) if bearbeiten else []
    eigene = services.own_einladung(sitzung, current_user)
    return render_template(
        "sitzungen/detail.html",
        sitzung=sitzung,
        tops=tops,
        bearbeiten=bearbeiten,
        einladungen=einladungen,
        zaehler=services.attendance_counts(einladungen),
        verlauf=services.history(sitzung) if bearbeiten else [],
        eigene=eigene,
        eigener_link=url_for("sitzungen.antwort", token=services.reply_token(eigene))
        if eigene
        else None,
        form=ButtonForm(),
        jetzt=utcnow(),
    )


def _einladungen(sitzung: Sitzung) -> list[Einladung]:
    return list(
        db.session.scalars(
            select(Einladung)
            .where(Einladung.sitzung_id == sitzung.id)
            .order_by(Einladung.gast, Einladung.name, Einladung.id)
        )
    )


# --------------------------------------------------------------------------- create and edit


def _gremium_choices(form: SitzungForm) -> list[Gremium]:
    gremien = services.creatable_gremien(current_user)
    form.gremium_id.choices = [choice(g.id, g.name) for g in gremien]
    return gremien


def _zyklus_choices(form: SitzungForm, gremium_id: int | None, current: int | None) -> None:
    zyklen = services.zyklus_choices(gremium_id, current)
    form.zyklus_id.choices = [
        choice("", "– kein Planungszyklus –"),
        *(choice(z.id, z.titel) for z in zyklen),
    ]


def _tie(form: SitzungForm, sitzung: Sitzung) -> bool:
    """Apply the cycle fields; False (with the message on the field) when refused."""
    try:
        services.tie_to_zyklus(sitzung, form.zyklus_id.data, form.phase.data or None)
    except services.SitzungError as exc:
        form.zyklus_id.errors.append(str(exc))
        return False
    return True


def _zeiten(values: dict[str, Any]) -> dict[str, Any]:
    values["beginn"] = services.berlin_to_utc(values["beginn"])
    values["ende"] = services.berlin_to_utc(values["ende"])
    return values


@bp.route("/neu", methods=["GET", "POST"])
@login_required
def neu():
    """Plan a meeting for a Gremium the person organises."""
    require("sitzung.anlegen")
    form = SitzungForm()
    gremien = _gremium_choices(form)
    _zyklus_choices(form, None, None)
    if request.method == "GET" and request.args.get("gremium", type=int):
        form.gremium_id.data = request.args.get("gremium", type=int)
    if form.validate_on_submit():
        gremium = next(g for g in gremien if g.id == form.gremium_id.data)
        require("sitzung.anlegen", gremium)
        sitzung = services.create_sitzung(gremium, current_user, **_zeiten(form.values()))
        if _tie(form, sitzung):
            db.session.commit()
            flash("Die Sitzung wurde angelegt. Ergänzen Sie jetzt die Tagesordnung.", "erfolg")
            return redirect(url_for("sitzungen.tagesordnung", sitzung_id=sitzung.id), 303)
        db.session.rollback()
    status = 400 if form.errors else 200
    return render_template("sitzungen/form.html", form=form, sitzung=None), status


@bp.route("/<int:sitzung_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def bearbeiten(sitzung_id: int):
    """Change the meeting; a new time or place is sent to everyone invited."""
    sitzung = _sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    _changeable(sitzung)
    form = SitzungForm(obj=sitzung)
    form.gremium_id.choices = [choice(sitzung.gremium_id, sitzung.gremium.name)]
    form.gremium_id.data = sitzung.gremium_id
    _zyklus_choices(form, sitzung.gremium_id, sitzung.zyklus_id)
    if request.method == "GET":
        form.beginn.data = services.utc_to_berlin_naive(sitzung.beginn)
        form.ende.data = services.utc_to_berlin_naive(sitzung.ende)
        form.erinnerung_an.data = sitzung.erinnerung_an.value
        form.phase.data = sitzung.phase.value if sitzung.phase else ""
    if form.validate_on_submit() and _tie(form, sitzung):
        moved = services.update_sitzung(sitzung, **_zeiten(form.values()))
        db.session.commit()
        invited = sitzung.status == SitzungStatus.EINGELADEN
        flash(
            "Die Änderung wurde gespeichert und geht als Aktualisierung an alle Eingeladenen."
            if moved and invited
            else "Die Änderungen wurden gespeichert.",
            "erfolg",
        )
        return redirect(url_for("sitzungen.detail", sitzung_id=sitzung.id), 303)
    status = 400 if form.errors else 200
    return render_template("sitzungen/form.html", form=form, sitzung=sitzung), status


# --------------------------------------------------------------------------- agenda


@bp.route("/<int:sitzung_id>/tagesordnung", methods=["GET", "POST"])
@login_required
def tagesordnung(sitzung_id: int):
    """Add agenda items (with a first document), reorder and remove them."""
    sitzung = _sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    form = TopForm()
    status = 200
    if request.method == "POST":
        _changeable(sitzung)
        if form.validate_on_submit():
            try:
                datei = store_upload(form.datei.data) if form.datei.data else None
            except UploadError as exc:
                form.datei.errors.append(str(exc))
                status = exc.status_code
            else:
                services.add_top(sitzung, form.titel.data.strip(), form.beschreibung.data, datei)
                db.session.commit()
                flash("Der Tagesordnungspunkt wurde hinzugefügt.", "erfolg")
                return redirect(url_for("sitzungen.tagesordnung", sitzung_id=sitzung.id), 303)
        else:
            status = 400
    return _agenda_page(sitzung, form, status)


def _agenda_page(
    sitzung: Sitzung,
    form: TopForm,
    status: int = 200,
    datei_form: Any = None,
    datei_top_id: int | None = None,
) -> tuple[str, int]:
    tops = list(
        db.session.scalars(
            select(Tagesordnungspunkt)
            .options(selectinload(Tagesordnungspunkt.dateien))
            .where(Tagesordnungspunkt.sitzung_id == sitzung.id)
            .order_by(Tagesordnungspunkt.position, Tagesordnungspunkt.id)
        )
    )
    return render_template(
        "sitzungen/tagesordnung.html",
        sitzung=sitzung,
        tops=tops,
        form=form,
        button=ButtonForm(),
        datei_form=datei_form or DateiForm(formdata=None),
        datei_top_id=datei_top_id,
    ), status


@bp.route("/<int:sitzung_id>/tops/<int:top_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def top_bearbeiten(sitzung_id: int, top_id: int):
    """Change title and description of an agenda item."""
    sitzung = _sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    _changeable(sitzung)
    top = _top_or_404(sitzung, top_id)
    form = TopEditForm(obj=top)
    if form.validate_on_submit():
        top.titel = form.titel.data.strip()
        top.beschreibung = (form.beschreibung.data or "").strip() or None
        db.session.commit()
        flash("Der Tagesordnungspunkt wurde gespeichert.", "erfolg")
        return redirect(url_for("sitzungen.tagesordnung", sitzung_id=sitzung.id), 303)
    status = 400 if form.errors else 200
    return render_template("sitzungen/top_form.html", sitzung=sitzung, top=top, form=form), status


@bp.route("/<int:sitzung_id>/tops/<int:top_id>/verschieben/<richtung>", methods=["POST"])
@login_required
def top_verschieben(sitzung_id: int, top_id: int, richtung: str):
    """Move an agenda item up or down."""
    sitzung = _sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    _changeable(sitzung)
    if richtung not in ("hoch", "runter"):
        abort(404)
    _valid_button()
    services.move_top(_top_or_404(sitzung, top_id), richtung)
    db.session.commit()
    return redirect(url_for("sitzungen.tagesordnung", sitzung_id=sitzung.id), 303)


@bp.route("/<int:sitzung_id>/tops/<int:top_id>/loeschen", methods=["POST"])
@login_required
def top_loeschen(sitzung_id: int, top_id: int):
    """Remove an agenda item with its documents."""
    sitzung = _sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    _changeable(sitzung)
    _valid_button()
    services.delete_top(_top_or_404(sitzung, top_id))
    db.session.commit()
    flash("Der Tagesordnungspunkt wurde entfernt.", "erfolg")
    return redirect(url_for("sitzungen.tagesordnung", sitzung_id=sitzung.id), 303)


@bp.route("/<int:sitzung_id>/tops/<int:top_id>/dateien", methods=["POST"])
@login_required
def datei_hochladen(sitzung_id: int, top_id: int):
    """Attach another document to an agenda item."""
    sitzung = _sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    _changeable(sitzung)
    top = _top_or_404(sitzung, top_id)
    form = DateiForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        datei = store_upload(form.datei.data)
    except UploadError as exc:
        form.datei.errors.append(str(exc))
        return _agenda_page(sitzung, TopForm(formdata=None), exc.status_code, form, top.id)
    services.attach_datei(top, datei)
    db.session.commit()
    flash(f"Die Anlage „{datei.original_name}“ wurde hochgeladen.", "erfolg")
    return redirect(url_for("sitzungen.tagesordnung", sitzung_id=sitzung.id), 303)


@bp.route("/<int:sitzung_id>/tops/<int:top_id>/dateien/<int:datei_id>/entfernen", methods=["POST"])
@login_required
def datei_entfernen(sitzung_id: int, top_id: int, datei_id: int):
    """Remove a document from an agenda item."""
    sitzung = _sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    _changeable(sitzung)
    top = _top_or_404(sitzung, top_id)
    datei = next((d for d in top.dateien if d.id == datei_id), None)
    if datei is None:
        abort(404)
    _valid_button()
    services.remove_datei(top, datei)
    db.session.commit()
    flash("Die Anlage wurde entfernt.", "erfolg")
    return redirect(url_for("sitzungen.tagesordnung", sitzung_id=sitzung.id), 303)


@bp.route("/<int:sitzung_id>/dateien/<int:datei_id>")
@login_required
def datei(sitzung_id: int, datei_id: int):
    """Download an agenda document (everyone who may see the meeting)."""
    sitzung = _sitzung_or_404(sitzung_id)
    found = services.find_top_datei(sitzung, datei_id)
    if found is None:
        abort(404)
    return send_datei(found)


# --------------------------------------------------------------------------- invite, cancel, held


@bp.route("/<int:sitzung_id>/einladen", methods=["GET", "POST"])
@login_required
def einladen(sitzung_id: int):
    """Invite all members plus guests; a second run only invites whoever is new."""
    sitzung = _sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    _changeable(sitzung)
    form = EinladenForm()
    if form.validate_on_submit():
        try:
            gaeste = services.parse_gaeste(form.gaeste.data)
            services.invite(sitzung, gaeste)
        except services.SitzungError as exc:
            form.gaeste.errors.append(str(exc))
        else:
            db.session.commit()
            flash(
                "Die Einladungen werden jetzt versendet. "
                "Die Rückmeldungen sehen Sie auf dieser Seite.",
                "erfolg",
            )
            return redirect(url_for("sitzungen.detail", sitzung_id=sitzung.id), 303)
    mitglieder = services.recipients(sitzung)
    status = 400 if form.errors else 200
    return render_template(
        "sitzungen/einladen.html", sitzung=sitzung, form=form, empfaenger=mitglieder
    ), status


@bp.route("/<int:sitzung_id>/absagen", methods=["GET", "POST"])
@login_required
def absagen(sitzung_id: int):
    """Cancel the meeting; everyone invited gets a calendar cancellation."""
    sitzung = _sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    _changeable(sitzung)
    form = AbsageForm()
    if form.validate_on_submit():
        services.cancel_sitzung(sitzung, (form.grund.data or "").strip())
        db.session.commit()
        flash("Die Sitzung wurde abgesagt; die Eingeladenen werden benachrichtigt.", "erfolg")
        return redirect(url_for("sitzungen.detail", sitzung_id=sitzung.id), 303)
    status = 400 if form.errors else 200
    return render_template("sitzungen/absagen.html", sitzung=sitzung, form=form), status


@bp.route("/<int:sitzung_id>/durchgefuehrt", methods=["POST"])
@login_required
def durchgefuehrt(sitzung_id: int):
    """Record that the meeting took place."""
    sitzung = _sitzung_or_404(sitzung_id, "sitzung.bearbeiten")
    _valid_button()
    try:
        services.mark_held(sitzung)
    except services.SitzungError as exc:
        german_abort(409, str(exc))
    db.session.commit()
    flash("Die Sitzung ist als durchgeführt vermerkt.", "erfolg")
    return redirect(url_for("sitzungen.detail", sitzung_id=sitzung.id), 303)


# --------------------------------------------------------------------------- replies (no login)


def _einladung_from_token(token: str) -> Einladung:
    try:
        return services.read_reply_token(token)
    except services.LinkError as exc:
        german_abort(400, str(exc))  # raises
    raise AssertionError("nicht erreichbar")


@bp.route("/antwort/<token>", methods=["GET", "POST"])
def antwort(token: str):
    """The personal reply page from the invitation mail: Zusage, Absage or Vertretung."""
    einladung = _einladung_from_token(token)
    sitzung = db.session.scalar(
        select(Sitzung)
        .options(
            joinedload(Sitzung.gremium),
            selectinload(Sitzung.tagesordnungspunkte).selectinload(Tagesordnungspunkt.dateien),
        )
        .where(Sitzung.id == einladung.sitzung_id)
    )
    form = AntwortForm()
    if request.method == "GET" and einladung.antwort != Antwort.OFFEN:
        form.antwort.data = einladung.antwort.value
        form.vertretung_name.data = einladung.vertretung_name
        form.kommentar.data = einladung.kommentar
    geschlossen = services.reply_closed_reason(sitzung)
    status = 200
    if request.method == "POST":
        if geschlossen:
            german_abort(409, geschlossen)
        if form.validate_on_submit():
            try:
                services.answer_einladung(
                    einladung,
                    Antwort(form.antwort.data),
                    form.vertretung_name.data,
                    form.kommentar.data,
                    current_user,
                )
            except services.SitzungError as exc:
                form.antwort.errors.append(str(exc))
            else:
                db.session.commit()
                flash("Vielen Dank, Ihre Rückmeldung wurde gespeichert.", "erfolg")
                return redirect(url_for("sitzungen.antwort", token=token), 303)
        status = 400
    return render_template(
        "sitzungen/antwort.html",
        einladung=einladung,
        sitzung=sitzung,
        form=form,
        token=token,
        geschlossen=geschlossen,
    ), status


@bp.route("/antwort/<token>/dateien/<int:datei_id>")
def antwort_datei(token: str, datei_id: int):
    """Agenda documents for invitees, also guests without an account."""
    einladung = _einladung_from_token(token)
    found = services.find_top_datei(einladung.sitzung, datei_id)
    if found is None:
        abort(404)
    return send_datei(found)


@bp.route("/antwort/<token>/kalender.ics")
def antwort_ics(token: str):
    """The personal calendar entry again (in case the mail attachment got lost)."""
    einladung = _einladung_from_token(token)
    _, data = kalender.invitation_ics(einladung.sitzung, einladung)
    return _ics_response(data, "einladung.ics")


# --------------------------------------------------------------------------- calendars


def _ics_response(data: bytes, filename: str, attachment: bool = True) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Type"] = kalender.CALENDAR_CONTENT_TYPE
    disposition = "attachment" if attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@bp.route("/<int:sitzung_id>/kalender.ics")
@login_required
def sitzung_ics(sitzung_id: int):
    """The meeting as a calendar file (METHOD:PUBLISH)."""
    sitzung = _sitzung_or_404(sitzung_id)
    return _ics_response(kalender.publish_ics([sitzung]), f"sitzung-{sitzung.id}.ics")


@bp.route("/kalender", methods=["GET", "POST"])
@login_required
def kalender_abo():
    """Show, create, renew or revoke the personal calendar feed URL."""
    require("kalender.abo")
    form = ButtonForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if request.form.get("aktion") == "widerrufen":
            services.revoke_abo(current_user)
            flash("Der Kalender-Link wurde widerrufen und funktioniert nicht mehr.", "erfolg")
        else:
            services.renew_abo(current_user)
            flash(
                "Ein neuer Kalender-Link wurde erzeugt; ein früherer funktioniert nicht mehr.",
                "erfolg",
            )
        db.session.commit()
        return redirect(url_for("sitzungen.kalender_abo"), 303)
    abo = services.active_abo(current_user)
    link = url_for("sitzungen.feed", token=abo.token, _external=True) if abo else None
    return render_template("sitzungen/kalender.html", abo=abo, link=link, form=form)


@bp.route("/kalender/<token>.ics")
def feed(token: str):
    """A person's subscribed calendar: meetings of their Gremien and their invitations."""
    found = services.feed_for_token(token)
    if found is None:
        abort(404)
    user, sitzungen = found
    data = kalender.publish_ics(sitzungen, f"Sitzungen – {user.name}")
    return _ics_response(data, "sitzungen.ics", attachment=False)


@bp.route("/gremien/<int:gremium_id>/kalender.ics")
def gremium_feed(gremium_id: int):
    """The public meetings of a Gremium as a subscribable calendar (no login)."""
    gremium = db.get_or_404(Gremium, gremium_id)
    if not gremium.aktiv:
        abort(404)
    data = kalender.publish_ics(
        services.public_feed(gremium), f"{gremium.name} – öffentliche Sitzungen"
    )
    return _ics_response(data, f"gremium-{gremium.id}.ics", attachment=False)


# --------------------------------------------------------------------------- start page


@aufgaben_provider
def _offene_einladungen(user: Any) -> list[Aufgabe]:
    """Upcoming invitations the person has not answered yet."""
    if not getattr(user, "is_authenticated", False):
        return []
    soon = utcnow().timestamp() + 3 * 24 * 3600
    return [
        Aufgabe(
            f"Rückmeldung zur Sitzung „{e.sitzung.titel}“ ({e.sitzung.gremium.name}) "
            f"am {datumzeit(e.sitzung.beginn)}",
            url_for("sitzungen.antwort", token=services.reply_token(e)),
            "Zusage, Absage oder Vertretung angeben",
            dringend=e.sitzung.beginn.timestamp() < soon,
        )
        for e in services.open_einladungen(user)
    ]
