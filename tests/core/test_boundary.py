"""The one input boundary: text cleaned, numbers and dates bounded, unknown objects 404."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select, text
from werkzeug.datastructures import FileStorage, MultiDict

from app.core import boundary
from app.core.errors import render_error
from app.datenbasis.models import Einrichtung
from app.extensions import db

HOSTILE = "a\x00b\x07c\x1bd\u202ee\x85f"


def test_clean_text_removes_controls_and_bidi_but_keeps_breaks() -> None:
    assert boundary.clean_text(HOSTILE + "\r\nzeile\tzwei") == "abcdef\nzeile\tzwei"
    assert boundary.clean_text("eins\r\nzwei\tdrei", multiline=False) == "eins zwei drei"
    assert boundary.clean_filename("rechnung\u202efdp.exe") == "rechnungfdp.exe"
    assert boundary.clean_filename(" protokoll\x00.pdf\r\n") == "protokoll.pdf"


def test_parameter_storage_cleans_values_keys_and_file_names() -> None:
    upload = FileStorage(io.BytesIO(b"x"), filename="bericht\u2066.pdf")
    params = boundary.CleanMultiDict(
        MultiDict([("q\x00", HOSTILE), ("q\x00", "ok"), ("f", upload)])
    )
    assert params.getlist("q") == ["abcdef", "ok"]
    assert params["f"].filename == "bericht.pdf"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), ("2147483647", 2147483647), ("2147483648", 1), ("-99999999999999999999", 1)],
)
def test_integer_query_arguments_stay_in_database_range(raw, expected) -> None:
    params = boundary.CleanMultiDict({"seite": raw, "ids": [raw, "3"]})
    assert params.get("seite", 1, type=int) == expected
    assert 3 in params.getlist("ids", type=int)


def test_nul_and_huge_numbers_in_query_arguments_are_harmless(client, login, make) -> None:
    """Former 500s: NUL in ?q=/?schlagwort=, 20-digit ?seite=/?sozialraum= (then InFailedSql)."""
    login(make.stabsstelle())
    for url in (
        "/stammdaten/benutzer?q=a%00b&seite=99999999999999999999",
        "/datenbasis/interviews?schlagwort=%00&sozialraum=99999999999999999999",
        "/datenbasis/einrichtungen?sozialraum=-99999999999999999999",
        "/postausgang/?seite=99999999999999999999&status=%00",
        "/benachrichtigungen/?seite=99999999999999999999",
        "/impulse/?q=%00%1b&sozialraum=99999999999999999999",
    ):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "url",
    [
        "/stammdaten/benutzer/99999999999999999999",
        "/sitzungen/2147483648",
        "/sitzungen/antwort/abc%00def",
        "/sitzungen/antwort/abc%E2%80%AEdef",
    ],
)
def test_ids_beyond_the_database_and_tokens_with_controls_are_404(client, login, make, url) -> None:
    login(make.stabsstelle())
    assert client.get(url).status_code == 404


def test_login_with_nul_in_email_is_a_normal_failure(client, csrf_token) -> None:
    """Former 500: NUL in the login e-mail reached PostgreSQL."""
    response = client.post(
        "/anmelden",
        data={
            "csrf_token": csrf_token(client, "/anmelden"),
            "email": "a\x00@example.org",
            "password": "x\x00",
        },
    )
    assert response.status_code == 200
    assert "nicht korrekt" in response.get_data(as_text=True)


def _post(client, csrf_token, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def test_form_text_is_cleaned_and_one_line_fields_lose_breaks(client, login, make, csrf_token):
    login(make.stabsstelle())
    raum = make.sozialraum()
    response = _post(
        client,
        csrf_token,
        "/datenbasis/einrichtungen/neu",
        {"name": "Kita\x00 Sonnen\r\nschein\u202e", "typ": "kita", "sozialraum_id": str(raum.id)},
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:2000]
    names = db.session.scalars(select(Einrichtung.name)).all()
    assert names == ["Kita Sonnen schein"]


def test_dates_outside_1900_to_2100_are_form_errors(client, login, make, csrf_token) -> None:
    """Former 500: 0001-01-01T00:00 overflowed in the Europe/Berlin conversion."""
    login(make.stabsstelle())
    gremium = make.gremium()
    for value in ("0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T10:00"):
        response = _post(
            client,
            csrf_token,
            "/sitzungen/neu",
            {"gremium_id": str(gremium.id), "titel": "T", "beginn": value, "ort": "Rathaus"},
        )
        assert response.status_code in (200, 400, 422), value
        assert "zwischen 1900 und 2100" in response.get_data(as_text=True), value


def test_integers_beyond_the_database_are_form_errors(client, login, make, csrf_token) -> None:
    login(make.stabsstelle())
    response = _post(
        client,
        csrf_token,
        "/stammdaten/sozialraeume/neu",
        {"name": "Riesig", "nummer": "99999999999999999999"},
    )
    assert response.status_code in (200, 400, 422)
    assert "Die Zahl ist zu groß." in response.get_data(as_text=True)


def test_unique_violation_becomes_a_form_error_keeping_the_input(
    client, login, make, csrf_token
) -> None:
    """Former 500: the same Einrichtung submitted twice (UniqueViolation)."""
    login(make.stabsstelle())
    raum = make.sozialraum()
    data = {"name": "Jugendtreff Nord", "typ": "jugendeinrichtung", "strasse": "Am Markt 1"}
    data["sozialraum_id"] = str(raum.id)
    assert _post(client, csrf_token, "/datenbasis/einrichtungen/neu", data).status_code == 303
    again = _post(client, csrf_token, "/datenbasis/einrichtungen/neu", data)
    body = again.get_data(as_text=True)
    assert again.status_code in (200, 400, 409, 422)
    assert "besteht bereits" in body
    assert 'value="Jugendtreff Nord"' in body and 'value="Am Markt 1"' in body
    assert len(db.session.scalars(select(Einrichtung)).all()) == 1


def test_error_page_rolls_back_a_failed_transaction_first(app, ctx) -> None:
    """Former cascade: the error page queried on a failed transaction (InFailedSqlTransaction)."""
    with pytest.raises(Exception, match="division by zero"):
        db.session.execute(text("SELECT 1/0"))
    body, code = render_error(400)
    assert code == 400 and "Ungültige Anfrage" in body
    assert db.session.execute(text("SELECT 1")).scalar() == 1


def test_every_form_uses_the_base_form() -> None:
    """New forms get the boundary and the one-time token by deriving from core's Form."""
    from flask_wtf import FlaskForm  # noqa: TID251 - checking that nobody else does

    from app.core.forms import Form

    def walk(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    strays = [
        f"{c.__module__}.{c.__qualname__}"
        for c in walk(FlaskForm)
        if c.__module__.startswith("app.") and not issubclass(c, Form)
    ]
    assert strays == []
    pyproject = Path(__file__).parents[2] / "pyproject.toml"
    assert re.search(r'"flask_wtf.FlaskForm".msg', pyproject.read_text(encoding="utf-8"))


def test_file_version_of_a_meeting_without_minutes_is_404(client, login, make) -> None:
    """Former 500: 'NoneType' has no attribute 'revisionen'."""
    login(make.stabsstelle())
    sitzung = make.vergangene_sitzung(make.gremium())
    assert client.get(f"/protokolle/sitzung/{sitzung.id}/fassungen/1").status_code == 404


def test_interview_edit_with_fields_left_out_is_a_form_error(client, login, make, csrf_token):
    """Former 500: a left-out text field kept its list value from obj= (schlagworte)."""
    from app.datenbasis.models import Interview, Schlagwort

    login(make.stabsstelle())
    interview = Interview(titel="Gespräch", zusammenfassung="Text")
    interview.schlagworte = [Schlagwort(name="Wohnen")]
    db.session.add(interview)
    db.session.commit()
    url = f"/datenbasis/interviews/{interview.id}/bearbeiten"
    response = client.post(url, data={"csrf_token": csrf_token(client, url)})
    assert response.status_code in (200, 303, 400, 422)  # WTForms keeps the stored values
    assert db.session.get(Interview, interview.id, populate_existing=True).titel == "Gespräch"
