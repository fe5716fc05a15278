"""Every template uses KERN UX's component classes next to our own: a button styled as
``knopf`` is a ``kern-btn``, a ``tabelle`` a ``kern-table`` (see docs/ENTWICKLUNG.md, UI)."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
KLASSEN = re.compile(r"""class_?=["']([^"']*)["']""")


def _klassen() -> list[tuple[str, str]]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for value in KLASSEN.findall(path.read_text(encoding="utf-8")):
            found.append((str(path.relative_to(TEMPLATES)), value))
    return found


def test_buttons_and_tables_carry_kern_classes() -> None:
    fehlt = []
    for datei, value in _klassen():
        words = set(re.sub(r"{%.*?%}", " ", value).split()) | set(value.split())
        if "knopf" in words and "kern-btn" not in value:
            fehlt.append(f'{datei}: class="{value}" ohne kern-btn')
        if "tabelle" in words and "kern-table" not in value:
            fehlt.append(f'{datei}: class="{value}" ohne kern-table')
    assert not fehlt, "\n".join(fehlt)


def test_the_check_sees_the_templates() -> None:
    values = [v for _, v in _klassen()]
    assert sum("kern-btn" in v for v in values) > 100
    assert sum("kern-table" in v for v in values) > 40


def test_vendored_kern_is_complete_with_licence() -> None:
    kern = TEMPLATES.parent / "static" / "vendor" / "kern"
    assert "EUPL" in (kern / "LICENSE.md").read_text(encoding="utf-8")[:200]
    assert "@kern-ux/native 2.7.2" in (kern / "VERSION").read_text(encoding="utf-8")
    css = (kern / "fonts" / "fira-sans.css").read_text(encoding="utf-8")
    for name in re.findall(r'url\("\./([^"]+)"\)', css):
        assert (kern / "fonts" / name).is_file(), name
    assert ".kern-btn" in (kern / "kern.min.css").read_text(encoding="utf-8")
