"""Operations on planning cycles: create, change phase, conclude Stränge, deadlines, next cycle.

Every operation that changes state locks the cycle row (SELECT … FOR UPDATE), compares the
version the user saw, checks the move, the permission and the guards, writes the history and
flushes; the view commits once. Errors carry a German message and the HTTP status to answer.
"""

from __future__ import annotations

from app.workflows.abfragen import (  # noqa: F401  re-exported: public operations unchanged
    Schritt,
    active_zyklen,
    find_strang,
    history_of,
    lock_zyklus,
    next_steps,
    phase_counts,
    straenge_of,
    zyklen_for_gremium,
)
from app.workflows.anlegen import (  # noqa: F401  re-exported: public operations unchanged
    create_zyklus,
    start_folgezyklus,
)
from app.workflows.benachrichtigung import (  # noqa: F401  re-exported: public operations unchanged
    notify_phase_change,
    phase_members,
)
from app.workflows.fehler import (  # noqa: F401  re-exported: public operations unchanged
    Forbidden,
    GuardsFailed,
    InvalidRequest,
    NotFound,
    StaleState,
    WorkflowError,
)
from app.workflows.fristen import (  # noqa: F401  re-exported: public operations unchanged
    BERLIN,
    Fristlage,
    berlin_today,
    fristen_overview,
    phase_erledigt,
    send_deadline_reminders,
    set_fristen,
    strang_erledigt,
)
from app.workflows.uebergaenge import (  # noqa: F401  re-exported: public operations unchanged
    change_phase,
    close_remaining_straenge,
    close_strang,
)
