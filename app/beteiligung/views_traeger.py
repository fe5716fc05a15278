"""The organisations' side: open forms, filling in (drafts, conflicts, submit), attachments."""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from app.beteiligung import anfragen, antworten, fristen, services
from app.beteiligung.blueprint import bogen_or_404, bp
from app.beteiligung.forms import AntwortForm, FristAnfrageForm
from app.beteiligung.models import (
    AnfrageArt,
    FrageTyp,
    Rueckmeldebogen,
    Rueckmeldung,
    RueckmeldungAnhang,
)
from app.beteiligung.permissions import editable, nach_frist
from app.core.datenstand import zwischengespeichert
from app.core.errors import german_abort
from app.core.permissions import require
from app.core.seitenspeicher import je_leser, seite
from app.dateien.services import DOKUMENTE, UploadError, send_datei, store_upload
from app.extensions import db


@bp.route("/offen")
@login_required
def offen():
    """The forms addressed to my organisation: open ones first, then answered or closed ones."""
    require("rueckmeldung.eigene")
    schluessel = ("traeger-offen", current_user.organisation_id)
    return render_template("beteiligung/offen.html", inhalt=zwischengespeichert(schluessel, _offen))


def _offen() -> Markup:
    """Both lists of the organisation's forms (the same for all its people; kept until a write,
    and deadlines at most a minute old like every cached value)."""
    rows = services.offene_rueckmeldungen(current_user)
    offene = [rm for rm in rows if editable(rm)]
    erledigt = [rm for rm in rows if not editable(rm)]
    return Markup(
        render_template("beteiligung/_offen_inhalt.html", offene=offene, erledigt=erledigt)
    )


def _own_rueckmeldung(bogen_id: int, *, lock: bool = False) -> Rueckmeldung:
    """The current user's organisation's answer row; 404 when the form is not addressed to it."""
    rm = services.rueckmeldung_for(bogen_id, current_user.organisation_id, lock=lock)
    if rm is None or rm.bogen.veroeffentlicht_at is None:
        abort(404)
    require("rueckmeldung.ansehen", rm)
    return rm


class Raum(NamedTuple):
    """What the matrix questions show of a Sozialraum (plain values, cached)."""

    id: int
    name: str


def _render(bogen: Rueckmeldebogen, rm: Rueckmeldung, raw: dict[int, Any] | None, **kw: Any):
    """The form page (after a refused submission: with the entries and messages)."""
    return seite(*_inhalt(bogen, rm, raw, **kw))


def _inhalt(
    bogen: Rueckmeldebogen,
    rm: Rueckmeldung,
    raw: dict[int, Any] | None,
    *,
    status: int = 200,
    errors: dict[int, str] | None = None,
    konflikt: list[tuple[Any, str, str]] | None = None,
    verspaetet: dict[str, Any] | None = None,
):
    """Title, content and status; ``raw`` None: the stored draft (its questions cached)."""
    errors = errors or {}
    raeume = zwischengespeichert(
        ("sozialraeume-aktiv",), lambda: tuple(Raum(r.id, r.name) for r in services.sozialraeume())
    )

    def fragen(werte: dict[int, Any]) -> Markup:
        return Markup(
            render_template(
                "beteiligung/_ausfuellen_fragen.html",
                bogen=bogen,
                raw=werte,
                errors=errors,
                raeume=raeume,
                dateinamen=services.dateinamen(rm.id),
            )
        )

    if raw is None:

        def entwurf() -> Markup:
            services.load_bogen(bogen.id)  # sections and questions in two queries
            return fragen(antworten.raw_from_clean(bogen.fragen, services.current_clean(rm)))

        fragen_html = zwischengespeichert(("bogen-entwurf", bogen.id, rm.id), entwurf)
    else:
        fragen_html = fragen(raw)
    inhalt = render_template(
        "beteiligung/_ausfuellen_seite.html",
        bogen=bogen,
        rm=rm,
        errors=errors,
        konflikt=konflikt,
        verspaetet=verspaetet,
        frist_anfrage=anfragen.offene_anfrage(rm, AnfrageArt.FRISTVERLAENGERUNG),
        frist_anfrage_form=FristAnfrageForm(formdata=None),
        raeume=raeume,
        fragen_html=fragen_html,
        version=rm.version,
        form=AntwortForm(),
    )
    return bogen.titel, Markup(inhalt), status


@bp.route("/<int:bogen_id>/ausfuellen", methods=["GET"])
@login_required
def ausfuellen(bogen_id: int):
    """The form with the organisation's current draft (reused per person until a write)."""
    art, wert = je_leser(("bogen-ausfuellen", bogen_id), lambda: _ausfuellen_inhalt(bogen_id))
    if art == "weiter":
        return redirect(wert)
    return seite(*wert)


def _ausfuellen_inhalt(bogen_id: int) -> tuple[str, Any]:
    """("weiter", url) when the answer cannot be edited, else ("seite", (title, content))."""
    bogen = db.session.get(Rueckmeldebogen, bogen_id)  # first: the answer's check reads it
    if bogen is None:
        abort(404)
    rm = _own_rueckmeldung(bogen_id)
    if not editable(rm):
        return "weiter", url_for("beteiligung.rueckmeldung", rueckmeldung_id=rm.id)
    return "seite", _inhalt(bogen, rm, None)


def _version() -> int:
    try:
        return int(request.form.get("version", ""))
    except ValueError:
        abort(400)


def _check_not_submitted(rm: Rueckmeldung) -> None:
    """A submitted answer cannot be changed, whatever is posted."""
    if rm.eingereicht:
        german_abort(
            409,
            "Diese Rückmeldung wurde bereits eingereicht und kann nicht mehr geändert "
            "werden. Über „Korrektur anfragen“ auf der Seite der Rückmeldung können Sie die "
            "Stabsstelle Sozialplanung bitten, sie wieder zu öffnen.",
        )


def _uploads(rm: Rueckmeldung, bogen: Rueckmeldebogen, raw: dict[int, Any]) -> dict[int, str]:
    """Store new attachments, keep or drop existing ones; upload errors per question."""
    errors: dict[int, str] = {}
    datei_fragen = [f for f in bogen.fragen if f.typ == FrageTyp.DATEI]
    known = services.dateinamen(rm.id) if datei_fragen else {}
    for frage in datei_fragen:
        if raw.get(frage.id) not in known or request.form.get(f"{frage.feldname}_entfernen"):
            raw[frage.id] = None
        upload = request.files.get(frage.feldname)
        if upload is None or not upload.filename:
            continue
        try:
            datei = store_upload(upload, DOKUMENTE, uploaded_by=current_user)
        except UploadError as exc:
            if exc.status_code == 413:
                german_abort(
                    413,
                    f"{exc} Ihre übrigen Eingaben wurden nicht gespeichert; gehen "
                    "Sie im Browser zurück, um sie erneut abzusenden.",
                )
            errors[frage.id] = str(exc)
            continue
        raw[frage.id] = services.store_anhang(rm, datei).id
    return errors


@bp.route("/<int:bogen_id>/ausfuellen", methods=["POST"])
@login_required
def ausfuellen_speichern(bogen_id: int):
    """Save a draft or submit; invalid input and concurrent edits keep everything entered."""
    if not AntwortForm().validate_on_submit():
        abort(400)
    aktion = request.form.get("aktion", "speichern")
    if aktion not in ("speichern", "einreichen"):
        abort(400)
    bogen = bogen_or_404(bogen_id)
    rm = _own_rueckmeldung(bogen_id, lock=True)
    _check_not_submitted(rm)
    if not editable(rm):
        if not nach_frist(rm):
            german_abort(403, "Der Rückmeldebogen ist noch nicht geöffnet.")
        return _nach_frist(bogen, rm, aktion)
    require("rueckmeldung.bearbeiten", rm)
    version = _version()
    raeume = services.sozialraeume()
    ids = [s.id for s in raeume]
    raw = antworten.read_raw(bogen.fragen, request.form, ids)
    upload_errors = _uploads(rm, bogen, raw)
    pruefung = antworten.validate(bogen.fragen, raw, ids, vollstaendig=aktion == "einreichen")
    errors = {**pruefung.errors, **upload_errors}
    if rm.version != version:
        return _konflikt(bogen, rm, raw, pruefung.clean, errors)
    if errors:
        db.session.commit()  # keeps uploaded attachments, so they need not be chosen again
        return _render(bogen, rm, raw, status=422, errors=errors)
    services.save_rueckmeldung(rm, pruefung.clean, current_user, version, raeume=raeume)
    db.session.commit()
    if aktion == "einreichen":  # saved as a draft; submitting needs the confirmation
        return redirect(url_for("beteiligung.einreichen", bogen_id=bogen_id), 303)
    flash(
        "Ihr Entwurf wurde gespeichert. Sie und Ihre Kolleginnen und Kollegen können ihn später "
        "weiter bearbeiten.",
        "erfolg",
    )
    return redirect(url_for("beteiligung.ausfuellen", bogen_id=bogen_id), 303)


def _konflikt(
    bogen: Rueckmeldebogen,
    rm: Rueckmeldung,
    raw: dict[int, Any],
    clean: dict[int, Any],
    errors: dict[int, str],
):
    """Someone saved in between: show both versions, keep the user's input, save nothing else."""
    stored = services.current_clean(rm)
    raeume = {s.id: s.name for s in services.sozialraeume()}
    namen = services.dateinamen(rm.id)
    unterschiede = []
    for frage in bogen.fragen:
        gespeichert = antworten.anzeige(frage, stored.get(frage.id), raeume, namen)
        eigene = (
            antworten.anzeige(frage, clean.get(frage.id), raeume, namen)
            if frage.id not in errors
            else str(raw.get(frage.id) or "")
        )
        if gespeichert != eigene:
            unterschiede.append((frage, gespeichert, eigene))
    db.session.commit()  # releases the row lock; only new attachments were stored
    return _render(bogen, rm, raw, status=409, errors=errors, konflikt=unterschiede)


def _nach_frist(bogen: Rueckmeldebogen, rm: Rueckmeldung, aktion: str):
    """Input after the deadline: keep it as a draft, explain, offer to ask for more time."""
    require("rueckmeldung.anfragen", rm)
    version = _version()
    ids = [s.id for s in services.sozialraeume()]
    raw = antworten.read_raw(bogen.fragen, request.form, ids)
    errors = _uploads(rm, bogen, raw)
    pruefung = antworten.validate(bogen.fragen, raw, ids, vollstaendig=False)
    errors.update(pruefung.errors)
    gespeichert = rm.version == version
    if gespeichert:
        fristen.save_nach_frist(
            rm, pruefung.clean, current_user, version, einreichen=aktion == "einreichen"
        )
    db.session.commit()  # the late draft (or only new attachments), releases the row lock
    verspaetet = {"gespeichert": gespeichert, "einreichen": aktion == "einreichen"}
    return _render(bogen, rm, raw, status=409, errors=errors, verspaetet=verspaetet)


@bp.route("/<int:bogen_id>/einreichen", methods=["GET"])
@login_required
def einreichen(bogen_id: int):
    """Confirmation before the irreversible submission: the saved answers once more."""
    rm = _own_rueckmeldung(bogen_id)
    if not editable(rm):
        return redirect(url_for("beteiligung.rueckmeldung", rueckmeldung_id=rm.id))
    bogen = bogen_or_404(bogen_id)
    clean = services.current_clean(rm)
    return render_template(
        "beteiligung/einreichen.html",
        bogen=bogen,
        rm=rm,
        liste=services.antwort_liste(bogen, clean, services.dateinamen(rm.id)),
        version=rm.version,
        form=AntwortForm(),
    )


@bp.route("/<int:bogen_id>/einreichen", methods=["POST"])
@login_required
def einreichen_bestaetigen(bogen_id: int):
    """Submit the saved draft the user has just reviewed."""
    if not AntwortForm().validate_on_submit():
        abort(400)
    bogen = bogen_or_404(bogen_id)
    rm = _own_rueckmeldung(bogen_id, lock=True)
    _check_not_submitted(rm)
    raeume = services.sozialraeume()
    ids = [s.id for s in raeume]
    clean = services.current_clean(rm)
    raw = antworten.raw_from_clean(bogen.fragen, clean)
    if not editable(rm):
        require("rueckmeldung.anfragen", rm)
        db.session.commit()
        verspaetet = {"gespeichert": True, "einreichen": True, "bestaetigung": True}
        return _render(bogen, rm, raw, status=409, verspaetet=verspaetet)
    require("rueckmeldung.bearbeiten", rm)
    version = _version()
    if rm.version != version:
        db.session.commit()
        flash(
            "Die Rückmeldung wurde inzwischen geändert. Bitte prüfen Sie die aktuelle Fassung, "
            "bevor Sie einreichen.",
            "fehler",
        )
        return redirect(url_for("beteiligung.einreichen", bogen_id=bogen_id), 303)
    pruefung = antworten.validate(bogen.fragen, raw, ids, vollstaendig=True)
    if pruefung.errors:
        db.session.commit()
        return _render(bogen, rm, raw, status=422, errors=pruefung.errors)
    services.save_rueckmeldung(
        rm, pruefung.clean, current_user, version, einreichen=True, raeume=raeume
    )
    db.session.commit()
    flash(
        "Ihre Rückmeldung wurde eingereicht. Sie erhalten eine Eingangsbestätigung per E-Mail.",
        "erfolg",
    )
    return redirect(url_for("beteiligung.rueckmeldung", rueckmeldung_id=rm.id), 303)


@bp.route("/anhaenge/<int:anhang_id>")
@login_required
def anhang(anhang_id: int):
    """Download an attachment (Stabsstelle, or staff of the organisation it belongs to)."""
    eintrag = db.session.get(RueckmeldungAnhang, anhang_id)
    if eintrag is None:
        abort(404)
    require("anhang.herunterladen", db.session.get(Rueckmeldung, eintrag.rueckmeldung_id))
    return send_datei(eintrag.datei)
