"""The indicator list and page are cached until the next write, apart per reader's rights."""

from __future__ import annotations

from app.datenbasis.models import Indikator
from app.extensions import db


def test_changed_indicator_shows_on_the_next_request(client, login, make, stab) -> None:
    """A committed change (here: the test's own session) ends the cached list and page."""
    ind = make.indikator(name="Alter Indikatorname", quelle="Alte Quelle")
    ind_id = ind.id
    db.session.commit()
    login(stab)
    urls = ("/datenbasis/indikatoren", f"/datenbasis/indikatoren/{ind_id}")
    for url in urls:
        assert "Alter Indikatorname" in client.get(url).get_data(as_text=True)
        assert "Alter Indikatorname" in client.get(url).get_data(as_text=True)  # from the cache
    indikator = db.session.get(Indikator, ind_id)  # the request's end closed the session
    indikator.name = "Neuer Indikatorname"
    indikator.quelle = "Neue Quelle"
    db.session.commit()
    liste = client.get(urls[0]).get_data(as_text=True)
    assert ">Neuer Indikatorname</a>" in liste and "Alter Indikatorname" not in liste
    assert "<td>Neue Quelle</td>" in liste
    seite = client.get(urls[1]).get_data(as_text=True)
    assert "<h1>Neuer Indikatorname" in seite and "<h1>Alter" not in seite
    assert "<dd>Neue Quelle</dd>" in seite


def test_new_value_shows_in_the_cached_list(client, login, make, stab) -> None:
    """A value imported after the first request changes count and years on the next one."""
    ind = make.indikator(name="Zählindikator")
    ind_id = ind.id
    db.session.commit()
    login(stab)
    assert '<td class="zahl">0</td>' in client.get("/datenbasis/indikatoren").get_data(as_text=True)
    make.indikatorwert(db.session.get(Indikator, ind_id), None, 2023, 5.0)
    db.session.commit()
    body = client.get("/datenbasis/indikatoren").get_data(as_text=True)
    assert '<td class="zahl">1</td>' in body and "<td>2023</td>" in body


def test_rights_are_kept_apart(client, login, make, stab, mitglied) -> None:
    """The Stabsstelle's edit links and history never reach a Planungsrunde member, and back."""
    ind = make.indikator(name="Rechteindikator")
    ind_id = ind.id
    db.session.commit()
    liste, seite = "/datenbasis/indikatoren", f"/datenbasis/indikatoren/{ind_id}"
    for reihenfolge in ((stab, mitglied), (mitglied, stab)):
        for user in reihenfolge:
            login(db.session.get(type(user), user.id))
            body_liste = client.get(liste).get_data(as_text=True)
            body_seite = client.get(seite).get_data(as_text=True)
            darf = user is stab
            assert ("Indikator anlegen" in body_liste) is darf
            assert ("Indikator bearbeiten" in body_seite) is darf
            assert ("Änderungsverlauf" in body_seite) is darf


def test_unknown_indicator_stays_404_and_a_bad_period_400(client, login, make, stab) -> None:
    ind = make.indikator()
    ind_id = ind.id
    db.session.commit()
    login(stab)
    for _ in range(2):
        assert client.get(f"/datenbasis/indikatoren/{ind_id + 1000}").status_code == 404
        assert client.get(f"/datenbasis/indikatoren/{ind_id}?von=2020&bis=2010").status_code == 400
        assert client.get(f"/datenbasis/indikatoren/{ind_id}").status_code == 200
