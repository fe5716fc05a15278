"""The minutes template: a DOCX with the meeting's data, for those who write or approve minutes."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from docx import Document
from sqlalchemy import select

from app.audit.models import Aktion, AuditEintrag
from app.extensions import db
from app.sitzungen.models import Antwort, Einladung, Sitzung, SitzungStatus
from app.stammdaten.models import Funktion

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Tuesday 7 October 2031, 17:30–19:45 in Hilden (CEST)
BEGINN = datetime(2031, 10, 7, 15, 30, tzinfo=UTC)


@pytest.fixture
def treffen(make, welt):
    """An upcoming meeting of SAK Nord with agenda, replies, a later and a cancelled one."""
    traeger = make.organisation("Bürgerhaus Nord")
    welt.moderator.organisation_id = traeger.id
    gast = make.user(name="Gisela Groß")
    ulf = make.user(name="Ulf Übel")
    make.mitgliedschaft(welt.nord, ulf)
    sitzung = make.sitzung(
        welt.nord,
        titel="Herbsttreffen Nord – Übergänge",
        beginn=BEGINN,
        ende=BEGINN + timedelta(hours=2, minutes=15),
        ort_raum="Saal Ü",
        status=SitzungStatus.EINGELADEN,
    )
    make.top(sitzung, "Verschiedenes", position=3, beschreibung="Termine\n\nHinweise")
    make.top(sitzung, "Begrüßung", position=1)
    make.top(sitzung, "Übergang Kita–Grundschule", position=2, beschreibung="Bericht\x0cder AG")
    make.einladung(sitzung, welt.moderator, antwort=Antwort.ZUSAGE)
    make.einladung(sitzung, gast, gast=True, antwort=Antwort.ZUSAGE)
    make.einladung(sitzung, welt.vorsitz, antwort=Antwort.ABSAGE)
    make.einladung(sitzung, welt.mitglied, antwort=Antwort.VERTRETUNG, vertretung_name="Jörg Jäger")
    make.einladung(sitzung, ulf)
    make.sitzung(
        welt.nord, beginn=BEGINN + timedelta(days=14), status=SitzungStatus.ABGESAGT
    )  # cancelled: not the next one
    make.sitzung(
        welt.nord, beginn=BEGINN + timedelta(days=28), ort_name="Bürgerhaus", titel="Später"
    )
    welt.treffen = sitzung
    return welt


def _docx(client, sitzung_id: int):
    response = client.get(f"/protokolle/sitzung/{sitzung_id}/protokollvorlage.docx")
    assert response.status_code == 200
    return response


def test_template_holds_the_meeting_attendees_and_agenda(client, login, treffen) -> None:
    login(treffen.moderator)
    response = _docx(client, treffen.treffen.id)
    assert response.mimetype == DOCX_TYPE
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="protokollvorlage-sak-nord-2031-10-07.docx"'
    )
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert archive.testzip() is None
        assert "word/document.xml" in archive.namelist()
        assert 'w:val="de-DE"' in archive.read("word/styles.xml").decode()
    doc = Document(io.BytesIO(response.data))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    texts = [text for _, text in paragraphs]
    assert paragraphs[0] == ("Title", "Protokoll: Herbsttreffen Nord – Übergänge")
    assert texts[1:5] == [
        "Gremium: SAK Nord",
        "Datum: Dienstag, 07.10.2031",
        "Zeit: 17:30–19:45 Uhr",
        "Ort: Rathaus Hilden, Saal Ü",
    ]
    start = texts.index("Anwesend")
    assert texts[start : start + 9] == [
        "Anwesend",
        "Gisela Groß (Gast)",
        "Mona Moderation (Bürgerhaus Nord)",
        "Jörg Jäger in Vertretung für Mia Mitglied",
        "Entschuldigt",
        "Viktor Vorsitz",
        "Ohne Rückmeldung (bitte zuordnen)",
        "Ulf Übel",
        "Protokoll: ______________________________",
    ]
    assert paragraphs[start + 1][0] == "List Bullet"
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert headings == [
        "TOP 1: Begrüßung",
        "TOP 2: Übergang Kita–Grundschule",
        "TOP 3: Verschiedenes",
    ]
    top2 = texts.index("TOP 2: Übergang Kita–Grundschule")
    assert texts[top2 + 1 : top2 + 6] == [
        "Bericht der AG",  # a form feed cannot be stored in the document
        "Ergebnis:",
        "",
        "Vereinbarungen / Aufgaben:",
        "",
    ]
    top3 = texts.index("TOP 3: Verschiedenes")
    assert texts[top3 + 1 : top3 + 3] == ["Termine", "Hinweise"]
    assert texts[-1] == "Nächste Sitzung: Dienstag, 04.11.2031, 16:30–18:30 Uhr, Bürgerhaus"
    assert doc.core_properties.title == "Protokoll: Herbsttreffen Nord – Übergänge"
    assert doc.core_properties.language == "de-DE"
    export = db.session.scalar(
        select(AuditEintrag).where(
            AuditEintrag.aktion == Aktion.EXPORT,
            AuditEintrag.objekt_label == "protokollvorlage-sak-nord-2031-10-07.docx",
        )
    )
    assert export is not None and export.hinweis.startswith("Protokollvorlage:")


def test_template_without_replies_agenda_or_next_meeting(client, login, make, welt) -> None:
    sitzung = make.sitzung(welt.sued, titel="Leere Runde", online_link="https://konferenz.example")
    login(welt.stab)
    texts = [p.text for p in Document(io.BytesIO(_docx(client, sitzung.id).data)).paragraphs]
    assert "Online: https://konferenz.example" in texts
    anwesend = texts.index("Anwesend")
    assert texts[anwesend : anwesend + 5] == [
        "Anwesend",
        "(bitte ergänzen)",
        "Entschuldigt",
        "niemand",
        "Protokoll: ______________________________",
    ]
    assert not any(t.startswith("TOP ") for t in texts)
    assert texts[-1] == "Nächste Sitzung: ______________________________"


@pytest.mark.parametrize(
    ("wer", "status"),
    [
        ("stab", 200),
        ("moderator", 200),
        ("vorsitz", 200),
        ("mitglied", 403),
        ("sued_moderator", 403),
        ("aussen", 403),
    ],
)
def test_only_writers_and_approvers_download(client, login, treffen, wer, status) -> None:
    login(getattr(treffen, wer))
    url = f"/protokolle/sitzung/{treffen.treffen.id}/protokollvorlage.docx"
    assert client.get(url).status_code == status
    page = client.get(f"/sitzungen/{treffen.treffen.id}").get_data(as_text=True)
    assert ("Protokollvorlage herunterladen (DOCX)" in page) == (status == 200)


def test_traeger_visitors_and_unknown_meetings(client, login, make, treffen) -> None:
    url = f"/protokolle/sitzung/{treffen.treffen.id}/protokollvorlage.docx"
    response = client.get(url)
    assert response.status_code == 302 and "/anmelden" in response.headers["Location"]
    login(make.traeger_user())
    assert client.get(url).status_code == 403
    login(treffen.stab)
    for sitzung_id in ("999999", "12345678901234567890"):
        assert (
            client.get(f"/protokolle/sitzung/{sitzung_id}/protokollvorlage.docx").status_code == 404
        )


def test_offered_before_the_meeting_and_on_the_minutes_page(client, login, treffen) -> None:
    login(treffen.moderator)
    link = f'href="/protokolle/sitzung/{treffen.treffen.id}/protokollvorlage.docx"'
    assert link in client.get(f"/sitzungen/{treffen.treffen.id}").get_data(as_text=True)
    # a held meeting: no longer on the meeting page, still on the minutes page
    gehalten = db.session.get(Sitzung, treffen.sitzung.id)
    gehalten.status = SitzungStatus.DURCHGEFUEHRT
    db.session.commit()
    link = f'href="/protokolle/sitzung/{gehalten.id}/protokollvorlage.docx"'
    assert link not in client.get(f"/sitzungen/{gehalten.id}").get_data(as_text=True)
    assert link in client.get(f"/protokolle/sitzung/{gehalten.id}").get_data(as_text=True)
    login(treffen.vorsitz)
    assert link in client.get(f"/protokolle/sitzung/{gehalten.id}").get_data(as_text=True)


def test_members_reading_approved_minutes_see_no_template_link(
    client, login, make, treffen
) -> None:
    make.protokoll(treffen.sitzung, freigegeben=True)
    login(treffen.mitglied)
    page = client.get(f"/protokolle/sitzung/{treffen.sitzung.id}")
    assert page.status_code == 200
    assert "protokollvorlage.docx" not in page.get_data(as_text=True)


def _invite(sitzung, start: int, stop: int) -> None:
    for i in range(start, stop):
        antwort = list(Antwort)[i % 4]
        db.session.add(
            Einladung(
                sitzung_id=sitzung.id,
                email=f"p{i}@viele.example",
                name=f"Person {i:03d}",
                gast=True,
                antwort=antwort,
                vertretung_name="V" if antwort == Antwort.VERTRETUNG else None,
            )
        )
    db.session.commit()


def test_query_count_does_not_grow_with_invitations(
    client, login, make, query_counter, welt
) -> None:
    sitzung = make.sitzung(welt.nord)
    make.top(sitzung, "Begrüßung")
    _invite(sitzung, 0, 3)
    url = f"/protokolle/sitzung/{sitzung.id}/protokollvorlage.docx"
    login(welt.moderator)
    client.get(url)  # warm-up

    def count() -> int:
        db.session.close()
        with query_counter() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    wenige = count()
    _invite(sitzung, 3, 30)
    assert count() == wenige
    texts = [p.text for p in Document(io.BytesIO(client.get(url).data)).paragraphs]
    assert "Person 029 (Gast)" in texts


def test_membership_function_shows_in_the_template_rows(client, login, make, welt) -> None:
    """Organisation of the membership wins over the account's (acting for another office)."""
    amt = make.organisation("Sozialamt")
    person = make.user(name="Paula Pohl", organisation=make.organisation("Privat"))
    make.mitgliedschaft(welt.nord, person, Funktion.MITGLIED, organisation_id=amt.id)
    sitzung = make.sitzung(welt.nord)
    make.einladung(sitzung, person, antwort=Antwort.ZUSAGE)
    login(welt.stab)
    texts = [p.text for p in Document(io.BytesIO(_docx(client, sitzung.id).data)).paragraphs]
    assert "Paula Pohl (Sozialamt)" in texts
