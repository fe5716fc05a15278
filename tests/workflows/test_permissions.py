"""Who may see and do what, checked from the outside (status codes and no change).

Decided: the Stabsstelle does everything; members of the cycle's city Gremien see the page with
the history; members of the Trägerrunde/Stadtteilarbeitskreise see the page without the
internal history; Vorsitz/Moderation of such a Gremium conclude their own Strang; everybody
else (also Träger staff outside the cycle) gets 403 on the page and an empty list.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.stammdaten.models import Funktion, Mitgliedschaft
from app.workflows.models import Phase, Strang, StrangStatus, Zyklus

STAB_ONLY_PAGES = [
    "/zyklen/neu",
    "/zyklen/{z}/phase?nach=planungsrunde",
    "/zyklen/{z}/fristen",
    "/zyklen/{z}/straenge/schliessen",
    "/zyklen/{z}/folgezyklus",
]
STAB_ONLY_POSTS = [
    (
        "/zyklen/neu",
        {"titel": "Heimlich", "beginn": "2030-01-01", "ende": "2030-12-31", "erinnerung_tage": "7"},
    ),
    ("/zyklen/{z}/phase", {"nach": "planungsrunde", "version": "1"}),
    ("/zyklen/{z}/fristen", {"erinnerung_tage": "3", "phase_datenbasis": "2030-01-01"}),
    ("/zyklen/{z}/straenge/schliessen", {"version": "1", "begruendung": "weg damit"}),
    (
        "/zyklen/{z}/folgezyklus",
        {"titel": "Heimlich 2", "beginn": "2030-01-01", "ende": "2030-12-31"},
    ),
]
MEMBERS = ["pr_mitglied", "traeger", "moderation", "sak_mitglied", "vorstand", "ausschuss"]
OUTSIDERS = ["aussen", "traeger_aussen"]


def _state(zyklus_id: int) -> tuple:
    zyklus = db.session.get(Zyklus, zyklus_id)
    db.session.refresh(zyklus)
    straenge = db.session.scalars(
        select(Strang)
        .where(Strang.zyklus_id == zyklus_id)
        .execution_options(populate_existing=True)
    ).all()
    return zyklus.phase, zyklus.version, zyklus.erinnerung_tage, [s.status for s in straenge]


def _token(app, login, user) -> tuple:
    """A logged-in client of ``user`` and a CSRF token of its session."""
    client = login(user, on_client=app.test_client())
    body = client.get("/start").get_data(as_text=True)
    import re

    return client, re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)


@pytest.mark.parametrize("person", [*MEMBERS, "stab"])
def test_stabsstelle_and_every_member_see_the_cycle(app, login, welt, person) -> None:
    client = login(getattr(welt, person), on_client=app.test_client())
    assert client.get(f"/zyklen/{welt.zyklus.id}").status_code == 200
    assert "Sozialplanung 2027" in client.get("/zyklen/").get_data(as_text=True)


@pytest.mark.parametrize("person", OUTSIDERS)
def test_outsiders_get_403_and_an_empty_list(app, login, welt, person) -> None:
    client = login(getattr(welt, person), on_client=app.test_client())
    assert client.get(f"/zyklen/{welt.zyklus.id}").status_code == 403
    body = client.get("/zyklen/").get_data(as_text=True)
    assert "Sozialplanung 2027" not in body and "keine Planungszyklen" in body
    for path in (
        f"/zyklen/{welt.zyklus.id}/straenge/{welt.strang_sak1.id}/abschliessen",
        f"/zyklen/{welt.zyklus.id}/phase?nach=planungsrunde",
    ):
        assert client.get(path).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, welt) -> None:
    for path in ("/zyklen/", f"/zyklen/{welt.zyklus.id}", "/zyklen/neu"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/anmelden")


def test_inactive_membership_does_not_count(app, login, welt) -> None:
    membership = db.session.scalar(
        select(Mitgliedschaft).where(Mitgliedschaft.user_id == welt.pr_mitglied.id)
    )
    membership.aktiv = False
    db.session.commit()
    client = login(welt.pr_mitglied, on_client=app.test_client())
    assert client.get(f"/zyklen/{welt.zyklus.id}").status_code == 403


@pytest.mark.parametrize("person", ["pr_mitglied", "vorstand", "ausschuss", "stab"])
def test_city_gremien_see_the_history(app, login, welt, person) -> None:
    client = login(getattr(welt, person), on_client=app.test_client())
    body = client.get(f"/zyklen/{welt.zyklus.id}").get_data(as_text=True)
    assert 'class="zeitleiste"' in body and "vorbehalten" not in body


@pytest.mark.parametrize("person", ["traeger", "moderation", "sak_mitglied"])
def test_traeger_and_stadtteil_members_do_not_see_internal_history(
    app, login, welt, person
) -> None:
    client = login(getattr(welt, person), on_client=app.test_client())
    body = client.get(f"/zyklen/{welt.zyklus.id}").get_data(as_text=True)
    assert (
        'class="zeitleiste"' not in body
        and "der Stabsstelle und den städtischen Gremien vorbehalten" in body
    )
    assert 'role="img"' in body and "Fristen bearbeiten" not in body


@pytest.mark.parametrize("person", MEMBERS)
@pytest.mark.parametrize("path", STAB_ONLY_PAGES)
def test_members_cannot_open_stabsstelle_forms(app, login, welt, person, path) -> None:
    client = login(getattr(welt, person), on_client=app.test_client())
    assert client.get(path.format(z=welt.zyklus.id)).status_code == 403


@pytest.mark.parametrize("person", MEMBERS + OUTSIDERS)
@pytest.mark.parametrize(("path", "data"), STAB_ONLY_POSTS, ids=[p for p, _ in STAB_ONLY_POSTS])
def test_nobody_else_changes_anything(app, login, welt, person, path, data) -> None:
    welt_zyklus = db.session.get(Zyklus, welt.zyklus.id)
    welt_zyklus.phase = Phase.BETEILIGUNG if "straenge" in path else welt_zyklus.phase
    db.session.commit()
    before = _state(welt.zyklus.id)
    count = db.session.query(Zyklus).count()
    client, token = _token(app, login, getattr(welt, person))
    response = client.post(path.format(z=welt.zyklus.id), data={"csrf_token": token, **data})
    assert response.status_code == 403
    assert _state(welt.zyklus.id) == before and db.session.query(Zyklus).count() == count


def test_moderation_concludes_its_own_strang_only(app, login, welt) -> None:
    db.session.get(Zyklus, welt.zyklus.id).phase = Phase.BETEILIGUNG
    db.session.commit()
    client, token = _token(app, login, welt.moderation)
    own = f"/zyklen/{welt.zyklus.id}/straenge/{welt.strang_sak1.id}/abschliessen"
    other = f"/zyklen/{welt.zyklus.id}/straenge/{welt.strang_sak2.id}/abschliessen"
    body = client.get(f"/zyklen/{welt.zyklus.id}").get_data(as_text=True)
    assert f'href="{own}"' in body and f'href="{other}"' not in body
    assert client.get(other).status_code == 403
    assert client.post(other, data={"csrf_token": token, "version": 1}).status_code == 403
    assert client.get(own).status_code == 200
    assert "Bedingungen übergehen" not in client.get(own).get_data(as_text=True)
    assert client.post(own, data={"csrf_token": token, "version": 1}).status_code == 303
    assert _state(welt.zyklus.id)[3] == [
        StrangStatus.OFFEN,
        StrangStatus.ABGESCHLOSSEN,
        StrangStatus.OFFEN,
    ]


@pytest.mark.parametrize("person", ["sak_mitglied", "traeger", "pr_mitglied"])
def test_plain_members_cannot_conclude_a_strang(app, login, welt, person) -> None:
    db.session.get(Zyklus, welt.zyklus.id).phase = Phase.BETEILIGUNG
    db.session.commit()
    client, token = _token(app, login, getattr(welt, person))
    for strang in (welt.strang_tr, welt.strang_sak1):
        url = f"/zyklen/{welt.zyklus.id}/straenge/{strang.id}/abschliessen"
        assert client.post(url, data={"csrf_token": token, "version": 1}).status_code == 403
    assert _state(welt.zyklus.id)[3] == [StrangStatus.OFFEN] * 3


def test_traegerrunde_vorsitz_concludes_the_traegerrunde(app, login, make, welt) -> None:
    make.mitgliedschaft(welt.tr, welt.traeger_aussen, Funktion.VORSITZ)
    db.session.get(Zyklus, welt.zyklus.id).phase = Phase.BETEILIGUNG
    db.session.commit()
    client, token = _token(app, login, welt.traeger_aussen)
    url = f"/zyklen/{welt.zyklus.id}/straenge/{welt.strang_tr.id}/abschliessen"
    assert client.post(url, data={"csrf_token": token, "version": 1}).status_code == 303


def test_strang_of_another_cycle_is_404(app, login, make, welt) -> None:
    other = make.zyklus([welt.sak1])
    client = login(welt.stab, on_client=app.test_client())
    assert (
        client.get(
            f"/zyklen/{welt.zyklus.id}/straenge/{other.straenge[0].id}/abschliessen"
        ).status_code
        == 404
    )
