"""Stabsstelle side: status, results and charts, release, export, reopening, impulses."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.beteiligung.models import RueckmeldungAntwort, RueckmeldungStatus, antwort_impuls
from app.extensions import db
from app.impulse.models import Impuls, ImpulsQuelle, ImpulsStatus
from app.mail.models import Mail
from tests.beteiligung.conftest import clean_antworten, fragen_ids
from tests.support.zwischenspeicher import aus_dem_zwischenspeicher


def _viele(make, welt, count: int):
    orgs = [make.organisation() for _ in range(count)]
    users = [make.traeger_user(organisation=o) for o in orgs]
    bogen = make.rueckmeldebogen("Viele", organisationen=orgs, veroeffentlicht=True)
    return bogen, users


def test_status_page_shows_each_organisation_with_dates(
    client, login, welt, bogen, einreichen
) -> None:
    einreichen(bogen, welt.anna)
    login(welt.stab)
    body = client.get(f"/beteiligung/{bogen.id}/status").get_data(as_text=True)
    assert "AWO Test" in body and "Diakonie Test" in body
    assert "eingereicht" in body and "offen" in body
    assert "(Anna Awo)" in body


def test_status_page_query_count_does_not_grow(
    client, login, make, welt, query_counter, einreichen
) -> None:
    counts = []
    login(welt.stab)
    for size in (3, 12):
        bogen, users = _viele(make, welt, size)
        for i, user in enumerate(users[: size // 2]):
            einreichen(bogen, user, i)
        with query_counter() as statements:
            assert client.get(f"/beteiligung/{bogen.id}/status").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 8


def test_status_table_is_reused_until_an_answer_changes(
    client, login, welt, bogen, einreichen, query_counter
) -> None:
    login(welt.stab)
    url = f"/beteiligung/{bogen.id}/status"
    body = aus_dem_zwischenspeicher(query_counter, client, url)
    assert "(Anna Awo)" not in body
    einreichen(bogen, welt.anna)
    with query_counter(zwischenspeicher=True):
        body = client.get(url).get_data(as_text=True)
    assert "(Anna Awo)" in body and "eingereicht: <strong>1</strong>" in body


def test_results_page_query_count_does_not_grow(
    client, login, make, welt, query_counter, einreichen
) -> None:
    counts = []
    login(welt.stab)
    for size in (3, 12):
        bogen, users = _viele(make, welt, size)
        for i, user in enumerate(users):
            einreichen(bogen, user, i)
        with query_counter() as statements:
            assert client.get(f"/beteiligung/{bogen.id}/ergebnisse").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 10


def test_results_show_charts_tables_text_and_matrix(client, login, welt, bogen, einreichen) -> None:
    einreichen(bogen, welt.anna, 0)
    einreichen(bogen, welt.david, 1)
    login(welt.stab)
    body = client.get(f"/beteiligung/{bogen.id}/ergebnisse").get_data(as_text=True)
    assert body.count('role="img"') == 4  # single, multiple choice, scale, yes/no
    assert "<title id=" in body and "Datentabelle zu „Wichtigstes Handlungsfeld“" in body
    assert "Langer Text 0" in body and "Langer Text 1" in body
    assert "Antworten je Stadtbereich zu „Bedarf je Stadtbereich“" in body
    assert "Mittelwert" in body and "10,5" in body
    assert "2 von 2 adressierten Organisationen haben eingereicht." in body
    from tests.beteiligung.test_linktexte import unique_link_names

    assert unique_link_names(body) == {}  # each "Als Impuls übernehmen" names org and question


def test_results_hidden_from_planungsrunde_until_released(
    app, client, login, welt, bogen, einreichen, csrf_token
) -> None:
    einreichen(bogen, welt.anna)
    planer = login(welt.planer, app.test_client())
    assert planer.get(f"/beteiligung/{bogen.id}/ergebnisse").status_code == 403
    assert "Ergebnisse „" not in planer.get("/start").get_data(as_text=True)
    login(welt.stab)
    token = csrf_token(client, f"/beteiligung/{bogen.id}/ergebnisse")
    assert (
        client.post(f"/beteiligung/{bogen.id}/freigeben", data={"csrf_token": token}).status_code
        == 303
    )
    response = planer.get(f"/beteiligung/{bogen.id}/ergebnisse")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Langer Text 0" in body
    assert "AWO Test" not in body  # the Planungsrunde sees results, not who said what
    assert f"Ergebnisse „{bogen.titel}“ ansehen" in planer.get("/start").get_data(as_text=True)
    # a Träger never sees the overall results, released or not
    assert (
        login(welt.david, app.test_client()).get(f"/beteiligung/{bogen.id}/ergebnisse").status_code
        == 403
    )


def test_xlsx_export_holds_every_answer(client, login, welt, bogen, einreichen) -> None:
    einreichen(bogen, welt.anna, 0)
    einreichen(bogen, welt.david, 1)
    login(welt.stab)
    response = client.get(f"/beteiligung/{bogen.id}/export.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.data))
    rows = list(book["Rückmeldungen"].iter_rows(values_only=True))
    header, data = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(data) == {"AWO Test", "Diakonie Test"}
    for org, user, n in (("AWO Test", welt.anna, 0), ("Diakonie Test", welt.david, 1)):
        row = data[org]
        assert row["Status"] == "eingereicht" and row["Eingereicht von"] == user.name
        values = set(row.values())
        expected = clean_antworten(bogen, welt, n)
        ids = fragen_ids(bogen)
        assert expected[ids["kurztext"]] in values and expected[ids["langtext"]] in values
        assert expected[ids["einfachauswahl"]] in values and expected[ids["skala"]] in values
        assert (
            expected[ids["zahl"]] in values
            and ", ".join(expected[ids["mehrfachauswahl"]]) in values
        )
        assert ("Ja" if n % 2 == 0 else "Nein") in values
        matrix = [h for h in header if h and "Bedarf je Stadtbereich" in h]
        assert [row[h] for h in matrix] == [
            expected[ids["matrix"]][welt.nord.id],
            expected[ids["matrix"]][welt.sued.id],
        ]
    assert "Fragen" in book.sheetnames


def test_export_never_turns_text_into_formula(client, login, make, welt, einreichen) -> None:
    bogen = make.rueckmeldebogen(
        organisationen=[welt.awo],
        veroeffentlicht=True,
        fragen=[{"typ": "kurztext", "text": "Kommentar"}],
    )
    from app.beteiligung import services

    with client.application.test_request_context():
        rm = services.rueckmeldung_for(bogen.id, welt.awo.id, lock=True)
        services.save_rueckmeldung(
            rm, {bogen.fragen[0].id: '=HYPERLINK("http://x")'}, welt.anna, 0, einreichen=True
        )
        db.session.commit()
    login(welt.stab)
    book = load_workbook(io.BytesIO(client.get(f"/beteiligung/{bogen.id}/export.xlsx").data))
    cell = book["Rückmeldungen"].cell(row=2, column=5)
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"
    text = client.get(f"/beteiligung/{bogen.id}/export.csv").data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][4] == '\'=HYPERLINK("http://x")'


def test_reopen_needs_reason_keeps_history_and_tells_the_organisation(
    client, login, make, welt, bogen, einreichen, csrf_token
) -> None:
    rm = einreichen(bogen, welt.anna)
    login(welt.stab)
    url = f"/beteiligung/rueckmeldungen/{rm.id}"
    token = csrf_token(client, url)
    client.post(f"{url}/wiedereroeffnen", data={"csrf_token": token, "grund": ""})
    assert make.rueckmeldung(bogen, welt.awo).status == RueckmeldungStatus.EINGEREICHT
    response = client.post(
        f"{url}/wiedereroeffnen", data={"csrf_token": token, "grund": "Zahl der Plätze fehlt."}
    )
    assert response.status_code == 303
    reopened = db.session.get(type(rm), rm.id, populate_existing=True)
    assert reopened.status == RueckmeldungStatus.ENTWURF
    assert [(e.art.value, e.grund) for e in reopened.ereignisse] == [
        ("eingereicht", None),
        ("wiedereroeffnet", "Zahl der Plätze fehlt."),
    ]
    notices = db.session.scalars(
        select(Mail).where(Mail.kind == "rueckmeldung.wiedereroeffnet")
    ).all()
    assert {m.recipient for m in notices} == {welt.anna.email, welt.arne.email}
    assert all("Zahl der Plätze fehlt." in m.body_text for m in notices)
    body = client.get(url).get_data(as_text=True)
    assert (
        "Zahl der Plätze fehlt." in body and "Person 0" in body
    )  # snapshot of the first submission
    assert reopened.ereignisse[0].antworten


def test_answer_becomes_impuls(client, login, welt, bogen, einreichen, csrf_token) -> None:
    rm = einreichen(bogen, welt.anna)
    ids = fragen_ids(bogen)
    antwort = db.session.scalars(
        select(RueckmeldungAntwort).where(
            RueckmeldungAntwort.rueckmeldung_id == rm.id,
            RueckmeldungAntwort.frage_id == ids["matrix"],
            RueckmeldungAntwort.sozialraum_id == welt.sued.id,
        )
    ).one()
    login(welt.stab)
    url = f"/beteiligung/antworten/{antwort.id}/impuls"
    form = client.get(url).get_data(as_text=True)
    assert "AWO: Bedarf je Stadtbereich" in form
    token = csrf_token(client, url)
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "titel": "Bedarf im Süden",
            "beschreibung": "siehe AWO",
            "sozialraum_id": str(welt.sued.id),
            "adressiert_an": "planungsrunde",
        },
    )
    assert response.status_code == 303
    impuls = db.session.scalars(select(Impuls)).one()
    linked = db.session.scalar(
        select(antwort_impuls.c.antwort_id).where(antwort_impuls.c.impuls_id == impuls.id)
    )
    assert (impuls.quelle, impuls.status, linked, impuls.sozialraum_id) == (
        ImpulsQuelle.TRAEGER,
        ImpulsStatus.EINGEGANGEN,
        antwort.id,
        welt.sued.id,
    )
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bedarf im Süden" in detail and "Stadtbereich Süd" in detail and "AWO Test" in detail


def test_traeger_cannot_create_impulses_or_reopen(
    client, login, welt, bogen, einreichen, csrf_token
) -> None:
    rm = einreichen(bogen, welt.anna)
    antwort_id = rm.antworten[0].id
    login(welt.anna)
    assert client.get(f"/beteiligung/antworten/{antwort_id}/impuls").status_code == 403
    token = csrf_token(client, "/beteiligung/offen")
    response = client.post(
        f"/beteiligung/rueckmeldungen/{rm.id}/wiedereroeffnen",
        data={"csrf_token": token, "grund": "bitte"},
    )
    assert response.status_code == 403


def test_a_double_click_makes_one_impuls_from_an_answer(client, login, welt, bogen, einreichen):
    """The same form sent twice (double click, reload) creates one impulse; the second
    answers with the first's page."""
    from tests.core.test_submissions import tokens

    rm = einreichen(bogen, welt.anna)
    antwort = db.session.scalars(
        select(RueckmeldungAntwort).where(RueckmeldungAntwort.rueckmeldung_id == rm.id)
    ).first()
    login(welt.stab)
    url = f"/beteiligung/antworten/{antwort.id}/impuls"
    csrf, once = tokens(client.get(url).get_data(as_text=True))
    data = {
        "csrf_token": csrf,
        "formular_token": once,
        "titel": "Einmal genügt",
        "sozialraum_id": str(welt.sued.id),
        "adressiert_an": "planungsrunde",
    }
    first = client.post(url, data=data)
    second = client.post(url, data=data)
    assert first.status_code == 303 and second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    titles = db.session.scalars(select(Impuls.titel).where(Impuls.titel == "Einmal genügt"))
    assert titles.all() == ["Einmal genügt"]
