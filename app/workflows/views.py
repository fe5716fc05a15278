"""Blueprint ``workflows``: cycle list, cycle page with diagram and history, confirmed moves.

The routes live in ``views_zyklen``, ``views_uebergaenge`` and ``views_fristen`` (imported at the
bottom so they register on ``bp``); the open-task provider in ``views_aufgaben``. This module
holds the blueprint and the helpers they share.
"""

from __future__ import annotations

from flask.typing import ResponseReturnValue

from app.core.navigation import nav_entry
from app.workflows.blueprint import (  # noqa: F401  kept importable from views
    RenderForm,
    _done,
    _field_or_message,
    _form_page,
    _form_problem,
    _invalid_request,
    _load,
    _nachfolger,
    _override_args,
    _permitted,
    _prepare_overrides,
    _refused,
    _render_checked,
    _render_detail,
    _strang_of,
    _visible,
    bp,
)
from app.workflows.phasenregeln import PhasenFehler, phase_sperre

nav_entry("Planungszyklen", "workflows.liste", "zyklus.liste", order=20)


# --------------------------------------------------------------------------- loading


# --------------------------------------------------------------------------- answers


# --------------------------------------------------------------------------- guard overrides


# --------------------------------------------------------------------------- cycle page


@bp.app_errorhandler(PhasenFehler)
def _phasen_fehler(exc: PhasenFehler) -> ResponseReturnValue:
    """A phase rule no view caught: the German 409 page with the reason."""
    from app.core.errors import render_error

    return render_error(409, exc.message)


bp.add_app_template_global(phase_sperre, "phase_sperre")


# Route modules register on ``bp``; imported last because they use the helpers above.
from app.workflows import (  # noqa: E402
    startseite,  # noqa: F401
    views_aufgaben,  # noqa: F401
    views_fristen,  # noqa: F401
    views_uebergaenge,  # noqa: F401
    views_zyklen,  # noqa: F401
)
