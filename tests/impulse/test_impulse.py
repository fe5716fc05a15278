"""The shared Impuls: created through the service, shown on a minimal detail page."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.impulse.models import Impuls, ImpulsAdressat, ImpulsQuelle, ImpulsStatus
from app.impulse.services import ImpulsError, create_impuls
from app.protokolle.hooks import protokoll_id_of


def test_create_impuls_starts_as_eingegangen(ctx, make) -> None:
    stab = make.stabsstelle()
    raum = make.sozialraum("Stadtbereich West")
    gremium = make.gremium()
    impuls = create_impuls(
        "  Mehr Spielplätze  ",
        ImpulsQuelle.STADTTEILARBEITSKREIS,
        erstellt_von_id=stab.id,
        beschreibung="Aus dem Arbeitskreis",
        sozialraum_id=raum.id,
        quelle_gremium_id=gremium.id,
        adressiert_an=ImpulsAdressat.VERWALTUNGSVORSTAND,
    )
    db.session.commit()
    saved = db.session.get(Impuls, impuls.id, populate_existing=True)
    assert (saved.titel, saved.status, saved.quelle, saved.adressiert_an) == (
        "Mehr Spielplätze",
        ImpulsStatus.EINGEGANGEN,
        ImpulsQuelle.STADTTEILARBEITSKREIS,
        ImpulsAdressat.VERWALTUNGSVORSTAND,
    )
    assert saved.sozialraum_id == raum.id and saved.created_at is not None
    assert saved.zyklus_id is None and protokoll_id_of(saved.id) is None


def test_impuls_needs_a_title(ctx) -> None:
    with pytest.raises(ImpulsError, match="Titel"):
        create_impuls("   ", ImpulsQuelle.POLITIK, erstellt_von_id=None)


def test_detail_page_for_stabsstelle_and_creator_only(app, client, ctx, login, make) -> None:
    stab = make.stabsstelle()
    impuls = create_impuls("Bedarf Ganztag", ImpulsQuelle.POLITIK, erstellt_von_id=stab.id)
    db.session.commit()
    login(stab)
    body = client.get(f"/impulse/{impuls.id}").get_data(as_text=True)
    assert "Bedarf Ganztag" in body and "eingegangen" in body and "gesamte Stadt" in body
    other = login(make.traeger_user(), app.test_client())
    assert other.get(f"/impulse/{impuls.id}").status_code == 403
    assert other.get("/impulse/999999").status_code == 404


def test_a_concluded_cycle_takes_no_new_impulses(client, login, make, csrf_token) -> None:
    from app.extensions import db
    from app.workflows.models import Phase, Zyklus

    stab = make.stabsstelle()
    zyklus = make.zyklus([], titel="Sozialplanung 2026", phase=Phase.POLITIK)
    make.impuls("Noch offen", zyklus_id=zyklus.id)  # allowed until the cycle ends
    db.session.get(Zyklus, zyklus.id).phase = Phase.ABGESCHLOSSEN
    db.session.commit()
    with pytest.raises(ImpulsError, match="nur noch gelesen") as info:
        create_impuls("Zu spät", ImpulsQuelle.POLITIK, erstellt_von_id=stab.id, zyklus_id=zyklus.id)
    assert info.value.status_code == 409
    login(stab)
    token = csrf_token(client, "/impulse/neu")
    response = client.post(
        "/impulse/neu",
        data={
            "csrf_token": token,
            "titel": "Zu spät",
            "quelle": "politik",
            "adressiert_an": "planungsrunde",
            "zyklus_id": str(zyklus.id),
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 409 and "Folgezyklus" in body and 'value="Zu spät"' in body
