"""Master-data operations: create, change, deactivate and reactivate; they flush, never commit.

Rows that history refers to are never deleted: organisations, Sozialräume, Gremien and
accounts are deactivated, memberships are ended. Every refusal raises ``StammdatenError``
with a German message (and the form field it belongs to, if any).
"""

from __future__ import annotations

from app.stammdaten.gremien import (  # noqa: F401  re-exported: public operations unchanged
    GREMIUM_NAME_TAKEN,
    SOZIALRAUM_NAME_TAKEN,
    SOZIALRAUM_NUMMER_TAKEN,
    active_stadtteilarbeitskreise,
    create_gremium,
    create_sozialraum,
    deactivate_gremium,
    deactivate_sozialraum,
    reactivate_gremium,
    reactivate_sozialraum,
    update_gremium,
    update_sozialraum,
)
from app.stammdaten.grundlagen import (  # noqa: F401  re-exported: public operations unchanged
    StammdatenError,
    choices,
)
from app.stammdaten.organisationen import (  # noqa: F401  re-exported: public operations unchanged
    ORGANISATION_NAME_TAKEN,
    create_organisation,
    deactivate_organisation,
    reactivate_organisation,
    update_organisation,
    update_organisation_contact,
)
from app.stammdaten.personen import (  # noqa: F401  re-exported: public operations unchanged
    ALREADY_MEMBER,
    AMTSGREMIEN,
    EMAIL_TAKEN,
    add_mitgliedschaft,
    create_user,
    deactivate_user,
    end_mitgliedschaft,
    end_stellvertretungen,
    holds_office,
    is_invitation_open,
    reactivate_user,
    resend_invitation,
    update_mitgliedschaft,
    update_user,
)
