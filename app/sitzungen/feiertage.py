"""Public holidays of North Rhine-Westphalia, computed (Easter by the Gregorian computus)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


def ostersonntag(jahr: int) -> date:
    """Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = jahr % 19, jahr // 100, jahr % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    monat = (h + ell - 7 * m + 114) // 31
    tag = (h + ell - 7 * m + 114) % 31 + 1
    return date(jahr, monat, tag)


@cache
def feiertage_nrw(jahr: int) -> dict[date, str]:
    """Every statutory holiday in NRW in ``jahr``, date → German name."""
    ostern = ostersonntag(jahr)
    tage = {
        date(jahr, 1, 1): "Neujahr",
        ostern - timedelta(days=2): "Karfreitag",
        ostern + timedelta(days=1): "Ostermontag",
        date(jahr, 5, 1): "Tag der Arbeit",
        ostern + timedelta(days=39): "Christi Himmelfahrt",
        ostern + timedelta(days=50): "Pfingstmontag",
        ostern + timedelta(days=60): "Fronleichnam",
        date(jahr, 10, 3): "Tag der Deutschen Einheit",
        date(jahr, 11, 1): "Allerheiligen",
        date(jahr, 12, 25): "1. Weihnachtstag",
        date(jahr, 12, 26): "2. Weihnachtstag",
    }
    return dict(sorted(tage.items()))
