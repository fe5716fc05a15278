"""Organisations: create, edit, deactivate; staff edit the contact data of their own only."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.stammdaten.models import Organisation, OrganisationArt

NEU = "/stammdaten/organisationen/neu"


def _org_data(**overrides) -> dict:
    data = {"name": "Kinderschutzbund Hilden", "kurzname": "DKSB", "art": "traeger", "email": ""}
    data.update(overrides)
    return data


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Organisation))


def test_stabsstelle_creates_organisation(stab_client, post) -> None:
    response = post(NEU, _org_data(email="info@dksb.example"))
    assert response.status_code == 303
    org = db.session.scalars(
        select(Organisation).where(Organisation.name == "Kinderschutzbund Hilden")
    ).one()
    assert (org.kurzname, org.art, org.email, org.aktiv) == (
        "DKSB",
        OrganisationArt.TRAEGER,
        "info@dksb.example",
        True,
    )
    assert response.headers["Location"] == f"/stammdaten/organisationen/{org.id}"
    page = stab_client.get(response.headers["Location"]).text
    assert "Die Organisation „Kinderschutzbund Hilden“ wurde angelegt." in page
    assert "Kinderschutzbund Hilden" in stab_client.get("/stammdaten/organisationen").text


def test_duplicate_name_is_refused_in_german_and_keeps_input(stab_client, post, make) -> None:
    make.organisation(name="Diakonie Hilden")
    before = _count()
    response = post(NEU, _org_data(name="diakonie hilden", kurzname="Doppelt"))
    assert response.status_code == 400
    page = response.text
    assert "Es gibt bereits eine Organisation mit diesem Namen." in page
    assert 'value="diakonie hilden"' in page and 'value="Doppelt"' in page
    assert "Bitte prüfen Sie Ihre Eingaben" in page
    assert _count() == before


def test_invalid_email_and_missing_name_are_explained(stab_client, post) -> None:
    response = post(NEU, _org_data(name="", email="keine-adresse"))
    assert response.status_code == 400
    page = response.text
    assert "Bitte geben Sie den Namen der Organisation ein." in page
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein." in page
    assert 'value="keine-adresse"' in page
    assert 'aria-invalid="true"' in page


def test_invalid_art_is_400_not_500(stab_client, post) -> None:
    response = post(NEU, _org_data(art="geheimbund"))
    assert response.status_code == 400
    assert "Bitte wählen Sie einen Eintrag aus der Liste." in response.text


def test_stabsstelle_edits_every_field(stab_client, post, make) -> None:
    org = make.organisation(name="Alter Name")
    url = f"/stammdaten/organisationen/{org.id}/bearbeiten"
    assert 'value="Alter Name"' in stab_client.get(url).text
    response = post(
        url, _org_data(name="Neuer Name", art="sonstige", kurzname="NN", email="nn@x.example")
    )
    assert response.status_code == 303
    org = db.session.get(Organisation, org.id)
    assert (org.name, org.art, org.kurzname, org.email) == (
        "Neuer Name",
        OrganisationArt.SONSTIGE,
        "NN",
        "nn@x.example",
    )


def test_renaming_to_an_existing_name_is_refused(stab_client, post, make) -> None:
    make.organisation(name="AWO Hilden")
    org = make.organisation(name="Caritas Hilden")
    response = post(f"/stammdaten/organisationen/{org.id}/bearbeiten", _org_data(name="AWO Hilden"))
    assert response.status_code == 400
    assert "Es gibt bereits eine Organisation mit diesem Namen." in response.text
    assert db.session.get(Organisation, org.id).name == "Caritas Hilden"


def test_traeger_edits_contact_data_of_own_organisation_only(client, login, post, make) -> None:
    user = make.traeger_user()
    org_id = user.organisation_id
    login(user)
    url = f"/stammdaten/organisationen/{org_id}/bearbeiten"
    form = client.get(url)
    assert form.status_code == 200
    assert (
        'name="kurzname"' in form.text
        and 'name="name"' not in form.text
        and 'name="art"' not in form.text
    )
    response = post(
        url,
        {
            "kurzname": "Neu",
            "email": "kontakt@traeger.example",
            "name": "Übernahme",
            "art": "verwaltung",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/stammdaten/meine-organisation"
    org = db.session.get(Organisation, org_id)
    assert (org.kurzname, org.email) == ("Neu", "kontakt@traeger.example")
    assert org.name != "Übernahme" and org.art == OrganisationArt.TRAEGER


def test_traeger_invalid_contact_email_is_400(client, login, post, make) -> None:
    user = make.traeger_user()
    login(user)
    response = post(
        f"/stammdaten/organisationen/{user.organisation_id}/bearbeiten",
        {"kurzname": "X", "email": "x@"},
    )
    assert response.status_code == 400
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein." in response.text


def test_traeger_gets_403_on_another_organisation(client, login, post, make) -> None:
    user = make.traeger_user()
    other = make.organisation(name="Fremder Träger", email="alt@fremd.example")
    login(user)
    url = f"/stammdaten/organisationen/{other.id}/bearbeiten"
    response = client.get(url)
    assert response.status_code == 403
    assert "Keine Berechtigung" in response.text
    assert (
        post(url, {"kurzname": "X", "email": "boese@x.example"}, form_url="/start").status_code
        == 403
    )
    assert client.get(f"/stammdaten/organisationen/{other.id}").status_code == 403
    assert db.session.get(Organisation, other.id).email == "alt@fremd.example"


def test_traeger_cannot_deactivate_own_organisation(client, login, post, make) -> None:
    user = make.traeger_user()
    login(user)
    url = f"/stammdaten/organisationen/{user.organisation_id}/deaktivieren"
    assert client.get(url).status_code == 403
    assert post(url, form_url="/start").status_code == 403
    assert db.session.get(Organisation, user.organisation_id).aktiv is True


def test_meine_organisation_entry(client, login, make) -> None:
    user = make.traeger_user()
    login(user)
    start = client.get("/start").text
    assert 'href="/stammdaten/meine-organisation"' in start
    assert ">Stammdaten<" not in start
    page = client.get("/stammdaten/meine-organisation")
    assert page.status_code == 200
    org = db.session.get(Organisation, user.organisation_id)
    assert f"<h1>{org.name}</h1>" in page.text
    assert "Kontaktdaten bearbeiten" in page.text
    assert "Deaktivieren" not in page.text


def test_no_meine_organisation_without_organisation_or_for_stabsstelle(
    app, client, login, make
) -> None:
    login(make.user())
    assert "meine-organisation" not in client.get("/start").text
    assert client.get("/stammdaten/meine-organisation").status_code == 403
    stab_client = login(make.stabsstelle(organisation=make.organisation()), app.test_client())
    start = stab_client.get("/start").text
    assert "meine-organisation" not in start and 'href="/stammdaten/"' in start


def test_deactivation_asks_first_and_keeps_the_row(stab_client, post, make) -> None:
    org = make.organisation(name="Verein Alt")
    url = f"/stammdaten/organisationen/{org.id}/deaktivieren"
    confirm = stab_client.get(url)
    assert (
        confirm.status_code == 200 and "Soll die Organisation deaktiviert werden?" in confirm.text
    )
    assert db.session.get(Organisation, org.id).aktiv is True  # GET changes nothing
    response = post(url)
    assert response.status_code == 303
    assert db.session.get(Organisation, org.id).aktiv is False
    listing = stab_client.get("/stammdaten/organisationen").text
    assert "Verein Alt" in listing and "deaktiviert" in listing
    # hidden from selection lists
    assert "Verein Alt" not in stab_client.get("/stammdaten/benutzer/neu").text
    again = post(url)
    assert again.status_code == 409 and "Die Organisation ist bereits deaktiviert." in again.text
    assert post(f"/stammdaten/organisationen/{org.id}/reaktivieren").status_code == 303
    assert db.session.get(Organisation, org.id).aktiv is True
    assert "Verein Alt" in stab_client.get("/stammdaten/benutzer/neu").text


def test_staff_of_deactivated_organisation_cannot_edit_it(client, login, make) -> None:
    org = make.organisation(aktiv=False)
    user = make.user(organisation=org)
    login(user)
    assert client.get(f"/stammdaten/organisationen/{org.id}/bearbeiten").status_code == 403
    assert "meine-organisation" not in client.get("/start").text


def test_unknown_organisation_is_404(stab_client) -> None:
    assert stab_client.get("/stammdaten/organisationen/999999").status_code == 404
    assert stab_client.get("/stammdaten/organisationen/999999/bearbeiten").status_code == 404


def test_only_required_fields_are_marked_required(stab_client) -> None:
    page = stab_client.get(NEU).text
    assert re.search(r'<input[^>]*id="name"[^>]*required', page)
    assert not re.search(r'<input[^>]*id="kurzname"[^>]*required', page)
    assert 'required="None"' not in page
