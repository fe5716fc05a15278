"""No N+1: meeting list and meeting page issue the same queries with 1 and 200 invitations."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.sitzungen.models import Antwort, Einladung, EinladungVerlauf, Sitzung, SitzungStatus
from tests.support.zwischenspeicher import aus_dem_zwischenspeicher


def _queries(client, query_counter, url: str) -> tuple[int, str]:
    db.session.close()  # start from an empty identity map, as a real request does
    with query_counter() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements), response.get_data(as_text=True)


def _add_invitations(sitzung, numbers: range) -> None:
    antworten = list(Antwort)
    for i in numbers:
        antwort = antworten[i % 4]
        einladung = Einladung(
            sitzung_id=sitzung.id,
            email=f"person{i}-{sitzung.id}@viele.example",
            name=f"Person {i:03d}",
            antwort=antwort,
            vertretung_name="Vertretung" if antwort == Antwort.VERTRETUNG else None,
        )
        einladung.verlauf.append(
            EinladungVerlauf(antwort=antwort, vertretung_name=einladung.vertretung_name)
        )
        db.session.add(einladung)
    db.session.commit()


@pytest.mark.parametrize("rolle", ["vorsitz", "stabsstelle", "mitglied"])
def test_list_and_page_same_queries_for_1_and_200_invitations(
    client,
    login,
    make,
    runde,
    query_counter,
    rolle,
) -> None:
    person = {
        "vorsitz": runde.vorsitz,
        "stabsstelle": make.stabsstelle(),
        "mitglied": runde.mitglieder[0],
    }[rolle]
    sitzung = make.sitzung(runde.gremium, status=SitzungStatus.EINGELADEN)
    make.top(sitzung, "Begrüßung")
    second = make.sitzung(runde.gremium, status=SitzungStatus.EINGELADEN)
    _add_invitations(sitzung, range(1))
    _add_invitations(second, range(1))
    make.einladung(second, person)
    urls = ["/sitzungen/", f"/sitzungen/{sitzung.id}", f"/sitzungen/{second.id}"]
    login(person)
    for url in urls:
        client.get(url)  # warm-up (templates, login session)
    few = {url: _queries(client, query_counter, url)[0] for url in urls}
    _add_invitations(sitzung, range(1, 200))
    _add_invitations(second, range(1, 200))
    many = {url: _queries(client, query_counter, url) for url in urls}
    assert few == {url: count for url, (count, _) in many.items()}
    page = many[f"/sitzungen/{sitzung.id}"][1]
    assert ("Person 199" in page) == (rolle != "mitglied")  # the list is for organisers only


def test_page_parts_are_reused_until_the_agenda_or_a_reply_changes(
    client, login, make, runde, query_counter
) -> None:
    """Agenda and attendance list are kept until a write; a new TOP or reply shows at once."""
    person = make.stabsstelle()
    sitzung = make.sitzung(runde.gremium, status=SitzungStatus.EINGELADEN)
    make.top(sitzung, "Begrüßung")
    _add_invitations(sitzung, range(3))
    url = f"/sitzungen/{sitzung.id}"
    sitzung_id = sitzung.id
    login(person)
    aus_dem_zwischenspeicher(query_counter, client, url)
    sitzung = db.session.get(Sitzung, sitzung_id)
    make.top(sitzung, "Haushalt 2028")
    _add_invitations(sitzung, range(3, 4))
    db.session.commit()
    with query_counter(zwischenspeicher=True):
        page = client.get(url).get_data(as_text=True)
    assert "Haushalt 2028" in page and "Person 003" in page and "4 eingeladen" in page


def test_list_table_is_kept_per_person_until_a_reply(
    app, client, login, make, runde, query_counter
) -> None:
    stab = make.stabsstelle()
    sitzung = make.sitzung(runde.gremium, status=SitzungStatus.EINGELADEN)
    sitzung_id = sitzung.id
    _add_invitations(sitzung, range(2))
    login(stab)
    vorher = aus_dem_zwischenspeicher(query_counter, client, "/sitzungen/")
    assert "Zusagen" in vorher and "Neue Sitzung" in vorher
    mitglied = login(runde.mitglieder[0], app.test_client())
    with query_counter(zwischenspeicher=True):
        fremd = mitglied.get("/sitzungen/").get_data(as_text=True)
    assert "Neue Sitzung" not in fremd and "Zusagen," not in fremd
    _add_invitations(db.session.get(Sitzung, sitzung_id), range(2, 3))
    with query_counter(zwischenspeicher=True):
        nachher = client.get("/sitzungen/").get_data(as_text=True)

    def tabelle(html: str) -> str:
        return html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]

    assert tabelle(nachher) != tabelle(vorher)
