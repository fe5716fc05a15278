"""File names for downloads: ASCII, lower case, German umlauts spelt out (ae, oe, ue, ss).

A plain ASCII name needs no RFC 5987 encoding in ``Content-Disposition`` and survives every
mail program and file system.
"""

from __future__ import annotations

import re
import unicodedata

_UMLAUTE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def namensteil(text: str, laenge: int = 60, ersatz: str = "datei") -> str:
    """A safe part of a file name: 'Stadtteilarbeitskreis Süd' → 'stadtteilarbeitskreis-sued'."""
    klein = unicodedata.normalize("NFKD", text.strip().lower().translate(_UMLAUTE))
    teil = re.sub(r"[^a-z0-9]+", "-", klein.encode("ascii", "ignore").decode()).strip("-")
    return teil[:laenge].rstrip("-") or ersatz
