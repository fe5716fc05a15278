"""Demo: the Stabsstelle's circular to all Träger about next year's Trägerrunde (no mails)."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.core.types import utcnow
from app.extensions import db
from app.rundschreiben.models import EmpfaengerArt, Rundschreiben, RundschreibenEmpfaenger
from app.rundschreiben.services import empfaenger_query

BETREFF = "Termine der Trägerrunde und Rückmeldungen zur Sozialplanung"
TEXT = """Liebe Kolleginnen und Kollegen der freien Träger,

die Trägerrunde trifft sich im kommenden Jahr wieder viermal. Die Termine stehen im
Sitzungskalender; die Einladungen mit Tagesordnung folgen jeweils drei Wochen vorher.

- Bitte nutzen Sie für Ihre Rückmeldungen zur Sozialplanung die Rückmeldebögen auf der Plattform.
- Fragen beantwortet die Stabsstelle Sozialplanung gern.
"""


def load_demo_rundschreiben() -> None:
    """One circular to all Träger, already "sent" (its recipients read it on the platform)."""
    if db.session.scalar(select(Rundschreiben.id).where(Rundschreiben.betreff == BETREFF)):
        return
    stab = db.session.scalar(select(User).where(User.ist_stabsstelle).order_by(User.id))
    personen = list(db.session.scalars(empfaenger_query(EmpfaengerArt.TRAEGER, None, [])))
    if stab is None or not personen:
        return
    jetzt = utcnow()
    rs = Rundschreiben(
        betreff=BETREFF,
        text=TEXT,
        empfaenger_art=EmpfaengerArt.TRAEGER,
        erstellt_von_id=stab.id,
        versand_ausstehend=False,
        versand_angefordert_at=jetzt,
    )
    rs.empfaenger = [
        RundschreibenEmpfaenger(user_id=p.id, name=p.name, email=p.email, mail_geschrieben_at=jetzt)
        for p in personen
    ]
    db.session.add(rs)
    db.session.flush()
