"""Random input to every form of minutes, impulses and measures never causes a 500."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

text = st.one_of(
    st.sampled_from(
        [
            "",
            "a\x00b",
            "\x00",
            "<script>alert(1)</script>",
            "../../etc/passwd",
            "1.000,5",
            "9" * 40,
            "２０２７-０１-０１",
            "-1",
        ]
    ),
    st.text(max_size=300),
)
zahl = st.one_of(st.integers(-(10**12), 10**12).map(str), text)
FUZZ = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _token(client, url: str) -> str:
    body = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)


@FUZZ
@given(anzahl=zahl, orgs=text, ergebnisse=text, titel=text, raum=zahl, adressat=text)
def test_minutes_forms_survive_fuzzing(
    app, login, welt, anzahl, orgs, ergebnisse, titel, raum, adressat
) -> None:
    client = login(welt.moderator, app.test_client())
    url = f"/protokolle/sitzung/{welt.sitzung.id}"
    token = _token(client, url)
    first = client.post(
        f"{url}/ergebnisse",
        data={
            "csrf_token": token,
            "teilnehmende_anzahl": anzahl,
            "teilnehmende_organisationen": orgs,
            "ergebnisse": ergebnisse,
            "vereinbarungen": ergebnisse,
        },
    )
    second = client.post(
        f"{url}/impulse",
        data={
            "csrf_token": token,
            "titel": titel,
            "beschreibung": orgs,
            "thema": titel,
            "sozialraum_id": raum,
            "adressiert_an": adressat,
        },
    )
    assert first.status_code < 500 and second.status_code < 500
    assert client.get(url).status_code == 200


@FUZZ
@given(nach=text, erwartet=text, begruendung=text, antwort=text, filt=text)
def test_impulse_forms_survive_fuzzing(
    app, login, welt, make, nach, erwartet, begruendung, antwort, filt
) -> None:
    client = login(welt.stab, app.test_client())
    impuls = make.impuls("Fuzz", quelle_gremium_id=welt.nord.id)
    url = f"/impulse/{impuls.id}"
    token = _token(client, url)
    for response in (
        client.post(
            f"{url}/status",
            data={
                "csrf_token": token,
                "nach": nach,
                "erwartet": erwartet,
                "begruendung": begruendung,
            },
        ),
        client.post(f"{url}/antwort", data={"csrf_token": token, "antwort": antwort}),
        client.get(
            "/impulse/",
            query_string={"status": filt, "zyklus_id": filt, "quelle": filt, "gremium_id": filt},
        ),
    ):
        assert response.status_code < 500


@FUZZ
@given(
    kosten=zahl,
    prio=zahl,
    art=text,
    bewertung=text,
    impulse=st.lists(zahl, max_size=3),
    datum=text,
    gremium=zahl,
    drucksache=text,
)
def test_measure_forms_survive_fuzzing(
    app, login, welt, make, kosten, prio, art, bewertung, impulse, datum, gremium, drucksache
) -> None:
    client = login(welt.stab, app.test_client())
    neu = f"/massnahmen/zyklus/{welt.zyklus.id}/neu"
    token = _token(client, neu)
    created = client.post(
        neu,
        data={
            "csrf_token": token,
            "titel": drucksache or "M",
            "art": art,
            "kosten": kosten,
            "haushalt": kosten,
            "bewertung": bewertung,
            "bewertung_begruendung": drucksache,
            "prioritaet": prio,
            "impulse": impulse,
            "sozialraum_id": gremium,
        },
    )
    assert created.status_code < 500
    massnahme = make.massnahme(welt.zyklus, "Fuzz")
    url = f"/massnahmen/{massnahme.id}"
    for response in (
        client.post(
            f"{url}/beschluesse",
            data={
                "csrf_token": token,
                "gremium_id": gremium,
                "ergebnis": art,
                "datum": datum,
                "drucksache": drucksache,
            },
        ),
        client.post(
            f"{url}/drittmittel",
            data={"csrf_token": token, "quelle": drucksache, "betrag": kosten, "status": bewertung},
        ),
    ):
        assert response.status_code < 500
