"""The mails of a fan-out step, near the wire: rendered once per meeting, written in bulk.

The invitation templates differ per recipient only in the name, the personal reply link,
whether the person is a guest and whom a Stellvertretung stands in for. So each (kind, guest,
represented member) variant is rendered once with stand-ins
for name and link, and every recipient's text and HTML are the variant with the stand-ins
replaced (the name escaped for HTML); the calendar part is the meeting's iTIP message plus the
person's ATTENDEE line. Mail and attachment rows are written with one INSERT each per step,
in the same transaction as the Einladungen (``fan_out_step``), so the exactly-once bookkeeping
is unchanged. A test compares the result with ``queue_mail`` rendering each mail on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import make_msgid
from types import SimpleNamespace
from typing import Any

from flask import render_template
from markupsafe import escape
from sqlalchemy import insert, select

from app.core.types import utcnow
from app.extensions import db
from app.mail.models import Mail, MailAttachment, MailStatus
from app.mail.zustellung import _mail_domain, _one_line
from app.sitzungen import kalender
from app.sitzungen.antworten import reply_links
from app.sitzungen.mappe import Versandmappe, mail_kontext
from app.sitzungen.models import Antwort, Einladung, Sitzung

NAME = "\ue000name\ue000"  # private-use characters: never in a template or a real name
LINK = "\ue000link\ue000"


@dataclass(frozen=True)
class Vorlage:
    """One rendered variant of a mail, with stand-ins for the personal parts."""

    template: str
    kind: str
    subject: str
    text: str
    html: str

    def personal(self, name: str, link: str) -> tuple[str, str]:
        """(text, HTML) for one recipient."""
        text = self.text.replace(NAME, name).replace(LINK, link)
        html = self.html.replace(NAME, str(escape(name))).replace(LINK, str(escape(link)))
        return text, html


VERTRETUNG_ENTFAELLT = "vertretung_entfaellt"
SUBJECTS = {
    "einladung": "Einladung: {titel} am {datum}",
    "aenderung": "Geänderter Termin oder Ort: {titel} am {datum}",
    "absage": "Abgesagt: {titel} am {datum}",
    "erinnerung": "Erinnerung: {titel} am {datum}",
    VERTRETUNG_ENTFAELLT: "Vertretung nicht mehr nötig: {titel} am {datum}",
}
TEMPLATES = {"absage": "mail/sitzung_absage", VERTRETUNG_ENTFAELLT: "mail/sitzung_vertretung"}


def subject_for(sitzung: Sitzung, art: str) -> str:
    from app.core.i18n import datumzeit

    return SUBJECTS[art].format(
        titel=f"{sitzung.gremium.name} – {sitzung.titel}", datum=datumzeit(sitzung.beginn)
    )


def template_for(art: str) -> str:
    """The mail template (without suffix) of a kind of meeting mail."""
    return TEMPLATES.get(art, "mail/sitzung_einladung")


def vorlage(
    sitzung: Sitzung,
    art: str,
    gast: bool,
    mappe: Versandmappe | None = None,
    vertritt: str | None = None,
) -> Vorlage:
    """Render the mail of ``art`` for members, guests or the Stellvertretung of ``vertritt``
    once, with stand-ins."""
    assert art in SUBJECTS and art != "erinnerung"  # reminders depend on each reply
    template = template_for(art)
    stand_in = SimpleNamespace(name=NAME, gast=gast, antwort=Antwort.OFFEN, vertretung_name=None)
    context: dict[str, Any] = {
        "sitzung": sitzung,
        "einladung": stand_in,
        "art": art,
        "link": LINK,
        "tops": sitzung.tagesordnungspunkte,
        "recipient_name": NAME,
        "vertritt": vertritt,
        **mail_kontext(mappe if art != "absage" else None, LINK),
    }
    return Vorlage(
        template=template,
        kind=f"sitzung.{art}",
        subject=_one_line(subject_for(sitzung, art), 300),
        text=render_template(f"{template}.txt", **context),
        html=render_template(f"{template}.html", **context),
    )


def _vertretene_namen(jobs: list[tuple[Einladung, str]]) -> dict[int | None, str]:
    """Names of the members the Stellvertretungen among ``jobs`` stand in for (a query only
    when there are any)."""
    ids = {e.vertritt_einladung_id for e, _art in jobs if e.vertritt_einladung_id is not None}
    if not ids:
        return {}
    return dict(
        db.session.execute(select(Einladung.id, Einladung.name).where(Einladung.id.in_(ids))).all()
    )


def write_mails(
    sitzung: Sitzung,
    jobs: list[tuple[Einladung, str]],
    ics: kalender.Einladungskalender,
    mappe: Versandmappe | None = None,
) -> list[int]:
    """Outbox rows for ``jobs`` (Einladung, kind): two INSERTs in all; returns the mail ids.

    With ``mappe`` attached, invitations and updates refer to its bytes stored once."""
    if not jobs:
        return []
    vorlagen: dict[tuple[str, bool, str | None], Vorlage] = {}
    domain, now = _mail_domain(), utcnow()
    mail_rows, calendars = [], []
    vertreten = _vertretene_namen(jobs)
    reply_link = reply_links()
    for einladung, art in jobs:
        vertritt = vertreten.get(einladung.vertritt_einladung_id)
        key = (art, bool(einladung.gast), vertritt)
        if key not in vorlagen:
            vorlagen[key] = vorlage(sitzung, art, bool(einladung.gast), mappe, vertritt)
        text, html = vorlagen[key].personal(einladung.name, reply_link(einladung))
        mail_rows.append(
            {
                "recipient": einladung.email.strip(),
                "recipient_name": _one_line(einladung.name, 200) or None,
                "subject": vorlagen[key].subject,
                "body_text": text,
                "body_html": html,
                "kind": vorlagen[key].kind,
                "status": MailStatus.PENDING,
                "attempts": 0,
                "message_id": make_msgid(domain=domain),
                "created_at": now,
                "next_attempt_at": now,
            }
        )
        calendars.append(ics.personal(einladung))
    ids = _insert_mails(mail_rows)
    content_type = kalender.mime_type(ics.method)
    rows = []
    for mail_id, data, (_einladung, art) in zip(ids, calendars, jobs, strict=True):
        # as queue_mail: the attachments, the shared ones, then the inline part
        ics_row = {"mail_id": mail_id, "content_type": content_type, "inhalt_id": None}
        rows.append({**ics_row, "filename": kalender.ICS_FILENAME, "data": data, "inline": False})
        if mappe is not None and art != "absage":
            rows += [_geteilt(mail_id, *anhang) for anhang in mappe.anhaenge()]
        rows.append({**ics_row, "filename": kalender.ICS_FILENAME, "data": data, "inline": True})
    # a plain executemany (one short statement, pipelined), not one multi-row VALUES list
    db.session.execute(MailAttachment.__table__.insert(), rows)
    return ids


def _insert_mails(rows: list[dict[str, Any]]) -> list[int]:
    """The mail rows in their order; their ids, in the same order.

    PostgreSQL: the driver's ``executemany`` with RETURNING, pipelined: one short statement,
    parsed and planned once per process, instead of SQLAlchemy's multi-row VALUES list with a
    placeholder per cell (eleven hundred per step), which the driver parses anew every time.
    Values go through the columns' own bind processing (enums, UTC timestamps)."""
    connection = db.session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql":
        statement = insert(Mail).returning(Mail.id, sort_by_parameter_order=True)
        return list(db.session.scalars(statement, rows))
    names = list(rows[0])
    columns = [Mail.__table__.c[name] for name in names]
    processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    params = [
        tuple(p(row[n]) if p else row[n] for n, p in zip(names, processors, strict=True))
        for row in rows
    ]
    sql = (
        f"INSERT INTO {Mail.__tablename__} ({', '.join(names)})"
        f" VALUES ({', '.join(['%s'] * len(names))}) RETURNING id"
    )
    cursor = connection.connection.driver_connection.cursor()
    cursor.executemany(sql, params, returning=True)
    ids = []
    while True:
        ids.append(cursor.fetchone()[0])
        if not cursor.nextset():
            return ids


def _geteilt(mail_id: int, filename: str, content_type: str, inhalt_id: int) -> dict[str, Any]:
    """An attachment row that refers to bytes stored once (``store_inhalt``)."""
    return {
        "mail_id": mail_id,
        "filename": filename,
        "content_type": content_type,
        "data": None,
        "inhalt_id": inhalt_id,
        "inline": False,
    }
