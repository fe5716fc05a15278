"""Rückmeldebogen operations: build, publish, save drafts, submit, reopen, remind, close.

They flush, never commit; the view (or task) commits once. Refusals raise ``BeteiligungError``
with a German message; a concurrent edit raises ``VersionKonflikt``.
"""

from __future__ import annotations

from app.beteiligung.ausfuellen import (  # noqa: F401  re-exported: public operations unchanged
    antwort_liste,
    current_clean,
    dateinamen,
    load_bogen,
    offene_rueckmeldungen,
    reopen_rueckmeldung,
    rueckmeldung_for,
    save_rueckmeldung,
    store_anhang,
)
from app.beteiligung.bogen import (  # noqa: F401  re-exported: public operations unchanged
    add_abschnitt,
    add_frage,
    copy_bogen,
    create_bogen,
    delete_abschnitt,
    delete_frage,
    move_frage,
    update_abschnitt,
    update_bogen,
    update_frage,
)
from app.beteiligung.grundlagen import (  # noqa: F401  re-exported: public operations unchanged
    BOGEN_FELDER,
    FRAGE_FELDER,
    MAX_ERINNERUNG_TAGE,
    BeteiligungError,
    VersionKonflikt,
    external_url,
    require_entwurf,
    sozialraeume,
)
from app.beteiligung.versand import (  # noqa: F401  re-exported: public operations unchanged
    adressaten,
    adressaten_ids,
    close_due,
    invite_due,
    kontaktpersonen,
    publish_bogen,
    release_results,
    remind_non_submitters,
    sync_rueckmeldungen,
)
