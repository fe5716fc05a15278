"""Portal pages need a fixed number of SQL statements, however long their lists are."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.impulse.models import Impuls
from app.massnahmen.models import Meilenstein
from app.oeffentlich.services import BERLIN

PAGES = (
    "/oeffentlich/",
    "/oeffentlich/planungszyklus",
    "/oeffentlich/sitzungen/?monat={monat}",
    "/oeffentlich/protokolle/",
    "/oeffentlich/impulse/",
    "/oeffentlich/massnahmen/",
    "/oeffentlich/stadtbereiche/",
    "/oeffentlich/stadtbereiche/{nord}",
    "/oeffentlich/gremien/{sak}",
    "/oeffentlich/kalender.ics",
)


def _more(make, stadt, n: int) -> None:
    """``n`` more public meetings (with agenda), minutes, impulses and measures."""
    for i in range(n):
        beginn = stadt.sitzung.beginn + timedelta(hours=i + 1)
        sitzung = make.sitzung(
            stadt.sak, beginn=beginn, oeffentlich=True, zyklus_id=stadt.zyklus.id
        )
        make.top(sitzung, f"Punkt {i}")
        alt = make.vergangene_sitzung(stadt.sak, tage=5 + i, oeffentlich=True)
        make.protokoll(alt, freigegeben=True, oeffentlich=True)
        impuls = make.impuls(
            f"Mehr {i}", sozialraum_id=stadt.nord.id, quelle_gremium_id=stadt.sak.id
        )
        db.session.get(Impuls, impuls.id).oeffentlich = True
        massnahme = make.massnahme(
            stadt.zyklus, impulse=[impuls], oeffentlich=True, sozialraum_id=stadt.nord.id
        )
        db.session.add(Meilenstein(massnahme_id=massnahme.id, titel="M", datum=beginn.date()))
    db.session.commit()


def _counts(client, query_counter, urls: list[str]) -> list[int]:
    counts = []
    for url in urls:
        with query_counter() as statements:
            assert client.get(url).status_code == 200, url
        counts.append(len(statements))
    return counts


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_the_lists(client, make, stadt, query_counter, page) -> None:
    url = page.format(
        monat=stadt.sitzung.beginn.astimezone(BERLIN).strftime("%Y-%m"),
        nord=stadt.nord.id,
        sak=stadt.sak.id,
    )
    client.get(url)  # warm caches (templates, first-request setup)
    before = _counts(client, query_counter, [url])
    _more(make, stadt, 6)
    after = _counts(client, query_counter, [url])
    assert after == before, f"{url}: {before} → {after} Abfragen"
