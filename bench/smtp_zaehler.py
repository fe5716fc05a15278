"""An SMTP server in its own process that accepts every message and logs its recipients.

``python -m bench.smtp_zaehler PORT LOGFILE`` appends one line per delivered recipient to
LOGFILE (no parsing of the message: the server stays cheap and never the bottleneck) and runs
until SIGTERM. The benchmark counts the lines.
"""

from __future__ import annotations

import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Zaehler:
    """Accepts every message; writes its recipients, one per line."""

    def __init__(self, path: str) -> None:
        self.out = open(path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 (lives as long as the process)

    async def handle_DATA(self, server, session, envelope):
        self.out.write("".join(f"{r.lower()}\n" for r in envelope.rcpt_tos))
        return "250 Nachricht angenommen"


def main(port: int, path: str) -> None:
    controller = Controller(Zaehler(path), hostname="127.0.0.1", port=port)
    controller.start()
    print("bereit", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
