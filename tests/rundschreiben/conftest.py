"""Two Träger with staff, a city office, a Gremium; uploads in a per-test directory."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.stammdaten.models import Funktion, GremiumTyp, OrganisationArt


@pytest.fixture(autouse=True)
def upload_dir(request, app, tmp_path, monkeypatch):
    """Uploads per test; worker tests keep the default, which the worker process shares."""
    if request.node.get_closest_marker("worker") is None:
        monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))


@pytest.fixture
def welt(make) -> SimpleNamespace:
    w = SimpleNamespace()
    w.stab = make.stabsstelle(name="Stefanie Stab")
    w.awo = make.organisation(name="AWO Hilden", art=OrganisationArt.TRAEGER)
    w.diakonie = make.organisation(name="Diakonie Hilden", art=OrganisationArt.TRAEGER)
    w.amt = make.organisation(name="Jugendamt", art=OrganisationArt.VERWALTUNG)
    w.anna = make.user(name="Anna AWO", organisation=w.awo)
    w.dieter = make.user(name="Dieter Diakonie", organisation=w.diakonie)
    w.jana = make.user(name="Jana Jugendamt", organisation=w.amt)
    w.planungsrunde = make.gremium(GremiumTyp.PLANUNGSRUNDE, name="Planungsrunde")
    make.mitgliedschaft(w.planungsrunde, w.jana, Funktion.MITGLIED)
    return w
