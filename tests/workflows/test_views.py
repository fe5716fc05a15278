"""Pages and forms from the outside: create, cycle page, confirmations, 400/409, query counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.stammdaten.models import GremiumTyp
from app.workflows.models import (
    Phase,
    Phasenfrist,
    Strang,
    StrangStatus,
    VerlaufArt,
    Verlaufseintrag,
    Zyklus,
)
from app.workflows.services import berlin_today


def _fresh(zyklus_id: int) -> Zyklus:
    zyklus = db.session.get(Zyklus, zyklus_id)
    db.session.refresh(zyklus)
    return zyklus


def _in(zyklus: Zyklus, phase: Phase, *, straenge_zu: bool = False) -> None:
    zyklus = db.session.get(Zyklus, zyklus.id)
    zyklus.phase = phase
    for strang in zyklus.straenge:
        strang.status = StrangStatus.ABGESCHLOSSEN if straenge_zu else StrangStatus.OFFEN
    db.session.commit()


def _move(client, csrf_token, zyklus, nach: str, **extra):
    url = f"/zyklen/{zyklus.id}/phase"
    token = csrf_token(client, f"{url}?nach={nach}")
    data = {"csrf_token": token, "nach": nach, "version": _fresh(zyklus.id).version, **extra}
    return client.post(url, data=data)


# --------------------------------------------------------------------------- create


def test_create_form_prechecks_active_gremien_and_creates_the_cycle(
    client, login, csrf_token, welt
) -> None:
    login(welt.stab)
    body = client.get("/zyklen/neu").get_data(as_text=True)
    assert body.count('type="checkbox"') == 6 and body.count("checked") == 6
    token = csrf_token(client, "/zyklen/neu")
    response = client.post(
        "/zyklen/neu",
        data={
            "csrf_token": token,
            "titel": "Sozialplanung 2029",
            "beginn": "2029-01-01",
            "ende": "2029-12-31",
            "gremien": [welt.pr.id, welt.tr.id, welt.sak2.id, welt.vv.id],
            "erinnerung_tage": "10",
        },
    )
    assert response.status_code == 303
    zyklus = db.session.scalar(select(Zyklus).where(Zyklus.titel == "Sozialplanung 2029"))
    assert response.headers["Location"] == f"/zyklen/{zyklus.id}"
    assert (
        zyklus.phase == Phase.DATENBASIS
        and zyklus.erinnerung_tage == 10
        and zyklus.angelegt_von_id == welt.stab.id
    )
    assert {g.id for g in zyklus.gremien} == {welt.pr.id, welt.tr.id, welt.sak2.id, welt.vv.id}
    assert [s.gremium.name for s in zyklus.straenge] == [
        "Trägerrunde Test",
        "Stadtteilarbeitskreis Süd",
    ]
    history = db.session.scalars(
        select(Verlaufseintrag).where(Verlaufseintrag.zyklus_id == zyklus.id)
    ).all()
    assert [(e.art, e.nach_phase) for e in history] == [(VerlaufArt.ANGELEGT, Phase.DATENBASIS)]
    assert "wurde angelegt" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"titel": ""}, "Bitte geben Sie einen Titel ein."),
        ({"ende": "2026-12-31"}, "Das Ende darf nicht vor dem Beginn liegen."),
        ({"beginn": "31.02.2027"}, "Beginn"),
        ({"gremien": []}, "Bitte wählen Sie mindestens ein Gremium aus."),
        ({"erinnerung_tage": "120"}, "zwischen 0 und 90"),
        (
            {"titel": "Sozialplanung 2027"},
            "Es gibt bereits einen Planungszyklus „Sozialplanung 2027“.",
        ),
    ],
)
def test_create_refuses_bad_input_in_german_and_keeps_it(
    client, login, csrf_token, welt, data, message
) -> None:
    login(welt.stab)
    form = {
        "titel": "Neuer Zyklus XY",
        "beginn": "2027-01-01",
        "ende": "2027-12-31",
        "gremien": [welt.pr.id],
        "erinnerung_tage": "7",
        **data,
    }
    form["csrf_token"] = csrf_token(client, "/zyklen/neu")
    response = client.post("/zyklen/neu", data=form)
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and message in body
    assert 'role="alert"' in body and f'value="{form["titel"]}"' in body
    assert db.session.scalar(select(func.count()).select_from(Zyklus)) == 1


# --------------------------------------------------------------------------- the cycle page


def test_cycle_page_shows_diagram_text_alternative_blockers_and_history(
    client, login, welt
) -> None:
    _in(welt.zyklus, Phase.BETEILIGUNG)
    welt.strang_tr.status = StrangStatus.ABGESCHLOSSEN
    db.session.commit()
    login(welt.stab)
    body = client.get(f"/zyklen/{welt.zyklus.id}").get_data(as_text=True)
    svg = re.search(r"<svg[^>]*>", body).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="diagramm-titel diagramm-beschreibung"' in svg
    assert '<title id="diagramm-titel">Planungskreislauf „Sozialplanung 2027“</title>' in body
    assert "Aktuelle Phase: Beteiligung (3 von 6)" in body and "1 von 3 abgeschlossen" in body
    # drawn twice: across for wide screens, top-down for phones (CSS shows one)
    assert 'aria-labelledby="diagramm-hoch-titel diagramm-hoch-beschreibung"' in body
    assert (
        body.count("kreislauf__phase--erledigt") == 2 * 2
        and body.count("kreislauf__phase--aktuell") == 1 * 2
    )
    assert (
        body.count("kreislauf__strang--abgeschlossen") == 1 * 2
        and body.count("kreislauf__strang--offen") == 2 * 2
    )
    phases = re.search(r'<ol class="phasenliste".*?</ol>', body, re.S).group(0)
    assert re.search(r'aria-current="step">\s*<strong>Beteiligung', phases)
    assert (
        "Strang Stadtteilarbeitskreis Nord: offen" in phases
        and "Strang Trägerrunde Test: abgeschlossen" in phases
    )
    assert "Noch offen: Stadtteilarbeitskreis Nord, Stadtteilarbeitskreis Süd." in body
    assert "Blockiert:" in body and "Verbleibende Stränge mit Begründung schließen" in body
    assert 'class="zeitleiste"' in body


def test_unknown_cycle_is_404(client, login, welt) -> None:
    login(welt.stab)
    assert client.get("/zyklen/999999").status_code == 404


def test_list_shows_phase_and_strang_progress(client, login, welt) -> None:
    login(welt.stab)
    body = client.get("/zyklen/").get_data(as_text=True)
    assert "Sozialplanung 2027" in body and "0 von 3 abgeschlossen" in body and "Datenbasis" in body
    assert "Neuen Planungszyklus anlegen" in body and 'href="/zyklen/"' in body


def test_list_is_kept_apart_per_reader_and_shows_a_new_cycle(client, login, make, welt) -> None:
    """The cached table belongs to its reader's rights and ends with the next write."""
    login(welt.traeger)
    assert "Sozialplanung 2027" in client.get("/zyklen/").get_data(as_text=True)
    make.zyklus([welt.pr], titel="Nur Planungsrunde 2031")
    body = client.get("/zyklen/").get_data(as_text=True)
    assert "Nur Planungsrunde 2031" not in body and "Neuen Planungszyklus anlegen" not in body
    login(welt.pr_mitglied)
    assert "Nur Planungsrunde 2031" in client.get("/zyklen/").get_data(as_text=True)
    login(welt.stab)
    body = client.get("/zyklen/").get_data(as_text=True)
    assert "Nur Planungsrunde 2031" in body and "Neuen Planungszyklus anlegen" in body


# ---------------------------------------------------------------- moves through the forms


def test_confirmation_page_changes_nothing_and_post_moves(client, login, csrf_token, welt) -> None:
    login(welt.stab)
    page = client.get(f"/zyklen/{welt.zyklus.id}/phase?nach=planungsrunde")
    body = page.get_data(as_text=True)
    assert (
        page.status_code == 200
        and "wechselt von der Phase „Datenbasis“ in die Phase „Planungsrunde“" in body
    )
    assert "Planungsrunde Test" in body  # who will be notified
    assert _fresh(welt.zyklus.id).phase == Phase.DATENBASIS
    response = _move(
        client, csrf_token, welt.zyklus, "planungsrunde", begruendung="Daten liegen vor"
    )
    assert response.status_code == 303
    assert (_fresh(welt.zyklus.id).phase, _fresh(welt.zyklus.id).version) == (
        Phase.PLANUNGSRUNDE,
        2,
    )
    assert "ist jetzt in der Phase „Planungsrunde“" in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)


def test_illegal_move_posted_by_hand_is_400_without_change(client, login, csrf_token, welt) -> None:
    login(welt.stab)
    token = csrf_token(client, f"/zyklen/{welt.zyklus.id}")
    response = client.post(
        f"/zyklen/{welt.zyklus.id}/phase",
        data={"csrf_token": token, "nach": "politik", "version": 1},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Von der Phase „Datenbasis“ ist kein Wechsel nach „Politik“ vorgesehen." in body
    assert (_fresh(welt.zyklus.id).phase, _fresh(welt.zyklus.id).version) == (Phase.DATENBASIS, 1)


@pytest.mark.parametrize(
    "data", [{"nach": "urlaub", "version": 1}, {"nach": "planungsrunde"}, {"version": 1}]
)
def test_garbage_posted_by_hand_is_400(client, login, csrf_token, welt, data) -> None:
    login(welt.stab)
    token = csrf_token(client, f"/zyklen/{welt.zyklus.id}")
    response = client.post(f"/zyklen/{welt.zyklus.id}/phase", data={"csrf_token": token, **data})
    assert response.status_code == 400 and 'role="alert"' in response.get_data(as_text=True)
    assert _fresh(welt.zyklus.id).version == 1


@pytest.mark.parametrize("nach", ["politik", "urlaub", ""])
def test_confirmation_for_illegal_target_is_400(client, login, welt, nach) -> None:
    login(welt.stab)
    response = client.get(f"/zyklen/{welt.zyklus.id}/phase?nach={nach}")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "gültige Zielphase" in body or "kein Wechsel nach „Politik“ vorgesehen" in body


def test_stale_form_is_409_with_german_text(client, login, csrf_token, welt) -> None:
    login(welt.stab)
    token = csrf_token(client, f"/zyklen/{welt.zyklus.id}/phase?nach=planungsrunde")
    assert _move(client, csrf_token, welt.zyklus, "planungsrunde").status_code == 303
    response = client.post(
        f"/zyklen/{welt.zyklus.id}/phase",
        data={"csrf_token": token, "nach": "planungsrunde", "version": 1},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert (
        "wurde inzwischen geändert (jetzt in Phase „Planungsrunde“)" in body
        and "nicht ausgeführt" in body
    )
    assert _fresh(welt.zyklus.id).version == 2
    assert db.session.scalar(select(func.count()).select_from(Verlaufseintrag)) == 1


def test_referral_without_reason_keeps_the_form(client, login, csrf_token, welt) -> None:
    _in(welt.zyklus, Phase.VERWALTUNGSVORSTAND, straenge_zu=True)
    login(welt.stab)
    page = client.get(f"/zyklen/{welt.zyklus.id}/phase?nach=planungsrunde").get_data(as_text=True)
    assert "Begründung der Rückverweisung" in page and "(Pflichtfeld)" in page
    response = _move(client, csrf_token, welt.zyklus, "planungsrunde", begruendung="  ")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Bitte begründen Sie die Rückverweisung." in body
    assert 'id="fehlerliste"' in body and _fresh(welt.zyklus.id).phase == Phase.VERWALTUNGSVORSTAND
    response = _move(
        client, csrf_token, welt.zyklus, "planungsrunde", begruendung="Kosten nicht gedeckt"
    )
    assert response.status_code == 303 and _fresh(welt.zyklus.id).phase == Phase.PLANUNGSRUNDE


def test_guard_failure_through_the_form_then_override(
    client, login, csrf_token, welt, test_guard
) -> None:
    test_guard(
        "protokoll_pr",
        "Protokoll der Planungsrunde liegt vor",
        uebergaenge=[("planungsrunde", "beteiligung")],
        erklaerung="Das Protokoll der Sitzung fehlt.",
    )
    _in(welt.zyklus, Phase.PLANUNGSRUNDE)
    login(welt.stab)
    page = client.get(f"/zyklen/{welt.zyklus.id}/phase?nach=beteiligung").get_data(as_text=True)
    assert "nicht erfüllt:</strong> Protokoll der Planungsrunde liegt vor" in page
    assert "Bedingungen übergehen (nur Stabsstelle)" in page and 'value="protokoll_pr"' in page
    response = _move(client, csrf_token, welt.zyklus, "beteiligung")
    assert response.status_code == 409 and "Das Protokoll der Sitzung fehlt." in response.get_data(
        as_text=True
    )
    response = _move(client, csrf_token, welt.zyklus, "beteiligung", uebersteuern="protokoll_pr")
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Bitte begründen Sie schriftlich" in body
    assert re.search(r'<input checked[^>]*value="protokoll_pr"', body)
    response = _move(
        client,
        csrf_token,
        welt.zyklus,
        "beteiligung",
        uebersteuern="protokoll_pr",
        uebersteuerung_begruendung="Protokoll kommt per Post",
    )
    assert response.status_code == 303 and _fresh(welt.zyklus.id).phase == Phase.BETEILIGUNG
    detail = client.get(f"/zyklen/{welt.zyklus.id}").get_data(as_text=True)
    assert "Übergangene Bedingungen: „Protokoll der Planungsrunde liegt vor“" in detail
    assert "Protokoll kommt per Post" in detail


def test_beteiligung_move_is_not_offered_while_straenge_are_open(client, login, welt) -> None:
    _in(welt.zyklus, Phase.BETEILIGUNG)
    login(welt.stab)
    page = client.get(f"/zyklen/{welt.zyklus.id}/phase?nach=verwaltungsvorstand").get_data(
        as_text=True
    )
    assert "kann nicht übergangen werden" in page and 'value="Phase wechseln"' not in page
    assert "Verbleibende Stränge schließen" in page


def test_close_strang_and_remaining_through_forms(client, login, csrf_token, welt) -> None:
    _in(welt.zyklus, Phase.BETEILIGUNG)
    login(welt.stab)
    url = f"/zyklen/{welt.zyklus.id}/straenge/{welt.strang_tr.id}/abschliessen"
    token = csrf_token(client, url)
    response = client.post(
        url, data={"csrf_token": token, "version": 1, "notiz": "Alle Rückmeldungen da"}
    )
    assert response.status_code == 303
    url = f"/zyklen/{welt.zyklus.id}/straenge/schliessen"
    token = csrf_token(client, url)
    response = client.post(url, data={"csrf_token": token, "version": 2, "begruendung": ""})
    assert response.status_code == 400 and "Bitte begründen Sie" in response.get_data(as_text=True)
    response = client.post(
        url, data={"csrf_token": token, "version": 2, "begruendung": "Sommerpause"}
    )
    assert response.status_code == 303
    assert [
        s.status
        for s in db.session.scalars(
            select(Strang)
            .execution_options(populate_existing=True)
            .where(Strang.zyklus_id == welt.zyklus.id)
        )
    ] == [StrangStatus.ABGESCHLOSSEN] * 3
    body = client.get(f"/zyklen/{welt.zyklus.id}").get_data(as_text=True)
    assert (
        "geschlossen (Stabsstelle)" in body
        and "Sommerpause" in body
        and "Alle Rückmeldungen da" in body
    )
    assert client.get(url).status_code == 400  # nothing left to close


def test_stale_strang_form_is_409(client, login, csrf_token, welt) -> None:
    _in(welt.zyklus, Phase.BETEILIGUNG)
    login(welt.stab)
    url = f"/zyklen/{welt.zyklus.id}/straenge/{welt.strang_tr.id}/abschliessen"
    token = csrf_token(client, url)
    assert client.post(url, data={"csrf_token": token, "version": 1}).status_code == 303
    response = client.post(url, data={"csrf_token": token, "version": 1})
    assert response.status_code == 409 and "inzwischen geändert" in response.get_data(as_text=True)


# --------------------------------------------------------------------------- deadlines on the page


def test_deadlines_form_and_overdue_marker(client, login, csrf_token, welt) -> None:
    login(welt.stab)
    url = f"/zyklen/{welt.zyklus.id}/fristen"
    today = berlin_today()
    token = csrf_token(client, url)
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "erinnerung_tage": "5",
            "phase_datenbasis": (today - timedelta(days=2)).isoformat(),
            "phase_planungsrunde": (today + timedelta(days=20)).isoformat(),
            f"strang_{welt.strang_sak1.id}": (today + timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 303
    fristen = db.session.scalars(
        select(Phasenfrist).where(Phasenfrist.zyklus_id == welt.zyklus.id)
    ).all()
    assert {f.phase for f in fristen} == {Phase.DATENBASIS, Phase.PLANUNGSRUNDE}
    body = client.get(f"/zyklen/{welt.zyklus.id}").get_data(as_text=True)
    assert "überfällig</strong> – überfällig seit 2 Tagen" in body and "noch 20 Tage" in body
    assert "(noch 3 Tage)" in body and "5 Tage vorher" in body and "Fristen geändert" in body
    response = client.post(
        url, data={"csrf_token": token, "erinnerung_tage": "7", "phase_politik": "kein Datum"}
    )
    assert response.status_code == 400 and 'value="kein Datum"' in response.get_data(as_text=True)


# --------------------------------------------------------------------------- query counts


@pytest.mark.parametrize("viewer", ["stab", "pr_mitglied", "traeger"])
def test_cycle_page_queries_do_not_grow_with_history(
    client, login, make, welt, query_counter, viewer
) -> None:
    welt.zyklus.phase = Phase.BETEILIGUNG
    db.session.commit()
    login(getattr(welt, viewer))
    counts = []
    for total in (5, 100):
        have = db.session.scalar(
            select(func.count())
            .select_from(Verlaufseintrag)
            .where(Verlaufseintrag.zyklus_id == welt.zyklus.id)
        )
        make.verlaufseintraege(welt.zyklus, total - have, user=welt.stab)
        with query_counter() as statements:
            body = client.get(f"/zyklen/{welt.zyklus.id}").get_data(as_text=True)
        counts.append(len(statements))
        if viewer != "traeger":
            assert body.count('class="zeitleiste__eintrag') == total
    assert counts[0] == counts[1], counts
    assert counts[0] <= 14, counts


@pytest.mark.parametrize("viewer", ["stab", "pr_mitglied", "traeger"])
def test_cycle_page_content_is_reused_per_rights(
    client, login, welt, query_counter, viewer
) -> None:
    """The cached content is the uncached one, per reader's rights, with fewer queries."""
    welt.zyklus.phase = Phase.BETEILIGUNG
    db.session.commit()
    login(getattr(welt, viewer))
    url = f"/zyklen/{welt.zyklus.id}"
    with query_counter(zwischenspeicher=True):
        client.get(url)
    with query_counter(zwischenspeicher=True) as cached:
        zwischen = client.get(url).get_data(as_text=True)
    with query_counter() as uncached:
        frisch = client.get(url).get_data(as_text=True)
    assert len(cached) < len(uncached), (cached, uncached)

    def inhalt(html: str) -> str:
        return html.split("<main", 1)[1].split("</main>")[0]

    assert inhalt(zwischen) == inhalt(frisch)


def test_list_queries_do_not_grow_with_cycles(client, login, make, welt, query_counter) -> None:
    login(welt.pr_mitglied)
    with query_counter() as few:
        client.get("/zyklen/")
    for _ in range(5):
        make.zyklus([welt.pr, welt.tr, welt.sak1])
    with query_counter() as many:
        body = client.get("/zyklen/").get_data(as_text=True)
    assert len(few) == len(many) and body.count('<th scope="row">') == 6


# ---------------------------------------------------------------- open tasks on the start page


def test_start_page_tasks_for_stabsstelle_and_moderation(client, login, app, welt) -> None:
    _in(welt.zyklus, Phase.BETEILIGUNG)
    db.session.add(
        Phasenfrist(
            zyklus_id=welt.zyklus.id,
            phase=Phase.BETEILIGUNG,
            faellig_am=berlin_today() - timedelta(days=1),
        )
    )
    db.session.commit()
    login(welt.stab)
    body = client.get("/start").get_data(as_text=True)
    assert "Sozialplanung 2027: Frist „Beteiligung“ überschritten" in body
    assert "bereit für" not in body
    moderation = login(welt.moderation, on_client=app.test_client())
    body = moderation.get("/start").get_data(as_text=True)
    assert "Sozialplanung 2027: Beteiligung „Stadtteilarbeitskreis Nord“ abschließen" in body
    assert "Süd" not in body
    _in(welt.zyklus, Phase.BETEILIGUNG, straenge_zu=True)
    body = client.get("/start").get_data(as_text=True)
    assert "Sozialplanung 2027: bereit für „Ergebnisse an den Verwaltungsvorstand geben“" in body


def test_nav_entry_for_everyone_logged_in(client, login, welt) -> None:
    login(welt.aussen)
    assert 'href="/zyklen/">Planungszyklen</a>' in client.get("/start").get_data(as_text=True)


def test_strang_gremium_types_are_beteiligung_only(welt) -> None:
    assert {s.gremium.typ for s in welt.zyklus.straenge} == {
        GremiumTyp.TRAEGERRUNDE,
        GremiumTyp.STADTTEILARBEITSKREIS,
    }
