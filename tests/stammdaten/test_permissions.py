"""Permissions from the outside: every master-data address for visitors, staff and Stabsstelle."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.core.permissions import can, registered_actions
from app.extensions import db
from app.stammdaten.models import Gremium, GremiumTyp, Mitgliedschaft, Organisation, Sozialraum


@pytest.fixture
def world(make):
    """One of everything, so each address can be filled in."""
    org = make.organisation(name="Fremde Organisation")
    raum = make.sozialraum(name="Stadtbereich Test")
    gremium = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Test", sozialraum=raum)
    person = make.user(name="Irgendwer", organisation=org)
    m = make.mitgliedschaft(gremium, person)
    return {
        "organisation_id": org.id,
        "sozialraum_id": raum.id,
        "gremium_id": gremium.id,
        "user_id": person.id,
        "mitgliedschaft_id": m.id,
    }


# Stabsstelle-only addresses: (method, path template)
ADMIN = [
    ("GET", "/stammdaten/"),
    ("GET", "/stammdaten/organisationen"),
    ("GET", "/stammdaten/organisationen/neu"),
    ("POST", "/stammdaten/organisationen/neu"),
    ("GET", "/stammdaten/organisationen/{organisation_id}"),
    ("GET", "/stammdaten/organisationen/{organisation_id}/bearbeiten"),
    ("POST", "/stammdaten/organisationen/{organisation_id}/bearbeiten"),
    ("GET", "/stammdaten/organisationen/{organisation_id}/deaktivieren"),
    ("POST", "/stammdaten/organisationen/{organisation_id}/deaktivieren"),
    ("GET", "/stammdaten/organisationen/{organisation_id}/reaktivieren"),
    ("POST", "/stammdaten/organisationen/{organisation_id}/reaktivieren"),
    ("GET", "/stammdaten/sozialraeume"),
    ("GET", "/stammdaten/sozialraeume/neu"),
    ("POST", "/stammdaten/sozialraeume/neu"),
    ("GET", "/stammdaten/sozialraeume/{sozialraum_id}"),
    ("GET", "/stammdaten/sozialraeume/{sozialraum_id}/bearbeiten"),
    ("POST", "/stammdaten/sozialraeume/{sozialraum_id}/bearbeiten"),
    ("GET", "/stammdaten/sozialraeume/{sozialraum_id}/deaktivieren"),
    ("POST", "/stammdaten/sozialraeume/{sozialraum_id}/deaktivieren"),
    ("GET", "/stammdaten/sozialraeume/{sozialraum_id}/reaktivieren"),
    ("POST", "/stammdaten/sozialraeume/{sozialraum_id}/reaktivieren"),
    ("GET", "/stammdaten/gremien"),
    ("GET", "/stammdaten/gremien/neu"),
    ("POST", "/stammdaten/gremien/neu"),
    ("GET", "/stammdaten/gremien/{gremium_id}"),
    ("GET", "/stammdaten/gremien/{gremium_id}/bearbeiten"),
    ("POST", "/stammdaten/gremien/{gremium_id}/bearbeiten"),
    ("GET", "/stammdaten/gremien/{gremium_id}/deaktivieren"),
    ("POST", "/stammdaten/gremien/{gremium_id}/deaktivieren"),
    ("GET", "/stammdaten/gremien/{gremium_id}/reaktivieren"),
    ("POST", "/stammdaten/gremien/{gremium_id}/reaktivieren"),
    ("POST", "/stammdaten/gremien/{gremium_id}/mitglieder"),
    ("GET", "/stammdaten/mitgliedschaften/{mitgliedschaft_id}/bearbeiten"),
    ("POST", "/stammdaten/mitgliedschaften/{mitgliedschaft_id}/bearbeiten"),
    ("GET", "/stammdaten/mitgliedschaften/{mitgliedschaft_id}/beenden"),
    ("POST", "/stammdaten/mitgliedschaften/{mitgliedschaft_id}/beenden"),
    ("GET", "/stammdaten/benutzer"),
    ("GET", "/stammdaten/benutzer/neu"),
    ("POST", "/stammdaten/benutzer/neu"),
    ("GET", "/stammdaten/benutzer/{user_id}"),
    ("GET", "/stammdaten/benutzer/{user_id}/bearbeiten"),
    ("POST", "/stammdaten/benutzer/{user_id}/bearbeiten"),
    ("POST", "/stammdaten/benutzer/{user_id}/einladen"),
    ("GET", "/stammdaten/benutzer/{user_id}/deaktivieren"),
    ("POST", "/stammdaten/benutzer/{user_id}/deaktivieren"),
    ("GET", "/stammdaten/benutzer/{user_id}/reaktivieren"),
    ("POST", "/stammdaten/benutzer/{user_id}/reaktivieren"),
    ("GET", "/stammdaten/import"),
    ("POST", "/stammdaten/import"),
    ("POST", "/stammdaten/import/bestaetigen"),
]
OWN_ORGANISATION = [("GET", "/stammdaten/meine-organisation")]


def _rule_of(app, method: str, path: str) -> str:
    adapter = app.url_map.bind("localhost")
    endpoint, _ = adapter.match(
        path.format(
            **dict.fromkeys(
                ("organisation_id", "sozialraum_id", "gremium_id", "user_id", "mitgliedschaft_id"),
                1,
            )
        ),
        method=method,
    )
    return f"{method} {endpoint}"


def test_every_stammdaten_address_is_checked_here(app) -> None:
    listed = {_rule_of(app, m, p) for m, p in ADMIN + OWN_ORGANISATION}
    existing = {
        f"{method} {r.endpoint}"
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("stammdaten.")
        for method in r.methods - {"HEAD", "OPTIONS"}
    }
    assert existing == listed


def _snapshot() -> list:
    """Everything a forbidden request could have changed."""
    return [
        [
            (o.id, o.name, o.kurzname, o.email, o.aktiv)
            for o in db.session.scalars(select(Organisation).order_by(Organisation.id))
        ],
        [
            (r.id, r.name, r.nummer, r.aktiv)
            for r in db.session.scalars(select(Sozialraum).order_by(Sozialraum.id))
        ],
        [
            (g.id, g.name, g.typ, g.aktiv)
            for g in db.session.scalars(select(Gremium).order_by(Gremium.id))
        ],
        [
            (m.id, m.funktion, m.aktiv)
            for m in db.session.scalars(select(Mitgliedschaft).order_by(Mitgliedschaft.id))
        ],
        [
            (u.id, u.name, u.aktiv, u.ist_stabsstelle)
            for u in db.session.scalars(select(User).order_by(User.id))
        ],
    ]


ANY_FORM = {
    "name": "Übernommen",
    "kurzname": "X",
    "art": "traeger",
    "email": "x@x.example",
    "nummer": "99",
    "typ": "planungsrunde",
    "user_id": "1",
    "funktion": "vorsitz",
    "ist_stabsstelle": "y",
}


@pytest.mark.parametrize(("method", "path"), ADMIN + OWN_ORGANISATION)
def test_anonymous_is_sent_to_login(client, post, world, method, path) -> None:
    before = _snapshot()
    url = path.format(**world)
    response = client.get(url) if method == "GET" else post(url, ANY_FORM, form_url="/anmelden")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/anmelden")
    db.session.expire_all()
    assert _snapshot() == before


@pytest.mark.parametrize(("method", "path"), ADMIN)
def test_traeger_staff_get_403_on_administration(
    client, login, post, make, world, method, path
) -> None:
    login(make.traeger_user())
    before = _snapshot()
    url = path.format(**world)
    response = client.get(url) if method == "GET" else post(url, ANY_FORM, form_url="/start")
    assert response.status_code == 403, url
    assert "Keine Berechtigung" in response.text
    db.session.expire_all()
    assert _snapshot() == before


ALLOWED_FOR_CHAIR = {
    ("GET", "/stammdaten/gremien/{gremium_id}"),
    ("GET", "/stammdaten/organisationen/{organisation_id}"),
    ("GET", "/stammdaten/organisationen/{organisation_id}/bearbeiten"),
    ("POST", "/stammdaten/organisationen/{organisation_id}/bearbeiten"),
}


@pytest.mark.parametrize(("method", "path"), [a for a in ADMIN if a not in ALLOWED_FOR_CHAIR])
def test_gremium_chair_gets_403_on_administration(
    client, login, post, make, world, method, path
) -> None:
    """Even the chair of the Gremium, working for the organisation concerned, may not administer."""
    chair = make.user(organisation=db.session.get(Organisation, world["organisation_id"]))
    make.mitgliedschaft(db.session.get(Gremium, world["gremium_id"]), chair, funktion="vorsitz")
    login(chair)
    before = _snapshot()
    url = path.format(**world)
    response = client.get(url) if method == "GET" else post(url, ANY_FORM, form_url="/start")
    assert response.status_code == 403, url
    db.session.expire_all()
    assert _snapshot() == before


@pytest.mark.parametrize(("method", "path"), sorted(ALLOWED_FOR_CHAIR))
def test_gremium_chair_sees_own_gremium_and_organisation(
    client, login, post, make, world, method, path
) -> None:
    chair = make.user(organisation=db.session.get(Organisation, world["organisation_id"]))
    make.mitgliedschaft(db.session.get(Gremium, world["gremium_id"]), chair, funktion="vorsitz")
    login(chair)
    url = path.format(**world)
    response = client.get(url) if method == "GET" else post(url, {"kurzname": "FO", "email": ""})
    assert response.status_code == (200 if method == "GET" else 303), url


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p in ADMIN if m == "GET"])
def test_stabsstelle_opens_every_page(stab_client, world, method, path) -> None:
    response = stab_client.get(path.format(**world))
    assert response.status_code == 200
    assert response.text.count("<h1") == 1


def test_rules_default_deny(make, ctx) -> None:
    traeger = make.traeger_user()
    stab = make.stabsstelle()
    own = db.session.get(Organisation, traeger.organisation_id)
    other = make.organisation()
    foreign_gremium = make.gremium()
    objects = {
        "organisation": (own, other),
        "gremium": (None, foreign_gremium),
        "mitgliedschaft": (None, foreign_gremium),
    }
    actions = [
        "stammdaten.verwalten",
        "organisation.anlegen",
        "organisation.verwalten",
        "organisation.ansehen",
        "organisation.bearbeiten",
        "organisation.eigene",
        "sozialraum.bearbeiten",
        "gremium.ansehen",
        "gremium.bearbeiten",
        "mitgliedschaft.bearbeiten",
        "benutzer.verwalten",
    ]
    assert set(actions) <= set(registered_actions())

    def obj(action: str, which: int):
        return objects.get(action.split(".")[0], (None, None))[which]

    assert [a for a in actions if not can(stab, a, obj(a, 1))] == ["organisation.eigene"]
    assert [a for a in actions if can(traeger, a, obj(a, 1))] == ["organisation.eigene"]
    own_allowed = sorted(
        a for a in actions if a.startswith("organisation.") and can(traeger, a, own)
    )
    assert own_allowed == ["organisation.ansehen", "organisation.bearbeiten", "organisation.eigene"]
    assert not can(traeger, "gibt.es.nicht", own)
    assert not can(stab, "gibt.es.nicht", own)
