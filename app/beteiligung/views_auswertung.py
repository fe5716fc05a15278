"""The Stabsstelle's evaluation: status per organisation, results, export, reopening, impulses."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import case, select
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.beteiligung import anfragen, ergebnisse, export, fristen, services
from app.beteiligung.antworten import anzeige
from app.beteiligung.blueprint import bogen_or_404, bp
from app.beteiligung.forms import AktionForm
from app.beteiligung.hooks import create_impuls_aus_antwort
from app.beteiligung.models import (
    Rueckmeldebogen,
    Rueckmeldung,
    RueckmeldungAntwort,
    RueckmeldungStatus,
)
from app.core.datenstand import zwischengespeichert
from app.core.permissions import is_stabsstelle, require
from app.core.seitenspeicher import je_leser, seite
from app.extensions import db
from app.impulse.forms import ImpulsForm
from app.impulse.models import ImpulsAdressat
from app.stammdaten.models import Organisation


@bp.route("/<int:bogen_id>/status")
@login_required
def status(bogen_id: int):
    """Status per organisation: offen, Entwurf, eingereicht, with dates."""
    require("rueckmeldebogen.verwalten")
    return seite(*je_leser(("bogen-status-seite", bogen_id), lambda: _status_inhalt(bogen_id)))


def _status_inhalt(bogen_id: int) -> tuple[str, Markup]:
    """Title and content of the status page (reminder form with placeholder tokens)."""
    bogen = db.session.get(Rueckmeldebogen, bogen_id)  # sections and questions are not shown
    if bogen is None:
        abort(404)
    tabelle, zaehlung = zwischengespeichert(
        ("bogen-status", bogen.id), lambda: _status_tabelle(bogen)
    )
    inhalt = render_template(
        "beteiligung/_status_seite.html",
        bogen=bogen,
        tabelle=tabelle,
        zaehlung=dict(zaehlung),
        erinnerbar=len(fristen.erinnerbar(bogen.id)),  # the clock moves it: the minute bounds it
        heute_erinnert=fristen.heute_erinnert(bogen),
        form=AktionForm(),
    )
    return f"Status: {bogen.titel}", Markup(inhalt)


@dataclass(frozen=True, slots=True)
class StatusZeile:
    """One organisation's row of the status table (columns, not the ORM objects)."""

    id: int
    organisation: str
    status: RueckmeldungStatus
    wiedereroeffnet_at: datetime | None
    bearbeitet_at: datetime | None
    bearbeitet_von: str | None
    eingereicht_at: datetime | None
    eingereicht_von: str | None
    frist: datetime
    erinnert_at: datetime | None

    @property
    def eingereicht(self) -> bool:
        return self.status == RueckmeldungStatus.EINGEREICHT


def _status_tabelle(bogen: Rueckmeldebogen) -> tuple[Markup, tuple]:
    """The table of organisations and the count per status (pure: the form's rows)."""
    bearbeiter, einreicher = aliased(User), aliased(User)
    frist = case(
        (
            Rueckmeldung.frist_verlaengert_bis > Rueckmeldebogen.frist,
            Rueckmeldung.frist_verlaengert_bis,
        ),
        else_=Rueckmeldebogen.frist,
    )
    rows = [
        StatusZeile(*row)
        for row in db.session.execute(
            select(
                Rueckmeldung.id,
                Organisation.name,
                Rueckmeldung.status,
                Rueckmeldung.wiedereroeffnet_at,
                Rueckmeldung.bearbeitet_at,
                bearbeiter.name,
                Rueckmeldung.eingereicht_at,
                einreicher.name,
                frist,
                Rueckmeldung.erinnert_at,
            )
            .join(Organisation, Organisation.id == Rueckmeldung.organisation_id)
            .join(Rueckmeldebogen, Rueckmeldebogen.id == Rueckmeldung.bogen_id)
            .outerjoin(bearbeiter, bearbeiter.id == Rueckmeldung.bearbeitet_von_id)
            .outerjoin(einreicher, einreicher.id == Rueckmeldung.eingereicht_von_id)
            .where(Rueckmeldung.bogen_id == bogen.id)
            .order_by(Rueckmeldung.status, Organisation.name)
        )
    ]
    zaehlung = Counter(r.status for r in rows)
    tabelle = render_template(
        "beteiligung/_status_tabelle.html",
        bogen=bogen,
        rows=rows,
        offene_anfragen=anfragen.offene_je_rueckmeldung(bogen.id),
    )
    return Markup(tabelle), tuple(zaehlung.items())


@bp.route("/<int:bogen_id>/erinnern", methods=["POST"])
@login_required
def erinnern(bogen_id: int):
    """Remind every organisation that has not submitted yet, at most once a day."""
    require("rueckmeldung.anfrage_entscheiden")
    bogen = bogen_or_404(bogen_id)
    if not AktionForm().validate_on_submit():
        abort(400)
    try:
        anzahl = fristen.remind_now(bogen, current_user)
    except services.BeteiligungError as exc:
        db.session.rollback()
        flash(exc.message, "fehler")
        return redirect(url_for("beteiligung.status", bogen_id=bogen_id), 303)
    db.session.commit()
    wer = "Eine Organisation wird" if anzahl == 1 else f"{anzahl} Organisationen werden"
    flash(f"{wer} per E-Mail erinnert.", "erfolg")
    return redirect(url_for("beteiligung.status", bogen_id=bogen_id), 303)


@bp.route("/<int:bogen_id>/ergebnisse", endpoint="ergebnisse")
@login_required
def ergebnisse_seite(bogen_id: int):
    """Results per question: charts with data tables, free text, the matrix per Sozialraum."""
    bogen = bogen_or_404(bogen_id)
    require("rueckmeldebogen.ergebnisse", bogen)
    raeume = services.sozialraeume()
    return render_template(
        "beteiligung/ergebnisse.html",
        bogen=bogen,
        ergebnisse=ergebnisse.auswerten(bogen, raeume),
        eingereicht=ergebnisse.eingereicht_anzahl(bogen.id),
        diagramm=ergebnisse.balkendiagramm,
        mit_herkunft=is_stabsstelle(current_user),
        form=AktionForm(),
    )


@bp.route("/<int:bogen_id>/freigeben", methods=["POST"])
@login_required
def freigeben(bogen_id: int):
    """Release the results to the Planungsrunde."""
    require("rueckmeldebogen.verwalten")
    bogen = bogen_or_404(bogen_id)
    if not AktionForm().validate_on_submit():
        abort(400)
    try:
        services.release_results(bogen)
    except services.BeteiligungError as exc:
        flash(exc.message, "fehler")
        return redirect(url_for("beteiligung.ergebnisse", bogen_id=bogen.id), 303)
    db.session.commit()
    flash("Die Ergebnisse sind jetzt für die Planungsrunde sichtbar.", "erfolg")
    return redirect(url_for("beteiligung.ergebnisse", bogen_id=bogen.id), 303)


@bp.route("/<int:bogen_id>/export.xlsx")
@login_required
def export_xlsx(bogen_id: int):
    """All answers as an Excel workbook."""
    require("rueckmeldebogen.verwalten")
    bogen = bogen_or_404(bogen_id)
    data = export.xlsx(bogen, services.sozialraeume())
    return _download(data, export.XLSX_TYPE, f"rueckmeldungen-{bogen.id}.xlsx")


@bp.route("/<int:bogen_id>/export.csv")
@login_required
def export_csv(bogen_id: int):
    """All answers as CSV (semicolon, UTF-8)."""
    require("rueckmeldebogen.verwalten")
    bogen = bogen_or_404(bogen_id)
    data = export.csv_bytes(bogen, services.sozialraeume())
    return _download(data, "text/csv; charset=utf-8", f"rueckmeldungen-{bogen.id}.csv")


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/antworten/<int:antwort_id>/impuls", methods=["GET", "POST"])
@login_required
def impuls(antwort_id: int):
    """Turn an answer into an Impuls (prefilled from the answer)."""
    require("impuls.anlegen")
    antwort = db.session.get(RueckmeldungAntwort, antwort_id)
    if antwort is None or not antwort.rueckmeldung.eingereicht:
        abort(404)
    rm, frage = antwort.rueckmeldung, antwort.frage
    form = ImpulsForm(
        data=None
        if _posted()
        else {
            "titel": f"{rm.organisation.kurzname or rm.organisation.name}: {frage.text}"[:200],
            "beschreibung": _beschreibung(antwort),
            "sozialraum_id": antwort.sozialraum_id,
            "adressiert_an": ImpulsAdressat.PLANUNGSRUNDE,
        }
    )
    form.sozialraum_id.choices = [("", "– gesamte Stadt –")] + [
        (s.id, s.name) for s in services.sozialraeume()
    ]
    if not form.validate_on_submit():
        return render_template(
            "beteiligung/impuls_form.html", form=form, antwort=antwort, rm=rm, frage=frage
        ), 422 if _posted() else 200
    neu = create_impuls_aus_antwort(
        antwort,
        current_user.id,
        titel=form.titel.data,
        beschreibung=form.beschreibung.data,
        sozialraum_id=form.sozialraum_id.data,
        adressiert_an=form.adressiert_an.data,
    )
    db.session.commit()
    flash("Der Impuls wurde angelegt.", "erfolg")
    return redirect(url_for("impulse.detail", impuls_id=neu.id), 303)


def _posted() -> bool:
    return request.method == "POST"


def _beschreibung(antwort: RueckmeldungAntwort) -> str:
    text = (
        antwort.wert
        if isinstance(antwort.wert, str)
        else anzeige(antwort.frage, antwort.wert, {}, {})
    )
    organisation = antwort.rueckmeldung.organisation.name
    return f"Rückmeldung von {organisation} zur Frage „{antwort.frage.text}“:\n\n{text}"
