"""Who may see and resend outbox mails: only the Stabsstelle."""

from app.core.permissions import is_stabsstelle, rule

rule("mail.postausgang")(is_stabsstelle)
rule("mail.resend")(is_stabsstelle)
