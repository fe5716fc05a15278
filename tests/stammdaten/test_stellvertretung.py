"""A seat's Stellvertretung: set by the Stabsstelle, reads what the member reads in that
Gremium (never the seat's Vorsitz/Moderation rights), loses it with the seat or the removal."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit.models import AuditEintrag
from app.core.types import utcnow
from app.dateien.models import Datei
from app.extensions import db
from app.sitzungen import services as sitzungen
from app.sitzungen.models import SitzungStatus
from app.stammdaten import services
from app.stammdaten.models import Funktion, GremiumTyp, Mitgliedschaft
from app.stammdaten.rollen import hat_funktion, ist_mitglied, mitgliedschaften
from tests.support.dateien import MINIMAL_PDF
from tests.vorlagen.conftest import welt  # noqa: F401  (fixture: a Vorlage and its bodies)


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Agenda documents of these tests go to their own directory."""
    target = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(target))
    return target


@dataclass
class Arbeitskreise:
    """SAK Nord (a member's seat with a deputy, a moderator) and SAK Süd, each with a
    non-public meeting held last week (approved minutes) and one next week."""

    nord: object
    sued: object
    mitglied: object
    moderation: object
    vertretung: object
    sitz: object
    nord_vorbei: object
    nord_kuenftig: object
    sued_vorbei: object
    sued_kuenftig: object


def _sitzungen(make, gremium, name: str) -> tuple:
    vorbei = make.sitzung(
        gremium,
        titel=f"{name} intern Rückblick",
        beginn=utcnow() - timedelta(days=7),
        status=SitzungStatus.DURCHGEFUEHRT,
    )
    make.protokoll(vorbei, freigegeben=True, ergebnisse=f"Ergebnis {name}")
    kuenftig = make.sitzung(
        gremium, titel=f"{name} intern Planung", status=SitzungStatus.EINGELADEN
    )
    return vorbei, kuenftig


@pytest.fixture
def sak(make) -> Arbeitskreise:
    nord = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Nord")
    sued = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Süd")
    mitglied = make.user(name="Mia Mitglied")
    moderation = make.user(name="Moritz Moderation")
    vertretung = make.user(name="Vera Vertretung")
    sitz = make.mitgliedschaft(nord, mitglied, stellvertretung_id=vertretung.id)
    make.mitgliedschaft(nord, moderation, Funktion.MODERATION)
    make.mitgliedschaft(sued, make.user(name="Sven Süd"), Funktion.MODERATION)
    return Arbeitskreise(
        nord, sued, mitglied, moderation, vertretung, sitz, *_sitzungen(make, nord, "Nord"),
        *_sitzungen(make, sued, "Süd"),
    )  # fmt: skip


def _edit_url(sitz) -> str:
    return f"/stammdaten/mitgliedschaften/{sitz.id}/bearbeiten"


# --------------------------------------------------------------------------- administration


def test_stabsstelle_sets_shows_and_removes_the_stellvertretung(
    stab_client, post, make, sak
) -> None:
    sitz = make.mitgliedschaft(sak.sued, sak.mitglied)
    page = stab_client.get(_edit_url(sitz)).get_data(as_text=True)
    assert "Stellvertretung (optional)" in page and "Vera Vertretung" in page
    response = post(
        _edit_url(sitz),
        {"funktion": "mitglied", "organisation_id": "", "stellvertretung_id": sak.vertretung.id},
        on_client=stab_client,
    )
    assert response.status_code == 303
    assert db.session.get(Mitgliedschaft, sitz.id, populate_existing=True).stellvertretung_id == (
        sak.vertretung.id
    )
    gremium_page = stab_client.get(f"/stammdaten/gremien/{sak.sued.id}").get_data(as_text=True)
    assert "Stellvertretung:" in gremium_page and "Vera Vertretung" in gremium_page
    person = stab_client.get(f"/stammdaten/benutzer/{sak.vertretung.id}").get_data(as_text=True)
    assert "Stellvertretungen" in person and "Mia Mitglied" in person and "SAK Süd" in person
    assert "SAK Nord" in person  # the seat from the fixture as well
    [eintrag] = db.session.scalars(
        select(AuditEintrag).where(
            AuditEintrag.objekt_typ == "Mitgliedschaft",
            AuditEintrag.objekt_id == str(sitz.id),
            AuditEintrag.aktion == "geaendert",
        )
    ).all()
    assert eintrag.berechtigung and eintrag.aenderungen["stellvertretung_id"]["neu"] == (
        sak.vertretung.id
    )
    response = post(
        _edit_url(sitz),
        {"funktion": "mitglied", "organisation_id": "", "stellvertretung_id": ""},
        on_client=stab_client,
    )
    assert response.status_code == 303
    assert db.session.get(Mitgliedschaft, sitz.id, populate_existing=True).stellvertretung is None


def test_the_member_and_inactive_accounts_cannot_deputise(
    stab_client, post, ctx, make, sak
) -> None:
    inaktiv = make.user(name="Ina Inaktiv", aktiv=False)
    page = stab_client.get(_edit_url(sak.sitz)).get_data(as_text=True)
    assert "Ina Inaktiv" not in page
    for person in (sak.mitglied, inaktiv):
        response = post(
            _edit_url(sak.sitz),
            {"funktion": "mitglied", "organisation_id": "", "stellvertretung_id": person.id},
            on_client=stab_client,
        )
        assert response.status_code == 400
        assert "Bitte wählen Sie einen Eintrag aus der Liste." in response.get_data(as_text=True)
    sitz = db.session.get(Mitgliedschaft, sak.sitz.id, populate_existing=True)
    assert sitz.stellvertretung_id == sak.vertretung.id
    for person, message in (
        (sak.mitglied, "eine andere Person als das Mitglied"),
        (inaktiv, "deaktiviert"),
    ):
        with pytest.raises(services.StammdatenError, match=message) as refused:
            services.update_mitgliedschaft(
                sitz, funktion=Funktion.MITGLIED, organisation=None, stellvertretung=person
            )
        assert refused.value.field == "stellvertretung_id"
    db.session.rollback()
    with pytest.raises(IntegrityError):  # the database refuses it as well
        make.mitgliedschaft(sak.sued, sak.mitglied, stellvertretung_id=sak.mitglied.id)
    db.session.rollback()


# --------------------------------------------------------------------------- what the deputy sees


def _get(client, url: str) -> int:
    return client.get(url).status_code


def test_deputy_sees_the_gremium_of_the_seat_and_nothing_else(
    client, login, csrf_token, make, sak
) -> None:
    login(sak.moderation)
    url = f"/sitzungen/{sak.nord_kuenftig.id}/tagesordnung"
    client.post(
        url,
        data={
            "titel": "Bericht",
            "beschreibung": "",
            "csrf_token": csrf_token(client, url),
            "datei": (io.BytesIO(MINIMAL_PDF), "bericht.pdf"),
        },
        content_type="multipart/form-data",
    )
    datei_id = db.session.scalar(select(Datei.id))
    login(sak.vertretung)
    for sitzung, gremium, erlaubt in (
        (sak.nord_vorbei, sak.nord, True),
        (sak.sued_vorbei, sak.sued, False),
    ):
        expected = 200 if erlaubt else 403
        assert _get(client, f"/sitzungen/{sitzung.id}") == expected
        assert _get(client, f"/protokolle/sitzung/{sitzung.id}") == expected
        assert _get(client, f"/stammdaten/gremien/{gremium.id}") == expected
    response = client.get(f"/sitzungen/{sak.nord_kuenftig.id}/dateien/{datei_id}")
    assert response.status_code == 200 and response.data == MINIMAL_PDF
    response.close()
    assert _get(client, f"/sitzungen/{sak.sued_kuenftig.id}/dateien/{datei_id}") == 403
    liste = client.get("/sitzungen/").get_data(as_text=True)
    assert "Nord intern Planung" in liste and "Süd intern" not in liste
    protokolle = client.get("/protokolle/").get_data(as_text=True)
    assert "Nord intern Rückblick" in protokolle and "Süd intern" not in protokolle
    treffer = client.get("/suche/?q=intern").get_data(as_text=True)
    assert "Nord intern" in treffer and "Süd intern" not in treffer
    start = client.get("/start").get_data(as_text=True)
    assert "SAK Nord" in start and "Stellvertretung für Mia Mitglied" in start
    abo = sitzungen.renew_abo(sak.vertretung)
    db.session.commit()
    feed = client.get(f"/sitzungen/kalender/{abo.token}.ics").get_data(as_text=True)
    assert "Nord intern Planung" in feed and "Süd intern" not in feed


def test_rights_end_with_the_removal_or_the_seat(client, login, ctx, make, sak) -> None:
    url = f"/sitzungen/{sak.nord_kuenftig.id}"
    login(sak.vertretung)
    assert _get(client, url) == 200
    sitz = db.session.get(Mitgliedschaft, sak.sitz.id)
    services.update_mitgliedschaft(
        sitz, funktion=sitz.funktion, organisation=None, stellvertretung=None
    )
    db.session.commit()
    assert _get(client, url) == 403
    assert _get(client, f"/protokolle/sitzung/{sak.nord_vorbei.id}") == 403
    assert "Nord intern" not in client.get("/sitzungen/").get_data(as_text=True)
    sitz = db.session.get(Mitgliedschaft, sak.sitz.id)
    services.update_mitgliedschaft(
        sitz, funktion=sitz.funktion, organisation=None, stellvertretung=sak.vertretung
    )
    db.session.commit()
    assert _get(client, url) == 200
    services.end_mitgliedschaft(db.session.get(Mitgliedschaft, sak.sitz.id))
    db.session.commit()
    assert _get(client, url) == 403
    assert _get(client, f"/stammdaten/gremien/{sak.nord.id}") == 403


def test_deactivating_the_deputy_removes_the_stellvertretung(ctx, make, sak) -> None:
    services.deactivate_user(sak.vertretung)
    db.session.commit()
    assert (
        db.session.get(Mitgliedschaft, sak.sitz.id, populate_existing=True).stellvertretung_id
        is None
    )


def test_deputy_has_none_of_the_seats_functions(
    client,
    login,
    csrf_token,
    make,
    sak,
    welt,  # noqa: F811  (fixture imported above)
) -> None:
    sitz = db.session.scalar(
        select(Mitgliedschaft).where(Mitgliedschaft.user_id == sak.moderation.id)
    )
    sitz.stellvertretung_id = sak.vertretung.id
    vorsitz = db.session.scalar(
        select(Mitgliedschaft).where(Mitgliedschaft.user_id == welt.vorsitz.id)
    )
    vorsitz.stellvertretung_id = sak.vertretung.id
    db.session.commit()
    login(sak.vertretung)
    url = f"/protokolle/sitzung/{sak.nord_vorbei.id}"
    response = client.post(
        f"{url}/hochladen",
        data={"csrf_token": csrf_token(client, url), "datei": (io.BytesIO(MINIMAL_PDF), "p.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 403
    assert _get(client, f"/sitzungen/{sak.nord_kuenftig.id}/bearbeiten") == 403
    assert _get(client, f"/sitzungen/{sak.nord_kuenftig.id}/einladen") == 403
    assert _get(client, f"/vorlagen/{welt.vorlage.id}") == 200  # reads what the Vorsitz reads
    assert _get(client, f"/vorlagen/beratung/{welt.vv.id}/beschluss") == 403
    login(welt.vorsitz)
    assert _get(client, f"/vorlagen/beratung/{welt.vv.id}/beschluss") == 200


# --------------------------------------------------------------------------- one query per request


def test_deputised_seats_come_with_the_one_membership_query(ctx, make, query_counter) -> None:
    person = make.user()
    eigen = make.gremium(GremiumTyp.TRAEGERRUNDE)
    make.mitgliedschaft(eigen, person, Funktion.MITGLIED)
    vertreten = [make.gremium(GremiumTyp.TRAEGERRUNDE) for _ in range(3)]
    for gremium in vertreten:
        make.mitgliedschaft(gremium, make.user(), Funktion.VORSITZ, stellvertretung_id=person.id)
    fremd = make.gremium(GremiumTyp.TRAEGERRUNDE)
    with query_counter() as statements:
        answers = [ist_mitglied(person, g.id) for g in (eigen, *vertreten, fremd)]
        vorsitz = [hat_funktion(person, (Funktion.VORSITZ,), g.id) for g in vertreten]
    assert answers == [True, True, True, True, False] and vorsitz == [False] * 3
    assert len(statements) == 1
    assert mitgliedschaften(person)[vertreten[0].id] == frozenset({Funktion.MITGLIED})


def _list_queries(client, query_counter) -> tuple[int, str]:
    db.session.close()  # an empty identity map, as a real request has
    with query_counter() as statements:
        response = client.get("/sitzungen/")
    assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_meeting_list_queries_do_not_grow_with_deputised_seats(
    client, login, make, query_counter
) -> None:
    person = make.user()
    eigen = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS)
    make.mitgliedschaft(eigen, person)
    make.sitzung(eigen, titel="Eigene Sitzung", status=SitzungStatus.EINGELADEN)
    login(person)
    client.get("/sitzungen/")  # warm-up (templates, login session)
    ohne, _ = _list_queries(client, query_counter)
    for i in range(8):
        gremium = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS)
        make.mitgliedschaft(gremium, make.user(), stellvertretung_id=person.id)
        make.sitzung(gremium, titel=f"Vertretene Sitzung {i}", status=SitzungStatus.EINGELADEN)
    mit, page = _list_queries(client, query_counter)
    assert "Vertretene Sitzung 7" in page and "Eigene Sitzung" in page
    assert mit == ohne, f"{ohne} Abfragen ohne, {mit} mit Stellvertretungen"


def test_demo_gives_the_awo_seat_in_sak_nord_a_deputy(client, login, ctx) -> None:
    from app.auth.models import User
    from app.stammdaten.demo import load_demo_data

    load_demo_data()
    load_demo_data()  # idempotent
    db.session.commit()
    sitz = db.session.scalar(
        select(Mitgliedschaft)
        .join(User, User.id == Mitgliedschaft.user_id)
        .where(
            User.email == "awo@demo.traeger.example", Mitgliedschaft.stellvertretung_id.is_not(None)
        )
    )
    assert sitz.gremium.name == "Stadtteilarbeitskreis Nord"
    assert sitz.stellvertretung.email == "drk@demo.traeger.example"
    stab = db.session.scalar(select(User).where(User.email == "stabsstelle@demo.hilden.example"))
    login(stab)
    gremium_page = client.get(f"/stammdaten/gremien/{sitz.gremium_id}").get_data(as_text=True)
    assert _edit_url(sitz) in gremium_page and "Stellvertretung:" in gremium_page
    assert "Stellvertretung (optional)" in client.get(_edit_url(sitz)).get_data(as_text=True)
