"""Passwords after OWASP ASVS 2.1: length, no control characters, not among the common ones."""

from __future__ import annotations

import pytest

from app.auth.passwords import LISTE, common_passwords, password_problem, visible_length


def test_the_shipped_list_has_the_10000_most_common_passwords() -> None:
    header = " ".join(LISTE.read_text(encoding="utf-8").splitlines()[:6])
    assert "zxcvbn 4.5.0" in header and "MIT" in header and "Public Domain" in header
    words = common_passwords()
    assert len(words) == 10000
    assert {"123456", "password", "qwerty", "dragon"} <= words


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("kurz-2026", "mindestens 12 Zeichen"),
        ("😀" * 11, "mindestens 12 Zeichen"),
        ("😀" * 12, "zu leicht zu erraten"),  # twelve emoji, but one character repeated
        ("👍🏽" * 6 + "ab", "mindestens 12 Zeichen"),  # skin tones add no character
        ("lang-genug\x00geheim", "Steuerzeichen"),
        ("lang-genug\tgeheim", "Steuerzeichen"),
        ("1q2w3e4r5t6y", "zu leicht zu erraten"),  # on the list
        ("baseball2026!!", "zu leicht zu erraten"),  # common word with digits appended
        ("Password1234", "zu leicht zu erraten"),
        ("abcabcabcabc", "zu leicht zu erraten"),  # repetition
        ("x" * 129, "höchstens 128"),
    ],
)
def test_weak_passwords_are_refused_in_german(password: str, reason: str) -> None:
    assert reason in (password_problem(password) or "")


@pytest.mark.parametrize(
    "password",
    [
        "Mein Fahrrad ist blau",
        "Kaffee um 7 am Rathausplatz",
        "Ölwechsel-im-Frühling-2026",
        "🚲 fährt zum 🏛️ um 8",
        "x" * 64 + "ein langer Satz",
    ],
)
def test_good_passwords_pass_also_with_spaces_umlauts_and_emoji(password: str) -> None:
    assert password_problem(password) is None


def test_own_address_or_name_is_refused() -> None:
    problem = password_problem("nina.neu@traeger.example", email="nina.neu@traeger.example")
    assert problem and "E-Mail-Adresse oder Ihr Name" in problem


def test_length_counts_what_people_see() -> None:
    assert visible_length("👨‍👩‍👧") == 3  # three people joined: joiners add nothing
    assert visible_length("a   b") == 3  # runs of spaces count once


def test_set_password_form_refuses_nul_and_common_passwords(client, csrf_token, make, ctx):
    from app.auth.services import make_account_token

    user = make.user(password=None)
    path = f"/einladung/{make_account_token(user, 'einladung')}"
    from app.extensions import db

    db.session.commit()
    for bad, message in (
        ("lang-genug\x00geheim-2026", "Steuerzeichen"),
        ("password1234", "zu leicht zu erraten"),
    ):
        response = client.post(
            path, data={"csrf_token": csrf_token(client, path), "password": bad, "confirm": bad}
        )
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    good = "Der Zug nach Hilden fährt um 8"
    response = client.post(
        path, data={"csrf_token": csrf_token(client, path), "password": good, "confirm": good}
    )
    assert response.status_code == 302
