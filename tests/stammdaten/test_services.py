"""Service functions called directly: they flush but never commit, and refuse in German."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import LoginSession
from app.extensions import db
from app.mail.models import Mail
from app.stammdaten import organisationen, services
from app.stammdaten.models import Funktion, GremiumTyp, Organisation, OrganisationArt
from app.stammdaten.services import StammdatenError


def test_concurrent_duplicate_becomes_a_german_error(ctx, make, monkeypatch) -> None:
    """The database's unique constraint backs the check (two Stabsstelle tabs at once)."""
    make.organisation(name="AWO Hilden")
    monkeypatch.setattr(
        organisationen, "_taken", lambda *args: False
    )  # the other tab checked first
    with pytest.raises(StammdatenError) as refused:
        services.create_organisation(name="AWO Hilden", art=OrganisationArt.TRAEGER)
    assert refused.value.message == "Es gibt bereits eine Organisation mit diesem Namen."
    assert refused.value.field == "name"
    db.session.rollback()
    names = db.session.scalars(select(Organisation.name).where(Organisation.name == "AWO Hilden"))
    assert names.all() == ["AWO Hilden"]


def test_services_do_not_commit(ctx, make) -> None:
    services.create_organisation(name="Nur geflusht", art=OrganisationArt.SONSTIGE)
    services.create_user(email="nur@geflusht.example", name="Nur Geflusht")
    assert db.session.scalar(select(Mail.id).where(Mail.recipient == "nur@geflusht.example"))
    db.session.rollback()
    assert (
        db.session.scalar(select(Organisation.id).where(Organisation.name == "Nur geflusht"))
        is None
    )
    assert (
        db.session.scalar(select(Mail.id).where(Mail.recipient == "nur@geflusht.example")) is None
    )


def test_deactivate_user_reports_ended_memberships(ctx, make) -> None:
    person = make.user()
    for _ in range(2):
        make.mitgliedschaft(make.gremium(), person, Funktion.MITGLIED)
    make.login_session(person)
    assert services.deactivate_user(person) == 2
    sessions = db.session.scalars(select(LoginSession).where(LoginSession.user_id == person.id))
    assert [s.revoked_at is not None for s in sessions] == [True]
    with pytest.raises(StammdatenError, match="Das Konto ist bereits deaktiviert"):
        services.deactivate_user(person)


def test_gremium_rules_hold_in_the_service(ctx, make) -> None:
    raum = make.sozialraum()
    with pytest.raises(StammdatenError) as missing:
        services.create_gremium(name="SAK ohne Raum", typ=GremiumTyp.STADTTEILARBEITSKREIS)
    assert missing.value.field == "sozialraum_id"
    with pytest.raises(StammdatenError) as extra:
        services.create_gremium(
            name="Runde mit Raum", typ=GremiumTyp.PLANUNGSRUNDE, sozialraum=raum
        )
    assert extra.value.field == "sozialraum_id"
    raum.aktiv = False
    with pytest.raises(StammdatenError, match="Dieser Sozialraum ist deaktiviert"):
        services.create_gremium(
            name="SAK alt", typ=GremiumTyp.STADTTEILARBEITSKREIS, sozialraum=raum
        )
