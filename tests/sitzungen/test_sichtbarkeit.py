"""Who sees which meeting, from the outside: list, page, calendar file."""

from __future__ import annotations

from app.sitzungen.models import SitzungStatus


def test_non_member_cannot_see_a_non_public_meeting(client, login, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium, titel="Interne Runde")
    login(runde.aussen)
    assert client.get(f"/sitzungen/{sitzung.id}").status_code == 403
    assert client.get(f"/sitzungen/{sitzung.id}/kalender.ics").status_code == 403
    assert "Interne Runde" not in client.get("/sitzungen/").get_data(as_text=True)
    assert client.get("/sitzungen/999999").status_code == 404


def test_members_see_the_meeting_but_not_the_attendance_list(client, login, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium, titel="Interne Runde", status=SitzungStatus.EINGELADEN)
    make.einladung(sitzung, runde.mitglieder[1], name="Vertrauliche Person")
    login(runde.mitglieder[0])
    page = client.get(f"/sitzungen/{sitzung.id}").get_data(as_text=True)
    assert "Interne Runde" in page
    assert "Anwesenheitsliste" not in page and "Vertrauliche Person" not in page
    assert "Interne Runde" in client.get("/sitzungen/").get_data(as_text=True)
    login(runde.vorsitz)
    page = client.get(f"/sitzungen/{sitzung.id}").get_data(as_text=True)
    assert "Anwesenheitsliste" in page and "Vertrauliche Person" in page


def test_public_meeting_is_visible_to_everyone_logged_in(client, login, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium, titel="Offene Runde", oeffentlich=True)
    login(runde.aussen)
    assert client.get(f"/sitzungen/{sitzung.id}").status_code == 200
    assert "Offene Runde" in client.get("/sitzungen/").get_data(as_text=True)


def test_invited_guest_with_account_sees_the_meeting(client, login, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium, titel="Mit Gast", status=SitzungStatus.EINGELADEN)
    make.einladung(sitzung, runde.aussen, gast=True)
    login(runde.aussen)
    page = client.get(f"/sitzungen/{sitzung.id}").get_data(as_text=True)
    assert "Mit Gast" in page and "Zu- oder absagen" in page


def test_former_member_loses_access(client, login, make, runde) -> None:
    from app.extensions import db
    from app.stammdaten.models import Mitgliedschaft

    sitzung = make.sitzung(runde.gremium)
    person = runde.mitglieder[2]
    db.session.query(Mitgliedschaft).filter_by(user_id=person.id).update({"aktiv": False})
    db.session.commit()
    login(person)
    assert client.get(f"/sitzungen/{sitzung.id}").status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, make, runde) -> None:
    sitzung = make.sitzung(runde.gremium, oeffentlich=True)
    for url in ("/sitzungen/", f"/sitzungen/{sitzung.id}", "/sitzungen/neu", "/sitzungen/kalender"):
        response = client.get(url)
        assert response.status_code == 302 and "/anmelden" in response.headers["Location"], url


def test_navigation_has_the_meetings_entry(client, login, make) -> None:
    login(make.user())
    assert 'href="/sitzungen/"' in client.get("/start").get_data(as_text=True)
