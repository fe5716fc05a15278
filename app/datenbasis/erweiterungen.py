"""Registries that packages above ``datenbasis`` fill (dependencies point downwards).

Chapter types of the Sozialreport::

    from app.datenbasis.erweiterungen import kapitel_art

    @kapitel_art("wirkung", "Wirkung der Maßnahmen", order=20)
    def _wirkung(kapitel_liste, oeffentlich):
        ...  # one query for all chapters of this type; returns {kapitel.id: Markup}

The content appears after the chapter's text and charts, on the internal page, the public
page and in the PDF. ``oeffentlich`` is True for the portal and the PDF of a published report:
show only what is released there. Built in: ``text`` (text and charts only).

Chart types drawn by a higher package (``DiagrammArt.KARTE``)::

    @diagramm_renderer("karte")
    def _karte(diagramme):  # all charts of this type on the page
        ...  # returns {diagramm.id: charts.Chart}

Sections of the Datenbasis overview (``@uebersicht_abschnitt("key", order)``): a function
without arguments returning Markup (or None to show nothing), e.g. how measures' targets develop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markupsafe import Markup

TEXT = "text"

Renderer = Callable[[list, bool], dict[int, Markup]]


@dataclass(frozen=True)
class KapitelArt:
    key: str
    label: str
    order: int
    render: Renderer | None


_arten: dict[str, KapitelArt] = {TEXT: KapitelArt(TEXT, "Text und Diagramme", 0, None)}
_abschnitte: dict[str, tuple[int, Callable[[], Markup | None]]] = {}


def kapitel_art(key: str, label: str, order: int = 50) -> Callable[[Renderer], Renderer]:
    """Register a chapter type and the function that renders its chapters."""

    def register(fn: Renderer) -> Renderer:
        _arten[key] = KapitelArt(key, label, order, fn)
        return fn

    return register


def kapitel_arten() -> list[KapitelArt]:
    return sorted(_arten.values(), key=lambda a: a.order)


def label(key: str) -> str:
    art = _arten.get(key)
    return art.label if art else key


def kapitel_inhalte(kapitel: Iterable, oeffentlich: bool) -> dict[int, Markup]:
    """The extra content of every chapter of a registered type (one call per type)."""
    by_art: dict[str, list] = {}
    for k in kapitel:
        by_art.setdefault(k.art, []).append(k)
    result: dict[int, Markup] = {}
    for key, liste in by_art.items():
        art = _arten.get(key)
        if art is not None and art.render is not None:
            result.update(art.render(liste, oeffentlich))
    return result


def uebersicht_abschnitt(key: str, order: int = 50) -> Callable:
    """Register a section of the Datenbasis overview."""

    def register(fn: Callable[[], Markup | None]) -> Callable[[], Markup | None]:
        _abschnitte[key] = (order, fn)
        return fn

    return register


def uebersicht_abschnitte() -> list[Markup]:
    rendered = (fn() for _, fn in sorted(_abschnitte.values(), key=lambda x: x[0]))
    return [m for m in rendered if m]


_diagramm_renderer: dict[str, Callable[[list], dict[int, object]]] = {}


def diagramm_renderer(art: str) -> Callable:
    """Register the function that draws all charts of one type on a page."""

    def register(fn: Callable[[list], dict[int, object]]) -> Callable:
        _diagramm_renderer[art] = fn
        return fn

    return register


def render_diagramme(art: str, diagramme: list) -> dict[int, object]:
    """Charts of a registered type; without a renderer, nothing (the caller shows a note)."""
    fn = _diagramm_renderer.get(art)
    return fn(diagramme) if fn and diagramme else {}
