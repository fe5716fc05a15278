"""Where an uploaded import file waits between preview and confirmation: on the server.

The bytes lie under a random name in ``UPLOAD_DIR/massenimport``; the form carries only a
signed, expiring reference bound to the uploading account, never the content.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

MAX_ALTER = 24 * 3600  # seconds a preview can be confirmed
_SALT = "stammdaten.massenimport"
_NAME = re.compile(r"^[0-9a-f]{64}$")


class AblageFehler(ValueError):
    """The reference is invalid, foreign or expired; the message is shown as is."""


def _ordner() -> Path:
    configured = current_app.config.get("UPLOAD_DIR")
    base = Path(configured) if configured else Path(current_app.instance_path) / "uploads"
    path = base / "massenimport"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _aufraeumen(ordner: Path) -> None:
    """Files older than the confirmation window are never needed again."""
    grenze = time.time() - MAX_ALTER
    for path in ordner.iterdir():
        if path.stat().st_mtime < grenze:
            path.unlink(missing_ok=True)


def ablegen(data: bytes, dateiname: str, user_id: int) -> str:
    """Keep the file and return the signed reference for the confirmation form."""
    ordner = _ordner()
    _aufraeumen(ordner)
    name = secrets.token_hex(32)
    (ordner / name).write_bytes(data)
    return _serializer().dumps({"d": name, "n": dateiname[:255], "u": user_id})


def laden(referenz: str, user_id: int) -> tuple[bytes, str]:
    """The file behind ``referenz`` for the same account, as long as it is valid."""
    abgelaufen = "Die Vorschau ist abgelaufen. Bitte laden Sie die Datei erneut hoch."
    try:
        inhalt = _serializer().loads(referenz or "", max_age=MAX_ALTER)
    except BadSignature as exc:
        raise AblageFehler(abgelaufen) from exc
    if not isinstance(inhalt, dict) or inhalt.get("u") != user_id:
        raise AblageFehler(abgelaufen)
    name = str(inhalt.get("d", ""))
    path = _ordner() / name
    if not _NAME.match(name) or not path.is_file():
        raise AblageFehler(abgelaufen)
    return path.read_bytes(), str(inhalt.get("n", ""))


def entfernen(referenz: str) -> None:
    """Delete the file once it was imported (a second confirmation finds nothing)."""
    try:
        name = str(_serializer().loads(referenz, max_age=MAX_ALTER).get("d", ""))
    except (BadSignature, AttributeError):
        return
    if _NAME.match(name):
        (_ordner() / name).unlink(missing_ok=True)
