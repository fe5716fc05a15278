"""Reading, validating and showing answers, type by type, with German messages.

``raw`` values are what the form shows again (strings, exactly as entered), ``clean`` values
are what is stored: str, int/float, bool, list[str], {sozialraum_id: str} or an attachment id.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.beteiligung.models import BogenFrage, FrageTyp, RueckmeldungAntwort
from app.core.zahlen import ZahlFehler, parse_zahl

PFLICHT = "Bitte beantworten Sie diese Frage."
PFLICHT_MATRIX = "Bitte geben Sie für jeden Stadtbereich eine Antwort."
UNGUELTIGE_WAHL = "Bitte wählen Sie eine der angebotenen Antworten."
STEUERZEICHEN = "Die Antwort enthält unzulässige Steuerzeichen."
SKALA = "Bitte wählen Sie einen Wert von 1 bis 5."
JANEIN = "Bitte wählen Sie „Ja“ oder „Nein“."
ZAHL = "Bitte geben Sie eine Zahl ein, z. B. 12 oder 12,5."
MAX_LAENGE = {FrageTyp.KURZTEXT: 500, FrageTyp.LANGTEXT: 10000, FrageTyp.MATRIX: 2000}
ZAHL_GRENZE = 10**12
# digits with thousands dots, at most four places after the comma, a sign; no exponent
_ZAHL = re.compile(r"^[+-]?[\d.]{1,17}(?:,\d{1,4})?$", re.ASCII)


@dataclass
class Pruefung:
    """The outcome of validating one form: clean values per question and German errors."""

    clean: dict[int, Any] = field(default_factory=dict)
    errors: dict[int, str] = field(default_factory=dict)


def read_raw(fragen: Iterable[BogenFrage], form: Any, sozialraum_ids: list[int]) -> dict[int, Any]:
    """The entered values per question id, taken from the posted form (a MultiDict)."""
    raw: dict[int, Any] = {}
    for frage in fragen:
        name = frage.feldname
        if frage.typ == FrageTyp.MEHRFACHAUSWAHL:
            raw[frage.id] = form.getlist(name)
        elif frage.typ == FrageTyp.MATRIX:
            raw[frage.id] = {sid: form.get(f"{name}_s{sid}", "") for sid in sozialraum_ids}
        elif frage.typ == FrageTyp.DATEI:
            raw[frage.id] = _int_or_none(form.get(f"{name}_anhang"))
        else:
            raw[frage.id] = form.get(name, "")
    return raw


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def validate(
    fragen: Iterable[BogenFrage],
    raw: Mapping[int, Any],
    sozialraum_ids: list[int],
    *,
    vollstaendig: bool,
) -> Pruefung:
    """Check every answer; required flags only count when ``vollstaendig`` (submitting)."""
    result = Pruefung()
    for frage in fragen:
        try:
            value = _CHECKS[frage.typ](frage, raw.get(frage.id), sozialraum_ids)
        except ValueError as exc:
            result.errors[frage.id] = str(exc)
            continue
        if vollstaendig and frage.pflicht and _missing(frage, value, sozialraum_ids):
            result.errors[frage.id] = PFLICHT_MATRIX if frage.typ == FrageTyp.MATRIX else PFLICHT
            continue
        if value is not None:
            result.clean[frage.id] = value
    return result


def _missing(frage: BogenFrage, value: Any, sozialraum_ids: list[int]) -> bool:
    if frage.typ == FrageTyp.MATRIX:
        return value is None or any(sid not in value for sid in sozialraum_ids)
    return value is None


def _text(value: Any, limit: int, multiline: bool) -> str | None:
    """Trimmed text without control characters, or None when empty."""
    if not isinstance(value, str):
        return None
    text = value.replace("\r\n", "\n").strip()
    allowed = "\n\t" if multiline else "\t"
    if any(unicodedata.category(c) in ("Cc", "Cs", "Co") and c not in allowed for c in text):
        raise ValueError(STEUERZEICHEN)
    if len(text) > limit:
        raise ValueError(f"Bitte kürzen Sie Ihre Antwort auf höchstens {limit} Zeichen.")
    return text or None


def _check_kurztext(frage: BogenFrage, value: Any, _ids: list[int]) -> str | None:
    return _text(value, MAX_LAENGE[FrageTyp.KURZTEXT], multiline=False)


def _check_langtext(frage: BogenFrage, value: Any, _ids: list[int]) -> str | None:
    return _text(value, MAX_LAENGE[FrageTyp.LANGTEXT], multiline=True)


def _check_wahl(frage: BogenFrage, value: Any, _ids: list[int]) -> str | None:
    if not isinstance(value, str) or value == "":
        return None
    if value not in frage.optionen:
        raise ValueError(UNGUELTIGE_WAHL)
    return value


def _check_mehrfach(frage: BogenFrage, value: Any, _ids: list[int]) -> list[str] | None:
    values = [v for v in (value or []) if isinstance(v, str) and v != ""]
    if any(v not in frage.optionen for v in values):
        raise ValueError(UNGUELTIGE_WAHL)
    chosen = [o for o in frage.optionen if o in values]  # option order, no duplicates
    return chosen or None


def _check_skala(frage: BogenFrage, value: Any, _ids: list[int]) -> int | None:
    if not isinstance(value, str) or value.strip() == "":
        return None
    if value.strip() not in {"1", "2", "3", "4", "5"}:
        raise ValueError(SKALA)
    return int(value)


def _check_zahl(frage: BogenFrage, value: Any, _ids: list[int]) -> int | float | None:
    if not isinstance(value, str) or value.strip() == "":
        return None
    text = value.strip()
    if not _ZAHL.match(text.replace(" ", "").replace("\u00a0", "")):
        raise ValueError(ZAHL)
    try:  # German: "1.234" is a thousand and more, "12.5" is refused rather than guessed
        number = float(parse_zahl(text))
    except ZahlFehler as exc:
        raise ValueError(str(exc)) from exc
    if abs(number) >= 10**13:
        raise ValueError(ZAHL)
    low, high = frage.zahl_min, frage.zahl_max
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(zahl_bereich_text(frage))
    return int(number) if number.is_integer() else number


def zahl_bereich_text(frage: BogenFrage) -> str:
    """The German message naming the allowed range of a number question."""
    low, high = frage.zahl_min, frage.zahl_max
    if low is not None and high is not None:
        return f"Bitte geben Sie eine Zahl zwischen {zahl(low)} und {zahl(high)} ein."
    if low is not None:
        return f"Bitte geben Sie eine Zahl von mindestens {zahl(low)} ein."
    return f"Bitte geben Sie eine Zahl von höchstens {zahl(high)} ein."


def _check_janein(frage: BogenFrage, value: Any, _ids: list[int]) -> bool | None:
    if not isinstance(value, str) or value == "":
        return None
    if value not in ("ja", "nein"):
        raise ValueError(JANEIN)
    return value == "ja"


def _check_matrix(
    frage: BogenFrage, value: Any, sozialraum_ids: list[int]
) -> dict[int, str] | None:
    cells = value if isinstance(value, Mapping) else {}
    clean: dict[int, str] = {}
    for sid in sozialraum_ids:
        cell = cells.get(sid, "")
        if frage.optionen:
            cell = _check_wahl(frage, cell, sozialraum_ids)
        else:
            cell = _text(cell, MAX_LAENGE[FrageTyp.MATRIX], multiline=False)
        if cell is not None:
            clean[sid] = cell
    return clean or None


def _check_datei(frage: BogenFrage, value: Any, _ids: list[int]) -> int | None:
    return value if isinstance(value, int) else None


_CHECKS = {
    FrageTyp.KURZTEXT: _check_kurztext,
    FrageTyp.LANGTEXT: _check_langtext,
    FrageTyp.EINFACHAUSWAHL: _check_wahl,
    FrageTyp.MEHRFACHAUSWAHL: _check_mehrfach,
    FrageTyp.SKALA: _check_skala,
    FrageTyp.ZAHL: _check_zahl,
    FrageTyp.JANEIN: _check_janein,
    FrageTyp.MATRIX: _check_matrix,
    FrageTyp.DATEI: _check_datei,
}


# --------------------------------------------------------------------------- stored ↔ shown


def rows_for(
    frage: BogenFrage, value: Any, dateinamen: Mapping[int, str]
) -> list[RueckmeldungAntwort]:
    """The answer rows that store ``value`` (one per Sozialraum for the matrix)."""
    if frage.typ == FrageTyp.MATRIX:
        return [
            RueckmeldungAntwort(frage_id=frage.id, sozialraum_id=sid, wert=cell)
            for sid, cell in value.items()
        ]
    if frage.typ == FrageTyp.DATEI:
        return [
            RueckmeldungAntwort(frage_id=frage.id, wert=dateinamen.get(value, ""), anhang_id=value)
        ]
    return [RueckmeldungAntwort(frage_id=frage.id, wert=value)]


def clean_from_rows(antworten: Iterable[RueckmeldungAntwort]) -> dict[int, Any]:
    """Stored rows back to clean values per question id."""
    clean: dict[int, Any] = {}
    for antwort in antworten:
        if antwort.sozialraum_id is not None:
            clean.setdefault(antwort.frage_id, {})[antwort.sozialraum_id] = antwort.wert
        elif antwort.anhang_id is not None:
            clean[antwort.frage_id] = antwort.anhang_id
        else:
            clean[antwort.frage_id] = antwort.wert
    return clean


def raw_from_clean(fragen: Iterable[BogenFrage], clean: Mapping[int, Any]) -> dict[int, Any]:
    """Clean values as the form shows them."""
    raw: dict[int, Any] = {}
    for frage in fragen:
        value = clean.get(frage.id)
        if value is None:
            continue
        if frage.typ == FrageTyp.JANEIN:
            raw[frage.id] = "ja" if value else "nein"
        elif frage.typ in (FrageTyp.SKALA, FrageTyp.ZAHL):
            raw[frage.id] = zahl(value) if frage.typ == FrageTyp.ZAHL else str(value)
        else:
            raw[frage.id] = value
    return raw


def zahl(value: float | int | None) -> str:
    """A number in German notation without a useless ``,0``."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4f}".rstrip("0").replace(".", ",")


def anzeige(
    frage: BogenFrage, value: Any, sozialraeume: Mapping[int, str], dateinamen: Mapping[int, str]
) -> str:
    """One clean answer as German text (receipt, export, conflict view)."""
    if value is None:
        return ""
    if frage.typ == FrageTyp.MATRIX:
        return "; ".join(f"{sozialraeume.get(sid, sid)}: {cell}" for sid, cell in value.items())
    if frage.typ == FrageTyp.MEHRFACHAUSWAHL:
        return ", ".join(value)
    if frage.typ == FrageTyp.JANEIN:
        return "Ja" if value else "Nein"
    if frage.typ == FrageTyp.ZAHL:
        return zahl(value)
    if frage.typ == FrageTyp.DATEI:
        return dateinamen.get(value, "Datei")
    return str(value)
