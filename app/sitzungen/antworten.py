"""Replies to invitations: signed reply links, answers, counts and history."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.core.datenstand import zwischengespeichert
from app.core.types import utcnow
from app.extensions import db
from app.sitzungen.grundlagen import DEFAULT_REPLY_MAX_AGE, LinkError, SitzungError, external_url
from app.sitzungen.models import (
    Antwort,
    Einladung,
    EinladungVerlauf,
    Sitzung,
    SitzungStatus,
)

# --------------------------------------------------------------------------- replies


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sitzung-antwort")


def reply_token(einladung: Einladung) -> str:
    """The signed, personal token of the reply link (no login needed)."""
    return reply_token_fuer(einladung.id, einladung.sitzung_id)


def reply_token_fuer(einladung_id: int, sitzung_id: int) -> str:
    """The same token from the ids alone (a cached page signs it afresh per request)."""
    return _serializer().dumps({"e": einladung_id, "s": sitzung_id})


def reply_link(einladung: Einladung) -> str:
    """The absolute reply URL for mails."""
    return external_url("sitzungen.antwort", token=reply_token(einladung))


_TOKEN_STAND_IN = "0platzhalter0"


def reply_links() -> Callable[[Einladung], str]:
    """``reply_link`` for the many invitations of a fan-out step: one serializer, the URL built
    once (a token is URL-safe base64 and dots, so it stands in the path as it is)."""
    serializer = _serializer()
    head, _, tail = external_url("sitzungen.antwort", token=_TOKEN_STAND_IN).partition(
        _TOKEN_STAND_IN
    )

    def link(einladung: Einladung) -> str:
        return head + serializer.dumps({"e": einladung.id, "s": einladung.sitzung_id}) + tail

    return link


def read_reply_token(token: str) -> Einladung:
    """The Einladung of a valid token; raises LinkError with a German explanation."""
    max_age = int(current_app.config.get("SITZUNG_ANTWORT_MAX_AGE", DEFAULT_REPLY_MAX_AGE))
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkError(
            "Dieser Antwort-Link ist abgelaufen. "
            "Bitte wenden Sie sich an die Stabsstelle Sozialplanung."
        ) from exc
    except BadData as exc:
        raise LinkError(
            "Dieser Antwort-Link ist ungültig. Bitte prüfen Sie, "
            "ob er vollständig aus der E-Mail übernommen wurde."
        ) from exc
    einladung = db.session.get(Einladung, data.get("e")) if isinstance(data, dict) else None
    if einladung is None or einladung.sitzung_id != data.get("s"):
        raise LinkError("Diese Einladung gibt es nicht mehr.")
    if einladung.user is not None and einladung.user.geloescht_at is not None:
        raise LinkError("Das Konto dieser Einladung wurde gelöscht.")
    return einladung


def reply_closed_reason(sitzung: Sitzung) -> str | None:
    """Why a reply is no longer possible, or None."""
    if sitzung.status == SitzungStatus.ABGESAGT:
        return "Die Sitzung wurde abgesagt; eine Rückmeldung ist nicht mehr nötig."
    if sitzung.status == SitzungStatus.DURCHGEFUEHRT or sitzung.ende <= utcnow():
        return "Die Sitzung hat bereits stattgefunden."
    return None


def answer_einladung(
    einladung: Einladung,
    antwort: Antwort,
    vertretung_name: str | None = None,
    kommentar: str | None = None,
    von: User | None = None,
) -> EinladungVerlauf:
    """Record a reply (or a change of it) and keep the previous ones in the history."""
    reason = reply_closed_reason(einladung.sitzung)
    if reason:
        raise SitzungError(reason)
    if antwort == Antwort.OFFEN:
        raise SitzungError("Bitte wählen Sie Zusage, Absage oder Vertretung.")
    if antwort == Antwort.VERTRETUNG and not (vertretung_name or "").strip():
        raise SitzungError("Bitte nennen Sie die Person, die Sie vertritt.")
    einladung.antwort = antwort
    einladung.vertretung_name = (
        vertretung_name.strip() if antwort == Antwort.VERTRETUNG and vertretung_name else None
    )
    einladung.kommentar = (kommentar or "").strip() or None
    einladung.beantwortet_at = utcnow()
    eintrag = EinladungVerlauf(
        antwort=antwort,
        vertretung_name=einladung.vertretung_name,
        kommentar=einladung.kommentar,
        geaendert_von_id=von.id
        if von is not None and getattr(von, "is_authenticated", False)
        else None,
    )
    einladung.verlauf.append(eintrag)
    db.session.flush()
    return eintrag


def attendance_counts(einladungen: list[Einladung]) -> dict[Antwort, int]:
    """How many replied what (for the attendance list)."""
    counts = Counter(e.antwort for e in einladungen)
    return {a: counts.get(a, 0) for a in Antwort}


def reply_counts(sitzung_ids: list[int]) -> dict[int, dict[Antwort, int]]:
    """Per meeting the number of each reply, in one query (an aggregate over every invitation,
    kept until the next write; callers only read it)."""
    return zwischengespeichert(("antworten", tuple(sitzung_ids)), lambda: _zaehlen(sitzung_ids))


def _zaehlen(sitzung_ids: list[int]) -> dict[int, dict[Antwort, int]]:
    result: dict[int, dict[Antwort, int]] = {sid: dict.fromkeys(Antwort, 0) for sid in sitzung_ids}
    if sitzung_ids:
        rows = db.session.execute(
            select(Einladung.sitzung_id, Einladung.antwort, func.count())
            .where(Einladung.sitzung_id.in_(sitzung_ids))
            .group_by(Einladung.sitzung_id, Einladung.antwort)
        ).all()
        for sitzung_id, antwort, count in rows:
            result[sitzung_id][antwort] = count
    return result


def history(sitzung: Sitzung, limit: int = 50) -> list[tuple[EinladungVerlauf, str]]:
    """The latest reply changes of a meeting with the invitee's name, newest first."""
    rows = db.session.execute(
        select(EinladungVerlauf, Einladung.name)
        .join(Einladung, Einladung.id == EinladungVerlauf.einladung_id)
        .where(Einladung.sitzung_id == sitzung.id)
        .order_by(EinladungVerlauf.id.desc())
        .limit(limit)
    ).all()
    return [(row[0], row[1]) for row in rows]


def own_einladung(sitzung: Sitzung, user: User) -> Einladung | None:
    """The logged-in person's invitation to this meeting."""
    return db.session.scalar(
        select(Einladung).where(Einladung.sitzung_id == sitzung.id, Einladung.user_id == user.id)
    )


def open_einladungen(user: User) -> list[Einladung]:
    """Upcoming invitations of ``user`` without reply (start-page tasks)."""
    return list(
        db.session.scalars(
            select(Einladung)
            .join(Sitzung, Sitzung.id == Einladung.sitzung_id)
            .options(joinedload(Einladung.sitzung).joinedload(Sitzung.gremium))
            .where(
                Einladung.user_id == user.id,
                Einladung.antwort == Antwort.OFFEN,
                Sitzung.status == SitzungStatus.EINGELADEN,
                Sitzung.beginn > utcnow(),
            )
            .order_by(Sitzung.beginn)
        )
    )
