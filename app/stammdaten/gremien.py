"""Sozialräume and Gremien: create, change, deactivate and reactivate."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.stammdaten.grundlagen import StammdatenError, _clean, _flush, _set_active, _taken
from app.stammdaten.models import (
    Gremium,
    GremiumTyp,
    Sozialraum,
)

# --------------------------------------------------------------------------- Sozialraum

SOZIALRAUM_NAME_TAKEN = "Es gibt bereits einen Sozialraum mit diesem Namen."
SOZIALRAUM_NUMMER_TAKEN = "Diese Nummer ist bereits vergeben."


def _check_sozialraum(nummer: int, name: str, exclude_id: int | None) -> None:
    if _taken(Sozialraum, Sozialraum.name, name, exclude_id):
        raise StammdatenError(SOZIALRAUM_NAME_TAKEN, "name")
    if _taken(Sozialraum, Sozialraum.nummer, nummer, exclude_id):
        raise StammdatenError(SOZIALRAUM_NUMMER_TAKEN, "nummer")


def create_sozialraum(*, nummer: int, name: str, beschreibung: str | None = None) -> Sozialraum:
    """A new active Sozialraum (Stadtbereich)."""
    name = _clean(name) or ""
    _check_sozialraum(nummer, name, None)
    raum = Sozialraum(nummer=nummer, name=name, beschreibung=_clean(beschreibung))
    db.session.add(raum)
    _flush(SOZIALRAUM_NAME_TAKEN, "name")
    return raum


def update_sozialraum(
    raum: Sozialraum, *, nummer: int, name: str, beschreibung: str | None
) -> Sozialraum:
    """Change number, name and description."""
    name = _clean(name) or ""
    _check_sozialraum(nummer, name, raum.id)
    raum.nummer, raum.name, raum.beschreibung = nummer, name, _clean(beschreibung)
    _flush(SOZIALRAUM_NAME_TAKEN, "name")
    return raum


def active_stadtteilarbeitskreise(raum: Sozialraum) -> list[Gremium]:
    """The active Stadtteilarbeitskreise of ``raum``."""
    return list(
        db.session.scalars(
            select(Gremium)
            .where(Gremium.sozialraum_id == raum.id, Gremium.aktiv)
            .order_by(Gremium.name)
        )
    )


def deactivate_sozialraum(raum: Sozialraum) -> None:
    """Hide the Sozialraum from selection lists; refused while an active Arbeitskreis uses it."""
    kreise = active_stadtteilarbeitskreise(raum)
    if kreise:
        namen = ", ".join(g.name for g in kreise)
        raise StammdatenError(
            "Der Sozialraum kann nicht deaktiviert werden, solange ihm ein aktiver "
            f"Stadtteilarbeitskreis zugeordnet ist ({namen}). Bitte deaktivieren Sie "
            "zuerst den Arbeitskreis."
        )
    _set_active(raum, False, "Der Sozialraum")


def reactivate_sozialraum(raum: Sozialraum) -> None:
    """Offer the Sozialraum in selection lists again."""
    _set_active(raum, True, "Der Sozialraum")


# --------------------------------------------------------------------------- Gremium

GREMIUM_NAME_TAKEN = "Es gibt bereits ein Gremium mit diesem Namen."


def _check_gremium(
    name: str, typ: GremiumTyp, sozialraum: Sozialraum | None, exclude_id: int | None
) -> None:
    if _taken(Gremium, Gremium.name, name, exclude_id):
        raise StammdatenError(GREMIUM_NAME_TAKEN, "name")
    if typ == GremiumTyp.STADTTEILARBEITSKREIS and sozialraum is None:
        raise StammdatenError(
            "Ein Stadtteilarbeitskreis gehört zu einem Sozialraum. Bitte wählen Sie ihn aus.",
            "sozialraum_id",
        )
    if typ != GremiumTyp.STADTTEILARBEITSKREIS and sozialraum is not None:
        raise StammdatenError(
            "Nur ein Stadtteilarbeitskreis gehört zu einem Sozialraum. Bitte lassen Sie das "
            "Feld für diese Art leer.",
            "sozialraum_id",
        )


def create_gremium(
    *,
    name: str,
    typ: GremiumTyp,
    sozialraum: Sozialraum | None = None,
    beschreibung: str | None = None,
    email: str | None = None,
) -> Gremium:
    """A new active Gremium; a Stadtteilarbeitskreis needs its Sozialraum, others have none."""
    name, typ = _clean(name) or "", GremiumTyp(typ)
    _check_gremium(name, typ, sozialraum, None)
    if sozialraum is not None and not sozialraum.aktiv:
        raise StammdatenError("Dieser Sozialraum ist deaktiviert.", "sozialraum_id")
    gremium = Gremium(
        name=name,
        typ=typ,
        sozialraum_id=sozialraum.id if sozialraum else None,
        beschreibung=_clean(beschreibung),
        email=_clean(email),
    )
    db.session.add(gremium)
    _flush(GREMIUM_NAME_TAKEN, "name")
    return gremium


def update_gremium(
    gremium: Gremium,
    *,
    name: str,
    typ: GremiumTyp,
    sozialraum: Sozialraum | None,
    beschreibung: str | None,
    email: str | None,
) -> Gremium:
    """Change a Gremium's data (memberships are changed separately)."""
    name, typ = _clean(name) or "", GremiumTyp(typ)
    _check_gremium(name, typ, sozialraum, gremium.id)
    if sozialraum is not None and not sozialraum.aktiv and sozialraum.id != gremium.sozialraum_id:
        raise StammdatenError("Dieser Sozialraum ist deaktiviert.", "sozialraum_id")
    gremium.name, gremium.typ = name, typ
    gremium.sozialraum_id = sozialraum.id if sozialraum else None
    gremium.sozialraum = sozialraum
    gremium.beschreibung, gremium.email = _clean(beschreibung), _clean(email)
    _flush(GREMIUM_NAME_TAKEN, "name")
    return gremium


def deactivate_gremium(gremium: Gremium) -> None:
    """The Gremium no longer meets; its memberships stay as history."""
    _set_active(gremium, False, "Das Gremium")


def reactivate_gremium(gremium: Gremium) -> None:
    """The Gremium meets again."""
    _set_active(gremium, True, "Das Gremium")
