"""Who sees and changes the Datenbasis and the Sozialreport.

The Stabsstelle imports and edits everything; members of the Planungsrunde read the data base
and comment on a report while it is in the Planungsrunde; everybody, also without login, reads
published reports.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context
from sqlalchemy import exists, select

from app.core.permissions import anonymous_allowed, is_stabsstelle, rule
from app.extensions import db
from app.stammdaten.models import Gremium, GremiumTyp, Mitgliedschaft

for _action in ("datenbasis.bearbeiten", "datenbasis.importieren", "sozialreport.anlegen"):
    rule(_action)(is_stabsstelle)


def is_planungsrunde_member(user: Any) -> bool:
    """An active membership in an active Planungsrunde; asked once per request."""
    user_id = getattr(user, "id", None)
    if user_id is None:
        return False
    cache = g.setdefault("planungsrunde_member", {}) if has_request_context() else {}
    if user_id not in cache:
        cache[user_id] = bool(
            db.session.scalar(
                select(
                    exists()
                    .where(Mitgliedschaft.user_id == user_id, Mitgliedschaft.aktiv)
                    .where(Mitgliedschaft.gremium_id == Gremium.id)
                    .where(Gremium.typ == GremiumTyp.PLANUNGSRUNDE, Gremium.aktiv)
                )
            )
        )
    return cache[user_id]


@rule("datenbasis.ansehen")
def can_view_datenbasis(user: Any, obj: Any = None) -> bool:
    """Statistics, infrastructure and interviews are working material of the Planungsrunde."""
    return is_stabsstelle(user) or is_planungsrunde_member(user)


@rule("sozialreport.liste")
def can_list_reports(user: Any, obj: Any = None) -> bool:
    """The internal report list: Stabsstelle and Planungsrunde."""
    return is_stabsstelle(user) or is_planungsrunde_member(user)


@rule("sozialreport.ansehen")
@anonymous_allowed
def can_view_report(user: Any, report: Any) -> bool:
    """Published: everybody; in the Planungsrunde: its members; drafts: only the Stabsstelle."""
    if report is None:
        return False
    if report.veroeffentlicht:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if is_stabsstelle(user):
        return True
    return report.status.value == "planungsrunde" and is_planungsrunde_member(user)


@rule("sozialreport.bearbeiten")
def can_edit_report(user: Any, report: Any) -> bool:
    """The Stabsstelle edits a report until it is published."""
    return is_stabsstelle(user) and (report is None or not report.veroeffentlicht)


@rule("sozialreport.status")
def can_change_status(user: Any, report: Any) -> bool:
    """Only the Stabsstelle moves a report on (the service checks the cycle)."""
    return is_stabsstelle(user)


@rule("sozialreport.kommentieren")
def can_comment(user: Any, report: Any) -> bool:
    """Members of the Planungsrunde comment while the report lies before the Planungsrunde."""
    return (
        report is not None
        and report.status.value == "planungsrunde"
        and is_planungsrunde_member(user)
    )
