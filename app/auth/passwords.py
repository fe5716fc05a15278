"""Password rules after OWASP ASVS 2.1 (v4.0.3): length, no control characters, no common ones.

- 2.1.1/2.1.2: at least 12 and at most 128 characters, counted as people see them (an emoji
  with its modifiers is one character; runs of spaces count once).
- 2.1.4: any printable Unicode is allowed (also emoji); control characters are not.
- 2.1.7: none of the 10,000 most common passwords (``data/haeufige_passwoerter.txt``, see its
  header for source and licence), also not with digits or symbols appended, repeated, or
  made of fewer than five different characters; not the person's e-mail address or name.
- 2.1.9: no composition rules (no "one capital, one digit").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from flask import has_request_context, request
from wtforms import Field, ValidationError

MIN_LAENGE, MAX_LAENGE = 12, 128
LISTE = Path(__file__).parent / "data" / "haeufige_passwoerter.txt"
_ANHANG = re.compile(r"[\d\W_]+$")
_SPACES = re.compile(r"\s{2,}")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, lower-cased."""
    lines = LISTE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def visible_length(password: str) -> int:
    """Characters as people count them: combining marks, joiners and selectors add nothing."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", password))
    return sum(
        1
        for c in text
        if unicodedata.category(c) not in ("Mn", "Me")
        and c not in "\u200d\ufe0e\ufe0f"
        and not 0x1F3FB <= ord(c) <= 0x1F3FF  # skin-tone modifiers
    )


def _is_common(password: str) -> bool:
    lowered = password.lower()
    common = common_passwords()
    if lowered in common or _ANHANG.sub("", lowered) in common:
        return True
    for size in range(1, len(lowered) // 2 + 1):
        if len(lowered) % size == 0 and lowered == lowered[:size] * (len(lowered) // size):
            return True
    return len(set(lowered)) < 5


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """The German reason why ``password`` is not acceptable, or None."""
    if any(unicodedata.category(c) == "Cc" for c in password):
        return (
            "Das Passwort darf keine Steuerzeichen (z. B. Tabulator oder Zeilenumbruch) enthalten."
        )
    length = visible_length(password)
    if length < MIN_LAENGE:
        return f"Das Passwort muss mindestens {MIN_LAENGE} Zeichen lang sein."
    if length > MAX_LAENGE:
        return f"Das Passwort darf höchstens {MAX_LAENGE} Zeichen lang sein."
    personal = {v.strip().lower() for v in (email, email.split("@")[0], name) if v and v.strip()}
    if password.strip().lower() in personal:
        return "Das Passwort darf nicht Ihre E-Mail-Adresse oder Ihr Name sein."
    if _is_common(password):
        return (
            "Dieses Passwort ist zu leicht zu erraten (es steht auf der Liste der häufigsten "
            "Passwörter oder besteht aus Wiederholungen). Ein Satz aus mehreren Wörtern ist "
            "sicherer und gut zu merken."
        )
    return None


class PasswortRichtlinie:
    """WTForms validator applying ``password_problem`` (with the form's ``user``, if any)."""

    def __call__(self, form: object, field: Field) -> None:
        user = getattr(form, "user", None)
        changed = getattr(request.form, "changed", ()) if has_request_context() else ()
        if field.name in changed:  # the boundary removed control characters from it
            raise ValidationError(password_problem("\x00") or "")
        problem = password_problem(
            field.data or "",
            email=getattr(user, "email", "") or "",
            name=getattr(user, "name", "") or "",
        )
        if problem:
            raise ValidationError(problem)
