"""Explicit publicity: nothing is public by default; the Stabsstelle releases and sees a badge."""

from __future__ import annotations

from app.auth.models import User
from app.extensions import db
from app.impulse.models import Impuls
from app.massnahmen.models import Massnahme, Meilenstein
from app.protokolle.models import Protokoll


def test_defaults_are_not_public(make, stadt) -> None:
    sitzung = make.sitzung(stadt.sak)
    protokoll = make.protokoll(make.vergangene_sitzung(stadt.sak), freigegeben=True)
    impuls = make.impuls()
    massnahme = make.massnahme(stadt.zyklus)
    person = make.user()
    assert not sitzung.oeffentlich and not protokoll.oeffentlich and not impuls.oeffentlich
    assert not massnahme.oeffentlich and massnahme.fortschritt is None
    assert not person.name_oeffentlich


def test_badges_on_internal_pages(client, login, stadt) -> None:
    login(stadt.stab)
    pages = {
        f"/sitzungen/{stadt.sitzung.id}": "abzeichen--oeffentlich",
        f"/sitzungen/{stadt.geheim.id}": "abzeichen--intern",
        f"/protokolle/sitzung/{stadt.vergangen.id}": "abzeichen--oeffentlich",
        f"/protokolle/sitzung/{stadt.unveroeffentlicht.id}": "abzeichen--intern",
        f"/impulse/{stadt.impuls.id}": "abzeichen--oeffentlich",
        f"/impulse/{stadt.intern.id}": "abzeichen--intern",
        f"/massnahmen/{stadt.massnahme.id}": "abzeichen--oeffentlich",
        f"/massnahmen/{stadt.interne_massnahme.id}": "abzeichen--intern",
        f"/stammdaten/benutzer/{stadt.vorsitz.id}": "abzeichen--oeffentlich",
        f"/stammdaten/benutzer/{stadt.ohne.id}": "abzeichen--intern",
    }
    for url, badge in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert badge in response.get_data(as_text=True), url


def _post(client, csrf_token, page: str, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf_token(client, page), **data})


def test_stabsstelle_releases_and_withdraws_minutes(client, login, csrf_token, stadt) -> None:
    login(stadt.stab)
    page = f"/protokolle/sitzung/{stadt.unveroeffentlicht.id}"
    url = f"{page}/oeffentlich"
    assert _post(client, csrf_token, page, url, {"wert": "1"}).status_code == 303
    protokoll = db.session.scalar(
        db.select(Protokoll).where(Protokoll.sitzung_id == stadt.unveroeffentlicht.id)
    )
    assert protokoll.oeffentlich
    assert client.get(f"/oeffentlich/protokolle/{stadt.unveroeffentlicht.id}").status_code == 200
    assert _post(client, csrf_token, page, url, {"wert": "0"}).status_code == 303
    assert client.get(f"/oeffentlich/protokolle/{stadt.unveroeffentlicht.id}").status_code == 404


def test_only_approved_minutes_of_public_meetings_can_be_released(
    client, login, csrf_token, make, stadt
) -> None:
    login(stadt.stab)
    page = f"/protokolle/sitzung/{stadt.entwurf.id}"
    refused = _post(client, csrf_token, page, f"{page}/oeffentlich", {"wert": "1"})
    assert refused.status_code == 409
    assert "Nur ein freigegebenes Protokoll" in refused.get_data(as_text=True)
    intern = make.vergangene_sitzung(stadt.sak, titel="Interne Runde")
    make.protokoll(intern, freigegeben=True)
    page = f"/protokolle/sitzung/{intern.id}"
    refused = _post(client, csrf_token, page, f"{page}/oeffentlich", {"wert": "1"})
    assert refused.status_code == 409 and "nicht öffentlich" in refused.get_data(as_text=True)


def test_releasing_is_for_the_stabsstelle_only(client, login, make, stadt) -> None:
    url = f"/protokolle/sitzung/{stadt.unveroeffentlicht.id}/oeffentlich"
    assert client.post(url, data={"wert": "1"}).status_code == 400  # no form token
    from app.stammdaten.models import Funktion

    chair = make.user()
    make.mitgliedschaft(stadt.sak, chair, Funktion.VORSITZ)
    login(chair)
    token = _token_of(client, f"/protokolle/sitzung/{stadt.unveroeffentlicht.id}")
    assert client.post(url, data={"csrf_token": token, "wert": "1"}).status_code == 403
    for target in (
        f"/impulse/{stadt.intern.id}/oeffentlich",
        f"/massnahmen/{stadt.interne_massnahme.id}/oeffentlichkeit",
        f"/massnahmen/{stadt.massnahme.id}/meilensteine",
    ):
        assert client.post(target, data={"csrf_token": token, "wert": "1"}).status_code == 403


def _token_of(client, url: str) -> str:
    import re

    body = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)


def test_impulse_release_toggle(client, login, csrf_token, stadt) -> None:
    login(stadt.stab)
    page = f"/impulse/{stadt.intern.id}"
    assert _post(client, csrf_token, page, f"{page}/oeffentlich", {"wert": "1"}).status_code == 303
    assert db.session.get(Impuls, stadt.intern.id).oeffentlich
    assert client.get(f"/oeffentlich/impulse/{stadt.intern.id}").status_code == 200
    assert _post(client, csrf_token, page, f"{page}/oeffentlich", {"wert": "0"}).status_code == 303
    assert not db.session.get(Impuls, stadt.intern.id).oeffentlich


def test_measure_publicity_and_progress(client, login, csrf_token, stadt) -> None:
    login(stadt.stab)
    page = f"/massnahmen/{stadt.interne_massnahme.id}"
    bad = _post(
        client,
        csrf_token,
        page,
        f"{page}/oeffentlichkeit",
        {"oeffentlich": "y", "fortschritt": "150"},
    )
    body = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "von 0 bis 100" in body and 'value="150"' in body
    assert not db.session.get(Massnahme, stadt.interne_massnahme.id).oeffentlich
    ok = _post(
        client,
        csrf_token,
        page,
        f"{page}/oeffentlichkeit",
        {"oeffentlich": "y", "fortschritt": "55"},
    )
    assert ok.status_code == 303
    saved = db.session.get(Massnahme, stadt.interne_massnahme.id)
    assert saved.oeffentlich and saved.fortschritt == 55
    assert "55 % umgesetzt" in client.get("/oeffentlich/massnahmen/").get_data(as_text=True)


def test_milestones_add_reach_remove(client, login, csrf_token, stadt) -> None:
    login(stadt.stab)
    page = f"/massnahmen/{stadt.interne_massnahme.id}"
    missing = _post(client, csrf_token, page, f"{page}/meilensteine", {"meilenstein-titel": ""})
    assert missing.status_code == 422
    assert "Bitte benennen Sie den Meilenstein." in missing.get_data(as_text=True)
    added = _post(
        client,
        csrf_token,
        page,
        f"{page}/meilensteine",
        {"meilenstein-titel": "Konzept fertig", "meilenstein-datum": "2027-02-01"},
    )
    assert added.status_code == 303
    row = db.session.scalar(
        db.select(Meilenstein).where(Meilenstein.massnahme_id == stadt.interne_massnahme.id)
    )
    assert row.titel == "Konzept fertig" and row.erreicht_am is None
    url = f"{page}/meilensteine/{row.id}/erreicht"
    assert _post(client, csrf_token, page, url, {}).status_code == 303
    assert db.session.get(Meilenstein, row.id).erreicht_am is not None
    assert _post(client, csrf_token, page, url, {}).status_code == 409
    other = f"/massnahmen/{stadt.massnahme.id}/meilensteine/{row.id}/entfernen"
    assert _post(client, csrf_token, page, other, {}).status_code == 404
    remove = f"{page}/meilensteine/{row.id}/entfernen"
    assert _post(client, csrf_token, page, remove, {}).status_code == 303
    assert db.session.get(Meilenstein, row.id) is None


def test_consent_to_be_named_is_recorded_per_person(client, login, csrf_token, stadt) -> None:
    login(stadt.stab)
    page = f"/stammdaten/benutzer/{stadt.ohne.id}/bearbeiten"
    response = _post(
        client, csrf_token, page, page, {"name": "Olga Ohne-Zustimmung", "name_oeffentlich": "y"}
    )
    assert response.status_code in (302, 303)
    assert db.session.get(User, stadt.ohne.id).name_oeffentlich
    assert "Olga Ohne-Zustimmung" in client.get(
        f"/oeffentlich/gremien/{stadt.ausschuss.id}"
    ).get_data(as_text=True)


def test_release_and_progress_follow_into_the_next_cycle(make, stadt) -> None:
    from sqlalchemy import select

    from app.impulse.services import carry_over_impulse
    from app.massnahmen.services import carry_over_massnahmen
    from app.workflows.models import Zyklus

    alt = db.session.get(Zyklus, stadt.zyklus.id)
    db.session.get(Impuls, stadt.impuls.id).zyklus_id = alt.id
    neu = make.zyklus(titel="Sozialplanung 2028")
    carry_over_impulse(alt, neu)
    carry_over_massnahmen(alt, neu)
    db.session.commit()
    copy = db.session.scalar(select(Massnahme).where(Massnahme.vorgaenger_id == stadt.massnahme.id))
    assert copy.oeffentlich and copy.fortschritt == 40
    assert [m.titel for m in copy.meilensteine] == ["Räume gefunden", "Eröffnung"]
    assert db.session.scalar(
        select(Impuls).where(Impuls.vorgaenger_id == stadt.impuls.id)
    ).oeffentlich
    interne = db.session.scalar(
        select(Massnahme).where(Massnahme.vorgaenger_id == stadt.interne_massnahme.id)
    )
    assert not interne.oeffentlich


def test_private_persons_cannot_be_named(client, login, csrf_token, stadt) -> None:
    login(stadt.stab)
    page = f"/stammdaten/benutzer/{stadt.privat.id}/bearbeiten"
    response = _post(
        client, csrf_token, page, page, {"name": "Paula Privat", "name_oeffentlich": "y"}
    )
    assert response.status_code == 400  # the account forms answer refusals with 400
    assert "Private Personen nie" in response.get_data(as_text=True)
    assert not db.session.get(User, stadt.privat.id).name_oeffentlich
