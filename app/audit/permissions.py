"""Only the Stabsstelle reads the audit log; nobody edits it (there is no rule for that)."""

from __future__ import annotations

from app.core.permissions import is_stabsstelle, rule

rule("audit.ansehen")(is_stabsstelle)
