"""Blueprint ``sitzungen``: meetings, agenda, invitations, reply links, calendar files and feeds.

This module defines ``bp``, the shared view helpers and the list/detail pages; the other
routes live in ``views_planung`` (create, edit, agenda), ``views_einladungen`` (invite,
cancel, held, reply links) and ``views_kalender`` (calendar files and feeds), imported at the
bottom so they register on the same blueprint.
"""

from __future__ import annotations

from typing import Any

from flask import (
    jsonify,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.aufgaben import Aufgabe, aufgaben_provider
from app.core.datenstand import zwischengespeichert
from app.core.i18n import datumzeit
from app.core.navigation import nav_entry
from app.core.permissions import can, require
from app.core.seiten import Blatt, blaettern
from app.core.seitenspeicher import je_leser, seite
from app.core.types import utcnow
from app.extensions import db
from app.sitzungen import services
from app.sitzungen.blueprint import (  # noqa: F401  kept importable from views
    agenda_tops,
    bp,
    changeable,
    editable_sitzung_or_404,
    einladung_from_token,
    finish,
    form_status,
    send_or_404,
    sitzung_or_404,
    to_sitzung,
    top_or_404,
    valid_button,
)
from app.sitzungen.models import Antwort, Einladung, Sitzung, Tagesordnungspunkt
from app.sitzungen.verweise import verweise_fuer

nav_entry("Sitzungen", "sitzungen.liste", None, order=30)
LIST_LIMIT = 50  # rows per page


# --------------------------------------------------------------------------- shared helpers


# --------------------------------------------------------------------------- list and detail


@bp.route("/")
@login_required
def liste():
    """Upcoming (or past) meetings the person may see, with reply counts for organisers."""
    vergangen = request.args.get("zeitraum") == "vergangen"
    schluessel = (
        "sitzungsliste",
        current_user.id,
        vergangen,
        tuple(sorted(request.args.items(multi=True))),
    )
    tabelle, darf_anlegen = zwischengespeichert(schluessel, lambda: _liste_tabelle(vergangen))
    return render_template(
        "sitzungen/liste.html", vergangen=vergangen, tabelle=tabelle, darf_anlegen=darf_anlegen
    )


def _liste_tabelle(vergangen: bool) -> tuple[Markup, bool]:
    """The person's table of meetings and whether they may plan meetings (their data only)."""
    blatt = _listed_sitzungen(vergangen)
    sitzungen = blatt.eintraege
    organisiert = services.organised_gremium_ids(current_user)
    eigene = _own_answers([s.id for s in sitzungen])
    tabelle = render_template(
        "sitzungen/_liste_tabelle.html",
        sitzungen=sitzungen,
        blatt=blatt,
        vergangen=vergangen,
        zaehler=services.reply_counts([s.id for s in sitzungen]),
        organisiert=organisiert,
        eigene=eigene,
    )
    return Markup(tabelle), current_user.ist_stabsstelle or bool(organisiert)


def _listed_sitzungen(vergangen: bool) -> Blatt:
    """Visible upcoming meetings (soonest first) or past ones (latest first)."""
    now = utcnow()
    query = services.visible_sitzungen(current_user).options(joinedload(Sitzung.gremium))
    if vergangen:
        query = query.where(Sitzung.ende < now).order_by(Sitzung.beginn.desc())
    else:
        query = query.where(Sitzung.ende >= now).order_by(Sitzung.beginn)
    return blaettern(query, LIST_LIMIT)


def _own_answers(sitzung_ids: list[int]) -> dict[int, Antwort]:
    """The current person's reply per listed meeting."""
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
    titel, inhalt, eigene_id = je_leser(  # per reader: rights and own reply shape it
        ("sitzung-seite", sitzung_id), lambda: _detail_inhalt(sitzung_id)
    )
    if eigene_id is not None:  # the personal reply link is signed afresh, never cached
        link = url_for("sitzungen.antwort", token=services.reply_token_fuer(eigene_id, sitzung_id))
        inhalt = Markup(str(inhalt).replace(ANTWORTLINK, str(escape(link))))
    return seite(titel, inhalt)


ANTWORTLINK = Markup("<!--antwortlink-->")  # escaped text can never contain it


def _detail_inhalt(sitzung_id: int) -> tuple[str, Markup, int | None]:
    """Title and content for the logged-in reader (placeholders for tokens), own invitation."""
    sitzung = sitzung_or_404(sitzung_id, "sitzung.ansehen", joinedload(Sitzung.zyklus))
    bearbeiten = can(current_user, "sitzung.bearbeiten", sitzung)
    eigene = services.own_einladung(sitzung, current_user)
    html = render_template(
        "sitzungen/_detail_inhalt.html",
        sitzung=sitzung,
        tagesordnung_html=_tagesordnung_html(sitzung),
        bearbeiten=bearbeiten,
        anwesenheit_html=zwischengespeichert(
            ("sitzung-anwesenheit", sitzung.id), lambda: _anwesenheit_html(sitzung)
        )
        if bearbeiten
        else None,
        eigene=eigene,
        antwortlink_platzhalter=ANTWORTLINK,
        jetzt=utcnow(),
    )
    return sitzung.titel, Markup(html), eigene.id if eigene else None


def _tagesordnung_html(sitzung: Sitzung) -> Markup:
    """Pack link and agenda: the same for every reader with the same links (one query then)."""
    geladen: dict[str, list[Tagesordnungspunkt]] = {}

    def top_ids() -> tuple[int, ...]:
        geladen["tops"] = agenda_tops(sitzung)  # reused below when the agenda is computed too
        return tuple(t.id for t in geladen["tops"])

    ids = zwischengespeichert(("sitzung-tops", sitzung.id), top_ids)
    verweise = verweise_fuer(list(ids), current_user)
    schluessel = tuple(sorted((k, tuple(v)) for k, v in verweise.items()))
    return zwischengespeichert(
        ("sitzung-tagesordnung", sitzung.id, schluessel),
        lambda: Markup(
            render_template(
                "sitzungen/_detail_tagesordnung.html",
                sitzung=sitzung,
                tops=geladen["tops"] if "tops" in geladen else agenda_tops(sitzung),
                verweise=verweise,
            )
        ),
    )


def _anwesenheit_html(sitzung: Sitzung) -> Markup:
    """The attendance list with counts and the reply history (organisers only)."""
    einladungen = _einladungen(sitzung)
    return Markup(
        render_template(
            "sitzungen/_detail_anwesenheit.html",
            sitzung=sitzung,
            einladungen=einladungen,
            zaehler=services.attendance_counts(einladungen),
            verlauf=services.history(sitzung),
        )
    )


@bp.route("/<int:sitzung_id>/versandstand")
@login_required
def versandstand(sitzung_id: int):
    """Whether the invitations are still being created (polled by the meeting page)."""
    sitzung = sitzung_or_404(sitzung_id)
    require("sitzung.bearbeiten", sitzung)
    response = jsonify({"ausstehend": bool(sitzung.versand_ausstehend)})
    response.headers["Cache-Control"] = "no-store"
    return response


def _einladungen(sitzung: Sitzung) -> list[Einladung]:
    """All invitations of the meeting: members first, then guests, by name (a Stellvertretung
    with the member it stands in for)."""
    return list(
        db.session.scalars(
            select(Einladung)
            .options(joinedload(Einladung.vertritt_einladung))
            .where(Einladung.sitzung_id == sitzung.id)
            .order_by(Einladung.gast, Einladung.name, Einladung.id)
        )
    )


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


from app.sitzungen import (  # noqa: E402, F401
    views_anwesenheit,
    views_einladungen,
    views_kalender,
    views_mappe,
    views_planung,
    views_serien,
)
