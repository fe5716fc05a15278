"""Gremien and memberships: create, edit, the Sozialraum rule, deactivation, member management."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.stammdaten.models import Funktion, Gremium, GremiumTyp, Mitgliedschaft

NEU = "/stammdaten/gremien/neu"


def _gremium_data(**overrides) -> dict:
    data = {
        "name": "Runde der Jugendhilfe",
        "typ": "traegerrunde",
        "sozialraum_id": "",
        "beschreibung": "",
        "email": "",
    }
    data.update(overrides)
    return data


def _members(gremium_id: int, aktiv: bool | None = None) -> list[Mitgliedschaft]:
    query = select(Mitgliedschaft).where(Mitgliedschaft.gremium_id == gremium_id)
    if aktiv is not None:
        query = query.where(Mitgliedschaft.aktiv.is_(aktiv))
    return db.session.scalars(query.order_by(Mitgliedschaft.id)).all()


def test_existing_endpoints_still_work(app, stab_client, make) -> None:
    gremium = make.gremium()
    with app.test_request_context():
        from flask import url_for

        assert url_for("stammdaten.gremien") == "/stammdaten/gremien"
        assert (
            url_for("stammdaten.gremium_detail", gremium_id=gremium.id)
            == f"/stammdaten/gremien/{gremium.id}"
        )
    assert stab_client.get("/stammdaten/gremien").status_code == 200
    assert stab_client.get(f"/stammdaten/gremien/{gremium.id}").status_code == 200


def test_stabsstelle_creates_a_gremium(stab_client, post) -> None:
    response = post(
        NEU, _gremium_data(beschreibung="Träger der Jugendhilfe", email="runde@x.example")
    )
    assert response.status_code == 303
    gremium = db.session.scalars(
        select(Gremium).where(Gremium.name == "Runde der Jugendhilfe")
    ).one()
    assert (gremium.typ, gremium.sozialraum_id, gremium.email) == (
        GremiumTyp.TRAEGERRUNDE,
        None,
        "runde@x.example",
    )
    assert response.headers["Location"] == f"/stammdaten/gremien/{gremium.id}"
    assert "Runde der Jugendhilfe" in stab_client.get("/stammdaten/gremien").text


def test_stadtteilarbeitskreis_needs_its_sozialraum(stab_client, post, make) -> None:
    raum = make.sozialraum(name="Stadtbereich Mitte")
    missing = post(NEU, _gremium_data(name="SAK Mitte", typ="stadtteilarbeitskreis"))
    assert missing.status_code == 400
    assert (
        "Ein Stadtteilarbeitskreis gehört zu einem Sozialraum. Bitte wählen Sie ihn aus."
        in missing.text
    )
    assert 'value="SAK Mitte"' in missing.text
    created = post(
        NEU,
        _gremium_data(name="SAK Mitte", typ="stadtteilarbeitskreis", sozialraum_id=str(raum.id)),
    )
    assert created.status_code == 303
    gremium = db.session.scalars(select(Gremium).where(Gremium.name == "SAK Mitte")).one()
    assert gremium.sozialraum_id == raum.id


def test_other_types_must_not_have_a_sozialraum(stab_client, post, make) -> None:
    raum = make.sozialraum()
    count = db.session.scalar(select(func.count()).select_from(Gremium))
    for typ in ("planungsrunde", "traegerrunde", "verwaltungsvorstand", "fachausschuss"):
        response = post(
            NEU, _gremium_data(name=f"Gremium {typ}", typ=typ, sozialraum_id=str(raum.id))
        )
        assert response.status_code == 400, typ
        assert "Nur ein Stadtteilarbeitskreis gehört zu einem Sozialraum." in response.text
    assert db.session.scalar(select(func.count()).select_from(Gremium)) == count


def test_duplicate_name_and_bad_input_are_4xx(stab_client, post, make) -> None:
    make.gremium(name="Sozialausschuss", typ=GremiumTyp.FACHAUSSCHUSS)
    duplicate = post(NEU, _gremium_data(name="SOZIALAUSSCHUSS", typ="fachausschuss"))
    assert duplicate.status_code == 400
    assert "Es gibt bereits ein Gremium mit diesem Namen." in duplicate.text
    bad_type = post(NEU, _gremium_data(typ="geheimrat"))
    assert (
        bad_type.status_code == 400
        and "Bitte wählen Sie einen Eintrag aus der Liste." in bad_type.text
    )
    bad_raum = post(NEU, _gremium_data(typ="stadtteilarbeitskreis", sozialraum_id="abc"))
    assert (
        bad_raum.status_code == 400
        and "Bitte wählen Sie einen Eintrag aus der Liste." in bad_raum.text
    )
    bad_mail = post(NEU, _gremium_data(email="kein@"))
    assert (
        bad_mail.status_code == 400
        and "Bitte geben Sie eine gültige E-Mail-Adresse ein." in bad_mail.text
    )


def test_edit_keeps_a_deactivated_sozialraum_selectable(stab_client, post, make) -> None:
    raum = make.sozialraum(name="Stadtbereich Ehemals")
    sak = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Ehemals", sozialraum=raum)
    raum.aktiv = False
    db.session.commit()
    url = f"/stammdaten/gremien/{sak.id}/bearbeiten"
    form = stab_client.get(url).text
    assert "Stadtbereich Ehemals (deaktiviert)" in form
    response = post(
        url,
        _gremium_data(
            name="SAK Ehemals neu", typ="stadtteilarbeitskreis", sozialraum_id=str(raum.id)
        ),
    )
    assert response.status_code == 303
    assert db.session.get(Gremium, sak.id).name == "SAK Ehemals neu"


def test_changing_type_to_stadtteilarbeitskreis_needs_sozialraum(stab_client, post, make) -> None:
    gremium = make.gremium(GremiumTyp.PLANUNGSRUNDE, name="Runde")
    response = post(
        f"/stammdaten/gremien/{gremium.id}/bearbeiten",
        _gremium_data(name="Runde", typ="stadtteilarbeitskreis"),
    )
    assert response.status_code == 400
    assert "Ein Stadtteilarbeitskreis gehört zu einem Sozialraum." in response.text
    assert db.session.get(Gremium, gremium.id).typ == GremiumTyp.PLANUNGSRUNDE


def test_deactivated_gremium_keeps_rows_and_leaves_start_page(
    app, stab_client, post, login, make
) -> None:
    gremium = make.gremium(name="Alte Runde")
    member = make.user()
    make.mitgliedschaft(gremium, member)
    member_client = login(member, app.test_client())
    assert "Alte Runde" in member_client.get("/start").text
    url = f"/stammdaten/gremien/{gremium.id}/deaktivieren"
    assert "Soll das Gremium deaktiviert werden?" in stab_client.get(url).text
    assert post(url).status_code == 303
    assert db.session.get(Gremium, gremium.id).aktiv is False
    assert len(_members(gremium.id, aktiv=True)) == 1  # history stays
    assert "Alte Runde" not in member_client.get("/start").text
    listing = stab_client.get("/stammdaten/gremien").text
    assert "Alte Runde" in listing and "deaktiviert" in listing
    assert post(f"/stammdaten/gremien/{gremium.id}/reaktivieren").status_code == 303
    assert db.session.get(Gremium, gremium.id).aktiv is True


def test_type_filter_of_the_list(stab_client, make) -> None:
    make.gremium(GremiumTyp.FACHAUSSCHUSS, name="Jugendhilfeausschuss")
    make.gremium(GremiumTyp.PLANUNGSRUNDE, name="Planungsrunde X")
    page = stab_client.get("/stammdaten/gremien?typ=fachausschuss").text
    assert "Jugendhilfeausschuss" in page and "Planungsrunde X" not in page
    assert stab_client.get("/stammdaten/gremien?typ=unsinn").status_code == 400


# --------------------------------------------------------------------------- memberships


def test_add_member_with_function_and_organisation(stab_client, post, make) -> None:
    gremium = make.gremium(name="Trägerrunde A", typ=GremiumTyp.TRAEGERRUNDE)
    person = make.traeger_user(name="Tina Träger")
    page = stab_client.get(f"/stammdaten/gremien/{gremium.id}").text
    assert "Mitglied hinzufügen" in page and "Tina Träger" in page
    response = post(
        f"/stammdaten/gremien/{gremium.id}/mitglieder",
        {
            "user_id": str(person.id),
            "funktion": "vorsitz",
            "organisation_id": str(person.organisation_id),
        },
        form_url=f"/stammdaten/gremien/{gremium.id}",
    )
    assert response.status_code == 303
    [m] = _members(gremium.id)
    assert (m.user_id, m.funktion, m.organisation_id, m.aktiv) == (
        person.id,
        Funktion.VORSITZ,
        person.organisation_id,
        True,
    )
    detail = stab_client.get(f"/stammdaten/gremien/{gremium.id}").text
    assert "Tina Träger wurde als Vorsitz hinzugefügt." in detail


def test_add_member_errors_are_german_and_4xx(stab_client, post, make) -> None:
    gremium = make.gremium()
    person = make.user(name="Doppelt Dabei")
    make.mitgliedschaft(gremium, person)
    url, page = f"/stammdaten/gremien/{gremium.id}/mitglieder", f"/stammdaten/gremien/{gremium.id}"
    twice = post(url, {"user_id": str(person.id), "funktion": "mitglied"}, form_url=page)
    assert twice.status_code == 400
    assert "Diese Person ist bereits Mitglied dieses Gremiums." in twice.text
    nobody = post(url, {"user_id": "", "funktion": "mitglied"}, form_url=page)
    assert nobody.status_code == 400 and "Bitte wählen Sie eine Person aus." in nobody.text
    bad_function = post(url, {"user_id": str(make.user().id), "funktion": "chef"}, form_url=page)
    assert (
        bad_function.status_code == 400
        and "Bitte wählen Sie einen Eintrag aus der Liste." in bad_function.text
    )
    assert len(_members(gremium.id)) == 1


def test_deactivated_people_and_organisations_are_not_offered(stab_client, post, make) -> None:
    gremium = make.gremium()
    gone = make.user(name="Weg Gegangen", aktiv=False)
    make.organisation(name="Aufgelöster Verein", aktiv=False)
    page = stab_client.get(f"/stammdaten/gremien/{gremium.id}").text
    assert "Weg Gegangen" not in page and "Aufgelöster Verein" not in page
    response = post(
        f"/stammdaten/gremien/{gremium.id}/mitglieder",
        {"user_id": str(gone.id), "funktion": "mitglied"},
        form_url=f"/stammdaten/gremien/{gremium.id}",
    )
    assert response.status_code == 400
    assert _members(gremium.id) == []


def test_no_members_are_added_to_a_deactivated_gremium(stab_client, post, make) -> None:
    gremium = make.gremium(aktiv=False)
    page = stab_client.get(f"/stammdaten/gremien/{gremium.id}").text
    assert "Mitglied hinzufügen" not in page
    response = post(
        f"/stammdaten/gremien/{gremium.id}/mitglieder",
        {"user_id": str(make.user().id), "funktion": "mitglied"},
        form_url=f"/stammdaten/gremien/{gremium.id}",
    )
    assert response.status_code == 400
    assert (
        "Einem deaktivierten Gremium können keine Mitglieder hinzugefügt werden." in response.text
    )


def test_change_function_of_a_member(stab_client, post, make) -> None:
    gremium = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS)
    org = make.organisation(name="Stellwerk")
    m = make.mitgliedschaft(gremium, make.user(name="Mo Deration"))
    url = f"/stammdaten/mitgliedschaften/{m.id}/bearbeiten"
    assert "Mo Deration" in stab_client.get(url).text
    response = post(url, {"funktion": "moderation", "organisation_id": str(org.id)})
    assert response.status_code == 303
    m = db.session.get(Mitgliedschaft, m.id)
    assert (m.funktion, m.organisation_id) == (Funktion.MODERATION, org.id)
    bad = post(url, {"funktion": "kaiser", "organisation_id": ""})
    assert bad.status_code == 400 and "Bitte wählen Sie einen Eintrag aus der Liste." in bad.text


def test_end_membership_keeps_the_row_and_revokes_access(
    app, stab_client, post, login, make
) -> None:
    gremium = make.gremium(name="Planungsrunde Test")
    person = make.user(name="Ehemals Mitglied")
    m = make.mitgliedschaft(gremium, person)
    member_client = login(person, app.test_client())
    assert member_client.get(f"/stammdaten/gremien/{gremium.id}").status_code == 200
    url = f"/stammdaten/mitgliedschaften/{m.id}/beenden"
    assert "Soll die Mitgliedschaft von Ehemals Mitglied" in stab_client.get(url).text
    assert db.session.get(Mitgliedschaft, m.id).aktiv is True
    assert post(url).status_code == 303
    assert db.session.get(Mitgliedschaft, m.id).aktiv is False
    page = stab_client.get(f"/stammdaten/gremien/{gremium.id}").text
    assert "Frühere Mitglieder" in page and "Ehemals Mitglied" in page
    assert member_client.get(f"/stammdaten/gremien/{gremium.id}").status_code == 403
    assert post(url).status_code == 409
    assert stab_client.get(f"/stammdaten/mitgliedschaften/{m.id}/bearbeiten").status_code == 404
    # the person can be added again later: a new row, the old one stays
    again = post(
        f"/stammdaten/gremien/{gremium.id}/mitglieder",
        {"user_id": str(person.id), "funktion": "gast"},
        form_url=f"/stammdaten/gremien/{gremium.id}",
    )
    assert again.status_code == 303
    assert [(x.aktiv, x.funktion) for x in _members(gremium.id)] == [
        (False, Funktion.MITGLIED),
        (True, Funktion.GAST),
    ]


def test_member_sees_gremium_without_administration(client, login, make) -> None:
    gremium = make.gremium(name="Meine Runde")
    person = make.user()
    make.mitgliedschaft(gremium, person)
    other = make.user(name="Andere Person")
    make.mitgliedschaft(gremium, other, Funktion.VORSITZ)
    login(person)
    page = client.get(f"/stammdaten/gremien/{gremium.id}")
    assert page.status_code == 200
    assert "Andere Person" in page.text and "Vorsitz" in page.text
    assert "Mitglied hinzufügen" not in page.text and "Bearbeiten" not in page.text
    assert "/stammdaten/mitgliedschaften/" not in page.text


def test_non_member_gets_403_on_gremium_page(client, login, make) -> None:
    gremium = make.gremium()
    login(make.traeger_user())
    response = client.get(f"/stammdaten/gremien/{gremium.id}")
    assert response.status_code == 403
    assert "Keine Berechtigung" in response.text


def test_member_cannot_manage_members(client, login, post, make) -> None:
    gremium = make.gremium()
    person = make.user()
    m = make.mitgliedschaft(gremium, person, Funktion.VORSITZ)
    login(person)
    add = post(
        f"/stammdaten/gremien/{gremium.id}/mitglieder",
        {"user_id": str(make.user().id), "funktion": "mitglied"},
        form_url=f"/stammdaten/gremien/{gremium.id}",
    )
    assert add.status_code == 403
    assert client.get(f"/stammdaten/mitgliedschaften/{m.id}/bearbeiten").status_code == 403
    assert (
        post(f"/stammdaten/mitgliedschaften/{m.id}/beenden", form_url="/start").status_code == 403
    )
    assert [x.aktiv for x in _members(gremium.id)] == [True]


def test_anonymous_visitor_is_sent_to_login(client, make) -> None:
    gremium = make.gremium()
    response = client.get(f"/stammdaten/gremien/{gremium.id}")
    assert response.status_code == 302 and response.headers["Location"].startswith("/anmelden")
