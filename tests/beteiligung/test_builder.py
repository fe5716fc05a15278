"""The Stabsstelle builds a form with every question type, previews, publishes and copies it."""

from __future__ import annotations

from sqlalchemy import select

from app.beteiligung.models import BogenStatus, FrageTyp, Rueckmeldebogen, Rueckmeldung
from app.extensions import db
from app.mail.models import Mail

FRAGEN = [
    {"typ": "kurztext", "text": "Name der Einrichtung", "pflicht": "y"},
    {"typ": "langtext", "text": "Was fehlt?", "hilfetext": "Bitte konkret beschreiben."},
    {"typ": "einfachauswahl", "text": "Wichtigstes Feld", "optionen": "Kinder\nFamilien\n"},
    {"typ": "mehrfachauswahl", "text": "Angebote", "optionen": "Beratung\nTreff"},
    {
        "typ": "skala",
        "text": "Zufriedenheit",
        "skala_min_label": "gering",
        "skala_max_label": "hoch",
    },
    {"typ": "zahl", "text": "Plätze", "zahl_min": "0", "zahl_max": "1.000,5"},
    {"typ": "janein", "text": "Neue Angebote geplant?"},
    {"typ": "matrix", "text": "Bedarf je Stadtbereich", "optionen": "hoch\nniedrig"},
    {"typ": "datei", "text": "Konzept"},
]


def _token(client, csrf_token, url: str) -> str:
    return csrf_token(client, url)


def _new_bogen(client, csrf_token, welt, **extra) -> int:
    data = {
        "csrf_token": _token(client, csrf_token, "/beteiligung/neu"),
        "titel": "Rückmeldung zum Sozialreport 2027",
        "einleitung": "Bitte bis Ende des Monats.",
        "gremium_id": str(welt.tr.id),
        "oeffnet_am": "2020-01-01T09:00",
        "frist": "2099-12-31T18:00",
        "erinnerung_tage": "3",
        **extra,
    }
    response = client.post("/beteiligung/neu", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _build(client, csrf_token, welt) -> Rueckmeldebogen:
    bogen_id = _new_bogen(client, csrf_token, welt)
    token = _token(client, csrf_token, f"/beteiligung/{bogen_id}")
    assert (
        client.post(
            f"/beteiligung/{bogen_id}/abschnitte",
            data={"csrf_token": token, "titel": "Daten und Bedarfe"},
        ).status_code
        == 303
    )
    bogen = db.session.get(Rueckmeldebogen, bogen_id, populate_existing=True)
    abschnitt_id = bogen.abschnitte[0].id
    for frage in FRAGEN:
        response = client.post(
            f"/beteiligung/abschnitte/{abschnitt_id}/fragen/neu",
            data={"csrf_token": token, **frage},
        )
        assert response.status_code == 303, response.get_data(as_text=True)
    return db.session.get(Rueckmeldebogen, bogen_id, populate_existing=True)


def test_builder_creates_every_question_type_and_preview_shows_them(
    client, csrf_token, login, welt
) -> None:
    login(welt.stab)
    bogen = _build(client, csrf_token, welt)
    assert [f.typ for f in bogen.fragen] == list(FrageTyp)
    zahl = next(f for f in bogen.fragen if f.typ == FrageTyp.ZAHL)
    assert (zahl.zahl_min, zahl.zahl_max) == (0, 1000.5)
    assert next(f for f in bogen.fragen if f.typ == FrageTyp.EINFACHAUSWAHL).optionen == [
        "Kinder",
        "Familien",
    ]
    assert bogen.fragen[0].pflicht is True
    preview = client.get(f"/beteiligung/{bogen.id}/vorschau").get_data(as_text=True)
    for frage in FRAGEN:
        assert frage["text"] in preview
    assert "Stadtbereich Nord" in preview and 'type="file"' in preview
    assert "Bitte geben Sie eine Zahl zwischen 0 und 1000,5 ein." in preview


def test_publish_invites_contact_persons_of_the_gremium_organisations(
    client, csrf_token, login, make, welt
) -> None:
    stab_org = make.organisation("Stabsstelle Test")
    welt.stab.organisation_id = stab_org.id
    db.session.commit()
    login(welt.stab)
    bogen = _build(client, csrf_token, welt)
    token = _token(client, csrf_token, f"/beteiligung/{bogen.id}")
    assert (
        client.post(
            f"/beteiligung/{bogen.id}/veroeffentlichen", data={"csrf_token": token}
        ).status_code
        == 303
    )
    rows = db.session.scalars(select(Rueckmeldung).where(Rueckmeldung.bogen_id == bogen.id)).all()
    assert {r.organisation_id for r in rows} == {welt.awo.id, welt.diakonie.id}
    invited = db.session.scalars(
        select(Mail.recipient).where(Mail.kind == "rueckmeldung.einladung")
    ).all()
    assert sorted(invited) == sorted([welt.anna.email, welt.arne.email, welt.david.email])
    mail = db.session.scalars(select(Mail).where(Mail.recipient == welt.anna.email)).first()
    assert f"/beteiligung/{bogen.id}/ausfuellen" in mail.body_text
    assert (
        db.session.get(Rueckmeldebogen, bogen.id, populate_existing=True).status
        == BogenStatus.VEROEFFENTLICHT
    )


def test_published_form_keeps_its_questions_and_can_be_copied(
    client, csrf_token, login, welt
) -> None:
    login(welt.stab)
    bogen = _build(client, csrf_token, welt)
    token = _token(client, csrf_token, f"/beteiligung/{bogen.id}")
    client.post(f"/beteiligung/{bogen.id}/veroeffentlichen", data={"csrf_token": token})
    frage = bogen.fragen[0]
    response = client.post(
        f"/beteiligung/fragen/{frage.id}/bearbeiten",
        data={"csrf_token": token, "typ": "kurztext", "text": "Geändert"},
    )
    assert response.status_code == 422
    assert "bereits veröffentlicht" in response.get_data(as_text=True)
    response = client.post(f"/beteiligung/{bogen.id}/kopieren", data={"csrf_token": token})
    assert response.status_code == 303
    kopie_id = int(response.headers["Location"].split("/")[-2])
    kopie = db.session.get(Rueckmeldebogen, kopie_id)
    assert kopie.status == BogenStatus.ENTWURF and kopie.kopiert_von_id == bogen.id
    assert [(f.typ, f.text, f.optionen) for f in kopie.fragen] == [
        (f.typ, f.text, f.optionen) for f in bogen.fragen
    ]
    assert kopie.gremium_id == welt.tr.id


def test_builder_refuses_bad_input_in_german(client, csrf_token, login, welt) -> None:
    login(welt.stab)
    token = _token(client, csrf_token, "/beteiligung/neu")
    response = client.post(
        "/beteiligung/neu",
        data={
            "csrf_token": token,
            "titel": "",
            "oeffnet_am": "2030-01-02T10:00",
            "frist": "kein Datum",
            "erinnerung_tage": "99",
            "organisation_ids": ["abc"],
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bitte geben Sie einen Titel ein." in body
    assert "Bitte eine Zahl von 0 bis 30 eingeben." in body
    assert "Bitte wählen Sie einen Eintrag aus der Liste." in body
    bogen_id = _new_bogen(client, csrf_token, welt)
    token = _token(client, csrf_token, f"/beteiligung/{bogen_id}")
    client.post(f"/beteiligung/{bogen_id}/abschnitte", data={"csrf_token": token, "titel": "A"})
    abschnitt_id = (
        db.session.get(Rueckmeldebogen, bogen_id, populate_existing=True).abschnitte[0].id
    )
    response = client.post(
        f"/beteiligung/abschnitte/{abschnitt_id}/fragen/neu",
        data={"csrf_token": token, "typ": "einfachauswahl", "text": "X", "optionen": "nur eine"},
    )
    assert response.status_code == 422
    assert "mindestens zwei Antwortmöglichkeiten" in response.get_data(as_text=True)
    response = client.post(
        f"/beteiligung/abschnitte/{abschnitt_id}/fragen/neu",
        data={"csrf_token": token, "typ": "gibtsnicht", "text": "X", "zahl_min": "abc"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "Bitte geben Sie eine Zahl ein" in body


def test_frist_before_opening_is_refused(client, csrf_token, login, welt) -> None:
    login(welt.stab)
    token = _token(client, csrf_token, "/beteiligung/neu")
    response = client.post(
        "/beteiligung/neu",
        data={
            "csrf_token": token,
            "titel": "T",
            "oeffnet_am": "2030-01-02T10:00",
            "frist": "2030-01-01T10:00",
            "erinnerung_tage": "3",
        },
    )
    assert response.status_code == 422
    assert "Die Frist muss nach dem Öffnungszeitpunkt liegen." in response.get_data(as_text=True)


def test_traeger_cannot_use_the_builder(client, login, welt, bogen) -> None:
    login(welt.anna)
    for url in (
        "/beteiligung/",
        "/beteiligung/neu",
        f"/beteiligung/{bogen.id}",
        f"/beteiligung/{bogen.id}/vorschau",
        f"/beteiligung/{bogen.id}/export.xlsx",
    ):
        assert client.get(url).status_code == 403, url


def test_extending_the_deadline_reopens_and_new_addressees_are_invited(
    client, csrf_token, login, make, welt
) -> None:
    from datetime import timedelta

    from app.beteiligung import services
    from app.core.types import utcnow

    bogen = make.rueckmeldebogen(
        "Verlängert",
        organisationen=[welt.awo],
        veroeffentlicht=True,
        oeffnet_am=utcnow() - timedelta(days=9),
        frist=utcnow() - timedelta(hours=1),
    )
    services.close_due()
    db.session.commit()
    login(welt.stab)
    url = f"/beteiligung/{bogen.id}/bearbeiten"
    form = client.get(url).get_data(as_text=True)
    assert 'value="Verlängert"' in form
    response = client.post(
        url,
        data={
            "csrf_token": csrf_token(client, url),
            "titel": "Verlängert",
            "oeffnet_am": "2020-01-01T09:00",
            "frist": "2099-01-01T09:00",
            "erinnerung_tage": "3",
            "organisation_ids": [str(welt.awo.id), str(welt.diakonie.id)],
        },
    )
    assert response.status_code == 303
    fresh = db.session.get(Rueckmeldebogen, bogen.id, populate_existing=True)
    assert fresh.status == BogenStatus.VEROEFFENTLICHT and fresh.geschlossen_at is None
    assert make.rueckmeldung(bogen, welt.diakonie) is not None
    invited = db.session.scalars(
        select(Mail.recipient).where(Mail.kind == "rueckmeldung.einladung")
    ).all()
    assert invited == [welt.david.email]


def test_questions_can_be_moved_and_deleted(client, csrf_token, login, make, welt) -> None:
    bogen = make.rueckmeldebogen(
        fragen=[{"typ": "kurztext", "text": "Erste"}, {"typ": "janein", "text": "Zweite"}]
    )
    login(welt.stab)
    token = _token(client, csrf_token, f"/beteiligung/{bogen.id}")
    erste, zweite = bogen.fragen
    assert (
        client.post(
            f"/beteiligung/fragen/{zweite.id}/verschieben",
            data={"csrf_token": token, "richtung": "hoch"},
        ).status_code
        == 303
    )
    assert _texte(bogen.id) == ["Zweite", "Erste"]
    assert (
        client.post(
            f"/beteiligung/fragen/{zweite.id}/verschieben",
            data={"csrf_token": token, "richtung": "seitwärts"},
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/beteiligung/fragen/{erste.id}/loeschen", data={"csrf_token": token}
        ).status_code
        == 303
    )
    assert _texte(bogen.id) == ["Zweite"]


def _texte(bogen_id: int) -> list[str]:
    from app.beteiligung.models import BogenAbschnitt, BogenFrage

    return list(
        db.session.scalars(
            select(BogenFrage.text)
            .join(BogenAbschnitt)
            .where(BogenAbschnitt.bogen_id == bogen_id)
            .order_by(BogenFrage.position)
        )
    )


def test_cached_list_copies_with_fresh_tokens(client, login, make, welt) -> None:
    """The list is cached; each copy form gets new CSRF and one-time tokens per request."""
    import re

    bogen = make.rueckmeldebogen("Bogen zum Kopieren", organisationen=[], veroeffentlicht=True)
    login(welt.stab)
    client.get("/beteiligung/")
    page = client.get("/beteiligung/").get_data(as_text=True)
    assert "<!--formular-felder-->" not in page
    form = re.search(rf'action="/beteiligung/{bogen.id}/kopieren".*?</form>', page, re.S)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(0)))
    assert client.post(f"/beteiligung/{bogen.id}/kopieren", data=fields).status_code == 303
    after = client.get("/beteiligung/").get_data(as_text=True)
    assert after.count("Bogen zum Kopieren") > page.count("Bogen zum Kopieren")  # the copy
