"""The Hilden demo's feature stories, loaded after the master data in the order they build on each other."""

from __future__ import annotations

DEMO_LOADERS = (
    "app.workflows.demo:load_demo_zyklus",
    "app.beteiligung.demo:load_demo_beteiligung",
    "app.datenbasis.demo:load_demo_datenbasis",
    "app.protokolle.demo:load_demo_protokolle",
    "app.protokolle.demo_freigabe:load_demo_freigabe",
    "app.massnahmen.demo:load_demo_wirkung",
    "app.oeffentlich.demo:load_demo_oeffentlich",
    "app.datenschutz.demo:load_demo_datenschutz",
    "app.karten.demo:load_demo_karte",
    "app.vorlagen.demo:load_demo_vorlagen",
    "app.oeffentlich.demo:load_demo_vorlage_oeffentlich",
    "app.rundschreiben.demo:load_demo_rundschreiben",
    "app.sitzungen.demo:load_demo_sitzungsmappe",
)


def _load_optional(path: str) -> None:
    import importlib
    import importlib.util

    module_name, func = path.split(":")
    try:
        if importlib.util.find_spec(module_name) is None:
            return
    except ModuleNotFoundError:
        return
    getattr(importlib.import_module(module_name), func)()
