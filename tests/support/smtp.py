"""A real SMTP server (aiosmtpd on loopback) that records mails and can misbehave on purpose."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller


@dataclass
class Captured:
    """One accepted message with its envelope."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage

    @property
    def to(self) -> str:
        return self.rcpt_tos[0]

    def text(self) -> str:
        """The plain-text body."""
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""


@dataclass
class _Rule:
    code: int | None = None
    times: int | None = None  # None: always
    delay: float = 0.0


@dataclass
class RecordingHandler:
    """Stores every accepted message; rules per recipient answer 4xx/5xx or stall."""

    messages: list[Captured] = field(default_factory=list)
    rules: dict[str, _Rule] = field(default_factory=dict)
    rcpt_counts: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.rcpt_counts[address.lower()] = self.rcpt_counts.get(address.lower(), 0) + 1
        rule = self.rules.get(address.lower())
        if rule is not None:
            if rule.delay:  # stall until the time is up or the rule is cleared
                loop = asyncio.get_running_loop()
                deadline = loop.time() + rule.delay
                while self.rules.get(address.lower()) is rule and loop.time() < deadline:
                    await asyncio.sleep(0.05)
            if rule.code and (rule.times is None or rule.times > 0):
                if rule.times is not None:
                    rule.times -= 1
                return f"{rule.code} Testserver lehnt ab ({rule.code})"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        message = BytesParser(policy=policy.default).parsebytes(raw)
        with self.lock:
            captured = Captured(envelope.mail_from, list(envelope.rcpt_tos), raw, message)
            self.messages.append(captured)
        return "250 Nachricht angenommen"


class SMTPServer:
    """Controller plus convenience: wait for mails, set failure rules, reset between tests."""

    def __init__(self) -> None:
        self.handler = RecordingHandler()
        from tests.support.services import free_port

        self.controller = Controller(self.handler, hostname="127.0.0.1", port=free_port())

    def start(self) -> SMTPServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def port(self) -> int:
        return self.controller.port

    def reset(self) -> None:
        with self.handler.lock:
            self.handler.messages.clear()
            self.handler.rcpt_counts.clear()
        self.handler.rules.clear()

    def fail(self, address: str, code: int, times: int | None = None) -> None:
        """Answer RCPT for ``address`` with ``code`` (``times`` times, or always)."""
        self.handler.rules[address.lower()] = _Rule(code=code, times=times)

    def stall(self, address: str, seconds: float) -> None:
        """Hold the RCPT answer for ``address`` (to kill a worker mid-send); ``clear`` ends it."""
        self.handler.rules[address.lower()] = _Rule(delay=seconds)

    def clear(self, address: str) -> None:
        """Remove the failure or stall rule for ``address``; it is accepted from now on."""
        self.handler.rules.pop(address.lower(), None)

    def attempts_to(self, address: str) -> int:
        """How many times a client named ``address`` in RCPT TO (accepted or not)."""
        with self.handler.lock:
            return self.handler.rcpt_counts.get(address.lower(), 0)

    def wait_for_attempt(self, address: str, count: int = 1, timeout: float = 30) -> None:
        """Wait until a client tried ``address`` ``count`` times (e.g. a stall has begun)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.attempts_to(address) >= count:
                return
            time.sleep(0.05)
        raise AssertionError(f"Kein {count}. Zustellversuch an {address} binnen {timeout}s")

    def messages_to(self, address: str) -> list[Captured]:
        with self.handler.lock:
            wanted = address.lower()
            return [m for m in self.handler.messages if wanted in (r.lower() for r in m.rcpt_tos)]

    def wait_for(self, address: str, count: int = 1, timeout: float = 30) -> list[Captured]:
        """Wait until ``count`` mails reached ``address``; fails the test on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages_to(address)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"Keine {count} E-Mail(s) an {address} binnen {timeout}s erhalten")

    def count(self) -> int:
        with self.handler.lock:
            return len(self.handler.messages)
