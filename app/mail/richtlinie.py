"""Who decides whether a mail goes out now: higher packages register a delivery policy.

``app.mail`` knows nothing about people's settings; ``app.benachrichtigungen`` registers a
policy that answers per recipient and kind: send now (with or without an unsubscribe link)
or not at all (the in-app notification and the digest carry it instead).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import escape


@dataclass(frozen=True)
class Zustellung:
    """The answer of a policy: send now?, and the unsubscribe link of a non-essential mail."""

    senden: bool = True
    abmelde_link: str | None = None


SOFORT = Zustellung()
Policy = Callable[[str, str], Zustellung | None]
_policies: list[Policy] = []


def register_policy(policy: Policy) -> Policy:
    """Register ``policy(recipient, kind)``; None means "no opinion" (essential mails)."""
    if policy not in _policies:
        _policies.append(policy)
    return policy


def decide(recipient: str, kind: str) -> Zustellung:
    """The first registered opinion about this mail, else: send now without a link."""
    for policy in _policies:
        answer = policy(recipient, kind)
        if answer is not None:
            return answer
    return SOFORT


FOOTER_TEXT = (
    "\n\n-- \nSie erhalten diese E-Mail wegen Ihrer Benachrichtigungseinstellungen. "
    "Abbestellen (ohne Anmeldung): {link}\n"
)
FOOTER_HTML = (
    '<p style="color:#4a4a4a; font-size: 0.9em;">Sie erhalten diese E-Mail wegen Ihrer '
    'Benachrichtigungseinstellungen. <a href="{link}">Diese E-Mails abbestellen</a> '
    "(ohne Anmeldung).</p>"
)


def with_footer(body_text: str, body_html: str | None, link: str) -> tuple[str, str | None]:
    """Add the unsubscribe link to both bodies (before ``</body>`` in HTML)."""
    text = body_text.rstrip("\n") + FOOTER_TEXT.format(link=link)
    if body_html is None:
        return text, None
    footer = FOOTER_HTML.format(link=escape(link))
    if "</body>" in body_html:
        html = body_html.replace("</body>", footer + "\n</body>", 1)
    else:
        html = body_html + footer
    return text, html
