"""Sozialreport: charts of imported numbers, comments, publication tied to the cycle."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.datenbasis.models import Diagramm, Kapitel, Kommentar, ReportStatus, Sozialreport
from app.extensions import db
from app.workflows.guards import evaluate_transition
from app.workflows.machine import find_uebergang
from app.workflows.models import Phase, Zyklus
from tests.support.zwischenspeicher import aus_dem_zwischenspeicher


def _post(client, csrf_token, form_url: str, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf_token(client, form_url), **data})


def _import(jobs, confirm, upload, content: str) -> None:
    response = upload("indikatorwerte", content.encode())
    assert confirm(jobs.check(response)).status_code == 303


def _report_with_chapter(client, csrf_token, make) -> tuple[int, str]:
    zyklus = make.report_zyklus()
    response = _post(
        client,
        csrf_token,
        "/datenbasis/sozialreports/neu",
        "/datenbasis/sozialreports/neu",
        {"zyklus_id": zyklus.id, "titel": "Sozialreport 2026", "einleitung": "Kurz **vorab**."},
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    report_id = int(response.headers["Location"].rsplit("/", 1)[1])
    new_chapter = f"/datenbasis/sozialreports/{report_id}/kapitel/neu"
    response = _post(
        client,
        csrf_token,
        new_chapter,
        new_chapter,
        {"titel": "Armut", "text": "# Befund\n\nDie Quote *sinkt*. <script>alert(1)</script>"},
    )
    assert response.status_code == 303
    return report_id, response.headers["Location"]


def _add_chart(
    client, csrf_token, chapter_url: str, indikator_id: int, art: str, jahr: str = ""
) -> None:
    response = _post(
        client,
        csrf_token,
        chapter_url,
        f"{chapter_url}/diagramme",
        {"diagramm-indikator_id": indikator_id, "diagramm-art": art, "diagramm-jahr": jahr},
    )
    assert response.status_code == 303, response.get_data(as_text=True)


def test_charts_hold_the_imported_numbers(
    client, csrf_token, login, make, stab, raeume, upload, jobs, confirm
) -> None:
    ind = make.indikator("SGB-II-Quote")
    login(stab)
    _import(
        jobs,
        confirm,
        upload,
        "\n".join(
            [
                "indikator;sozialraum;jahr;wert",
                "SGB-II-Quote;Bereich A;2022;8,25",
                "SGB-II-Quote;Bereich A;2023;7,5",
                "SGB-II-Quote;Bereich B;2022;12,4",
                "SGB-II-Quote;Bereich B;2023;11,75",
                "SGB-II-Quote;Gesamtstadt;2022;10,1",
                "SGB-II-Quote;Gesamtstadt;2023;9,6",
            ]
        ),
    )
    report_id, chapter_url = _report_with_chapter(client, csrf_token, make)
    _add_chart(client, csrf_token, chapter_url, ind.id, "zeitreihe")
    _add_chart(client, csrf_token, chapter_url, ind.id, "vergleich", "2023")
    body = client.get(f"/datenbasis/sozialreports/{report_id}").get_data(as_text=True)
    svgs = re.findall(r"<svg.*?</svg>", body, flags=re.S)
    assert len(svgs) == 2
    assert all('role="img"' in s and "<title id=" in s and "<desc id=" in s for s in svgs)
    for value in (
        "7,5 %",
        "11,75 %",
        "9,6 %",
    ):  # the comparison labels its bars with the 2023 values
        assert value in svgs[1]
    assert ">2022</text>" in svgs[0] and ">Bereich B</text>" in svgs[0]
    tables = re.findall(
        r"<table class=\"kern-table tabelle datengrafik__tabelle\">.*?</table>", body, flags=re.S
    )
    assert (
        '<th scope="row">Bereich A</th><td class="zahl">8,25</td><td class="zahl">7,5</td>'
        in tables[0]
    )
    assert '<th scope="row">Gesamtstadt</th><td class="zahl">9,6</td>' in tables[1]
    assert "<h3>Befund</h3>" in body and "<em>sinkt</em>" in body and "<script>alert" not in body


def _comment(client, csrf_token, report: Sozialreport, text: str = "Bitte Vorjahr ergänzen."):
    kapitel = report.kapitel[0]
    url = f"/datenbasis/sozialreports/{report.id}"
    token = csrf_token(client, url if client.get(url).status_code == 200 else "/start")
    return client.post(
        f"{url}/kapitel/{kapitel.id}/kommentare",
        data={"csrf_token": token, f"k{kapitel.id}-text": text},
    )


def test_planungsrunde_member_comments_per_chapter(
    client, csrf_token, login, make, mitglied
) -> None:
    report = make.sozialreport(status="planungsrunde")
    login(mitglied)
    response = _comment(client, csrf_token, report)
    assert response.status_code == 303
    kommentar = db.session.scalar(select(Kommentar))
    assert (kommentar.user_id, kommentar.kapitel_id, kommentar.text) == (
        mitglied.id,
        report.kapitel[0].id,
        "Bitte Vorjahr ergänzen.",
    )
    assert "Bitte Vorjahr ergänzen." in client.get(
        f"/datenbasis/sozialreports/{report.id}"
    ).get_data(as_text=True)


def test_empty_comment_is_refused_in_german(client, csrf_token, login, make, mitglied) -> None:
    report = make.sozialreport(status="planungsrunde")
    login(mitglied)
    response = _comment(client, csrf_token, report, text="  ")
    assert response.status_code == 422
    assert "Bitte schreiben Sie einen Kommentar." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Kommentar.id))) == 0


def test_traeger_user_cannot_see_drafts_or_comment(client, csrf_token, login, make) -> None:
    entwurf = make.sozialreport()
    beratung = make.sozialreport(zyklus=entwurf.zyklus, status="planungsrunde")
    login(make.traeger_user())
    assert client.get(f"/datenbasis/sozialreports/{entwurf.id}").status_code == 404
    assert client.get(f"/datenbasis/sozialreports/{beratung.id}").status_code == 404
    assert client.get("/datenbasis/sozialreports").status_code == 403
    assert _comment(client, csrf_token, beratung).status_code in (403, 404)
    assert client.get("/datenbasis/").status_code == 403
    assert client.get("/datenbasis/import/indikatorwerte").status_code == 403
    assert db.session.scalar(select(func.count(Kommentar.id))) == 0


def test_member_sees_no_drafts_and_cannot_edit_or_import(
    client, csrf_token, login, make, mitglied
) -> None:
    entwurf = make.sozialreport()
    beratung = make.sozialreport(zyklus=entwurf.zyklus, status="planungsrunde")
    login(mitglied)
    assert client.get(f"/datenbasis/sozialreports/{entwurf.id}").status_code == 404
    listing = client.get("/datenbasis/sozialreports").get_data(as_text=True)
    assert beratung.titel in listing and entwurf.titel not in listing
    assert client.get(f"/datenbasis/sozialreports/{beratung.id}/kapitel/neu").status_code == 403
    assert client.get("/datenbasis/import/indikatorwerte").status_code == 403
    assert client.get("/datenbasis/indikatoren/neu").status_code == 403
    token = csrf_token(client, f"/datenbasis/sozialreports/{beratung.id}")
    response = client.post(
        f"/datenbasis/sozialreports/{beratung.id}/status/veroeffentlichen",
        data={"csrf_token": token},
    )
    assert response.status_code == 403
    assert db.session.get(Sozialreport, beratung.id).status == ReportStatus.PLANUNGSRUNDE


def test_member_cannot_comment_on_a_draft_or_published_report(
    client, csrf_token, login, make, mitglied
) -> None:
    veroeffentlicht = make.sozialreport(status="veroeffentlicht")
    login(mitglied)
    assert _comment(client, csrf_token, veroeffentlicht).status_code == 403


def test_anonymous_sees_only_published_reports(client, make) -> None:
    entwurf = make.sozialreport(titel="Geheimer Entwurf")
    beratung = make.sozialreport(titel="In Beratung", status="planungsrunde")
    veroeffentlicht = make.sozialreport(titel="Sozialreport 2025", status="veroeffentlicht")
    listing = client.get("/sozialreport/").get_data(as_text=True)
    assert (
        "Sozialreport 2025" in listing
        and "Geheimer Entwurf" not in listing
        and "In Beratung" not in listing
    )
    assert client.get(f"/sozialreport/{veroeffentlicht.id}").status_code == 200
    for hidden in (entwurf, beratung):
        assert client.get(f"/sozialreport/{hidden.id}").status_code == 404
        assert client.get(f"/sozialreport/{hidden.id}.pdf").status_code == 404
        assert (
            client.get(f"/datenbasis/sozialreports/{hidden.id}").status_code == 302
        )  # to the login


def test_published_report_as_pdf(client, make, raeume) -> None:
    ind = make.indikator("Quote")
    make.indikatorwert(ind, raeume[0], 2024, 3.5)
    report = make.sozialreport(status="veroeffentlicht")
    db.session.add(Diagramm(kapitel_id=report.kapitel[0].id, indikator_id=ind.id, art="vergleich"))
    db.session.commit()
    response = client.get(f"/sozialreport/{report.id}.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.data.startswith(b"%PDF")


def _status(client, csrf_token, report_id: int, ziel: str):
    url = f"/datenbasis/sozialreports/{report_id}"
    return client.post(f"{url}/status/{ziel}", data={"csrf_token": csrf_token(client, url)})


def test_publication_waits_until_the_cycle_passed_the_planungsrunde(
    client, csrf_token, login, make, stab
) -> None:
    zyklus = make.report_zyklus(phase="datenbasis")
    report = make.sozialreport(zyklus=zyklus)
    login(stab)
    assert _status(client, csrf_token, report.id, "planungsrunde").status_code == 303
    db.session.get(Zyklus, zyklus.id).phase = Phase.PLANUNGSRUNDE
    db.session.commit()
    page = client.get(f"/datenbasis/sozialreports/{report.id}").get_data(as_text=True)
    assert 'disabled aria-describedby="veroeffentlichen-grund"' in page
    assert "sobald der Planungszyklus die Phase Planungsrunde abgeschlossen hat" in page
    refused = _status(client, csrf_token, report.id, "veroeffentlichen")
    assert refused.status_code == 409
    body = refused.get_data(as_text=True)
    assert "noch nicht abgeschlossen" in body
    assert f"<h1>{report.titel}</h1>" in body and "Konflikt" not in body  # the report page
    db.session.get(Zyklus, zyklus.id).phase = Phase.BETEILIGUNG
    db.session.commit()
    assert _status(client, csrf_token, report.id, "veroeffentlichen").status_code == 303
    published = db.session.get(Sozialreport, report.id)
    assert (
        published.status == ReportStatus.VEROEFFENTLICHT
        and published.veroeffentlicht_at is not None
    )


def test_chapters_are_frozen_once_the_cycle_passed_the_planungsrunde(
    client, csrf_token, login, make, stab
) -> None:
    report = make.sozialreport(
        zyklus=make.report_zyklus(phase="beteiligung"), status="planungsrunde"
    )
    login(stab)
    url = f"/datenbasis/sozialreports/{report.id}/kapitel/{report.kapitel[0].id}"
    response = _post(client, csrf_token, url, url, {"titel": "Neu", "text": "x"})
    assert response.status_code == 409
    assert db.session.get(Kapitel, report.kapitel[0].id).titel == "Lebenslagen"


def test_draft_cannot_go_to_the_planungsrunde_without_chapters(
    client, csrf_token, login, make, stab
) -> None:
    report = make.sozialreport()
    db.session.delete(db.session.get(Kapitel, report.kapitel[0].id))
    db.session.commit()
    login(stab)
    response = _status(client, csrf_token, report.id, "planungsrunde")
    assert response.status_code == 409 and "mindestens ein Kapitel" in response.get_data(
        as_text=True
    )


def test_guard_sozialreport_entwurf_for_leaving_datenbasis(ctx, make) -> None:
    zyklus = make.report_zyklus()
    uebergang = find_uebergang(Phase.DATENBASIS, Phase.PLANUNGSRUNDE)

    def result() -> tuple[bool, str]:
        pruefung = next(
            p
            for p in evaluate_transition(zyklus, uebergang)
            if p.guard.name == "sozialreport_entwurf"
        )
        return pruefung.ok, pruefung.erklaerung

    ok, text = result()
    assert not ok and "noch keinen Sozialreport-Entwurf" in text
    assert result()[1] == text
    make.sozialreport(zyklus=zyklus)
    assert result() == (True, "")
    assert pruefung_label(uebergang) == "Sozialreport-Entwurf liegt vor"


def pruefung_label(uebergang) -> str:
    from app.workflows.guards import registered_guards

    return next(
        g.label
        for g in registered_guards()
        if g.name == "sozialreport_entwurf" and uebergang.key in g.uebergaenge
    )


def test_report_page_is_reused_until_a_write_and_keeps_rights_apart(
    client, csrf_token, login, make, mitglied, stab, query_counter
) -> None:
    report = make.sozialreport(status="planungsrunde")
    kapitel = report.kapitel[0]
    db.session.commit()
    url = f"/datenbasis/sozialreports/{report.id}"
    login(mitglied)
    seite = aus_dem_zwischenspeicher(query_counter, client, url)
    assert "Noch keine Kommentare." in seite and "Kapitel bearbeiten" not in seite
    assert f'name="k{kapitel.id}-text"' in seite  # the comment form stays outside the cache
    with query_counter(zwischenspeicher=True):
        assert _comment(client, csrf_token, report, text="Neu nach dem Commit.").status_code == 303
        seite = client.get(url).get_data(as_text=True)
    assert "Neu nach dem Commit." in seite and "Noch keine Kommentare." not in seite
    login(stab)
    with query_counter(zwischenspeicher=True):
        seite = client.get(url).get_data(as_text=True)
    assert "Kapitel bearbeiten" in seite and f'name="k{kapitel.id}-text"' not in seite
    assert "Neu nach dem Commit." in seite


def test_public_report_from_the_cache_needs_no_query(client, make, query_counter) -> None:
    report = make.sozialreport(status="veroeffentlicht")
    db.session.commit()
    url = f"/sozialreport/{report.id}"
    with query_counter(zwischenspeicher=True):
        client.get(url)
    with query_counter(zwischenspeicher=True) as cached:
        assert "Lebenslagen" in client.get(url).get_data(as_text=True)
    assert cached == []  # even the report row comes from the query store (app.core.lesespeicher)


def test_changed_chapter_shows_on_the_next_request(client, login, make, stab) -> None:
    """A chapter changed anywhere (here: the test's own committed session) ends the cache."""
    from app.datenbasis.models import Kapitel

    report = make.sozialreport(status="veroeffentlicht")
    kapitel_id = report.kapitel[0].id
    db.session.commit()
    login(stab)
    for url in (f"/datenbasis/sozialreports/{report.id}", f"/sozialreport/{report.id}"):
        assert "Frisch geänderter Kapiteltext" not in client.get(url).get_data(as_text=True)
    kapitel = db.session.get(Kapitel, kapitel_id)  # the request's end closed the session
    kapitel.text = "Frisch geänderter Kapiteltext."
    kapitel.titel = "Neuer Kapiteltitel"
    db.session.commit()
    for url in (f"/datenbasis/sozialreports/{report.id}", f"/sozialreport/{report.id}"):
        body = client.get(url).get_data(as_text=True)
        assert "Frisch geänderter Kapiteltext." in body and "Neuer Kapiteltitel" in body, url
