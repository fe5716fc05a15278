"""The clamd INSTREAM client against a tiny clamd speaking the protocol on a real socket."""

from __future__ import annotations

import io
import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.dateien.models import Datei
from app.extensions import db
from app.protokolle import virenscan
from app.protokolle.models import ProtokollRevision
from tests.protokolle.conftest import PDF

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeClamd:
    """Accepts zINSTREAM, reads the length-prefixed chunks, answers like clamd."""

    def __init__(self, family: int = socket.AF_INET, path: Path | None = None) -> None:
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        self.sock.bind(str(path) if path else ("127.0.0.1", 0))
        self.sock.listen()
        self.received: list[bytes] = []
        self.commands: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.sock.getsockname()[1]

    def _read_exact(self, conn: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            part = conn.recv(n - len(data))
            if not part:
                raise ConnectionError("closed")
            data += part
        return data

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                self._handle(conn)

    def _handle(self, conn: socket.socket) -> None:
        command = b""
        while not command.endswith(b"\0"):
            command += conn.recv(1)
        self.commands.append(command)
        payload = b""
        while (size := struct.unpack("!L", self._read_exact(conn, 4))[0]) != 0:
            payload += self._read_exact(conn, size)
        self.received.append(payload)
        reply = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in payload else b"stream: OK\0"
        conn.sendall(reply)

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def clamd(app, monkeypatch) -> Iterator[FakeClamd]:
    server = FakeClamd()
    monkeypatch.setitem(app.config, "CLAMD_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "CLAMD_PORT", server.port)
    yield server
    server.close()


def _upload(client, csrf_token, sitzung_id: int, data: bytes):
    url = f"/protokolle/sitzung/{sitzung_id}"
    return client.post(
        f"{url}/hochladen",
        data={"csrf_token": csrf_token(client, url), "datei": (io.BytesIO(data), "protokoll.pdf")},
        content_type="multipart/form-data",
    )


def test_clean_file_is_scanned_and_stored(client, login, welt, csrf_token, clamd) -> None:
    login(welt.moderator)
    big = PDF + b"%" + b"a" * (200 * 1024)  # several INSTREAM chunks
    assert _upload(client, csrf_token, welt.sitzung.id, big).status_code == 303
    assert clamd.commands == [b"zINSTREAM\0"] and clamd.received == [big]
    assert db.session.scalar(select(ProtokollRevision.virengeprueft)) is True


def test_infected_file_is_refused(client, login, welt, csrf_token, clamd, upload_dir) -> None:
    login(welt.moderator)
    response = _upload(client, csrf_token, welt.sitzung.id, PDF + EICAR)
    assert response.status_code == 400
    assert "Schadsoftware (Eicar-Test-Signature)" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Datei)) == 0
    assert not any(upload_dir.iterdir())


def test_unreachable_scanner_refuses_the_upload(
    app, client, login, welt, csrf_token, monkeypatch
) -> None:
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    port = dead.getsockname()[1]
    dead.close()
    monkeypatch.setitem(app.config, "CLAMD_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "CLAMD_PORT", port)
    login(welt.moderator)
    response = _upload(client, csrf_token, welt.sitzung.id, PDF)
    assert response.status_code == 503
    assert "Virenprüfung ist zurzeit nicht möglich" in response.get_data(as_text=True)


def test_unix_socket_and_without_config_no_scan(app, ctx, tmp_path, monkeypatch) -> None:
    path = tmp_path / "clamd.sock"
    server = FakeClamd(socket.AF_UNIX, path)
    try:
        monkeypatch.setitem(app.config, "CLAMD_SOCKET", str(path))
        sample = tmp_path / "x.pdf"
        sample.write_bytes(PDF + EICAR)
        assert virenscan.scan_file(sample) == "Eicar-Test-Signature"
        sample.write_bytes(PDF)
        assert virenscan.scan_file(sample) is None
    finally:
        server.close()
    monkeypatch.delitem(app.config, "CLAMD_SOCKET")
    assert not virenscan.configured()


def test_unexpected_reply_is_an_error() -> None:
    with pytest.raises(virenscan.ScanError):
        virenscan.parse_reply("INSTREAM size limit exceeded. ERROR")
