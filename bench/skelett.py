"""The app's own floor: the production app plus three bench-only routes (``bench.skelett:app``).

``/_skelett/nichts`` answers through the whole middleware stack without a login,
``/_skelett/anmeldung`` only loads the logged-in user, ``/_skelett/seite`` renders the empty
common layout (header, navigation, notifications) for that user. The page benchmark measures
them like pages, so its table shows how much of a page is the floor every page pays.
"""

from flask import render_template
from flask_login import login_required

from wsgi import app


def _nichts() -> str:
    return "ok"


@login_required
def _anmeldung() -> str:
    return "ok"


@login_required
def _seite() -> str:
    return render_template("base.html")


app.add_url_rule("/_skelett/nichts", "skelett_nichts", _nichts)
app.add_url_rule("/_skelett/anmeldung", "skelett_anmeldung", _anmeldung)
app.add_url_rule("/_skelett/seite", "skelett_seite", _seite)
