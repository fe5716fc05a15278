"""German numbers: a table of spellings read strictly, English ones refused, missing-value signs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import parse_decimal
from hypothesis import given
from hypothesis import strategies as st

from app.core.zahlen import KEINE_ANGABE, ZahlFehler, format_zahl, is_missing, parse_zahl

GERMAN = [
    # the values the old import misread as 12.534, 1.234, 10.05 and 100.0
    ("12.534", "12534"),
    ("1.234", "1234"),
    ("10.050", "10050"),
    ("100.000", "100000"),
    # decimal comma, with and without thousands dots
    ("1.234,5", "1234.5"),
    ("12,5", "12.5"),
    ("12,534", "12.534"),
    ("0,5", "0.5"),
    (",5", "0.5"),
    ("1234", "1234"),
    ("1234,5", "1234.5"),
    ("1.234.567,89", "1234567.89"),
    ("-3,5", "-3.5"),
    ("\u22123,5", "-3.5"),  # typographic minus
    ("+7", "7"),
    ("  42  ", "42"),
    ("1 234,5", "1234.5"),  # DIN 1333: space as thousands separator
    ("1\u00a0234\u00a0567", "1234567"),  # no-break space
    ("1\u202f234", "1234"),  # narrow no-break space
]

REFUSED = [
    "1,234.5",  # English
    "1,234,567",
    "9.1",  # a decimal point: ambiguous, never guessed
    "12.5",
    "1.2345",
    "1.23.4",
    "1 2",
    "zwölf",
    "12 %",
    "nan",
    "inf",
    "Infinity",
    "\u0661\u0662",  # Arabic-Indic digits
    "\uff11\uff12",  # full-width digits
    "--1",
    "1,5E3",  # exponents are no German table notation
    "3.E39",
    "",
    ".",
    ",",
]


@given(st.text(alphabet="0123456789.,+-eE x\u00a0\u202f\u2212", max_size=24))
def test_any_text_is_a_number_or_a_german_message(text: str) -> None:
    try:
        value = parse_zahl(text)
    except ZahlFehler as error:
        assert "ist keine Zahl" in str(error)
    else:
        assert value.is_finite()


@pytest.mark.parametrize(("text", "expected"), GERMAN)
def test_german_spellings(text: str, expected: str) -> None:
    assert parse_zahl(text) == Decimal(expected)


@pytest.mark.parametrize("text", REFUSED)
def test_other_spellings_are_refused_in_german(text: str) -> None:
    with pytest.raises(ZahlFehler) as error:
        parse_zahl(text)
    message = str(error.value)
    assert "ist keine Zahl" in message
    assert "1.234,5" in message  # the example is a valid German number, unambiguous


def test_english_number_names_the_rule_and_suggests_the_german_spelling() -> None:
    with pytest.raises(ZahlFehler) as error:
        parse_zahl("1,234.5")
    assert str(error.value).startswith("„1,234.5“ ist keine Zahl in deutscher Schreibweise.")
    assert "Komma vor den Nachkommastellen" in str(error.value)
    assert "„1.234,5“" in str(error.value)


def test_decimal_point_suggests_the_comma() -> None:
    with pytest.raises(ZahlFehler) as error:
        parse_zahl("9.1")
    assert "„9,1“" in str(error.value)


@pytest.mark.parametrize("sign", ["", "  ", "-", "–", "—", ".", "x", "X", "…", "...", "/"])
def test_statistical_signs_are_missing_values(sign: str) -> None:
    assert is_missing(sign)
    assert is_missing(None)


@pytest.mark.parametrize("text", ["0", "0,0", "-1", "x1", "..5"])
def test_numbers_and_nonsense_are_not_missing(text: str) -> None:
    assert not is_missing(text)


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_fast_path_agrees_with_babel(value: Decimal) -> None:
    """Plain spellings skip Babel's grouping check; the result must be the same."""
    text = format(value, "f").replace(".", ",")
    assert parse_zahl(text) == parse_decimal(text, locale="de_DE", strict=True)


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(0, 9999))
def test_grouped_spellings_round_trip(whole: int, fraction: int) -> None:
    text = f"{whole:,}".replace(",", ".") + f",{fraction}"
    expected = Decimal(f"{abs(whole)}.{fraction}")
    assert parse_zahl(text) == (expected if whole >= 0 else -expected)


def test_format_zahl() -> None:
    assert format_zahl(1234.5) == "1.234,5"
    assert format_zahl(12534) == "12.534"
    assert format_zahl(0.125) == "0,125"
    assert format_zahl(7.5, "%") == "7,5 %"
    assert format_zahl(None) == KEINE_ANGABE == "keine Angabe"
