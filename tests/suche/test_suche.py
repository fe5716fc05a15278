"""The search: German stemming, what each person may find, the text of minutes files, escaping,
a query count that does not grow with the hits."""

from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage

from app.beteiligung.models import RueckmeldungAntwort
from app.core.pdf import html_to_pdf
from app.extensions import db
from app.protokolle import services as protokoll_services
from app.stammdaten.models import Funktion, GremiumTyp


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))


def _suche(client, text: str) -> str:
    response = client.get("/suche/", query_string={"q": text})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_german_stemming_finds_the_singular_and_marks_it(client, login, make) -> None:
    make.impuls("Neuer Spielplatz am Nordpark", beschreibung="Die Kinder brauchen Platz.")
    login(make.stabsstelle())
    html = _suche(client, "Spielplätze")
    assert "Neuer Spielplatz am Nordpark" in html
    assert "<mark>Spielplatz</mark>" in html
    assert "1 Treffer" in html


def test_the_header_has_the_search_field(client, login, make) -> None:
    login(make.stabsstelle())
    html = client.get("/start").get_data(as_text=True)
    assert 'role="search"' in html and 'name="q"' in html and "/suche/" in html


def test_snippets_and_titles_are_escaped(client, login, make) -> None:
    make.impuls("<script>alert(1)</script> Bolzplatz", beschreibung="<b>Bolzplatz</b> fehlt")
    login(make.stabsstelle())
    html = _suche(client, "Bolzplatz")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<b>Bolzplatz</b>" not in html  # ts_headline drops tags; SQLite escapes them


def test_a_traeger_never_finds_another_traegers_answer(client, login, make) -> None:
    awo, diakonie = make.organisation(name="AWO Hilden"), make.organisation(name="Diakonie")
    bogen = make.rueckmeldebogen(
        "Bedarfe 2027",
        fragen=[{"typ": "langtext", "text": "Was fehlt im Stadtteil?"}],
        organisationen=[awo, diakonie],
        veroeffentlicht=True,
    )
    frage = bogen.abschnitte[0].fragen[0]
    for org, text in (
        (awo, "Ein Familienzentrum im Süden"),
        (diakonie, "Das Familienzentrum fehlt"),
    ):
        rm = make.rueckmeldung(bogen, org)
        db.session.add(RueckmeldungAntwort(rueckmeldung_id=rm.id, frage_id=frage.id, wert=text))
    db.session.commit()

    login(make.traeger_user(organisation=awo))
    html = _suche(client, "Familienzentrum")
    assert "Bedarfe 2027: AWO Hilden" in html
    assert "Diakonie" not in html and "Familienzentrum fehlt" not in html

    login(make.stabsstelle())
    html = _suche(client, "Familienzentrum")
    assert "Bedarfe 2027: AWO Hilden" in html and "Bedarfe 2027: Diakonie" in html


def test_internal_minutes_stay_internal(client, login, make) -> None:
    traegerrunde = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde")
    kreis = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Nord")
    mitglied = make.traeger_user()
    make.mitgliedschaft(traegerrunde, mitglied, Funktion.MITGLIED)
    moderation = make.user()
    make.mitgliedschaft(traegerrunde, moderation, Funktion.MODERATION)
    aussen = make.traeger_user()

    entwurf = make.vergangene_sitzung(traegerrunde, titel="Runde März")
    make.protokoll(entwurf, ergebnisse="Schuldnerberatung wird ausgebaut.")
    intern = make.vergangene_sitzung(kreis, titel="Arbeitskreis April")
    make.protokoll(intern, freigegeben=True, ergebnisse="Schuldnerberatung im Norden.")

    login(mitglied)  # member: the draft is not yet approved, the other Gremium not public
    assert "Keine Treffer." in _suche(client, "Schuldnerberatung")
    login(moderation)  # the moderators write the minutes: they find the draft
    html = _suche(client, "Schuldnerberatung")
    assert "Protokoll: Runde März" in html and "Arbeitskreis April" not in html
    login(aussen)
    assert "Keine Treffer." in _suche(client, "Schuldnerberatung")

    db.session.get(type(intern), intern.id).oeffentlich = True  # a public meeting's minutes
    db.session.commit()
    login(aussen)
    html = _suche(client, "Schuldnerberatung")
    assert "Protokoll: Arbeitskreis April" in html and "Runde März" not in html


def test_the_text_of_an_uploaded_minutes_pdf_is_found(app, client, login, make, ctx) -> None:
    kreis = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Süd")
    stab = make.stabsstelle()
    sitzung = make.vergangene_sitzung(kreis, titel="Arbeitskreis Süd im Mai")
    pdf = html_to_pdf("<h1>Protokoll</h1><p>Die Quartiersküche öffnet im Herbst.</p>")
    datei = FileStorage(io.BytesIO(pdf), filename="protokoll.pdf")
    protokoll_services.upload_revision(sitzung, datei, stab)
    db.session.commit()

    login(stab)
    html = _suche(client, "Quartiersküchen")
    assert "Protokoll: Arbeitskreis Süd im Mai" in html
    assert "<mark>Quartiersküche</mark>" in html


def test_people_meetings_and_items_are_found_as_permitted(client, login, make) -> None:
    runde = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde")
    ich, kollegin = make.traeger_user(), make.user(name="Karla Kämmerer")
    make.mitgliedschaft(runde, ich, Funktion.MITGLIED)
    make.user(name="Karl Kämmerer")  # sits in no Gremium with ``ich``
    make.mitgliedschaft(runde, kollegin, Funktion.MITGLIED)
    sitzung = make.sitzung(runde, titel="Trägerrunde Juni")
    make.top(sitzung, "Haushaltsplanung der Kämmerei")
    fremd = make.sitzung(make.gremium(GremiumTyp.PLANUNGSRUNDE), titel="Planungsrunde Kämmerei")

    login(ich)
    html = _suche(client, "Kämmerer")
    assert "Karla Kämmerer" in html and "Karl Kämmerer" not in html
    html = _suche(client, "Kämmerei")
    assert "TOP 1: Haushaltsplanung der Kämmerei" in html and fremd.titel not in html

    login(make.stabsstelle())
    html = _suche(client, "Kämmerer")
    assert "Karla Kämmerer" in html and "Karl Kämmerer" in html


def test_query_count_does_not_grow_with_the_hits(client, login, make, query_counter) -> None:
    make.impuls("Radweg an der Schule")
    login(make.stabsstelle())
    _suche(client, "Radweg")
    with query_counter() as wenige:
        assert "1 Treffer" in _suche(client, "Radweg")
    for n in range(8):
        make.impuls(f"Radweg Nummer {n}")
    with query_counter() as viele:
        assert "9 Treffer" in _suche(client, "Radweg")
    assert len(viele) == len(wenige)


def test_empty_and_overlong_queries_are_answered_kindly(client, login, make) -> None:
    login(make.stabsstelle())
    assert "mindestens ein Wort" in _suche(client, "a")
    assert "auf 200 Zeichen gekürzt" in _suche(client, "Wort " * 60)
    assert client.get("/suche/").status_code == 200


def test_search_needs_a_login(client) -> None:
    assert client.get("/suche/?q=Spielplatz").status_code in (302, 401)
