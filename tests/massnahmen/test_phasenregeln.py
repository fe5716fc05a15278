"""Phases mean something: Themen, Maßnahmen and Beschlüsse change only in their phase; outside,
the form comes back with the German reason (409) and the input kept; a concluded cycle is
read-only; each Stadtteilarbeitskreis sees its Themen on its Gremium page and in its meetings."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.massnahmen.models import Drittmittel, Massnahme, Meilenstein, Thema
from app.stammdaten.models import Funktion, GremiumTyp
from app.workflows.models import Phase, Zyklus

NICHT_SAMMELN = [p for p in Phase if p != Phase.PLANUNGSRUNDE]


def _phase(runde, phase: Phase) -> None:
    db.session.get(Zyklus, runde.zyklus.id).phase = phase
    db.session.commit()


def _thema_data(runde, titel: str = "Wohnen im Alter") -> dict:
    return {
        "titel": titel,
        "beschreibung": "Barrierefreie Wohnungen",
        "sozialraum_id": str(runde.raum.id),
        "gremien": [str(runde.kreis.id)],
    }


def _post(client, csrf_token, url: str, data: dict, page: str | None = None):
    return client.post(url, data={"csrf_token": csrf_token(client, page or url), **data})


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_themen_are_created_edited_and_deleted_while_collecting(
    client, login, runde, csrf_token
) -> None:
    login(runde.stab)
    neu = f"/massnahmen/zyklus/{runde.zyklus.id}/themen/neu"
    assert _post(client, csrf_token, neu, _thema_data(runde)).status_code == 303
    thema = db.session.scalar(select(Thema))
    seite = client.get(f"/massnahmen/zyklus/{runde.zyklus.id}").get_data(as_text=True)
    assert 'Bearbeiten<span class="visually-hidden">: Wohnen im Alter</span>' in seite
    assert 'Löschen<span class="visually-hidden">: Wohnen im Alter</span>' in seite

    edit = f"/massnahmen/themen/{thema.id}/bearbeiten"
    assert 'value="Wohnen im Alter"' in client.get(edit).get_data(as_text=True)
    response = _post(client, csrf_token, edit, _thema_data(runde, "Wohnen im Quartier"))
    assert response.status_code == 303
    assert db.session.get(Thema, thema.id, populate_existing=True).titel == "Wohnen im Quartier"

    loeschen = f"/massnahmen/themen/{thema.id}/loeschen"
    frage = client.get(loeschen).get_data(as_text=True)
    assert "Thema endgültig löschen" in frage and "SAK Mitte" in frage
    assert _post(client, csrf_token, loeschen, {}).status_code == 303
    assert _count(Thema) == 0


@pytest.mark.parametrize("phase", NICHT_SAMMELN)
def test_themen_outside_collecting_are_refused_in_place(
    client, login, runde, csrf_token, phase
) -> None:
    login(runde.stab)
    thema = Thema(zyklus_id=runde.zyklus.id, titel="Altes Thema")
    db.session.add(thema)
    db.session.commit()
    neu = f"/massnahmen/zyklus/{runde.zyklus.id}/themen/neu"
    edit = f"/massnahmen/themen/{thema.id}/bearbeiten"
    loeschen = f"/massnahmen/themen/{thema.id}/loeschen"
    tokens = {url: csrf_token(client, url) for url in (neu, edit, loeschen)}
    _phase(runde, phase)

    seite = client.get(f"/massnahmen/zyklus/{runde.zyklus.id}").get_data(as_text=True)
    grund = (
        "nur noch gelesen werden"
        if phase == Phase.ABGESCHLOSSEN
        else "Es ist nur in der Phase Planungsrunde möglich, Themen anzulegen, zu ändern oder zu "
        "löschen."
    )
    assert grund in seite

    for url in (neu, edit):
        response = client.post(url, data={"csrf_token": tokens[url], **_thema_data(runde)})
        body = response.get_data(as_text=True)
        assert response.status_code == 409, url
        assert grund in body and 'id="fehlerliste"' in body
        assert 'value="Wohnen im Alter"' in body  # the input is kept
    response = client.post(loeschen, data={"csrf_token": tokens[loeschen]})
    assert response.status_code == 409 and grund in response.get_data(as_text=True)
    assert [t.titel for t in db.session.scalars(select(Thema))] == ["Altes Thema"]


def _massnahme_data(runde, titel: str = "Jugendtreff") -> dict:
    return {
        "titel": titel,
        "art": "neu",
        "sozialraum_id": "",
        "kosten": "1.000",
        "prioritaet": "2",
        "bewertung": "",
    }


@pytest.mark.parametrize("phase", list(Phase))
def test_measures_and_priorities_change_only_while_drafting(
    client, login, runde, csrf_token, make, phase
) -> None:
    login(runde.stab)
    massnahme = make.massnahme(runde.zyklus, "Bestehend", prioritaet=1)
    neu = f"/massnahmen/zyklus/{runde.zyklus.id}/neu"
    edit = f"/massnahmen/{massnahme.id}/bearbeiten"
    tokens = {url: csrf_token(client, url) for url in (neu, edit)}
    _phase(runde, phase)
    created = client.post(neu, data={"csrf_token": tokens[neu], **_massnahme_data(runde)})
    changed = client.post(
        edit, data={"csrf_token": tokens[edit], **_massnahme_data(runde, "Bestehend")}
    )
    if phase == Phase.PLANUNGSRUNDE:
        assert (created.status_code, changed.status_code) == (303, 303)
        assert db.session.get(Massnahme, massnahme.id, populate_existing=True).prioritaet == 2
        return
    for response in (created, changed):
        body = response.get_data(as_text=True)
        assert response.status_code == 409
        assert (
            "nur noch gelesen werden" in body
            if phase == Phase.ABGESCHLOSSEN
            else "Es ist nur in der Phase Planungsrunde möglich, Maßnahmen und Prioritäten zu "
            "ändern." in body
        )
        assert 'value="Jugendtreff"' in body or 'value="Bestehend"' in body
    assert _count(Massnahme) == 1
    assert db.session.get(Massnahme, massnahme.id, populate_existing=True).prioritaet == 1


@pytest.mark.parametrize("phase", list(Phase))
def test_decisions_only_in_their_phases(client, login, runde, csrf_token, make, phase) -> None:
    login(runde.stab)
    massnahme = make.massnahme(runde.zyklus, "Treff")
    url = f"/massnahmen/{massnahme.id}"
    token = csrf_token(client, url)
    _phase(runde, phase)
    response = client.post(
        f"{url}/beschluesse",
        data={
            "csrf_token": token,
            "gremium_id": str(runde.vorstand.id),
            "ergebnis": "zugestimmt",
            "datum": "2027-03-01",
            "drucksache": "SV 51/1",
        },
    )
    if phase in (Phase.VERWALTUNGSVORSTAND, Phase.POLITIK):
        assert response.status_code == 303
        return
    body = response.get_data(as_text=True)
    assert response.status_code == 409 and 'value="SV 51/1"' in body
    assert "Beschlüsse zu erfassen" in body or "nur noch gelesen" in body
    assert not db.session.get(Massnahme, massnahme.id, populate_existing=True).beschluesse


def test_concluded_cycle_is_read_only_for_measures(client, login, runde, csrf_token, make) -> None:
    login(runde.stab)
    massnahme = make.massnahme(runde.zyklus, "Treff")
    url = f"/massnahmen/{massnahme.id}"
    token = csrf_token(client, url)
    _phase(runde, Phase.ABGESCHLOSSEN)
    posts = {
        "drittmittel": {"quelle": "Stiftung", "betrag": "100", "status": "beantragt"},
        "meilensteine": {"meilenstein-titel": "Start", "meilenstein-datum": "2027-05-01"},
        "oeffentlichkeit": {"oeffentlich": "y", "fortschritt": "10"},
    }
    for action, data in posts.items():
        response = client.post(f"{url}/{action}", data={"csrf_token": token, **data})
        body = response.get_data(as_text=True)
        assert response.status_code == 409, action
        assert "ist abgeschlossen und kann nur noch gelesen werden" in body
        assert "<h1>" in body and "Treff" in body  # the measure's page, not a bare error page
    assert _count(Drittmittel) == 0 and _count(Meilenstein) == 0
    assert not db.session.get(Massnahme, massnahme.id, populate_existing=True).oeffentlich


def test_each_kreis_sees_its_themen_on_its_page_and_in_its_meetings(
    client, login, runde, make
) -> None:
    andere = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="SAK Ost")
    mitglied = make.user(name="Marta Mitte")
    make.mitgliedschaft(runde.kreis, mitglied, Funktion.MITGLIED)
    ost = make.user(name="Otto Ost")
    make.mitgliedschaft(andere, ost, Funktion.MODERATION)
    for titel, gremien in (("Wohnen im Alter", [runde.kreis]), ("Radwege Ost", [andere])):
        db.session.add(
            Thema(zyklus_id=runde.zyklus.id, titel=titel, gremien=gremien, beschreibung="Text")
        )
    db.session.commit()
    sitzung = make.sitzung(runde.kreis, titel="SAK Mitte Mai", zyklus_id=runde.zyklus.id)

    login(mitglied)
    for url in (f"/stammdaten/gremien/{runde.kreis.id}", f"/sitzungen/{sitzung.id}"):
        body = client.get(url).get_data(as_text=True)
        assert "Themen der Planungsrunde für diesen Arbeitskreis" in body, url
        assert "Wohnen im Alter" in body and "Radwege Ost" not in body
    assert client.get(f"/stammdaten/gremien/{andere.id}").status_code == 403

    login(ost)
    body = client.get(f"/stammdaten/gremien/{andere.id}").get_data(as_text=True)
    assert "Radwege Ost" in body and "Wohnen im Alter" not in body


def test_a_taken_rank_moves_the_following_measures_down(client, login, runde, make, csrf_token):
    """No two measures share a rank, so the Vorlage never numbers two of them "1."."""
    for titel, rang in (("Erste", 1), ("Zweite", 2), ("Vierte", 4), ("Ohne", None)):
        make.massnahme(runde.zyklus, titel, prioritaet=rang)
    login(runde.stab)
    url = f"/massnahmen/zyklus/{runde.zyklus.id}/neu"
    data = {**_massnahme_data(runde, "Neue Erste"), "prioritaet": "1"}
    assert _post(client, csrf_token, url, data).status_code == 303
    raenge = dict(db.session.execute(select(Massnahme.titel, Massnahme.prioritaet)).all())
    assert raenge == {"Neue Erste": 1, "Erste": 2, "Zweite": 3, "Vierte": 4, "Ohne": None}


def test_vorlage_keeps_large_amounts_with_their_euro_sign(client, login, runde, make) -> None:
    import io
    from decimal import Decimal

    from pypdf import PdfReader

    make.massnahme(
        runde.zyklus,
        "Quartierszentrum mit Familienbüro, Jugendtreff, Seniorencafé und Beratungsangeboten "
        "für alle Generationen im Stadtbereich",
        prioritaet=1,
        kosten=Decimal("12345678.90"),
        haushalt=Decimal("9876543.21"),
    )
    login(runde.stab)
    pdf = client.get(f"/massnahmen/zyklus/{runde.zyklus.id}/vorlage.pdf").data
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert text.count("12.345.678,90 €") >= 2 and "9.876.543,21 €" in text
    assert "\n€" not in text  # the sign never wraps onto a line of its own


def test_measure_page_names_its_collapsed_sections(client, login, runde, make) -> None:
    from tests.support.klappen import assert_named_disclosures

    massnahme = make.massnahme(runde.zyklus, "Treff")
    login(runde.stab)
    assert (
        assert_named_disclosures(client.get(f"/massnahmen/{massnahme.id}").get_data(as_text=True))
        >= 4
    )


def test_themen_sections_do_not_grow_with_the_themen(
    client, login, runde, make, query_counter
) -> None:
    from app.planungsfelder.services import ensure_standard_felder

    felder = ensure_standard_felder()
    mitglied = make.user(name="Marta Mitte")
    make.mitgliedschaft(runde.kreis, mitglied, Funktion.MITGLIED)
    sitzung = make.sitzung(runde.kreis, titel="SAK Mitte Juni", zyklus_id=runde.zyklus.id)

    def add(n: int) -> None:
        for i in range(n):
            db.session.add(
                Thema(
                    zyklus_id=runde.zyklus.id,
                    titel=f"Thema {_count(Thema)}-{i}",
                    sozialraum_id=runde.raum.id,
                    gremien=[runde.kreis],
                    planungsfelder=felder[:2],
                )
            )
        db.session.commit()

    login(mitglied)
    urls = (f"/stammdaten/gremien/{runde.kreis.id}", f"/sitzungen/{sitzung.id}")
    add(1)
    counts = []
    for _ in range(2):
        with query_counter() as statements:
            for url in urls:
                assert client.get(url).status_code == 200
        counts.append(len(statements))
        add(8)
    assert counts[0] == counts[1], counts
