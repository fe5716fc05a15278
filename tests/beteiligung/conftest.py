"""Trägerrunde with two Träger (three staff), two Sozialräume, Planungsrunde, Stabsstelle."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from app.stammdaten.models import Funktion, GremiumTyp


@pytest.fixture
def welt(make) -> SimpleNamespace:
    """Everyone the Rückmeldung tests need, committed through the factories."""
    w = SimpleNamespace()
    w.nord = make.sozialraum("Stadtbereich Nord", nummer=1)
    w.sued = make.sozialraum("Stadtbereich Süd", nummer=2)
    w.stab = make.stabsstelle(name="Stefanie Stab")
    w.tr = make.gremium(GremiumTyp.TRAEGERRUNDE, name="Trägerrunde Test")
    make.mitgliedschaft(w.tr, w.stab, Funktion.VORSITZ)
    w.awo = make.organisation("AWO Test", kurzname="AWO")
    w.diakonie = make.organisation("Diakonie Test", kurzname="Diakonie")
    w.anna = make.traeger_user(name="Anna Awo", organisation=w.awo)
    w.arne = make.traeger_user(name="Arne Awo", organisation=w.awo)
    w.david = make.traeger_user(name="David Diakonie", organisation=w.diakonie)
    for person in (w.anna, w.david):
        make.mitgliedschaft(w.tr, person)
    w.pr = make.gremium(GremiumTyp.PLANUNGSRUNDE, name="Planungsrunde Test")
    w.planer = make.user(name="Paul Planer")
    make.mitgliedschaft(w.pr, w.planer)
    return w


@pytest.fixture
def bogen(make, welt):
    """A published form with one question of every type, addressed to both Träger."""
    return make.rueckmeldebogen(
        "Rückmeldung Sozialreport", organisationen=[welt.awo, welt.diakonie], veroeffentlicht=True
    )


def fragen_ids(bogen) -> dict[str, int]:
    """Question id per type name."""
    return {f.typ.value: f.id for f in bogen.fragen}


def gueltige_antworten(bogen, welt) -> dict[str, object]:
    """Valid form data answering every question."""
    ids = fragen_ids(bogen)
    return {
        f"f{ids['kurztext']}": "Anna Awo",
        f"f{ids['langtext']}": "Mehr Treffpunkte für Jugendliche.\nUnd Beratung.",
        f"f{ids['einfachauswahl']}": "Familien",
        f"f{ids['mehrfachauswahl']}": ["Beratung", "Kita"],
        f"f{ids['skala']}": "4",
        f"f{ids['zahl']}": "12,5",
        f"f{ids['janein']}": "ja",
        f"f{ids['matrix']}_s{welt.nord.id}": "hoch",
        f"f{ids['matrix']}_s{welt.sued.id}": "gering",
    }


def version_of(body: str) -> str:
    """The optimistic version the fill-in form carries."""
    match = re.search(r'name="version" value="(\d+)"', body)
    assert match, "kein Versionsfeld im Formular"
    return match.group(1)


@pytest.fixture
def post_form(csrf_token):
    """``post_form(client, bogen, data, aktion)`` posts the fill-in form like a browser."""

    def post(
        client,
        bogen,
        data: dict,
        aktion: str = "speichern",
        version: str | None = None,
        *,
        bestaetigen: bool = True,
    ):
        """With ``aktion="einreichen"`` also confirms on the confirmation page (unless told not)."""
        url = f"/beteiligung/{bogen.id}/ausfuellen"
        body = client.get(url).get_data(as_text=True)
        token = csrf_token(client, url)
        payload = {
            **data,
            "csrf_token": token,
            "aktion": aktion,
            "version": version if version is not None else version_of(body),
        }
        response = client.post(url, data=payload, content_type="multipart/form-data")
        confirm = f"/beteiligung/{bogen.id}/einreichen"
        if not bestaetigen or response.status_code != 303 or response.location != confirm:
            return response
        return confirm_submission(client, bogen)

    def confirm_submission(client, bogen):
        url = f"/beteiligung/{bogen.id}/einreichen"
        body = client.get(url).get_data(as_text=True)
        return client.post(
            url, data={"csrf_token": csrf_token(client, url), "version": version_of(body)}
        )

    post.bestaetigen = confirm_submission
    return post


def clean_antworten(bogen, welt, n: int = 0) -> dict[int, object]:
    """Stored (clean) answers to every question but the file, varied by ``n``."""
    ids = fragen_ids(bogen)
    return {
        ids["kurztext"]: f"Person {n}",
        ids["langtext"]: f"Langer Text {n}",
        ids["einfachauswahl"]: ["Kinder", "Familien", "Senioren"][n % 3],
        ids["mehrfachauswahl"]: ["Beratung", "Treff"] if n % 2 else ["Kita"],
        ids["skala"]: 1 + n % 5,
        ids["zahl"]: 10 + n,
        ids["janein"]: n % 2 == 0,
        ids["matrix"]: {welt.nord.id: "hoch", welt.sued.id: ["hoch", "mittel", "gering"][n % 3]},
    }


@pytest.fixture
def einreichen(app, make, welt):
    """``einreichen(bogen, user, n)`` submits for the user's organisation through the service."""
    from app.beteiligung import services
    from app.extensions import db

    def submit(bogen, user, n: int = 0):
        with app.test_request_context():
            rm = services.rueckmeldung_for(bogen.id, user.organisation_id, lock=True)
            services.save_rueckmeldung(
                rm, clean_antworten(bogen, welt, n), user, rm.version, einreichen=True
            )
            db.session.commit()
        return rm

    return submit
