"""Deleting an account (Art. 17 DSGVO): personal data erased or pseudonymised, the record kept.

The account row stays (minutes, decisions, an organisation's answers and the log point to
it) but carries only "Ehemaliges Konto <id>"; address, password, links, sessions, calendar
feeds, notifications, settings, data exports and mails to the person are gone at once. Texts
that quote the old name or address (the audit log, other people's notifications and mails)
are rewritten to the pseudonym.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from sqlalchemy import JSON, Enum, String, Text, cast, delete, func, select, type_coerce, update

from app.audit.context import paused, privileged
from app.audit.models import Aktion
from app.audit.services import record_event
from app.auth.models import LoginSession, User
from app.benachrichtigungen.models import (
    Benachrichtigung,
    Benachrichtigungseinstellung,
    Zusammenfassung,
)
from app.core.types import utcnow
from app.datenschutz.models import Datenauskunft
from app.datenschutz.services import remove_file
from app.extensions import db
from app.mail.models import Mail
from app.sitzungen.models import Einladung, KalenderAbo
from app.stammdaten.models import Mitgliedschaft


def pseudonym(user_id: int) -> str:
    return f"Ehemaliges Konto {user_id}"


def pseudonym_email(user_id: int) -> str:
    return f"konto-{user_id}@geloescht.invalid"


def delete_account(konto: User, actor: Any) -> str:
    """Erase and pseudonymise ``konto`` in the caller's transaction; returns the pseudonym."""
    name, email = konto.name, konto.email
    neu_name, neu_email = pseudonym(konto.id), pseudonym_email(konto.id)
    with paused():  # row-level entries would keep the old values; one event instead
        _end_access(konto)
        _erase_personal_rows(konto, email)
        db.session.execute(
            update(Einladung)
            .where(Einladung.user_id == konto.id)
            .values(name=neu_name, email=neu_email, vertretung_name=None, kommentar=None)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(Mitgliedschaft)
            .where(Mitgliedschaft.user_id == konto.id)
            .values(aktiv=False)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(  # nobody keeps a deleted account as Stellvertretung
            update(Mitgliedschaft)
            .where(Mitgliedschaft.stellvertretung_id == konto.id)
            .values(stellvertretung_id=None)
            .execution_options(synchronize_session=False)
        )
        konto.name, konto.email = neu_name, neu_email
        konto.password_hash = None
        konto.link_nonce = secrets.token_hex(16)  # every invitation or reset link dies
        konto.aktiv = False
        konto.name_oeffentlich = False
        konto.last_login_at = None
        konto.geloescht_at = utcnow()
        db.session.flush()
        for alt, neu in ((name, neu_name), (email, neu_email)):
            rewrite_texts(alt, neu)
    record_event(
        Aktion.KONTO_GELOESCHT,
        objekt_typ="User",
        objekt_id=konto.id,
        label=neu_name,
        hinweis=(
            "Konto gelöscht (Art. 17 DSGVO): personenbezogene Daten entfernt, Inhalte "
            f"bleiben als „{neu_name}“ erhalten."
        ),
        berechtigung=True,
    )
    return neu_name


def _end_access(konto: User) -> None:
    """Sessions, calendar feeds and data exports end now."""
    for model in (LoginSession, KalenderAbo):
        db.session.execute(
            delete(model)
            .where(model.user_id == konto.id)
            .execution_options(synchronize_session=False)
        )
    for row in db.session.scalars(select(Datenauskunft).where(Datenauskunft.user_id == konto.id)):
        remove_file(row)
        db.session.delete(row)


def _erase_personal_rows(konto: User, email: str) -> None:
    """Rows that exist only for the person: notifications, settings, digests, their mails."""
    for model in (Benachrichtigung, Benachrichtigungseinstellung, Zusammenfassung):
        db.session.execute(
            delete(model)
            .where(model.user_id == konto.id)
            .execution_options(synchronize_session=False)
        )
    for mail in db.session.scalars(select(Mail).where(Mail.recipient == email)):
        db.session.delete(mail)


def _text_columns() -> list[tuple[Any, Any, bool]]:
    """(table, column, is JSON) of every column that may hold a quoted name or address."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if column.primary_key or column.foreign_keys:
                continue
            impl = getattr(column.type, "impl", column.type)
            if isinstance(column.type, JSON) or isinstance(impl, JSON):
                found.append((table, column, True))
            elif isinstance(impl, String) and not isinstance(column.type, Enum):
                found.append((table, column, False))
    return found


def rewrite_texts(alt: str, neu: str) -> int:
    """Replace ``alt`` by ``neu`` in every text of the database (log, notifications, mails,
    answers that name the person): the content stays, the name does not."""
    if not alt or len(alt.strip()) < 3:  # a fragment this short would damage other texts
        return 0
    postgres = db.session.get_bind().dialect.name == "postgresql"
    varianten = {alt: neu, json.dumps(alt, ensure_ascii=False)[1:-1]: neu}
    total = 0
    with privileged():
        for table, column, is_json in _text_columns():
            as_text = cast(column, Text)
            for old, new in varianten.items():
                muster = (
                    "%" + old.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
                )
                value = func.replace(as_text, old, new)
                if is_json:
                    value = cast(value, column.type) if postgres else type_coerce(value, Text)
                result = db.session.execute(
                    update(table)
                    .where(as_text.like(muster, escape="\\"))
                    .values({column.name: value})
                    .execution_options(synchronize_session=False)
                )
                total += result.rowcount or 0
    return total
