"""No N+1: list and detail pages run the same number of queries for 2 and for 30 rows."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.extensions import db
from app.stammdaten.models import Funktion, GremiumTyp


def _queries(client, query_counter, url: str) -> int:
    db.session.close()  # start from an empty identity map, as a real request does
    with query_counter() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def _same_count_for_2_and_30(
    client, query_counter, url: str, add_row: Callable[[int], None]
) -> None:
    for i in range(2):
        add_row(i)
    client.get(url)  # warm-up (first use of templates, session loading)
    few = _queries(client, query_counter, url)
    for i in range(2, 30):
        add_row(i)
    many = _queries(client, query_counter, url)
    assert few == many, f"{url}: {few} Abfragen bei 2 Zeilen, {many} bei 30"


def _org_with_user(make) -> Callable[[int], None]:
    def add(i: int) -> None:
        org = make.organisation(email=f"org{i}@x.example")
        make.user(organisation=org)

    return add


def test_organisation_list(stab_client, query_counter, make) -> None:
    _same_count_for_2_and_30(
        stab_client, query_counter, "/stammdaten/organisationen", _org_with_user(make)
    )


def test_sozialraum_list(stab_client, query_counter, make) -> None:
    def add(i: int) -> None:
        raum = make.sozialraum()
        make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, sozialraum=raum)

    _same_count_for_2_and_30(stab_client, query_counter, "/stammdaten/sozialraeume", add)


def test_gremium_list(stab_client, query_counter, make) -> None:
    def add(i: int) -> None:
        gremium = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS)
        make.mitgliedschaft(gremium, make.user())

    _same_count_for_2_and_30(stab_client, query_counter, "/stammdaten/gremien", add)


@pytest.mark.parametrize("query", ["", "?status=aktiv", "?q=person"])
def test_user_list(stab_client, query_counter, make, query) -> None:
    _same_count_for_2_and_30(
        stab_client, query_counter, f"/stammdaten/benutzer{query}", _org_with_user(make)
    )


def test_gremium_page_for_the_stabsstelle(stab_client, query_counter, make) -> None:
    gremium = make.gremium()

    def add(i: int) -> None:
        person = make.traeger_user()
        m = make.mitgliedschaft(gremium, person, Funktion.MITGLIED)
        if i % 3 == 0:
            m.aktiv = False  # former members are listed too
            db.session.commit()

    _same_count_for_2_and_30(stab_client, query_counter, f"/stammdaten/gremien/{gremium.id}", add)


def test_gremium_page_for_a_member(client, login, query_counter, make) -> None:
    gremium = make.gremium()
    member = make.user()
    make.mitgliedschaft(gremium, member)
    login(member)

    def add(i: int) -> None:
        make.mitgliedschaft(gremium, make.traeger_user())

    _same_count_for_2_and_30(client, query_counter, f"/stammdaten/gremien/{gremium.id}", add)


def test_user_page(stab_client, query_counter, make) -> None:
    person = make.traeger_user()

    def add(i: int) -> None:
        make.mitgliedschaft(make.gremium(), person, organisation_id=make.organisation().id)

    _same_count_for_2_and_30(stab_client, query_counter, f"/stammdaten/benutzer/{person.id}", add)


def test_organisation_page(stab_client, query_counter, make) -> None:
    org = make.organisation()

    def add(i: int) -> None:
        make.user(organisation=org)

    _same_count_for_2_and_30(
        stab_client, query_counter, f"/stammdaten/organisationen/{org.id}", add
    )
