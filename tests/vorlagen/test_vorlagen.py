"""Vorlage and decisions: who reads, who decides, what follows, which guards hold the cycle."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.massnahmen.models import Beschluss, Massnahme, MassnahmeStatus
from app.vorlagen.zyklus import GUARD_POLITIK, GUARD_VORSTAND
from app.workflows.guards import only_guards
from app.workflows.models import Phase, Zyklus
from app.workflows.services import GuardsFailed, change_phase


def _decide(client, csrf_token, beratung_id: int, **data):
    url = f"/vorlagen/beratung/{beratung_id}/beschluss"
    form = {
        "csrf_token": csrf_token(client, url),
        "ergebnis": "zugestimmt",
        "datum": "2027-05-04",
        "top_id": "",
        "drucksache": "",
        "ris_url": "",
        "bemerkung": "",
    }
    form.update(data)
    return client.post(url, data=form)


def _v(zyklus_id: int) -> int:
    return db.session.get(Zyklus, zyklus_id, populate_existing=True).version


def test_default_sequence_and_first_version(welt) -> None:
    assert [b.gremium.name for b in welt.vorlage.beratungen] == [
        "Verwaltungsvorstand V",
        "Sozialausschuss V",
    ]
    fassung = welt.vorlage.aktuelle_fassung
    assert fassung.nummer == 1
    assert [row["titel"] for row in fassung.inhalt] == ["Jugendtreff Nord", "Spielplatz Süd"]


def test_ordinary_member_reads_but_may_not_decide(welt, client, login) -> None:
    login(welt.mitglied)
    page = client.get(f"/vorlagen/{welt.vorlage.id}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Jugendtreff Nord" in body
    assert "Beschluss von Verwaltungsvorstand V erfassen" not in body
    assert client.get(f"/vorlagen/beratung/{welt.vv.id}/beschluss").status_code == 403
    assert client.post(f"/vorlagen/beratung/{welt.vv.id}/beschluss").status_code in (400, 403)


def test_other_bodies_member_cannot_decide_and_outsider_cannot_read(
    welt, client, login, csrf_token
) -> None:
    login(welt.ausschuss_mitglied)
    assert client.get(f"/vorlagen/{welt.vorlage.id}").status_code == 200  # in the sequence
    assert client.get(f"/vorlagen/beratung/{welt.vv.id}/beschluss").status_code == 403
    login(welt.fremd)
    assert client.get(f"/vorlagen/{welt.vorlage.id}").status_code == 403
    assert client.get(f"/vorlagen/beratung/{welt.sa.id}/beschlussauszug.pdf").status_code == 403


def test_vorsitz_decides_and_measures_follow(welt, client, login, csrf_token) -> None:
    login(welt.vorsitz)
    response = _decide(
        client,
        csrf_token,
        welt.vv.id,
        top_id=str(welt.top.id),
        **{f"massnahme-{welt.spiel.id}": "abgelehnt"},
    )
    assert response.status_code == 303
    treff = db.session.get(Massnahme, welt.treff.id, populate_existing=True)
    spiel = db.session.get(Massnahme, welt.spiel.id, populate_existing=True)
    assert treff.status == MassnahmeStatus.BESCHLOSSEN
    assert spiel.status == MassnahmeStatus.ABGELEHNT
    gesamt = db.session.scalar(
        select(Beschluss).where(
            Beschluss.beratung_id == welt.vv.id, Beschluss.massnahme_id.is_(None)
        )
    )
    assert gesamt.sitzung_id == welt.sitzung.id and gesamt.tagesordnungspunkt_id == welt.top.id
    assert gesamt.drucksache == "SV 51/123" and not gesamt.im_auftrag and gesamt.fassung == 1
    page = client.get(f"/vorlagen/{welt.vorlage.id}").get_data(as_text=True)
    assert "Beschluss: zugestimmt" in page
    pdf = client.get(f"/vorlagen/beratung/{welt.vv.id}/beschlussauszug.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    fassung = client.get(f"/vorlagen/{welt.vorlage.id}/fassung/1.pdf")
    assert fassung.status_code == 200 and fassung.data.startswith(b"%PDF")


def test_committee_waits_for_its_phase_and_the_board(welt, client, login, csrf_token, make) -> None:
    from app.vorlagen import services

    services.grant_recht(welt.ausschuss, welt.ausschuss_mitglied, welt.stab)
    db.session.commit()
    login(welt.ausschuss_mitglied)
    page = client.get(f"/vorlagen/beratung/{welt.sa.id}/beschluss")
    assert page.status_code == 200
    assert "zurzeit steht er in „Verwaltungsvorstand“" in page.get_data(as_text=True)
    refused = _decide(client, csrf_token, welt.sa.id)
    assert refused.status_code == 409
    z = db.session.get(Zyklus, welt.zyklus.id)
    z.phase = Phase.POLITIK
    db.session.commit()
    page = client.get(f"/vorlagen/beratung/{welt.sa.id}/beschluss").get_data(as_text=True)
    assert "Zuerst beschließt „Verwaltungsvorstand V“." in page


def test_decision_outside_the_phase_is_409_with_reason(welt, client, login, csrf_token) -> None:
    login(welt.vorsitz)
    token = csrf_token(client, f"/vorlagen/beratung/{welt.vv.id}/beschluss")
    z = db.session.get(Zyklus, welt.zyklus.id)
    z.phase = Phase.POLITIK
    db.session.commit()
    response = client.post(
        f"/vorlagen/beratung/{welt.vv.id}/beschluss",
        data={"csrf_token": token, "ergebnis": "zugestimmt", "datum": "2027-05-04"},
    )
    assert response.status_code == 409
    assert "der Planungszyklus steht in „Politik“" in response.get_data(as_text=True)
    assert db.session.scalar(select(Beschluss.id)) is None


def test_stabsstelle_records_on_behalf(welt, client, login, csrf_token) -> None:
    login(welt.stab)
    page = client.get(f"/vorlagen/beratung/{welt.vv.id}/beschluss").get_data(as_text=True)
    assert "im Auftrag von „Verwaltungsvorstand V“" in page
    assert _decide(client, csrf_token, welt.vv.id, ergebnis="zur_kenntnis").status_code == 303
    rows = db.session.scalars(select(Beschluss).where(Beschluss.beratung_id == welt.vv.id)).all()
    assert len(rows) == 3 and all(b.im_auftrag for b in rows)
    assert db.session.get(Massnahme, welt.treff.id).status == MassnahmeStatus.GEPLANT


def test_guards_hold_the_cycle_until_the_bodies_decided(welt, client, login, csrf_token) -> None:
    from app.auth.models import User

    stab_id = welt.stab.id

    def stab() -> User:
        return db.session.get(User, stab_id)

    with only_guards(GUARD_VORSTAND, GUARD_POLITIK):
        with pytest.raises(
            GuardsFailed, match="Noch kein Beschluss zur Vorlage von: Verwaltungsvorstand V"
        ):
            change_phase(
                welt.zyklus.id, Phase.POLITIK, user=stab(), expected_version=_v(welt.zyklus.id)
            )
        db.session.rollback()
        login(welt.vorsitz)
        assert _decide(client, csrf_token, welt.vv.id, ergebnis="vertagt").status_code == 303
        with pytest.raises(GuardsFailed):  # postponed is not decided
            change_phase(
                welt.zyklus.id, Phase.POLITIK, user=stab(), expected_version=_v(welt.zyklus.id)
            )
        db.session.rollback()
        assert _decide(client, csrf_token, welt.vv.id).status_code == 303
        change_phase(
            welt.zyklus.id, Phase.POLITIK, user=stab(), expected_version=_v(welt.zyklus.id)
        )
        db.session.commit()
        with pytest.raises(GuardsFailed, match="Sozialausschuss V"):
            change_phase(
                welt.zyklus.id,
                Phase.ABGESCHLOSSEN,
                user=stab(),
                expected_version=_v(welt.zyklus.id),
            )
        db.session.rollback()
        entry = change_phase(
            welt.zyklus.id,
            Phase.ABGESCHLOSSEN,
            user=stab(),
            expected_version=_v(welt.zyklus.id),
            uebersteuern=[GUARD_POLITIK],
            uebersteuerung_begruendung="Ausschuss tagt erst im Herbst; Beschluss folgt.",
        )
        assert entry.uebersteuert[0]["name"] == GUARD_POLITIK


def test_cycle_without_vorlage_explains_the_guard(make, ctx) -> None:
    from app.stammdaten.models import GremiumTyp
    from app.vorlagen.zyklus import beschluesse_liegen_vor

    z = make.zyklus([], phase=Phase.VERWALTUNGSVORSTAND)
    result = beschluesse_liegen_vor(z, GremiumTyp.VERWALTUNGSVORSTAND, "der Verwaltungsvorstand")
    assert not result.ok and "noch keine Vorlage" in result.erklaerung


def test_agenda_item_links_to_the_vorlage(welt, client, login) -> None:
    login(welt.mitglied)
    body = client.get(f"/sitzungen/{welt.sitzung.id}").get_data(as_text=True)
    assert f'href="/vorlagen/{welt.vorlage.id}"' in body


def test_start_page_task_for_the_chair_and_reading_for_members(welt, client, login) -> None:
    login(welt.vorsitz)
    body = client.get("/start").get_data(as_text=True)
    assert "Beschluss von „Verwaltungsvorstand V“ zur Vorlage" in body
    assert f"/vorlagen/beratung/{welt.vv.id}/beschluss" in body
    login(welt.mitglied)
    body = client.get("/start").get_data(as_text=True)
    assert "lesen – „Verwaltungsvorstand V“ berät sie" in body
    login(welt.ausschuss_mitglied)
    assert "Vorlage" not in client.get("/start").get_data(as_text=True)


def test_phase_politik_mail_links_to_the_vorlage(welt, client, login, csrf_token) -> None:
    from app.auth.models import User
    from app.mail.models import Mail

    login(welt.vorsitz)
    assert _decide(client, csrf_token, welt.vv.id).status_code == 303
    stab = db.session.get(User, welt.stab.id)
    with only_guards(GUARD_VORSTAND):
        change_phase(welt.zyklus.id, Phase.POLITIK, user=stab, expected_version=_v(welt.zyklus.id))
    db.session.commit()
    mail = db.session.scalar(
        select(Mail).where(
            Mail.kind == "zyklus.phasenwechsel", Mail.recipient == welt.ausschuss_mitglied.email
        )
    )
    assert f"/vorlagen/{welt.vorlage.id}" in mail.body_text
    assert f"/vorlagen/{welt.vorlage.id}" in mail.body_html


def test_committee_page_lists_its_vorlage(welt, client, login) -> None:
    login(welt.ausschuss_mitglied)
    body = client.get(f"/stammdaten/gremien/{welt.ausschuss.id}").get_data(as_text=True)
    assert "Vorlagen zur Beratung" in body
    assert f'href="/vorlagen/{welt.vorlage.id}"' in body and "noch nicht an der Reihe" in body


def test_vorlage_page_queries_do_not_grow_with_bodies_and_measures(
    welt, client, login, make, query_counter
) -> None:
    from app.stammdaten.models import Funktion, GremiumTyp
    from app.vorlagen import services

    url = f"/vorlagen/{welt.vorlage.id}"
    for person in (welt.stab, welt.mitglied):
        login(person)
        client.get(url)
        with query_counter() as vorher:
            assert client.get(url).status_code == 200
        vorlage = services.get_vorlage(welt.vorlage.id)
        for n in range(2):
            g = make.gremium(GremiumTyp.FACHAUSSCHUSS, name=f"Ausschuss {person.id}-{n}")
            make.mitgliedschaft(g, make.user(), Funktion.MITGLIED)
            make.sitzung(g)
            services.add_beratung(vorlage, g)
            make.massnahme(welt.zyklus, f"Zusatz {person.id}-{n}", prioritaet=10 + n)
        services.neue_fassung(vorlage, welt.stab, "mehr")
        db.session.commit()
        with query_counter() as nachher:
            body = client.get(url).get_data(as_text=True)
        assert f"Zusatz {person.id}-1" in body
        assert len(nachher) == len(vorher), "\n".join(nachher)
