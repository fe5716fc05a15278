"""Sitzungen: plan, invite (fan-out through the outbox), reply by signed link, remind, feeds.

Services flush, never commit; views and tasks commit once. Mails go through the outbox
(``queue_mail``); a fan-out of many invitations is handed to the worker in batches.
"""

from __future__ import annotations

from app.sitzungen.antworten import (  # noqa: F401  re-exported: public operations unchanged
    attendance_counts,
    history,
    open_einladungen,
    own_einladung,
    read_reply_token,
    reply_closed_reason,
    reply_counts,
    reply_link,
    reply_token,
    reply_token_fuer,
)
from app.sitzungen.einladungen import (  # noqa: F401  re-exported: public operations unchanged
    add_gaeste,
    fan_out_step,
    invite,
    parse_gaeste,
    queue_sitzung_mail,
    recipients,
    request_fan_out,
)
from app.sitzungen.erinnerungen import (  # noqa: F401  re-exported: public operations unchanged
    due_reminder_ids,
    send_reminders_for,
    stuck_fan_out_ids,
    touch_fan_out,
)
from app.sitzungen.grundlagen import (  # noqa: F401  re-exported: public operations unchanged
    BERLIN,
    DEFAULT_REPLY_MAX_AGE,
    FAN_OUT_CHUNK,
    ORT_FELDER,
    Empfaenger,
    LinkError,
    SitzungError,
    berlin_to_utc,
    external_url,
    utc_to_berlin_naive,
)
from app.sitzungen.planung import (  # noqa: F401  re-exported: public operations unchanged
    add_top,
    attach_datei,
    cancel_sitzung,
    create_sitzung,
    delete_top,
    find_top_datei,
    mark_held,
    move_top,
    remove_datei,
    sitzungen_of_zyklus,
    tie_to_zyklus,
    update_sitzung,
    zyklus_choices,
)
from app.sitzungen.sichtbarkeit import (  # noqa: F401  re-exported: public operations unchanged
    active_abo,
    creatable_gremien,
    feed_for_token,
    organised_gremium_ids,
    public_feed,
    renew_abo,
    revoke_abo,
    visible_sitzungen,
)
from app.sitzungen.versand import SUBJECTS, subject_for  # noqa: F401  re-exported
from app.sitzungen.vertretung import (  # noqa: F401  re-exported: replies with Stellvertretung
    answer_einladung,
    stellvertretung_fuer,
    vertretung_hinweis,
)
