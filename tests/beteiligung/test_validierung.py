"""Every question type is checked in German on the server; fuzzed input never yields a 500."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.beteiligung.antworten import read_raw, validate
from app.beteiligung.models import BogenFrage, FrageTyp, RueckmeldungStatus
from tests.beteiligung.conftest import fragen_ids, gueltige_antworten
from tests.support.dateien import MINIMAL_PDF


def _frage(typ: str, **kw) -> BogenFrage:
    frage = BogenFrage(
        id=kw.pop("id", 1), typ=FrageTyp(typ), text="F", pflicht=kw.pop("pflicht", False), **kw
    )
    frage.optionen = kw.get("optionen", frage.optionen or [])
    return frage


@pytest.mark.parametrize(
    ("frage", "eingabe", "meldung"),
    [
        (_frage("kurztext"), "x" * 501, "Bitte kürzen Sie Ihre Antwort auf höchstens 500 Zeichen."),
        (_frage("kurztext"), "a\x00b", "Die Antwort enthält unzulässige Steuerzeichen."),
        (
            _frage("langtext"),
            "y" * 10001,
            "Bitte kürzen Sie Ihre Antwort auf höchstens 10000 Zeichen.",
        ),
        (
            _frage("einfachauswahl", optionen=["a", "b"]),
            "c",
            "Bitte wählen Sie eine der angebotenen Antworten.",
        ),
        (
            _frage("mehrfachauswahl", optionen=["a", "b"]),
            ["a", "z"],
            "Bitte wählen Sie eine der angebotenen Antworten.",
        ),
        (_frage("skala"), "6", "Bitte wählen Sie einen Wert von 1 bis 5."),
        (_frage("skala"), "2.5", "Bitte wählen Sie einen Wert von 1 bis 5."),
        (_frage("zahl"), "1e5", "Bitte geben Sie eine Zahl ein, z. B. 12 oder 12,5."),
        (
            _frage("zahl"),
            "12.5",  # a decimal point is not guessed: German readers write 12,5
            "„12.5“ ist keine Zahl in deutscher Schreibweise. Ein Punkt trennt nur Tausender "
            "(drei Ziffern), Nachkommastellen folgen dem Komma. Gemeint ist vielleicht „125“ "
            "oder „12,5“? (z. B. 1.234,5 oder 12,5 – Tausenderpunkt, Dezimalkomma)",
        ),
        (
            _frage("zahl", zahl_min=0, zahl_max=10),
            "11",
            "Bitte geben Sie eine Zahl zwischen 0 und 10 ein.",
        ),
        (_frage("zahl", zahl_min=-2.5), "-3", "Bitte geben Sie eine Zahl von mindestens -2,5 ein."),
        (_frage("janein"), "vielleicht", "Bitte wählen Sie „Ja“ oder „Nein“."),
        (
            _frage("matrix", optionen=["hoch"]),
            {1: "tief"},
            "Bitte wählen Sie eine der angebotenen Antworten.",
        ),
        (_frage("kurztext", pflicht=True), "  ", "Bitte beantworten Sie diese Frage."),
        (
            _frage("matrix", pflicht=True),
            {1: "Text"},
            "Bitte geben Sie für jeden Stadtbereich eine Antwort.",
        ),
        (_frage("datei", pflicht=True), None, "Bitte beantworten Sie diese Frage."),
    ],
)
def test_every_type_is_checked_in_german(frage, eingabe, meldung) -> None:
    result = validate([frage], {frage.id: eingabe}, [1, 2], vollstaendig=True)
    assert result.errors == {frage.id: meldung}


@pytest.mark.parametrize(
    ("frage", "eingabe", "wert"),
    [
        (_frage("kurztext"), "  Text  ", "Text"),
        (_frage("langtext"), "a\r\nb", "a\nb"),
        (_frage("mehrfachauswahl", optionen=["a", "b", "c"]), ["c", "a", "a"], ["a", "c"]),
        (_frage("skala"), "3", 3),
        (_frage("zahl"), "12,5", 12.5),
        (_frage("zahl"), "-7", -7),
        (_frage("zahl"), "1.234", 1234),  # thousands dot: once read as 1.234
        (_frage("zahl"), "1.234,5", 1234.5),
        (_frage("janein"), "nein", False),
        (_frage("matrix"), {1: " Nord ", 2: ""}, {1: "Nord"}),
    ],
)
def test_valid_answers_are_normalised(frage, eingabe, wert) -> None:
    result = validate([frage], {frage.id: eingabe}, [1, 2], vollstaendig=True)
    assert result.errors == {} and result.clean == {frage.id: wert}


def test_required_flags_do_not_block_a_draft() -> None:
    frage = _frage("kurztext", pflicht=True)
    assert validate([frage], {frage.id: ""}, [], vollstaendig=False).errors == {}


def test_read_raw_takes_lists_and_matrix_cells() -> None:
    fragen = [_frage("mehrfachauswahl", id=1), _frage("matrix", id=2), _frage("datei", id=3)]
    form = MultiDict([("f1", "a"), ("f1", "b"), ("f2_s7", "x"), ("f3_anhang", "nicht-zahl")])
    assert read_raw(fragen, form, [7, 8]) == {1: ["a", "b"], 2: {7: "x", 8: ""}, 3: None}


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
_werte = st.one_of(
    _text,
    st.sampled_from(
        [
            "",
            "ja",
            "nein",
            "1",
            "5",
            "0",
            "-1",
            "12,5",
            "Kinder",
            "hoch",
            "9" * 30,
            "NaN",
            "1e400",
            "\x00",
        ]
    ),
)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fuzzed_submit_never_yields_a_server_error(
    client, login, welt, bogen, csrf_token, data
) -> None:
    login(welt.anna)
    url = f"/beteiligung/{bogen.id}/ausfuellen"
    ids = fragen_ids(bogen)
    names = [f"f{i}" for i in ids.values()] + [
        f"f{ids['matrix']}_s{welt.nord.id}",
        f"f{ids['datei']}_anhang",
        "f999999",
        "version",
        "aktion",
        "f{ids}",
        "f-1",
    ]
    form = data.draw(
        st.dictionaries(
            st.sampled_from(names),
            st.one_of(_werte, st.lists(_werte, max_size=3)),
            max_size=len(names),
        )
    )
    form.setdefault("aktion", data.draw(st.sampled_from(["speichern", "einreichen", "löschen"])))
    if "version" not in form and data.draw(st.booleans()):
        # an earlier example may have submitted the form already: then there is no version
        match = re.search(r'name="version" value="(\d+)"', client.get(url).get_data(as_text=True))
        if match:
            form["version"] = match.group(1)
    form["csrf_token"] = csrf_token(client, "/beteiligung/offen")
    response = client.post(url, data=form)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert response.status_code in (303, 400, 409, 422)


def test_attachment_is_checked_by_content_and_kept_on_errors(
    client, login, make, welt, bogen, post_form
) -> None:
    login(welt.anna)
    ids = fragen_ids(bogen)
    data = {
        **gueltige_antworten(bogen, welt),
        f"f{ids['zahl']}": "falsch",
        f"f{ids['datei']}": (io.BytesIO(MINIMAL_PDF), "konzept.pdf"),
    }
    response = post_form(client, bogen, data)
    body = response.get_data(as_text=True)
    assert (
        response.status_code == 422 and "konzept.pdf" in body
    )  # kept although another answer was wrong
    fake = {f"f{ids['datei']}": (io.BytesIO(b"MZ\x90\x00ausfuehrbar"), "harmlos.pdf")}
    response = post_form(client, bogen, fake)
    assert response.status_code == 422
    assert "Der Inhalt der Datei entspricht keinem erlaubten Dateityp" in response.get_data(
        as_text=True
    )
    anhang_id = int(body.split(f'name="f{ids["datei"]}_anhang" value="')[1].split('"')[0])
    saved = post_form(
        client,
        bogen,
        {**gueltige_antworten(bogen, welt), f"f{ids['datei']}_anhang": str(anhang_id)},
    )
    assert saved.status_code == 303
    download = client.get(f"/beteiligung/anhaenge/{anhang_id}")
    assert download.status_code == 200 and download.data == MINIMAL_PDF
    download.close()
    assert (
        login(welt.david, client.application.test_client())
        .get(f"/beteiligung/anhaenge/{anhang_id}")
        .status_code
        == 403
    )
    # as on the answer page: the Stabsstelle sees a draft's attachment only once it is submitted
    stab = login(welt.stab, client.application.test_client())
    assert stab.get(f"/beteiligung/anhaenge/{anhang_id}").status_code == 403
    submitted = post_form(
        client,
        bogen,
        {**gueltige_antworten(bogen, welt), f"f{ids['datei']}_anhang": str(anhang_id)},
        "einreichen",
    )
    assert submitted.status_code == 303
    download = stab.get(f"/beteiligung/anhaenge/{anhang_id}")
    assert download.status_code == 200 and download.data == MINIMAL_PDF
    download.close()


def test_foreign_attachment_id_is_not_taken_over(
    app, client, login, make, welt, bogen, post_form
) -> None:
    ids = fragen_ids(bogen)
    other = login(welt.david, app.test_client())
    body = post_form(
        other,
        bogen,
        {f"f{ids['zahl']}": "x", f"f{ids['datei']}": (io.BytesIO(MINIMAL_PDF), "diakonie.pdf")},
    ).get_data(as_text=True)
    foreign_id = body.split(f'name="f{ids["datei"]}_anhang" value="')[1].split('"')[0]
    login(welt.anna)
    assert post_form(client, bogen, {f"f{ids['datei']}_anhang": foreign_id}).status_code == 303
    rm = make.rueckmeldung(bogen, welt.awo)
    assert [a for a in rm.antworten if a.frage_id == ids["datei"]] == []


def test_oversized_attachment_is_413_with_german_page(
    app, client, login, make, welt, bogen, post_form, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "DATEI_MAX_BYTES", 1024)
    login(welt.anna)
    ids = fragen_ids(bogen)
    big = {f"f{ids['datei']}": (io.BytesIO(MINIMAL_PDF + b"0" * 4096), "gross.pdf")}
    response = post_form(client, bogen, big)
    body = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "Datei zu groß" in body and "höchstens 1 MB" in body and '<html lang="de">' in body
    assert make.rueckmeldung(bogen, welt.awo).status == RueckmeldungStatus.OFFEN


def test_request_above_the_global_limit_is_413_in_german(
    app, client, login, welt, bogen, post_form, monkeypatch
) -> None:
    login(welt.anna)
    ids = fragen_ids(bogen)
    url = f"/beteiligung/{bogen.id}/ausfuellen"
    client.get(url)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    response = client.post(
        url,
        data={"f" + str(ids["datei"]): (io.BytesIO(b"%PDF-" + b"1" * 8192), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "Die hochgeladene Datei überschreitet die zulässige Größe." in response.get_data(
        as_text=True
    )
