"""The wire form of an outbox row, assembled directly as bytes.

``email.message.EmailMessage`` parses and re-folds every header through its policy and then
flattens the tree again in ``send_message``: most of a send's CPU. The structure here is the
same (text with HTML alternative and inline calendar parts, attachments around it), every
body part base64 with CRLF line ends, so the bytes go to ``smtplib`` as they are.
"""

from __future__ import annotations

import base64
import hashlib
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.mail.models import Mail, MailAttachment

CRLF = b"\r\n"


def wire_bytes(mail: Mail, sender: str) -> bytes:
    """The complete message (headers and body) with CRLF line ends, ready for SMTP DATA."""
    inline = [p for p in mail.attachments if p.inline and p.content_type.startswith("text/")]
    attached = [p for p in mail.attachments if p not in inline]
    seed = hashlib.sha1(mail.message_id.encode()).hexdigest()[:24]
    body = [_text("text/plain; charset=utf-8", mail.body_text)]
    if mail.body_html:
        body.append(_text("text/html; charset=utf-8", mail.body_html))
    body += [_inline(p) for p in inline]
    tree = body[0] if len(body) == 1 else _multipart("alternative", body, f"=_a{seed}")
    if attached:
        tree = _multipart("mixed", [tree, *(_attachment(p) for p in attached)], f"=_m{seed}")
    return _headers(mail, sender) + tree


def _headers(mail: Mail, sender: str) -> bytes:
    lines = [
        f"From: {_address(sender)}",
        f"To: {_recipient(mail)}",
        f"Subject: {_encoded(_clean(mail.subject))}",
        f"Message-ID: {_clean(mail.message_id)}",
        f"Date: {format_datetime(mail.created_at)}",
    ]
    if mail.reply_to:
        lines.append(f"Reply-To: {_address(mail.reply_to)}")
    if mail.list_unsubscribe:
        lines.append(f"List-Unsubscribe: <{_clean(mail.list_unsubscribe)}>")
        lines.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    lines.append("MIME-Version: 1.0")
    return "\r\n".join(lines).encode("ascii") + CRLF


def _clean(text: str) -> str:
    """Header text on one line (a line break would start a new header)."""
    return " ".join(text.split())


@lru_cache(maxsize=256)
def _encoded(text: str) -> str:
    """ASCII as it is, anything else as RFC 2047 encoded words (folded); cached, as a
    fan-out sends one subject to many people and the encoder is most of a header's CPU."""
    if text.isascii():
        return text
    return Header(text, "utf-8", header_name="Subject").encode(linesep="\r\n")


def _recipient(mail: Mail) -> str:
    name = _clean(mail.recipient_name or "")
    address = _clean(mail.recipient)
    return formataddr((name, address), charset="utf-8") if name else address


@lru_cache(maxsize=256)
def _address(value: str) -> str:
    """``Name <addr>`` with a non-ASCII name encoded (cached: the sender is always the same)."""
    name, address = parseaddr(_clean(value))
    if not name:
        return address
    return formataddr((name, address), charset="utf-8")


def _base64(data: bytes) -> bytes:
    return base64.encodebytes(data).replace(b"\n", CRLF)


def _text(content_type: str, text: str) -> bytes:
    return (
        f"Content-Type: {content_type}\r\nContent-Transfer-Encoding: base64\r\n\r\n".encode()
        + _base64(text.encode("utf-8"))
    )


def _params(part: MailAttachment) -> tuple[str, str]:
    """(type/subtype, "; k=v" parameters) of an attachment's content type."""
    kind, *params = [p.strip() for p in part.content_type.split(";")]
    extra = "".join(
        f"; {p}" for p in params if "=" in p and p.split("=", 1)[0].strip() != "charset"
    )
    return kind, extra


def _inline(part: MailAttachment) -> bytes:
    """A text part (a calendar invitation) as one more alternative of the body."""
    kind, extra = _params(part)
    return _text(f"{kind}; charset=utf-8{extra}", part.content.decode("utf-8"))


def _attachment(part: MailAttachment) -> bytes:
    kind, extra = _params(part)
    name = _clean(part.filename).replace('"', "'")
    if name.isascii():
        disposition = f'attachment; filename="{name}"'
    else:
        from urllib.parse import quote

        disposition = f"attachment; filename*=utf-8''{quote(name)}"
    head = (
        f"Content-Type: {kind}{extra}\r\nContent-Disposition: {disposition}\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n"
    )
    return head.encode("utf-8") + _base64(part.content)


def _multipart(subtype: str, parts: list[bytes], boundary: str) -> bytes:
    out = [f'Content-Type: multipart/{subtype}; boundary="{boundary}"\r\n\r\n'.encode()]
    for part in parts:
        out += [f"--{boundary}\r\n".encode(), part, CRLF]
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)
