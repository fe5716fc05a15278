"""Attendance list of a meeting: print page and XLSX from the replies, for organisers only."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from app.core.dateinamen import namensteil
from app.extensions import db
from app.sitzungen.models import Antwort, Einladung, SitzungStatus
from app.stammdaten.models import Funktion, GremiumTyp

FORMEL = '=HYPERLINK("http://boese.example","klick")'
# Thursday 13 March 2031, 18:00–20:30 in Hilden (CET)
BEGINN = datetime(2031, 3, 13, 17, 0, tzinfo=UTC)
ENDE = datetime(2031, 3, 13, 19, 30, tzinfo=UTC)


@pytest.fixture
def treffen(make) -> SimpleNamespace:
    """A Stadtteilarbeitskreis meeting with every kind of reply, a guest and a hostile name."""
    w = SimpleNamespace()
    w.stab = make.stabsstelle(name="Stefanie Stab")
    w.traeger = make.organisation("Ökumenische Hilfe Süd")
    w.amt = make.organisation("Jugendamt")
    w.gremium = make.gremium(GremiumTyp.STADTTEILARBEITSKREIS, name="Arbeitskreis Süd-Ost")
    w.vorsitz = make.user(name="Viktor Vorsitz", organisation=w.amt)
    w.moderation = make.user(name="Zora Zeller", organisation=w.traeger)
    w.aenne = make.user(name="Änne Ahrens")
    w.bernd = make.user(name="Bernd Berg", organisation=w.traeger)
    w.carla = make.user(name="Carla Chor")
    w.mitglied = make.user(name="Otto Offen")
    make.mitgliedschaft(w.gremium, w.vorsitz, Funktion.VORSITZ)
    make.mitgliedschaft(w.gremium, w.moderation, Funktion.MODERATION)
    make.mitgliedschaft(w.gremium, w.aenne, organisation_id=w.amt.id)  # acts for the Jugendamt
    make.mitgliedschaft(w.gremium, w.bernd)
    make.mitgliedschaft(w.gremium, w.carla)
    make.mitgliedschaft(w.gremium, w.mitglied)
    w.traeger_user = make.traeger_user(name="Tina Träger")
    w.aussen = make.user(name="Anton Außen")
    w.sitzung = make.sitzung(
        w.gremium,
        titel="Frühjahrstreffen „Süd-Ost“",
        beginn=BEGINN,
        ende=ENDE,
        ort_raum="Raum 3",
        status=SitzungStatus.EINGELADEN,
    )
    make.einladung(w.sitzung, w.moderation, antwort=Antwort.ZUSAGE)
    make.einladung(w.sitzung, w.aenne, antwort=Antwort.ZUSAGE)
    make.einladung(w.sitzung, w.vorsitz, antwort=Antwort.ABSAGE)
    make.einladung(
        w.sitzung, w.bernd, antwort=Antwort.VERTRETUNG, vertretung_name="Vera Vertretung"
    )
    make.einladung(w.sitzung, w.mitglied)
    make.einladung(w.sitzung, w.carla, antwort=Antwort.ABSAGE)
    make.einladung(w.sitzung, None, name=FORMEL, antwort=Antwort.ZUSAGE)
    return w


def _rows(html: str) -> list[str]:
    """The text of each body row of the attendance table."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in rows]


def test_print_page_lists_replies_confirmed_first(client, login, treffen) -> None:
    login(treffen.moderation)
    response = client.get(f"/sitzungen/{treffen.sitzung.id}/anwesenheitsliste")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Anwesenheitsliste: Frühjahrstreffen „Süd-Ost“</h1>" in html
    assert "Arbeitskreis Süd-Ost" in html
    assert "Donnerstag, 13.03.2031, 18:00–20:30 Uhr" in html
    assert "Rathaus Hilden, Raum 3" in html
    assert "3 Zusagen, 2 Absagen, 1 Vertretung, 1 ohne Rückmeldung" in html
    rows = _rows(html)
    assert rows[:7] == [
        "=HYPERLINK(&#34;http://boese.example&#34;,&#34;klick&#34;) (Gast) – Gast Zusage",
        "Änne Ahrens Jugendamt Mitglied Zusage",
        "Zora Zeller Ökumenische Hilfe Süd Moderation Zusage",
        "Bernd Berg Ökumenische Hilfe Süd Mitglied Vertretung: Vera Vertretung",
        "Otto Offen – Mitglied keine Rückmeldung",
        "Carla Chor – Mitglied Absage",
        "Viktor Vorsitz Jugendamt Vorsitz Absage",
    ]
    assert rows[7:] == ["Freie Zeile"] * 5  # blank rows for walk-ins
    assert html.count('<th scope="col"') == 5 and ">Unterschrift</th>" in html


def test_counts_use_singular_and_plural(client, login, make, treffen) -> None:
    sitzung = make.sitzung(treffen.gremium, status=SitzungStatus.EINGELADEN)
    make.einladung(sitzung, treffen.aenne, antwort=Antwort.ZUSAGE)
    make.einladung(sitzung, treffen.carla, antwort=Antwort.ABSAGE)
    login(treffen.stab)
    html = client.get(f"/sitzungen/{sitzung.id}/anwesenheitsliste").get_data(as_text=True)
    assert "1 Zusage, 1 Absage, 0 Vertretungen, 0 ohne Rückmeldung" in html


def test_xlsx_has_the_same_rows_real_dates_and_no_formulas(client, login, treffen) -> None:
    login(treffen.vorsitz)
    response = client.get(f"/sitzungen/{treffen.sitzung.id}/anwesenheitsliste.xlsx")
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="anwesenheitsliste-arbeitskreis-sued-ost-2031-03-13.xlsx"'
    )
    data = response.data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert not re.search(r"<f[\s>]", sheet_xml)  # no formula anywhere
    assert '<is><t>=HYPERLINK("http://boese.example"' in sheet_xml  # stored as text
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Anwesenheitsliste"]
    sheet = book.active
    assert sheet["A1"].value == "Anwesenheitsliste: Frühjahrstreffen „Süd-Ost“"
    assert [sheet["A2"].value, sheet["B2"].value] == ["Gremium", "Arbeitskreis Süd-Ost"]
    assert sheet["B3"].value == datetime(2031, 3, 13, 18, 0)  # a real date, Hilden time
    assert sheet["B3"].is_date and sheet["B3"].number_format == "DD.MM.YYYY HH:MM"
    assert sheet["B4"].value == datetime(2031, 3, 13, 20, 30)
    assert sheet["B6"].value == "3 Zusagen, 2 Absagen, 1 Vertretung, 1 ohne Rückmeldung"
    header = [c.value for c in sheet[8]]
    assert header == ["Name", "Organisation", "Funktion im Gremium", "Rückmeldung", "Unterschrift"]
    assert sheet.freeze_panes == "A9"
    assert sheet.column_dimensions["A"].width == 30 and sheet.column_dimensions["E"].width == 32
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=9)]
    assert rows == [
        [FORMEL, None, "Gast", "Zusage", None],
        ["Änne Ahrens", "Jugendamt", "Mitglied", "Zusage", None],
        ["Zora Zeller", "Ökumenische Hilfe Süd", "Moderation", "Zusage", None],
        ["Bernd Berg", "Ökumenische Hilfe Süd", "Mitglied", "Vertretung: Vera Vertretung", None],
        ["Otto Offen", None, "Mitglied", "keine Rückmeldung", None],
        ["Carla Chor", None, "Mitglied", "Absage", None],
        ["Viktor Vorsitz", "Jugendamt", "Vorsitz", "Absage", None],
    ]
    assert sheet["A9"].data_type == "s"


@pytest.mark.parametrize(
    ("wer", "status"),
    [
        ("stab", 200),
        ("vorsitz", 200),
        ("moderation", 200),
        ("mitglied", 403),
        ("traeger_user", 403),
        ("aussen", 403),
    ],
)
def test_only_organisers_get_the_list(client, login, treffen, wer, status) -> None:
    login(getattr(treffen, wer))
    base = f"/sitzungen/{treffen.sitzung.id}"
    assert client.get(f"{base}/anwesenheitsliste").status_code == status
    assert client.get(f"{base}/anwesenheitsliste.xlsx").status_code == status
    page = client.get(base)
    links = "Anwesenheitsliste drucken" in page.get_data(as_text=True)
    assert links == (status == 200) or page.status_code == 403


def test_unknown_meetings_and_visitors(client, login, treffen) -> None:
    for suffix in ("anwesenheitsliste", "anwesenheitsliste.xlsx"):
        response = client.get(f"/sitzungen/{treffen.sitzung.id}/{suffix}")
        assert response.status_code == 302 and "/anmelden" in response.headers["Location"]
    login(treffen.stab)
    for sitzung_id in ("999999", "12345678901234567890"):
        for suffix in ("anwesenheitsliste", "anwesenheitsliste.xlsx"):
            assert client.get(f"/sitzungen/{sitzung_id}/{suffix}").status_code == 404


def test_links_on_the_meeting_page(client, login, treffen) -> None:
    login(treffen.stab)
    html = client.get(f"/sitzungen/{treffen.sitzung.id}").get_data(as_text=True)
    assert f'href="/sitzungen/{treffen.sitzung.id}/anwesenheitsliste"' in html
    assert f'href="/sitzungen/{treffen.sitzung.id}/anwesenheitsliste.xlsx"' in html
    assert "Anwesenheitsliste als Excel (XLSX)" in html


def _invite_many(sitzung, start: int, stop: int, organisation_id: int) -> None:
    """Invitations of accounts with organisations and memberships, all kinds of replies."""
    from tests import factories

    for i in range(start, stop):
        person = factories.user(name=f"Person {i:03d}")
        person.organisation_id = organisation_id
        factories.mitgliedschaft(sitzung.gremium, person)
        antwort = list(Antwort)[i % 4]
        db.session.add(
            Einladung(
                sitzung_id=sitzung.id,
                user_id=person.id,
                email=person.email,
                name=person.name,
                antwort=antwort,
                vertretung_name="V" if antwort == Antwort.VERTRETUNG else None,
            )
        )
    db.session.commit()


def _count(client, query_counter, url: str) -> int:
    db.session.close()  # an empty identity map, as in a real request
    with query_counter() as statements:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(statements)


def test_query_count_does_not_grow_with_invitations(
    client, login, make, query_counter, treffen
) -> None:
    sitzung = make.sitzung(treffen.gremium, status=SitzungStatus.EINGELADEN)
    _invite_many(sitzung, 0, 3, treffen.traeger.id)
    urls = [
        f"/sitzungen/{sitzung.id}/anwesenheitsliste",
        f"/sitzungen/{sitzung.id}/anwesenheitsliste.xlsx",
    ]
    login(treffen.vorsitz)  # an organiser through a membership (permission look-up included)
    for url in urls:
        client.get(url)  # warm-up (templates, login session)
    wenige = [_count(client, query_counter, url) for url in urls]
    _invite_many(sitzung, 3, 30, treffen.traeger.id)
    viele = [_count(client, query_counter, url) for url in urls]
    assert wenige == viele
    assert viele[0] <= 8  # login session, meeting, permission, one query for all rows
    html = client.get(urls[0]).get_data(as_text=True)
    assert html.count("Ökumenische Hilfe Süd") == 30


def test_file_name_part() -> None:
    assert namensteil("Arbeitskreis Süd-Ost") == "arbeitskreis-sued-ost"
    assert namensteil("  Große Runde / Ämter  ") == "grosse-runde-aemter"
    assert namensteil("«»", ersatz="gremium") == "gremium"
    assert len(namensteil("x" * 200)) == 60
