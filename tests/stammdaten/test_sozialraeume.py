"""Sozialräume: create, edit, validation, deactivation (refused while an active SAK uses it)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.stammdaten.models import GremiumTyp, Sozialraum

NEU = "/stammdaten/sozialraeume/neu"


def test_stabsstelle_creates_and_edits_sozialraum(stab_client, post) -> None:
    response = post(NEU, {"nummer": "7", "name": "Stadtbereich Hafen", "beschreibung": "am Wasser"})
    assert response.status_code == 303
    raum = db.session.scalars(select(Sozialraum).where(Sozialraum.nummer == 7)).one()
    assert (raum.name, raum.beschreibung, raum.aktiv) == ("Stadtbereich Hafen", "am Wasser", True)
    edit = post(
        f"/stammdaten/sozialraeume/{raum.id}/bearbeiten",
        {"nummer": "8", "name": "Hafen", "beschreibung": ""},
    )
    assert edit.status_code == 303
    raum = db.session.get(Sozialraum, raum.id)
    assert (raum.nummer, raum.name, raum.beschreibung) == (8, "Hafen", None)
    listing = stab_client.get("/stammdaten/sozialraeume").text
    assert "Hafen" in listing


def test_duplicate_name_and_number_are_refused(stab_client, post, make) -> None:
    make.sozialraum(name="Stadtbereich Nord", nummer=1)
    count = db.session.scalar(select(func.count()).select_from(Sozialraum))
    by_name = post(NEU, {"nummer": "2", "name": "stadtbereich nord"})
    assert by_name.status_code == 400
    assert "Es gibt bereits einen Sozialraum mit diesem Namen." in by_name.text
    assert 'value="stadtbereich nord"' in by_name.text
    by_number = post(NEU, {"nummer": "1", "name": "Stadtbereich Ost"})
    assert by_number.status_code == 400
    assert "Diese Nummer ist bereits vergeben." in by_number.text
    assert db.session.scalar(select(func.count()).select_from(Sozialraum)) == count


def test_number_must_be_a_whole_number(stab_client, post) -> None:
    response = post(NEU, {"nummer": "drei", "name": "Irgendwo"})
    assert response.status_code == 400
    assert "Keine gültige, ganze Zahl." in response.text
    assert 'value="Irgendwo"' in response.text
    empty = post(NEU, {"nummer": "", "name": ""})
    assert empty.status_code == 400
    assert "Bitte geben Sie eine Nummer ein." in empty.text
    assert "Bitte geben Sie den Namen des Sozialraums ein." in empty.text


def test_deactivation_is_refused_while_an_active_stadtteilarbeitskreis_uses_it(
    stab_client, post, make
) -> None:
    raum = make.sozialraum(name="Stadtbereich Süd")
    sak = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Süd", sozialraum=raum)
    url = f"/stammdaten/sozialraeume/{raum.id}/deaktivieren"
    refused = post(url)
    assert refused.status_code == 409
    assert "solange ihm ein aktiver Stadtteilarbeitskreis zugeordnet ist (SAK Süd)" in refused.text
    assert db.session.get(Sozialraum, raum.id).aktiv is True
    assert post(f"/stammdaten/gremien/{sak.id}/deaktivieren").status_code == 303
    assert post(url).status_code == 303
    assert db.session.get(Sozialraum, raum.id).aktiv is False


def test_deactivated_sozialraum_is_listed_but_not_offered(stab_client, post, make) -> None:
    raum = make.sozialraum(name="Stadtbereich Alt", aktiv=False)
    listing = stab_client.get("/stammdaten/sozialraeume").text
    assert "Stadtbereich Alt" in listing and "deaktiviert" in listing
    assert "Stadtbereich Alt" not in stab_client.get("/stammdaten/gremien/neu").text
    response = post(
        "/stammdaten/gremien/neu",
        {"name": "SAK Alt", "typ": "stadtteilarbeitskreis", "sozialraum_id": str(raum.id)},
    )
    assert response.status_code == 400
    assert "Bitte wählen Sie einen Eintrag aus der Liste." in response.text
    assert post(f"/stammdaten/sozialraeume/{raum.id}/reaktivieren").status_code == 303
    assert "Stadtbereich Alt" in stab_client.get("/stammdaten/gremien/neu").text


def test_sozialraum_detail_lists_its_arbeitskreise(stab_client, make) -> None:
    raum = make.sozialraum(name="Stadtbereich West")
    make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK West", sozialraum=raum)
    page = stab_client.get(f"/stammdaten/sozialraeume/{raum.id}")
    assert page.status_code == 200
    assert "<h1>Stadtbereich West</h1>" in page.text and "SAK West" in page.text
