"""The demo circular reaches the demo Träger (read on the platform), loads once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.rundschreiben.demo import BETREFF, load_demo_rundschreiben
from app.rundschreiben.models import Rundschreiben
from app.stammdaten.demo import load_demo_data
from app.stammdaten.models import Organisation, OrganisationArt


def test_demo_circular_is_read_by_the_traeger(ctx, client, login) -> None:
    load_demo_data()
    load_demo_rundschreiben()
    load_demo_rundschreiben()
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Rundschreiben)) == 1
    traeger = db.session.scalar(
        select(User)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(Organisation.art == OrganisationArt.TRAEGER)
        .order_by(User.id)
    )
    login(traeger)
    assert BETREFF in client.get("/rundschreiben/").get_data(as_text=True)
