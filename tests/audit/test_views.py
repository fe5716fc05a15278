"""The Stabsstelle's log: filters, object history, exports, permissions, append-only routes."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.audit.models import Aktion, AuditEintrag
from app.audit.services import record_event
from app.extensions import db
from app.workflows.fristen import berlin_today
from tests.audit.conftest import entries_since, last_id


@pytest.fixture
def stab(make):
    return make.stabsstelle(name="Stab Stelle")


def test_only_the_stabsstelle_reads_the_log(client, login, make):
    login(make.traeger_user())
    assert client.get("/protokoll/").status_code == 403
    assert client.get("/protokoll/export.csv").status_code == 403
    org = make.organisation()
    assert client.get(f"/protokoll/objekt/Organisation/{org.id}").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get("/protokoll/")
    assert response.status_code == 302 and "/anmelden" in response.headers["Location"]


def test_a_change_through_a_route_is_one_entry_with_the_person(
    client, login, make, stab, csrf_token
):
    org = make.organisation(name="AWO Ortsverein", kurzname="AWO")
    login(stab)
    url = f"/stammdaten/organisationen/{org.id}/bearbeiten"
    mark = last_id()
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "name": "AWO Kreisverband",
            "kurzname": "AWO",
            "art": org.art.value,
            "email": "",
        },
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    [entry] = entries_since(mark)
    assert (entry.akteur_id, entry.akteur_name) == (stab.id, "Stab Stelle")
    assert entry.aenderungen == {"name": {"alt": "AWO Ortsverein", "neu": "AWO Kreisverband"}}
    page = client.get(f"/stammdaten/organisationen/{org.id}").get_data(as_text=True)
    assert "Änderungsverlauf" in page
    assert "AWO Ortsverein" in page and "Stab Stelle" in page


def test_the_history_is_hidden_from_others_on_the_same_page(client, login, make):
    org = make.organisation()
    login(make.user(organisation=org))
    page = client.get(f"/stammdaten/organisationen/{org.id}").get_data(as_text=True)
    assert "Änderungsverlauf" not in page


def test_get_requests_write_nothing(client, login, make, stab):
    org = make.organisation()
    gremium = make.gremium()
    login(stab)
    mark = last_id()
    for url in (
        "/start",
        "/protokoll/",
        f"/stammdaten/organisationen/{org.id}",
        f"/stammdaten/gremien/{gremium.id}",
        "/stammdaten/benutzer",
        f"/protokoll/objekt/Organisation/{org.id}",
    ):
        assert client.get(url).status_code == 200, url
    assert entries_since(mark) == []


def _filtered(client, **args) -> str:
    response = client.get("/protokoll/", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_filters_by_person_action_object_and_period(client, login, make, stab):
    other = make.stabsstelle(name="Andere Person")
    org = make.organisation(name="Gefilterte Organisation")
    record_event(Aktion.EXPORT, akteur=other, hinweis="Export von Andere Person")
    record_event(Aktion.EXPORT, akteur=stab, hinweis="Export von Stab Stelle")
    db.session.commit()
    login(stab)
    by_person = _filtered(client, person=other.id)
    assert "Export von Andere Person" in by_person and "Export von Stab Stelle" not in by_person
    by_action = _filtered(client, aktion="angelegt")
    assert "Gefilterte Organisation" in by_action and "Export von" not in by_action
    by_object = _filtered(client, objekt_typ="Organisation", objekt_id=str(org.id))
    assert "Gefilterte Organisation" in by_object and "Export von" not in by_object
    today = berlin_today()  # the filter reads dates as days in Hilden
    assert "Export von Stab Stelle" in _filtered(
        client, von=today.isoformat(), bis=today.isoformat()
    )
    tomorrow = (today + timedelta(days=2)).isoformat()
    assert "Keine Einträge gefunden" in _filtered(client, von=tomorrow)


def test_bad_filter_input_is_a_german_400(client, login, stab):
    login(stab)
    response = client.get("/protokoll/", query_string={"von": "2026-13-45"})
    assert response.status_code == 400
    assert "gültiges Datum" in response.get_data(as_text=True)
    response = client.get("/protokoll/", query_string={"von": "2026-05-02", "bis": "2026-05-01"})
    assert response.status_code == 400
    assert "vor seinem Anfang" in response.get_data(as_text=True)
    response = client.get("/protokoll/", query_string={"aktion": "erfunden"})
    assert response.status_code == 400
    assert client.get("/protokoll/export.csv?person=abc").status_code == 400
    assert client.get("/protokoll/objekt/Nichts/1").status_code == 404


def test_entry_detail_shows_the_other_changes_of_the_same_transaction(client, login, make, stab):
    from app.stammdaten.models import Organisation, OrganisationArt

    mark = last_id()
    db.session.add_all(
        [
            Organisation(name="Erste im Vorgang", art=OrganisationArt.TRAEGER),
            Organisation(name="Zweite im Vorgang", art=OrganisationArt.TRAEGER),
        ]
    )
    db.session.commit()
    first, _ = entries_since(mark)
    login(stab)
    page = client.get(f"/protokoll/{first.id}").get_data(as_text=True)
    assert "Erste im Vorgang" in page and "Zweite im Vorgang" in page
    assert client.get("/protokoll/999999999").status_code == 404


def test_exports_are_formula_safe_and_are_themselves_recorded(client, login, make, stab):
    make.organisation(name='=HYPERLINK("http://boese.example")')
    login(stab)
    mark = last_id()
    response = client.get("/protokoll/export.csv", query_string={"aktion": "angelegt"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(
        csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";")
    )
    assert rows[0][:4] == ["Nr.", "Zeitpunkt", "Person", "Aktion"]
    cells = [cell for row in rows[1:] for cell in row]
    assert any(c.startswith("'=HYPERLINK") or "„=HYPERLINK" in c for c in cells)
    assert not any(c.startswith("=") for c in cells)
    response = client.get("/protokoll/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [c for row in sheet.iter_rows() for c in row if c.value]
    assert all(c.data_type != "f" for c in values)
    exports = entries_since(mark, aktion=Aktion.EXPORT)
    assert [e.objekt_label for e in exports] == [
        "aenderungsprotokoll.csv",
        "aenderungsprotokoll.xlsx",
    ]
    assert all(e.akteur_id == stab.id for e in exports)


def test_other_packages_exports_are_recorded_too(client, login, make, stab):
    bogen = make.rueckmeldebogen()
    login(stab)
    mark = last_id()
    assert client.get(f"/beteiligung/{bogen.id}/export.xlsx").status_code == 200
    [entry] = entries_since(mark)
    assert entry.aktion == Aktion.EXPORT
    assert f"rueckmeldungen-{bogen.id}.xlsx" in entry.hinweis


def test_list_query_count_does_not_grow_with_entries(client, login, make, stab, query_counter):
    login(stab)

    def count() -> int:
        with query_counter() as statements:
            assert client.get("/protokoll/").status_code == 200
        return len(statements)

    few = count()
    for n in range(30):
        record_event(Aktion.EXPORT, akteur=stab, hinweis=f"Export {n}")
        make.organisation()
    db.session.commit()
    assert count() == few


def test_no_route_edits_or_deletes_log_entries(app):
    """Append-only: the audit blueprint has only GET routes, and no other route names it."""
    for rule in app.url_map.iter_rules():
        writes = rule.methods - {"GET", "HEAD", "OPTIONS"}
        if rule.endpoint.startswith("audit."):
            assert not writes, rule
        if writes:
            assert "protokoll" not in rule.rule.split("/")[1:2], rule


def test_writing_methods_on_log_urls_are_refused(client, login, stab, make):
    record_event(Aktion.EXPORT, hinweis="fest")
    db.session.commit()
    entry_id = db.session.scalar(select(func.max(AuditEintrag.id)))
    login(stab)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"/protokoll/{entry_id}")
        assert response.status_code == 405
    assert db.session.get(AuditEintrag, entry_id).hinweis == "fest"


def test_login_logout_and_failed_login_are_events(client, make, csrf_token):
    user = make.user(email="anmelden@test.example", name="Anna Anmeldung")
    mark = last_id()
    for email, password in (
        ("anmelden@test.example", "falsch"),
        ("niemand@test.example", "egal"),
        ("anmelden@test.example", "Test-Passwort-123"),
    ):
        token = csrf_token(client, "/anmelden")
        client.post("/anmelden", data={"email": email, "password": password, "csrf_token": token})
    client.post("/abmelden", data={"csrf_token": csrf_token(client, "/start")})
    actions = [(e.aktion, e.objekt_id, e.akteur_id) for e in entries_since(mark)]
    assert actions == [
        (Aktion.ANMELDUNG_FEHLGESCHLAGEN, str(user.id), None),
        (Aktion.ANMELDUNG_FEHLGESCHLAGEN, None, None),
        (Aktion.ANMELDUNG, str(user.id), user.id),
        (Aktion.ABMELDUNG, str(user.id), user.id),
    ]
    unknown = entries_since(mark)[1]
    assert "niemand" not in (unknown.hinweis or "") + str(unknown.objekt_label)
    assert unknown.ip


def test_the_history_section_is_reused_until_the_next_change(client, login, make, stab, csrf_token):
    """The rendered section is cached per object and data state, never shown to others."""
    org = make.organisation(name="Caritas Hilden", kurzname="Caritas")
    login(stab)
    url = f"/stammdaten/organisationen/{org.id}"
    first = client.get(url).get_data(as_text=True)
    assert "Caritas Kreisverband" not in first
    edit = f"{url}/bearbeiten"
    data = {"name": "Caritas Kreisverband", "kurzname": "Caritas", "art": org.art.value}
    client.post(edit, data={**data, "csrf_token": csrf_token(client, edit), "email": ""})
    page = client.get(url).get_data(as_text=True)
    assert "Änderungsverlauf" in page and "Caritas Hilden</span> →" in page
    login(make.user(organisation=org), client)
    assert "Änderungsverlauf" not in client.get(url).get_data(as_text=True)
