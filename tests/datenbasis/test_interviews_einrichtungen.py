"""Interview summaries (warning on personal data, tags) and Einrichtungen (import, counts)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.datenbasis.models import Einrichtung, EinrichtungTyp, Interview
from app.datenbasis.services import personal_data_hints
from app.extensions import db

NEW = "/datenbasis/interviews/neu"


def _save(client, csrf_token, text: str, **extra):
    data = {
        "csrf_token": csrf_token(client, NEW),
        "titel": "Gespräch Kita",
        "sozialraum_id": "0",
        "zusammenfassung": text,
        "schlagworte": "Kita, Familien, kita",
        **extra,
    }
    return client.post(NEW, data=data)


def test_warning_fires_for_email_and_phone_and_nothing_is_saved(
    client, csrf_token, login, stab
) -> None:
    login(stab)
    response = _save(
        client, csrf_token, "Rückfragen an erika.muster@example.org oder 02103 / 72-1506."
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "möglicherweise personenbezogene Daten" in body
    assert "E-Mail-Adresse" in body and "Telefonnummer" in body
    assert "Rückfragen an erika.muster@example.org" in body  # the form keeps the text
    assert db.session.scalar(select(func.count(Interview.id))) == 0


def test_confirmed_text_is_saved_with_tags(client, csrf_token, login, stab) -> None:
    login(stab)
    response = _save(
        client,
        csrf_token,
        "Beratungsstelle erreichbar unter 02103 721506.",
        keine_personendaten="y",
    )
    assert response.status_code == 303
    interview = db.session.scalar(select(Interview))
    assert [s.name for s in interview.schlagworte] == ["Familien", "Kita"]
    listing = client.get("/datenbasis/interviews?schlagwort=kita").get_data(as_text=True)
    assert "Gespräch Kita" in listing


def test_plain_text_is_saved_without_warning(client, csrf_token, login, stab) -> None:
    login(stab)
    assert (
        _save(
            client, csrf_token, "Zwischen 2019 und 2024 stieg die Nachfrage um 12,5 %."
        ).status_code
        == 303
    )


def test_personal_data_hints() -> None:
    assert personal_data_hints("Mail: a.b@c.de") == [
        "Der Text scheint eine E-Mail-Adresse zu enthalten."
    ]
    assert personal_data_hints("Tel. +49 2103 721506") == [
        "Der Text scheint eine Telefonnummer zu enthalten."
    ]
    assert personal_data_hints("0171-1234567") == [
        "Der Text scheint eine Telefonnummer zu enthalten."
    ]
    assert personal_data_hints("Die Jahre 2019 2020 2021 und 1.234 Kinder, Quote 0,5") == []


def test_only_stabsstelle_records_interviews(client, login, make, mitglied) -> None:
    login(mitglied)
    assert client.get("/datenbasis/interviews").status_code == 200
    assert client.get(NEW).status_code == 403


def test_einrichtungen_import_links_traeger_and_counts(
    client, login, make, stab, raeume, upload, jobs, confirm
) -> None:
    awo = make.organisation("Arbeiterwohlfahrt Test", kurzname="AWO-T")
    login(stab)
    content = "\n".join(
        [
            "name;typ;strasse;plz;sozialraum;betreiber",
            "Kita Sonne;Kita;Weg 1;40721;Bereich A;AWO-T",
            "Kita Mond;kita;Weg 2;40721;Bereich A;Elterninitiative",
            "Treff;Begegnungsraum;Platz 1;40721;2;-",
        ]
    ).encode()
    response = upload("einrichtungen", content, "einrichtungen.csv")
    assert confirm(jobs.check(response)).status_code == 303
    rows = {e.name: e for e in db.session.scalars(select(Einrichtung))}
    assert (
        rows["Kita Sonne"].traeger_id == awo.id
        and rows["Kita Mond"].betreiber == "Elterninitiative"
    )
    assert (
        rows["Treff"].typ == EinrichtungTyp.BEGEGNUNGSRAUM
        and rows["Treff"].sozialraum_id == raeume[1].id
        and rows["Treff"].betreiber == ""  # "-": the statistical sign for "nothing"
    )
    page = client.get("/datenbasis/einrichtungen").get_data(as_text=True)
    assert (
        '<tr><th scope="row">Bereich A</th>'
        '<td class="zahl">2</td><td class="zahl">0</td><td class="zahl">2</td></tr>' in page
    )


def test_einrichtungen_import_with_a_bad_row_imports_nothing(
    client, login, make, stab, raeume, upload, jobs
) -> None:
    login(stab)
    content = b"name;typ;sozialraum\nKita Sonne;Kita;Bereich A\nPraxis;Zahnarzt;Bereich A\n"
    response = upload("einrichtungen", content, "einrichtungen.csv")
    jobs.check(response)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<td>3</td><td>typ</td><td>Unbekannter Typ „Zahnarzt“" in page
    assert db.session.scalar(select(func.count(Einrichtung.id))) == 0


def test_einrichtung_form(client, csrf_token, login, make, stab, raeume) -> None:
    traeger = make.organisation()
    login(stab)
    url = "/datenbasis/einrichtungen/neu"
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "name": "Beratung",
            "typ": "beratungsstelle",
            "strasse": "Weg 3",
            "plz": "40721",
            "ort": "Hilden",
            "sozialraum_id": raeume[2].id,
            "traeger_id": traeger.id,
            "betreiber": "x",
        },
    )
    assert response.status_code == 303
    saved = db.session.scalar(select(Einrichtung))
    assert (saved.traeger_id, saved.betreiber, saved.sozialraum_id) == (
        traeger.id,
        "",
        raeume[2].id,
    )
    missing = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "typ": "kita", "sozialraum_id": raeume[0].id},
    )
    assert missing.status_code == 422 and "Bitte füllen Sie dieses Feld aus." in missing.get_data(
        as_text=True
    )
