"""A small clamd client (INSTREAM); used only when CLAMD_HOST or CLAMD_SOCKET is configured."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator
from pathlib import Path

from flask import current_app

CHUNK = 64 * 1024
DEFAULT_PORT = 3310
DEFAULT_TIMEOUT = 30.0


class ScanError(RuntimeError):
    """clamd could not be asked or answered with an error; the upload is refused (fail closed)."""


def configured() -> bool:
    """A clamd is configured for this installation."""
    cfg = current_app.config
    return bool(cfg.get("CLAMD_SOCKET") or cfg.get("CLAMD_HOST"))


def _connect() -> socket.socket:
    cfg = current_app.config
    timeout = float(cfg.get("CLAMD_TIMEOUT", DEFAULT_TIMEOUT))
    if cfg.get("CLAMD_SOCKET"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(str(cfg["CLAMD_SOCKET"]))
        return sock
    address = (str(cfg["CLAMD_HOST"]), int(cfg.get("CLAMD_PORT", DEFAULT_PORT)))
    return socket.create_connection(address, timeout=timeout)


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def _receive(sock: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\0"):
        part = sock.recv(4096)
        if not part:
            break
        data += part
    return data.rstrip(b"\0\n").decode("utf-8", "replace")


def scan_file(path: Path) -> str | None:
    """The signature name when clamd finds malware, None when the file is clean."""
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            for chunk in _chunks(path):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = _receive(sock)
    except OSError as exc:
        raise ScanError(f"clamd nicht erreichbar: {exc}") from exc
    return parse_reply(reply)


def parse_reply(reply: str) -> str | None:
    """``stream: OK`` → None; ``stream: Name FOUND`` → Name; anything else is an error."""
    body = reply.partition(": ")[2] if ": " in reply else reply
    if body == "OK":
        return None
    if body.endswith(" FOUND"):
        return body[: -len(" FOUND")]
    raise ScanError(f"unerwartete Antwort von clamd: {reply!r}")
