"""German numbers: read strictly (``1.234`` is one thousand two hundred thirty-four), written
the German way, and the statistical offices' signs for a missing value.

Reading goes through Babel's ``parse_decimal`` with ``de_DE`` in strict mode, so a thousands
dot is never taken for a decimal point and an English number (``1,234.5``) is refused with a
German message instead of being misread.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel import Locale
from babel.numbers import NumberFormatError, format_decimal, parse_decimal

LOCALE = Locale.parse("de_DE")
KEINE_ANGABE = "keine Angabe"

# Signs that stand for "no value" in German statistics (Destatis, IT.NRW): nothing (–, -),
# unknown or secret (.), not applicable (x), not yet available (…), not reliable (/).
MISSING_SIGNS = frozenset({"", "-", "–", "—", ".", "x", "X", "…", "...", "/"})

# Plain forms need no grouping check: digits with an optional decimal comma.
_PLAIN = re.compile(r"[+-]?\d+(,\d+)?", re.ASCII)
# What may reach Babel at all: ASCII digits, separators and a sign (no exponent).
_ALLOWED = re.compile(r"[+-]?[\d.,]+", re.ASCII)
# DIN 1333 groups digits with (narrow) spaces: 1 234 567,5.
_SPACE_GROUPS = re.compile(r"[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+(,\d+)?", re.ASCII)
_SPACES = str.maketrans("", "", " \u00a0\u202f")
_MINUS = str.maketrans({"\u2212": "-"})

BEISPIEL = "z. B. 1.234,5 oder 12,5 – Tausenderpunkt, Dezimalkomma"


class ZahlFehler(ValueError):
    """A text that is no German number; ``str(error)`` is the German message for the user."""


def is_missing(text: str | None) -> bool:
    """Whether a cell says "no value" (empty or a statistical sign) rather than a number."""
    return text is None or text.strip() in MISSING_SIGNS


def parse_zahl(text: str) -> Decimal:
    """The number in ``text`` written the German way; raises ZahlFehler with a German message."""
    raw = text.strip().translate(_MINUS)
    if _SPACE_GROUPS.fullmatch(raw):
        raw = raw.translate(_SPACES)
    if _PLAIN.fullmatch(raw):  # same result as Babel, without its costly grouping check
        return Decimal(raw.replace(",", "."))
    if not _ALLOWED.fullmatch(raw):
        raise ZahlFehler(f"„{text.strip()}“ ist keine Zahl ({BEISPIEL}).")
    try:
        value = parse_decimal(raw, locale=LOCALE, strict=True)
    except NumberFormatError as exc:
        raise ZahlFehler(_message(text.strip(), exc)) from exc
    except (InvalidOperation, ValueError) as exc:
        raise ZahlFehler(f"„{text.strip()}“ ist keine Zahl ({BEISPIEL}).") from exc
    if not value.is_finite():
        raise ZahlFehler(f"„{text.strip()}“ ist keine Zahl ({BEISPIEL}).")
    return value


def _message(text: str, exc: NumberFormatError) -> str:
    """Why a number was refused, with Babel's German suggestions when it has some."""
    suggestions = [s for s in (getattr(exc, "suggestions", None) or []) if s != text]
    if "," in text and "." in text and text.rfind(".") > text.rfind(","):
        hint = "Im Deutschen steht das Komma vor den Nachkommastellen, der Punkt trennt Tausender."
    else:
        hint = "Ein Punkt trennt nur Tausender (drei Ziffern), Nachkommastellen folgen dem Komma."
    guess = " oder ".join(f"„{s}“" for s in suggestions)
    meant = f" Gemeint ist vielleicht {guess}?" if guess else ""
    return f"„{text}“ ist keine Zahl in deutscher Schreibweise. {hint}{meant} ({BEISPIEL})"


def format_zahl(value: float | Decimal | int | None, einheit: str = "") -> str:
    """A number the German way (1.234,5), with its unit; None is "keine Angabe"."""
    if value is None:
        return KEINE_ANGABE
    text = format_decimal(value, format="#,##0.######", locale=LOCALE)
    return f"{text} {einheit}".strip() if einheit else text
