"""Who writes and who reads Rundschreiben (default deny).

- ``rundschreiben.verfassen``: write and send one (Stabsstelle)
- ``rundschreiben.liste``: the list (everyone logged in: the Stabsstelle sees all, others those
  addressed to them)
- ``rundschreiben.ansehen`` (Rundschreiben): the Stabsstelle and its recipients; also for the
  attachments
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select

from app.core.permissions import is_stabsstelle, rule
from app.extensions import db
from app.rundschreiben.models import RundschreibenEmpfaenger

rule("rundschreiben.verfassen")(is_stabsstelle)


@rule("rundschreiben.liste")
def can_list(user: Any, obj: Any = None) -> bool:
    """Everyone logged in has a list (possibly empty)."""
    return bool(getattr(user, "is_authenticated", False))


@rule("rundschreiben.ansehen")
def can_view(user: Any, rundschreiben: Any) -> bool:
    """The Stabsstelle, and the people it was sent to."""
    if rundschreiben is None:
        return False
    if is_stabsstelle(user):
        return True
    query = select(RundschreibenEmpfaenger.id).where(
        RundschreibenEmpfaenger.rundschreiben_id == rundschreiben.id,
        RundschreibenEmpfaenger.user_id == user.id,
    )
    return bool(db.session.scalar(select(exists(query))))
