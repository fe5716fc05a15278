"""German counts with the right noun form (no "Tag(en)", no "1 Mitglieder")."""

from __future__ import annotations

from app.core.i18n import anzahl
from app.workflows.fristen import Fristlage


def test_singular_plural_and_zero() -> None:
    assert anzahl(1, "Mitglied wurde", "Mitglieder wurden") == "1 Mitglied wurde"
    assert anzahl(3, "Mitglied wurde", "Mitglieder wurden") == "3 Mitglieder wurden"
    assert anzahl(0, "Tag", "Tage") == "0 Tage"
    assert anzahl(0, "Tag", "Tage", "kein Tag") == "kein Tag"


def test_deadline_hints_use_the_right_form() -> None:
    from datetime import date

    def hinweis(tage: int) -> str:
        return Fristlage("Frist", date(2027, 3, 1), False, tage < 0, False, tage).hinweis

    assert [hinweis(t) for t in (-1, -2, 1, 5)] == [
        "überfällig seit 1 Tag",
        "überfällig seit 2 Tagen",
        "noch 1 Tag",
        "noch 5 Tage",
    ]
