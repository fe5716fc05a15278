"""Wirkungsziele: baseline from the Datenbasis, development and status after imports, the
review in the Planungsrunde, the Datenbasis overview, the Sozialreport chapter, access."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.datenbasis.models import Richtung
from app.extensions import db
from app.massnahmen import wirkung
from app.massnahmen.models import Massnahme, MassnahmeArt, Wirkungsziel
from app.massnahmen.wirkung import ZielStatus
from tests.datenbasis.conftest import confirm, jobs, upload  # noqa: F401 (fixtures)

HEADER = "indikator;sozialraum;jahr;wert\n"


@pytest.fixture
def quote(make, runde):
    return make.indikator("Kinderarmutsquote W", richtung=Richtung.HOEHER_SCHLECHTER)


@pytest.fixture
def bestehend(make, runde):
    return make.massnahme(
        runde.zyklus,
        "Familienzentrum Mitte",
        art=MassnahmeArt.BESTEHEND,
        sozialraum_id=runde.raum.id,
        prioritaet=1,
    )


def _import(post, runner, press, *rows: str) -> None:
    datei_id = runner.check(post("indikatorwerte", (HEADER + "\n".join(rows) + "\n").encode()))
    press(datei_id)


def _add(client, csrf_token, massnahme, indikator, raum_id, basis, ziel, zieljahr):
    url = f"/massnahmen/{massnahme.id}"
    return client.post(
        f"{url}/wirkungsziele",
        data={
            "csrf_token": csrf_token(client, url),
            "ziel-indikator_id": str(indikator.id),
            "ziel-sozialraum_id": str(raum_id or ""),
            "ziel-basis_jahr": str(basis),
            "ziel-ziel_wert": ziel,
            "ziel-ziel_jahr": str(zieljahr),
            "ziel-pruefen_am": "2026-03-31",
        },
    )


def test_two_imported_years_show_development_and_status(
    client,
    login,
    runde,
    quote,
    bestehend,
    csrf_token,
    upload,  # noqa: F811
    jobs,  # noqa: F811
    confirm,  # noqa: F811
) -> None:
    login(runde.stab)
    raum = runde.raum.name
    _import(
        upload, jobs, confirm, f"{quote.name};{raum};2023;20,0", f"{quote.name};{raum};2024;18,5"
    )
    response = _add(client, csrf_token, bestehend, quote, runde.raum.id, 2023, "18,0", 2025)
    assert response.status_code == 303, response.get_data(as_text=True)
    ziel = db.session.scalar(select(Wirkungsziel))
    assert (ziel.basis_jahr, ziel.basis_wert) == (2023, 20.0)  # baseline read from the Datenbasis

    page = client.get(f"/massnahmen/{bestehend.id}").get_data(as_text=True)
    # 2024 is halfway: the path expects 19,0; 18,5 is lower, and lower is the goal
    assert "auf Kurs" in page and "nicht auf Kurs" not in page
    assert "18,5 % (2024); Zielpfad erwartet 19 %" in page
    assert "Für das Zieljahr 2025 liegt noch kein Wert vor." in page
    assert 'role="img"' in page and "Entwicklung und Zielpfad bis 2025" in page
    assert '<th scope="row">Zielpfad</th>' in page  # the data table beside the chart

    # a new year's values arrive: the target year misses the target
    _import(upload, jobs, confirm, f"{quote.name};{raum};2025;19,5")
    page = client.get(f"/massnahmen/{bestehend.id}").get_data(as_text=True)
    assert "nicht auf Kurs" in page and "19,5 % (2025)" in page
    assert "Für das Zieljahr 2025 liegt noch kein Wert vor." not in page

    # the review of existing offers in the Planungsrunde shows the figures beside the measure
    liste = client.get(f"/massnahmen/zyklus/{runde.zyklus.id}").get_data(as_text=True)
    assert "Kinderarmutsquote W (Stadtbereich Mitte)" in liste and "nicht auf Kurs" in liste
    vorlage = client.get(f"/massnahmen/zyklus/{runde.zyklus.id}/vorlage.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(vorlage.data)).pages)
    assert "Kinderarmutsquote W (Stadtbereich Mitte): Basis 20 % (2023), Ziel 18 % (2025)" in text
    assert "zuletzt 19,5 % (2025) – nicht auf Kurs" in text
    formular = client.get(f"/massnahmen/{bestehend.id}/bearbeiten").get_data(as_text=True)
    assert "Wirkungsziele als Grundlage der Bewertung" in formular and "nicht auf Kurs" in formular
    # the cycle is at its data / in the Planungsrunde: the Datenbasis overview shows it too
    uebersicht = client.get("/datenbasis/").get_data(as_text=True)
    assert "Wirkung der Maßnahmen" in uebersicht and "Familienzentrum Mitte" in uebersicht


def test_no_value_after_the_baseline_says_keine_daten(
    client, login, make, runde, quote, bestehend, csrf_token
) -> None:
    make.indikatorwert(quote, None, 2024, 15.0)  # city total, only the baseline year
    login(runde.stab)
    assert _add(client, csrf_token, bestehend, quote, None, 2024, "14", 2027).status_code == 303
    page = client.get(f"/massnahmen/{bestehend.id}").get_data(as_text=True)
    assert "keine Daten" in page and "auf Kurs" not in page
    assert "Seit dem Basisjahr 2024 liegen keine Werte vor." in page
    assert "Für das Zieljahr 2027 liegt noch kein Wert vor." in page
    assert "Kinderarmutsquote W, Gesamtstadt" in page


def test_missing_baseline_or_wrong_years_are_refused_and_nothing_stored(
    client, login, make, runde, quote, bestehend, csrf_token
) -> None:
    make.indikatorwert(quote, runde.raum, 2023, 20.0)
    login(runde.stab)
    no_base = _add(client, csrf_token, bestehend, quote, runde.raum.id, 2022, "18", 2025)
    assert no_base.status_code == 422
    assert "im Basisjahr 2022 für dieses Gebiet kein Wert" in no_base.get_data(as_text=True)
    order = _add(client, csrf_token, bestehend, quote, runde.raum.id, 2023, "18", 2023)
    assert order.status_code == 422
    assert "Das Zieljahr muss nach dem Basisjahr liegen." in order.get_data(as_text=True)
    english = _add(client, csrf_token, bestehend, quote, runde.raum.id, 2023, "1,234.5", 2025)
    assert english.status_code == 422 and "keine Zahl" in english.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Wirkungsziel)) == 0


def test_only_the_stabsstelle_sets_targets_and_ids_must_match(
    client, login, make, runde, quote, bestehend, csrf_token
) -> None:
    make.indikatorwert(quote, runde.raum, 2023, 20.0)
    login(runde.planer)
    assert (
        _add(client, csrf_token, bestehend, quote, runde.raum.id, 2023, "18", 2025).status_code
        == 403
    )
    login(runde.stab)
    assert (
        _add(client, csrf_token, bestehend, quote, runde.raum.id, 2023, "18", 2025).status_code
        == 303
    )
    ziel = db.session.scalar(select(Wirkungsziel))
    other = make.massnahme(runde.zyklus, "Andere")
    url = f"/massnahmen/{other.id}"
    wrong = client.post(
        f"{url}/wirkungsziele/{ziel.id}/entfernen", data={"csrf_token": csrf_token(client, url)}
    )
    assert wrong.status_code == 404
    login(runde.traeger)
    assert client.get(f"/massnahmen/{bestehend.id}").status_code == 403
    login(runde.stab)
    url = f"/massnahmen/{bestehend.id}"
    gone = client.post(
        f"{url}/wirkungsziele/{ziel.id}/entfernen", data={"csrf_token": csrf_token(client, url)}
    )
    assert gone.status_code == 303
    assert db.session.scalar(select(func.count()).select_from(Wirkungsziel)) == 0


def _ziel(indikator, basis: float, ziel: float, basis_jahr=2020, ziel_jahr=2024) -> Wirkungsziel:
    z = Wirkungsziel(basis_jahr=basis_jahr, basis_wert=basis, ziel_jahr=ziel_jahr, ziel_wert=ziel)
    z.indikator = indikator
    return z


@pytest.mark.parametrize(
    ("basis", "ziel", "werte", "status", "erwartet"),
    [
        (10.0, 20.0, {2022: 15.0}, ZielStatus.AUF_KURS, 15.0),  # up, exactly on the path
        (10.0, 20.0, {2022: 14.9}, ZielStatus.NICHT_AUF_KURS, 15.0),
        (20.0, 10.0, {2021: 17.0, 2022: 16.0}, ZielStatus.NICHT_AUF_KURS, 15.0),  # latest counts
        (20.0, 10.0, {2024: 10.0, 2026: 30.0}, ZielStatus.AUF_KURS, 10.0),  # the target year
        (20.0, 10.0, {2019: 5.0, 2020: 20.0}, ZielStatus.KEINE_DATEN, None),  # nothing after
    ],
)
def test_status_against_the_straight_path(make, basis, ziel, werte, status, erwartet) -> None:
    z = _ziel(make.indikator(richtung=Richtung.NEUTRAL), basis, ziel)
    stand = wirkung.bewerten(z, werte, set())
    assert stand.status == status
    assert (
        stand.erwartet == pytest.approx(erwartet)
        if erwartet is not None
        else stand.erwartet is None
    )


def test_holding_a_level_uses_the_indicators_direction(make) -> None:
    schlecht = _ziel(make.indikator(richtung=Richtung.HOEHER_SCHLECHTER), 10.0, 10.0)
    gut = _ziel(make.indikator(richtung=Richtung.HOEHER_BESSER), 10.0, 10.0)
    assert wirkung.bewerten(schlecht, {2022: 9.0}, set()).status == ZielStatus.AUF_KURS
    assert wirkung.bewerten(gut, {2022: 9.0}, set()).status == ZielStatus.NICHT_AUF_KURS


def test_targets_move_with_the_measure_into_the_next_cycle(
    ctx, make, runde, quote, bestehend
) -> None:
    from app.massnahmen.services import carry_over_massnahmen

    make.indikatorwert(quote, runde.raum, 2023, 20.0)
    wirkung.add_wirkungsziel(bestehend, quote.id, runde.raum.id, 2023, 18.0, 2025, date(2026, 3, 1))
    neu = make.zyklus([], titel="Folgezyklus")
    assert carry_over_massnahmen(runde.zyklus, neu) == ["1 offene Maßnahme übernommen"]
    kopie = db.session.scalar(select(Massnahme).where(Massnahme.zyklus_id == neu.id))
    assert [(z.indikator_id, z.basis_wert, z.ziel_wert) for z in kopie.wirkungsziele] == [
        (quote.id, 20.0, 18.0)
    ]


def test_sozialreport_chapter_wirkung_der_massnahmen(
    app, client, login, make, runde, quote, bestehend, csrf_token
) -> None:
    from app.datenbasis.services import create_report

    make.indikatorwert(quote, runde.raum, 2023, 20.0)
    make.indikatorwert(quote, runde.raum, 2024, 18.5)
    wirkung.add_wirkungsziel(bestehend, quote.id, runde.raum.id, 2023, 18.0, 2025, date(2026, 3, 1))
    report = create_report(runde.zyklus.id, "Sozialreport W", "")
    db.session.commit()
    login(runde.stab)
    url = f"/datenbasis/sozialreports/{report.id}/kapitel/neu"
    form = client.get(url).get_data(as_text=True)
    assert "Wirkung der Maßnahmen" in form
    saved = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "titel": "Wirkung",
            "art": "wirkung",
            "text": "",
        },
    )
    assert saved.status_code == 303
    page = client.get(f"/datenbasis/sozialreports/{report.id}").get_data(as_text=True)
    assert "Familienzentrum Mitte" in page and "auf Kurs" in page
    assert "Entwicklung und Zielpfad bis 2025" in page
    pdf = client.get(f"/datenbasis/sozialreports/{report.id}/entwurf.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    from app.datenbasis.erweiterungen import kapitel_inhalte

    kapitel = db.session.get(type(report), report.id).kapitel
    with app.test_request_context():
        public = kapitel_inhalte(kapitel, oeffentlich=True)  # measure not released: not shown
        assert "Familienzentrum Mitte" not in public[kapitel[0].id]
        db.session.get(Massnahme, bestehend.id).oeffentlich = True
        public = kapitel_inhalte(kapitel, oeffentlich=True)
        assert "Familienzentrum Mitte" in public[kapitel[0].id]
    bad = client.post(
        url, data={"csrf_token": csrf_token(client, url), "titel": "X", "art": "gibtsnicht"}
    )
    assert bad.status_code == 422


def test_due_review_is_a_task_of_the_stabsstelle(
    client, login, make, runde, quote, bestehend
) -> None:
    from datetime import timedelta

    from app.massnahmen.wirkung_aufgaben import heute

    make.indikatorwert(quote, runde.raum, 2023, 20.0)
    bald = wirkung.add_wirkungsziel(
        bestehend, quote.id, runde.raum.id, 2023, 18.0, 2025, heute() + timedelta(days=3)
    )
    spaeter = make.massnahme(runde.zyklus, "Spätere Prüfung", sozialraum_id=runde.raum.id)
    wirkung.add_wirkungsziel(
        spaeter, quote.id, runde.raum.id, 2023, 18.0, 2025, heute() + timedelta(days=60)
    )
    db.session.commit()
    login(runde.stab)
    start = client.get("/start").get_data(as_text=True)
    assert "Wirkungsziel überprüfen: Kinderarmutsquote W (Stadtbereich Mitte)" in start
    assert "„Familienzentrum Mitte“" in start and "„Spätere Prüfung“" not in start
    assert f"Überprüfung am {bald.pruefen_am:%d.%m.%Y}" in start
    login(runde.planer)
    assert "Wirkungsziel überprüfen" not in client.get("/start").get_data(as_text=True)


def test_pages_with_targets_need_no_query_per_target(
    client, login, make, runde, quote, bestehend, query_counter
) -> None:
    make.indikatorwert(quote, runde.raum, 2023, 20.0)
    make.indikatorwert(quote, runde.raum, 2024, 19.0)
    make.indikatorwert(quote, None, 2023, 15.0)

    def ziel(massnahme, raum_id) -> None:
        wirkung.add_wirkungsziel(massnahme, quote.id, raum_id, 2023, 18.0, 2025, date(2026, 1, 1))
        db.session.commit()

    ziel(bestehend, runde.raum.id)
    login(runde.stab)
    urls = (f"/massnahmen/{bestehend.id}", f"/massnahmen/zyklus/{runde.zyklus.id}", "/datenbasis/")
    few = {}
    for url in urls:
        with query_counter() as counted:
            assert client.get(url).status_code == 200
        few[url] = len(counted)
    ziel(bestehend, None)
    for i in range(3):
        ziel(make.massnahme(runde.zyklus, f"Weitere {i}", sozialraum_id=runde.raum.id), None)
    for url in urls:
        with query_counter() as counted:
            assert client.get(url).status_code == 200
        assert len(counted) == few[url], url
