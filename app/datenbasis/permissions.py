"""Who sees and changes the Datenbasis and the Sozialreport.

The Stabsstelle imports and edits everything; members of the Planungsrunde read the data base
and comment on a report while it is in the Planungsrunde; everybody, also without login, reads
published reports.
"""

from __future__ import annotations

from typing import Any

from app.core.permissions import anonymous_allowed, is_stabsstelle, rule
from app.stammdaten.permissions import is_planungsrunde_member

for _action in ("datenbasis.bearbeiten", "datenbasis.importieren", "sozialreport.anlegen"):
    rule(_action)(is_stabsstelle)


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
