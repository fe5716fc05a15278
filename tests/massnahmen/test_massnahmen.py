"""Maßnahmen with funding and assessment, Beschlüsse, Themen, the Vorlage PDF, access."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.extensions import db
from app.impulse.models import Impuls, ImpulsStatus
from app.massnahmen.models import Beschluss, Massnahme, MassnahmeStatus, Thema
from app.workflows.models import Phase, Zyklus


def _phase(runde, phase: Phase) -> None:
    db.session.get(Zyklus, runde.zyklus.id).phase = phase
    db.session.commit()


def _form(runde, **extra) -> dict:
    data = {
        "titel": "Offener Jugendtreff",
        "beschreibung": "Zwei Abende pro Woche",
        "art": "neu",
        "sozialraum_id": str(runde.raum.id),
        "kosten": "48.000,00",
        "haushalt": "28000",
        "engagement": "Ehrenamtliche Betreuung",
        "bewertung": "",
        "bewertung_begruendung": "",
        "prioritaet": "1",
        "impulse": [str(runde.impuls.id)],
    }
    data.update(extra)
    return data


def _create(client, csrf_token, runde, **extra):
    url = f"/massnahmen/zyklus/{runde.zyklus.id}/neu"
    return client.post(url, data={"csrf_token": csrf_token(client, url), **_form(runde, **extra)})


def test_measure_from_impulse_with_funding(client, login, runde, csrf_token) -> None:
    login(runde.stab)
    prefilled = client.get(f"/massnahmen/zyklus/{runde.zyklus.id}/neu?impuls={runde.impuls.id}")
    assert 'value="Jugendtreff Mitte"' in prefilled.get_data(as_text=True)
    response = _create(client, csrf_token, runde)
    assert response.status_code == 303
    massnahme = db.session.scalar(select(Massnahme))
    assert (massnahme.kosten, massnahme.haushalt, massnahme.prioritaet) == (
        Decimal("48000.00"),
        Decimal("28000.00"),
        1,
    )
    assert [i.id for i in massnahme.impulse] == [runde.impuls.id]
    assert (
        db.session.get(Impuls, runde.impuls.id, populate_existing=True).status
        == ImpulsStatus.AUFGENOMMEN
    )
    url = f"/massnahmen/{massnahme.id}"
    token = csrf_token(client, url)
    added = client.post(
        f"{url}/drittmittel",
        data={
            "csrf_token": token,
            "quelle": "Landesprogramm Jugend",
            "betrag": "20.000,50",
            "status": "beantragt",
        },
    )
    assert added.status_code == 303
    body = client.get(url).get_data(as_text=True)
    assert "Landesprogramm Jugend" in body and "20.000,50 €" in body and "48.000,00 €" in body
    bad = client.post(
        f"{url}/drittmittel",
        data={"csrf_token": token, "quelle": "", "betrag": "viel", "status": "beantragt"},
    )
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Bitte nennen Sie die Drittmittelquelle." in text and "Betrag in Euro" in text


def test_assessment_only_for_existing_offers_with_reason(client, login, runde, csrf_token) -> None:
    login(runde.stab)
    response = _create(client, csrf_token, runde, bewertung="beenden")
    assert response.status_code == 400
    assert "nur für bestehende Angebote" in response.get_data(as_text=True)
    response = _create(client, csrf_token, runde, art="bestehend", bewertung="anpassen")
    assert response.status_code == 400 and "begründen" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Massnahme)) == 0
    assert (
        db.session.get(Impuls, runde.impuls.id, populate_existing=True).status
        == ImpulsStatus.EINGEGANGEN
    )
    ok = _create(
        client,
        csrf_token,
        runde,
        art="bestehend",
        bewertung="anpassen",
        bewertung_begruendung="Nachfrage gestiegen",
    )
    assert ok.status_code == 303


def test_decisions_move_the_measure_and_implementation_the_impulses(
    ctx, client, login, runde, csrf_token, make
) -> None:
    massnahme = make.massnahme(runde.zyklus, "Treff")
    login(runde.stab)
    url = f"/massnahmen/{massnahme.id}"
    token = csrf_token(client, url)

    def decide(gremium, ergebnis, **extra):
        return client.post(
            f"{url}/beschluesse",
            data={
                "csrf_token": token,
                "gremium_id": str(gremium.id),
                "ergebnis": ergebnis,
                "datum": "2027-03-01",
                "drucksache": "",
                "bemerkung": "",
                **extra,
            },
        )

    assert client.post(f"{url}/umgesetzt", data={"csrf_token": token}).status_code == 409
    outside = decide(runde.vorstand, "zugestimmt")
    assert outside.status_code == 409
    assert "nur in den Phasen Verwaltungsvorstand und Politik möglich, Beschlüsse zu erfassen" in (
        outside.get_data(as_text=True)
    )
    assert 'id="fehlerliste"' in outside.get_data(as_text=True)
    _phase(runde, Phase.VERWALTUNGSVORSTAND)
    assert decide(runde.vorstand, "zugestimmt").status_code == 303
    assert db.session.get(Massnahme, massnahme.id).status == MassnahmeStatus.BESCHLOSSEN
    assert decide(runde.ausschuss, "vertagt").status_code == 303
    assert (
        db.session.get(Massnahme, massnahme.id, populate_existing=True).status
        == MassnahmeStatus.GEPLANT
    )
    assert decide(runde.ausschuss, "zugestimmt", drucksache="SV 51/123").status_code == 303
    assert (
        db.session.get(Massnahme, massnahme.id, populate_existing=True).status
        == MassnahmeStatus.BESCHLOSSEN
    )
    assert "SV 51/123" in client.get(url).get_data(as_text=True)
    wrong = decide(runde.kreis, "zugestimmt")
    assert (
        wrong.status_code == 422
        and "Bitte wählen Sie einen Eintrag aus der Liste." in wrong.get_data(as_text=True)
    )
    bad_date = decide(runde.vorstand, "zugestimmt", datum="31.02.2027")
    assert bad_date.status_code == 422 and "gültiges Datum" in bad_date.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Beschluss)) == 3
    massnahme_db = db.session.get(Massnahme, massnahme.id)
    from app.massnahmen.services import link_impulse

    link_impulse(massnahme_db, [runde.impuls.id], runde.stab)
    db.session.commit()
    assert client.post(f"{url}/umgesetzt", data={"csrf_token": token}).status_code == 303
    assert (
        db.session.get(Impuls, runde.impuls.id, populate_existing=True).status
        == ImpulsStatus.UMGESETZT
    )


def test_refusal_ends_the_measure(ctx, make, runde) -> None:
    from datetime import date

    from app.massnahmen.models import Ergebnis
    from app.massnahmen.services import MassnahmeError, record_beschluss

    massnahme = make.massnahme(runde.zyklus)
    _phase(runde, Phase.POLITIK)
    record_beschluss(massnahme, runde.vorstand, Ergebnis.ABGELEHNT, date(2027, 1, 1), runde.stab)
    assert massnahme.status == MassnahmeStatus.ABGELEHNT
    with pytest.raises(MassnahmeError, match="Fachausschüsse"):
        record_beschluss(massnahme, runde.kreis, Ergebnis.ZUGESTIMMT, date(2027, 1, 1), None)


def test_topics_assigned_to_kreise(client, login, runde, csrf_token) -> None:
    login(runde.stab)
    url = f"/massnahmen/zyklus/{runde.zyklus.id}/themen/neu"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "titel": "Angebote für Jugendliche",
            "beschreibung": "",
            "sozialraum_id": "",
            "gremien": [str(runde.kreis.id)],
        },
    )
    assert response.status_code == 303
    thema = db.session.scalar(select(Thema))
    assert [g.id for g in thema.gremien] == [runde.kreis.id]
    body = client.get(f"/massnahmen/zyklus/{runde.zyklus.id}").get_data(as_text=True)
    assert "Angebote für Jugendliche" in body and "SAK Mitte" in body
    wrong = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "titel": "x",
            "gremien": [str(runde.vorstand.id)],
        },
    )
    assert wrong.status_code == 422 and "Ungültige Auswahl" in wrong.get_data(as_text=True)


def test_vorlage_pdf_lists_prioritised_measures(client, login, runde, make, query_counter) -> None:
    from app.massnahmen.models import Drittmittel, DrittmittelStatus

    zweite = make.massnahme(
        runde.zyklus,
        "Spielplatz sanieren",
        impulse=[runde.zweiter],
        prioritaet=2,
        kosten=Decimal("15000"),
    )
    erste = make.massnahme(
        runde.zyklus,
        "Jugendtreff eröffnen",
        impulse=[runde.impuls],
        prioritaet=1,
        kosten=Decimal("48000"),
        haushalt=Decimal("28000"),
    )
    erste.drittmittel = [
        Drittmittel(
            quelle="Landesprogramm", betrag=Decimal("20000"), status=DrittmittelStatus.BEWILLIGT
        )
    ]
    db.session.commit()
    login(runde.planer)
    response = client.get(f"/massnahmen/zyklus/{runde.zyklus.id}/vorlage.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "Vorlage für den Verwaltungsvorstand" in text
    assert text.index("1. Jugendtreff eröffnen") < text.index("2. Spielplatz sanieren")
    assert "Jugendtreff Mitte" in text and "Landesprogramm" in text
    assert "48.000,00 €" in text and "63.000,00 €" in text  # total cost
    assert zweite.id and erste.id
    with query_counter() as few:
        client.get(f"/massnahmen/zyklus/{runde.zyklus.id}")
    for i in range(5):
        make.massnahme(runde.zyklus, f"Weitere {i}", impulse=[runde.zweiter])
    with query_counter() as more:
        client.get(f"/massnahmen/zyklus/{runde.zyklus.id}")
    assert len(more) == len(few)


def test_access(app, client, login, runde, make, csrf_token) -> None:
    massnahme = make.massnahme(runde.zyklus)
    traeger = login(runde.traeger, app.test_client())
    for url in (
        "/massnahmen/",
        f"/massnahmen/zyklus/{runde.zyklus.id}",
        f"/massnahmen/{massnahme.id}",
        f"/massnahmen/zyklus/{runde.zyklus.id}/vorlage.pdf",
    ):
        assert traeger.get(url).status_code == 403
    planer = login(runde.planer, app.test_client())
    assert planer.get(f"/massnahmen/{massnahme.id}").status_code == 200
    assert planer.get(f"/massnahmen/zyklus/{runde.zyklus.id}/neu").status_code == 403
    token = csrf_token(planer, f"/massnahmen/{massnahme.id}")
    assert (
        planer.post(
            f"/massnahmen/{massnahme.id}/beschluesse", data={"csrf_token": token}
        ).status_code
        == 403
    )
    assert planer.get("/massnahmen/999999").status_code == 404


def test_zyklus_page_counts_sums_and_cached_content_per_right(
    app, client, login, runde, make, query_counter
) -> None:
    """Impulses and funding per row come from SQL; the cached content differs by right and
    follows a write."""
    from app.massnahmen.models import Drittmittel

    erste = make.massnahme(
        runde.zyklus, "Jugendtreff eröffnen", impulse=[runde.impuls, runde.zweiter], prioritaet=1
    )
    erste.drittmittel = [
        Drittmittel(quelle="Land", betrag=Decimal("20000")),
        Drittmittel(quelle="Stiftung", betrag=None),
        Drittmittel(quelle="Bund", betrag=Decimal("1500.50")),
    ]
    make.massnahme(runde.zyklus, "Spielplatz sanieren", kosten=Decimal("15000"))
    db.session.commit()
    url = f"/massnahmen/zyklus/{runde.zyklus.id}"
    login(runde.stab)
    with query_counter(zwischenspeicher=True):
        client.get(url)
    with query_counter(zwischenspeicher=True) as cached:
        body = client.get(url).get_data(as_text=True)
    with query_counter() as uncached:
        frisch = client.get(url).get_data(as_text=True)
    assert (
        frisch.split("<main", 1)[1].split("</main>")[0]
        == body.split("<main", 1)[1].split("</main>")[0]
    )
    assert len(cached) < len(uncached), (cached, uncached)
    zeile = body.split("Jugendtreff eröffnen", 1)[1].split("</tr>", 1)[0]
    assert "21.500,50 €" in zeile and "<td>2</td>" in zeile
    assert "15.000,00 €" in body.split("<tfoot>", 1)[1]  # sum of the cost over all
    assert "Neue Maßnahme" in body
    planer = login(runde.planer, app.test_client())
    with query_counter(zwischenspeicher=True):
        planer_body = planer.get(url).get_data(as_text=True)
    assert "Jugendtreff eröffnen" in planer_body and "Neue Maßnahme" not in planer_body
    make.massnahme(runde.zyklus, "Familienzentrum")
    db.session.commit()
    with query_counter(zwischenspeicher=True):
        assert "Familienzentrum" in client.get(url).get_data(as_text=True)
