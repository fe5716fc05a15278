"""Portal permissions (default deny). The portal pages themselves need none: they only show
what ``sichtbarkeit`` calls public.

- ``oeffentlichkeit.uebersicht``: the overview of everything currently public (Stabsstelle)
"""

from __future__ import annotations

from app.core.permissions import is_stabsstelle, rule

rule("oeffentlichkeit.uebersicht")(is_stabsstelle)
