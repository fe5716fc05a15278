"""Träger side: drafts, validation keeping input, submit, immutability, conflicts, secrecy."""

from __future__ import annotations

from sqlalchemy import select

from app.beteiligung.models import Rueckmeldung, RueckmeldungStatus
from app.extensions import db
from app.mail.models import Mail
from tests.beteiligung.conftest import fragen_ids, gueltige_antworten, version_of
from tests.support.zwischenspeicher import aus_dem_zwischenspeicher


def _reload(rm_id: int) -> Rueckmeldung:
    return db.session.get(Rueckmeldung, rm_id, populate_existing=True)


def test_offene_rueckmeldungen_lists_my_organisations_form(client, login, welt, bogen) -> None:
    login(welt.anna)
    body = client.get("/beteiligung/offen").get_data(as_text=True)
    assert "Rückmeldung Sozialreport" in body
    start = client.get("/start").get_data(as_text=True)
    assert "Rückmeldung „Rückmeldung Sozialreport“ ausfüllen" in start


def test_draft_is_saved_and_shared_with_colleagues(
    app, client, login, make, welt, bogen, post_form
) -> None:
    login(welt.anna)
    response = post_form(client, bogen, gueltige_antworten(bogen, welt))
    assert response.status_code == 303
    rm = _reload(make.rueckmeldung(bogen, welt.awo).id)
    assert rm.status == RueckmeldungStatus.ENTWURF and rm.version == 1
    colleague = login(welt.arne, app.test_client())
    body = colleague.get(f"/beteiligung/{bogen.id}/ausfuellen").get_data(as_text=True)
    assert "Mehr Treffpunkte für Jugendliche." in body
    assert 'value="12,5"' in body
    assert "Anna Awo" in body  # zuletzt gespeichert von


def test_validation_errors_keep_everything_entered(
    client, login, make, welt, bogen, post_form
) -> None:
    login(welt.anna)
    ids = fragen_ids(bogen)
    data = {**gueltige_antworten(bogen, welt), f"f{ids['zahl']}": "viele", f"f{ids['skala']}": "9"}
    response = post_form(client, bogen, data)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bitte geben Sie eine Zahl ein, z. B. 12 oder 12,5." in body
    assert "Bitte wählen Sie einen Wert von 1 bis 5." in body
    assert 'value="viele"' in body and "Mehr Treffpunkte für Jugendliche." in body
    assert 'value="Beratung" checked' in body
    assert make.rueckmeldung(bogen, welt.awo).status == RueckmeldungStatus.OFFEN


def test_submit_requires_required_questions(client, login, make, welt, bogen, post_form) -> None:
    login(welt.anna)
    ids = fragen_ids(bogen)
    data = {k: v for k, v in gueltige_antworten(bogen, welt).items() if k != f"f{ids['kurztext']}"}
    response = post_form(client, bogen, data, aktion="einreichen")
    assert response.status_code == 422
    assert "Bitte beantworten Sie diese Frage." in response.get_data(as_text=True)
    assert _reload(make.rueckmeldung(bogen, welt.awo).id).status == RueckmeldungStatus.OFFEN


def test_submit_is_final_and_queues_receipt_with_answers(
    client, login, make, welt, bogen, post_form
) -> None:
    login(welt.anna)
    response = post_form(client, bogen, gueltige_antworten(bogen, welt), aktion="einreichen")
    assert response.status_code == 303
    rm = _reload(make.rueckmeldung(bogen, welt.awo).id)
    assert rm.status == RueckmeldungStatus.EINGEREICHT and rm.eingereicht_von_id == welt.anna.id
    receipt = db.session.scalars(select(Mail).where(Mail.kind == "rueckmeldung.quittung")).one()
    assert receipt.recipient == welt.anna.email
    for text in (
        "Mehr Treffpunkte für Jugendliche.",
        "Beratung, Kita",
        "12,5",
        "Ja",
        "Stadtbereich Nord: hoch",
        "Stadtbereich Süd: gering",
    ):
        assert text in receipt.body_text, text
    assert [e.art.value for e in rm.ereignisse] == ["eingereicht"]


def test_crafted_post_cannot_change_submitted_answer(
    client, login, make, welt, bogen, post_form, csrf_token
) -> None:
    login(welt.anna)
    post_form(client, bogen, gueltige_antworten(bogen, welt), aktion="einreichen")
    rm = _reload(make.rueckmeldung(bogen, welt.awo).id)
    ids = fragen_ids(bogen)
    token = csrf_token(client, "/beteiligung/offen")
    for aktion in ("speichern", "einreichen"):
        response = client.post(
            f"/beteiligung/{bogen.id}/ausfuellen",
            data={
                "csrf_token": token,
                "aktion": aktion,
                "version": str(rm.version),
                f"f{ids['kurztext']}": "Gefälscht",
            },
        )
        assert response.status_code == 409
        assert "bereits eingereicht" in response.get_data(as_text=True)
    after = _reload(rm.id)
    assert after.version == rm.version
    assert {a.wert for a in after.antworten if a.frage_id == ids["kurztext"]} == {"Anna Awo"}


def test_concurrent_edit_is_detected_and_both_versions_shown(
    app, client, login, make, welt, bogen, post_form, csrf_token
) -> None:
    ids = fragen_ids(bogen)
    login(welt.anna)
    colleague = login(welt.arne, app.test_client())
    url = f"/beteiligung/{bogen.id}/ausfuellen"
    stale_version = version_of(client.get(url).get_data(as_text=True))
    post_form(colleague, bogen, {f"f{ids['kurztext']}": "Fassung von Arne"})
    token = csrf_token(client, url)
    response = client.post(
        url,
        data={
            "csrf_token": token,
            "aktion": "speichern",
            "version": stale_version,
            f"f{ids['kurztext']}": "Fassung von Anna",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Fassung von Arne" in body and 'value="Fassung von Anna"' in body
    assert "inzwischen von jemand anderem gespeichert" in body
    rm = _reload(make.rueckmeldung(bogen, welt.awo).id)
    assert {a.wert for a in rm.antworten} == {"Fassung von Arne"}
    # saving again from the conflict page (it carries the new version) replaces it deliberately
    again = client.post(
        url,
        data={
            "csrf_token": token,
            "aktion": "speichern",
            "version": version_of(body),
            f"f{ids['kurztext']}": "Fassung von Anna",
        },
    )
    assert again.status_code == 303
    assert {a.wert for a in _reload(rm.id).antworten} == {"Fassung von Anna"}


def test_other_organisation_cannot_reach_draft_or_submission(
    app, client, login, make, welt, bogen, post_form
) -> None:
    login(welt.anna)
    post_form(client, bogen, gueltige_antworten(bogen, welt))
    awo_rm = make.rueckmeldung(bogen, welt.awo)
    other = login(welt.david, app.test_client())
    assert other.get(f"/beteiligung/rueckmeldungen/{awo_rm.id}").status_code == 403
    # David's own form shows David's (empty) answer, never the AWO draft
    body = other.get(f"/beteiligung/{bogen.id}/ausfuellen").get_data(as_text=True)
    assert "Mehr Treffpunkte" not in body
    post_form(client, bogen, gueltige_antworten(bogen, welt), aktion="einreichen")
    assert other.get(f"/beteiligung/rueckmeldungen/{awo_rm.id}").status_code == 403
    outsider = login(make.traeger_user(), app.test_client())
    assert outsider.get(f"/beteiligung/{bogen.id}/ausfuellen").status_code == 404
    assert outsider.get(f"/beteiligung/{bogen.id}/ergebnisse").status_code == 403
    assert outsider.get(f"/beteiligung/{bogen.id}/status").status_code == 403


def test_stabsstelle_sees_drafts_only_as_status(
    app, client, login, make, welt, bogen, post_form
) -> None:
    login(welt.anna)
    post_form(client, bogen, gueltige_antworten(bogen, welt))
    stab = login(welt.stab, app.test_client())
    rm = make.rueckmeldung(bogen, welt.awo)
    body = stab.get(f"/beteiligung/rueckmeldungen/{rm.id}").get_data(as_text=True)
    assert "Entwürfe sind nur für die Organisation selbst sichtbar" in body
    assert "Mehr Treffpunkte" not in body


def test_closed_form_keeps_late_input_as_draft(client, login, make, welt, csrf_token) -> None:
    from datetime import timedelta

    from app.core.types import utcnow

    bogen = make.rueckmeldebogen(
        organisationen=[welt.awo],
        veroeffentlicht=True,
        oeffnet_am=utcnow() - timedelta(days=3),
        frist=utcnow() - timedelta(minutes=1),
    )
    login(welt.anna)
    assert client.get(f"/beteiligung/{bogen.id}/ausfuellen").status_code == 302
    token = csrf_token(client, "/beteiligung/offen")
    kurztext = fragen_ids(bogen)["kurztext"]
    response = client.post(
        f"/beteiligung/{bogen.id}/ausfuellen",
        data={"csrf_token": token, "aktion": "speichern", "version": "0", f"f{kurztext}": "Spät"},
    )
    assert response.status_code == 409
    body = response.get_data(as_text=True)
    assert "Die Frist ist abgelaufen – Ihre Eingaben sind als Entwurf gespeichert" in body
    assert 'value="Spät"' in body and "Fristverlängerung anfragen" in body
    rm = _reload(make.rueckmeldung(bogen, welt.awo).id)
    assert rm.status == RueckmeldungStatus.ENTWURF
    assert {a.wert for a in rm.antworten} == {"Spät"}


def test_stored_draft_is_reused_until_saved_and_kept_per_organisation(
    app, client, login, welt, bogen, post_form, query_counter
) -> None:
    ids = fragen_ids(bogen)
    url = f"/beteiligung/{bogen.id}/ausfuellen"
    login(welt.anna)
    aus_dem_zwischenspeicher(query_counter, client, url)
    with query_counter(zwischenspeicher=True):
        assert (
            post_form(client, bogen, {f"f{ids['kurztext']}": "Neu gespeichert"}).status_code == 303
        )
    with query_counter(zwischenspeicher=True):
        assert 'value="Neu gespeichert"' in client.get(url).get_data(as_text=True)
    other = login(welt.david, app.test_client())
    with query_counter(zwischenspeicher=True):
        assert "Neu gespeichert" not in other.get(url).get_data(as_text=True)


def test_offene_list_is_per_organisation_and_shows_a_new_form(client, login, make, welt, bogen):
    """The cached lists belong to one organisation and end with the next write."""
    login(welt.anna)
    assert "Nur für die AWO" not in client.get("/beteiligung/offen").get_data(as_text=True)
    make.rueckmeldebogen("Nur für die AWO", organisationen=[welt.awo], veroeffentlicht=True)
    assert "Nur für die AWO" in client.get("/beteiligung/offen").get_data(as_text=True)
    login(welt.david)
    body = client.get("/beteiligung/offen").get_data(as_text=True)
    assert "Diakonie Test" in body and "Nur für die AWO" not in body
    assert "Rückmeldung Sozialreport" in body


def test_cached_form_page_stays_with_its_organisation(
    app, client, login, make, welt, bogen, post_form
) -> None:
    """The page is cached per person: a draft warmed by the AWO never reaches another Träger,
    and an outsider is still refused after the page was warmed."""
    login(welt.anna)
    other = login(welt.david, app.test_client())
    outsider = login(make.traeger_user(), app.test_client())
    post_form(client, bogen, gueltige_antworten(bogen, welt))
    url = f"/beteiligung/{bogen.id}/ausfuellen"
    client.get(url)
    assert "Mehr Treffpunkte für Jugendliche." in client.get(url).get_data(as_text=True)
    assert "Mehr Treffpunkte" not in other.get(url).get_data(as_text=True)
    assert outsider.get(url).status_code == 404
