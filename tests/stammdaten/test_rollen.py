"""Memberships read once per request for permission checks, and forgotten on every change."""

from __future__ import annotations

from sqlalchemy import update

from app.core.permissions import can
from app.extensions import db
from app.stammdaten.models import Funktion, GremiumTyp, Mitgliedschaft
from app.stammdaten.rollen import hat_funktion, in_aktivem_gremium, ist_mitglied


def test_one_query_per_request_for_many_checks(ctx, make, query_counter) -> None:
    user = make.user()
    gremien = [make.gremium(GremiumTyp.TRAEGERRUNDE) for _ in range(5)]
    make.mitgliedschaft(gremien[0], user, Funktion.VORSITZ)
    with query_counter() as statements:
        answers = [ist_mitglied(user, g.id) for g in gremien] + [
            hat_funktion(user, (Funktion.VORSITZ,), g.id) for g in gremien
        ]
    assert answers == [True, False, False, False, False] * 2
    assert len(statements) == 1


def test_changes_in_the_same_request_are_seen(ctx, make) -> None:
    user = make.user()
    gremium = make.gremium(GremiumTyp.PLANUNGSRUNDE)
    assert not ist_mitglied(user, gremium.id)
    m = make.mitgliedschaft(gremium, user)  # flushed: forgotten
    assert ist_mitglied(user, gremium.id) and in_aktivem_gremium(user, (GremiumTyp.PLANUNGSRUNDE,))
    m.funktion = Funktion.MODERATION
    db.session.flush()
    assert hat_funktion(user, (Funktion.MODERATION,), None)
    gremium.aktiv = False
    db.session.flush()
    assert not in_aktivem_gremium(user, (GremiumTyp.PLANUNGSRUNDE,))
    db.session.execute(
        update(Mitgliedschaft).where(Mitgliedschaft.user_id == user.id).values(aktiv=False)
    )
    assert not ist_mitglied(user, gremium.id)


def test_sitzung_permission_follows_membership(ctx, make) -> None:
    user = make.user()
    gremium = make.gremium(GremiumTyp.TRAEGERRUNDE)
    sitzung = make.sitzung(gremium)
    assert not can(user, "sitzung.bearbeiten", sitzung)
    make.mitgliedschaft(gremium, user, Funktion.VORSITZ)
    assert can(user, "sitzung.bearbeiten", sitzung)
