"""Writing Rundschreiben: recipients per circle, the copy on the platform, who may read it,
refused input kept, the list's query count."""

from __future__ import annotations

import io

from sqlalchemy import select

from app.extensions import db
from app.mail.models import Mail
from app.rundschreiben import services
from app.rundschreiben.models import Rundschreiben
from tests.support.dateien import MINIMAL_PDF


def _senden(client, csrf_token, **felder):
    token = csrf_token(client, "/rundschreiben/neu")
    data = {"csrf_token": token, "betreff": "Termine 2027", "text": "Liebe **Träger**, …"}
    data.update(felder)
    return client.post(
        "/rundschreiben/neu", data=data, content_type="multipart/form-data", follow_redirects=False
    )


def _neuestes() -> Rundschreiben:
    return db.session.scalar(select(Rundschreiben).order_by(Rundschreiben.id.desc()))


def test_to_all_traeger_reaches_their_staff_only_and_keeps_a_copy(
    client, login, csrf_token, welt
) -> None:
    login(welt.stab)
    anlage = (io.BytesIO(MINIMAL_PDF), "termine.pdf")
    response = _senden(client, csrf_token, empfaenger="traeger", anhaenge=[anlage])
    assert response.status_code == 302
    rs = _neuestes()
    assert sorted(e.name for e in rs.empfaenger) == ["Anna AWO", "Dieter Diakonie"]
    assert [d.original_name for d in rs.dateien] == ["termine.pdf"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Das Rundschreiben „Termine 2027“ geht an 2 Personen." in page
    assert "<strong>Träger</strong>" in page

    login(welt.anna)
    liste = client.get("/rundschreiben/").get_data(as_text=True)
    assert "Termine 2027" in liste
    assert client.get(f"/rundschreiben/{rs.id}").status_code == 200
    datei = rs.dateien[0]
    download = client.get(f"/rundschreiben/{rs.id}/dateien/{datei.id}")
    assert download.status_code == 200 and download.data == MINIMAL_PDF
    download.close()

    login(welt.jana)  # a city office is not a Träger: not a recipient
    assert "Termine 2027" not in client.get("/rundschreiben/").get_data(as_text=True)
    assert client.get(f"/rundschreiben/{rs.id}").status_code == 403
    assert client.get(f"/rundschreiben/{rs.id}/dateien/{datei.id}").status_code == 403
    assert client.get("/rundschreiben/neu").status_code == 403
    assert client.get("/rundschreiben/999999").status_code == 404


def test_to_a_gremium_and_to_chosen_people(client, login, csrf_token, welt) -> None:
    login(welt.stab)
    assert (
        _senden(
            client, csrf_token, empfaenger="gremium", gremium=str(welt.planungsrunde.id)
        ).status_code
        == 302
    )
    assert [e.name for e in _neuestes().empfaenger] == ["Jana Jugendamt"]
    response = _senden(
        client, csrf_token, empfaenger="auswahl", personen=[str(welt.anna.id), str(welt.jana.id)]
    )
    assert response.status_code == 302
    assert [e.name for e in _neuestes().empfaenger] == ["Anna AWO", "Jana Jugendamt"]


def test_refused_input_comes_back_with_what_was_entered(client, login, csrf_token, welt) -> None:
    login(welt.stab)
    response = _senden(client, csrf_token, empfaenger="gremium", betreff="Bitte behalten")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Bitte wählen Sie das Gremium." in page and 'value="Bitte behalten"' in page
    response = _senden(client, csrf_token, empfaenger="auswahl")
    assert "Bitte wählen Sie mindestens eine Person." in response.get_data(as_text=True)
    response = _senden(client, csrf_token, empfaenger="niemand")
    assert response.status_code == 400
    assert "Bitte wählen Sie einen Eintrag aus der Liste." in response.get_data(as_text=True)
    bad = (io.BytesIO(b"MZ\x90\x00 kein Dokument"), "programm.pdf")
    response = _senden(client, csrf_token, empfaenger="traeger", anhaenge=[bad])
    assert response.status_code == 400
    assert db.session.scalar(select(Rundschreiben)) is None


def test_fan_out_writes_each_mail_once_in_steps(ctx, welt, make) -> None:
    for n in range(5):
        make.user(name=f"Träger-Person {n}", organisation=welt.awo)
    rs = services.create_rundschreiben(
        betreff="Viele",
        text="Text",
        art=services.EmpfaengerArt.TRAEGER,
        gremium_id=None,
        user_ids=[],
        dateien=[],
        autor=welt.stab,
    )
    assert services.versand_schritt(rs.id, limit=3) == 3
    assert services.versand_schritt(rs.id, limit=3) == 3
    assert services.versand_schritt(rs.id, limit=3) == 1
    assert services.versand_schritt(rs.id, limit=3) == 0
    assert rs.versand_ausstehend is False
    mails = db.session.scalars(select(Mail).where(Mail.subject == "Rundschreiben: Viele")).all()
    assert len(mails) == 7 and len({m.recipient for m in mails}) == 7


def test_list_query_count_does_not_grow(client, login, welt, make, query_counter, ctx) -> None:
    def anlegen():
        services.create_rundschreiben(
            betreff="Info",
            text="Text",
            art=services.EmpfaengerArt.TRAEGER,
            gremium_id=None,
            user_ids=[],
            dateien=[],
            autor=welt.stab,
        )
        db.session.commit()

    anlegen()
    login(welt.anna)
    client.get("/rundschreiben/")
    with query_counter() as wenige:
        client.get("/rundschreiben/")
    for _ in range(5):
        anlegen()
    with query_counter() as viele:
        page = client.get("/rundschreiben/").get_data(as_text=True)
    assert page.count("Info</a>") == 6
    assert len(viele) == len(wenige)


def test_recipients_find_their_circular_through_the_search(client, login, welt, ctx) -> None:
    services.create_rundschreiben(
        betreff="Fortbildung Kinderschutz",
        text="Die Fortbildungen zum Kinderschutz beginnen im März.",
        art=services.EmpfaengerArt.TRAEGER,
        gremium_id=None,
        user_ids=[],
        dateien=[],
        autor=welt.stab,
    )
    db.session.commit()
    login(welt.anna)
    html = client.get("/suche/", query_string={"q": "Fortbildung"}).get_data(as_text=True)
    assert '<h2 id="art-rundschreiben">Rundschreiben</h2>' in html
    assert "<mark>Fortbildungen</mark>" in html
    login(welt.jana)  # not a recipient
    html = client.get("/suche/", query_string={"q": "Fortbildung"}).get_data(as_text=True)
    assert "Keine Treffer." in html
