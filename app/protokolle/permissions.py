"""Who uploads, approves and reads minutes.

Actions (one rule each, default deny); the object is the Sitzung, its minutes are looked up:

- ``protokoll.hochladen`` (Sitzung): upload a file, record results and impulses –
  Stabsstelle and the Gremium's Moderation
- ``protokoll.freigeben`` (Sitzung): approve – Stabsstelle and the Gremium's Vorsitz
- ``protokoll.entwurf_ansehen`` (Sitzung): read minutes before approval – the above
- ``protokoll.vorlage`` (Sitzung): download the minutes template (DOCX with the meeting's
  data and replies) – Stabsstelle, the Gremium's Moderation and Vorsitz
- ``protokoll.ansehen`` (Sitzung): read approved minutes – additionally the Gremium's active
  members; every logged-in person when the meeting was public; visitors without login only
  when the Stabsstelle also released the minutes (``Protokoll.oeffentlich``)
- ``protokoll.veroeffentlichen`` (Sitzung): release approved minutes of a public meeting to
  the public portal, or take them back – Stabsstelle
- ``protokolle.liste``: the list of meetings with their minutes (everyone logged in)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.core.permissions import anonymous_allowed, is_stabsstelle, rule
from app.extensions import db
from app.stammdaten.models import Funktion
from app.stammdaten.rollen import hat_funktion, ist_mitglied


def has_function(user: Any, gremium_id: int, funktionen: tuple[Funktion, ...] | None) -> bool:
    """An active membership of ``user`` in the Gremium (with one of ``funktionen``)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if funktionen is None:
        return ist_mitglied(user, gremium_id)
    return hat_funktion(user, funktionen, gremium_id)


@rule("protokoll.hochladen")
def can_upload(user: Any, sitzung: Any) -> bool:
    """The Stabsstelle and the Gremium's moderators write the minutes."""
    if sitzung is None:
        return False
    return is_stabsstelle(user) or has_function(user, sitzung.gremium_id, (Funktion.MODERATION,))


@rule("protokoll.freigeben")
def can_approve(user: Any, sitzung: Any) -> bool:
    """The Stabsstelle and the chair approve."""
    if sitzung is None:
        return False
    return is_stabsstelle(user) or has_function(user, sitzung.gremium_id, (Funktion.VORSITZ,))


@rule("protokoll.entwurf_ansehen")
def can_view_draft(user: Any, sitzung: Any) -> bool:
    """Those who write or approve see the minutes before approval."""
    if sitzung is None:
        return False
    return is_stabsstelle(user) or has_function(
        user, sitzung.gremium_id, (Funktion.MODERATION, Funktion.VORSITZ)
    )


@rule("protokoll.vorlage")
def can_download_template(user: Any, sitzung: Any) -> bool:
    """Whoever writes or approves the minutes prepares them with the template."""
    return can_view_draft(user, sitzung)


@rule("protokoll.ansehen")
@anonymous_allowed
def can_view(user: Any, sitzung: Any) -> bool:
    """Approved minutes: the Gremium's members; all logged in when the meeting was public;
    visitors only when the minutes were released as well."""
    if sitzung is None:
        return False
    if not getattr(user, "is_authenticated", False):
        return sitzung.oeffentlich and _released(sitzung.id)
    if sitzung.oeffentlich or is_stabsstelle(user):
        return True
    return has_function(user, sitzung.gremium_id, None)


def _released(sitzung_id: int) -> bool:
    from app.protokolle.models import Protokoll

    protokoll = db.session.scalar(select(Protokoll).where(Protokoll.sitzung_id == sitzung_id))
    return protokoll is not None and protokoll.ist_oeffentlich


rule("protokoll.veroeffentlichen")(is_stabsstelle)


@rule("protokolle.liste")
def can_list(user: Any, obj: Any = None) -> bool:
    """Everyone logged in sees the meetings they may read minutes of."""
    return bool(getattr(user, "is_authenticated", False))
