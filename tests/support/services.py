"""Find the PostgreSQL and Redis servers the suite needs, or start them from installed binaries.

Never skips: without a server and without binaries the run stops with a message naming
what to install.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379"
_started: list[subprocess.Popen] = []


def free_port() -> int:
    """A TCP port on loopback that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _libpq(url: str, dbname: str | None = None) -> str:
    parts = urlsplit(url.replace("postgresql+psycopg://", "postgresql://"))
    path = f"/{dbname}" if dbname is not None else parts.path
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _pg_reachable(url: str) -> bool:
    try:
        with psycopg.connect(_libpq(url, "postgres"), connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _pg_binaries() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return os.path.dirname(found[-1])
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _start_postgres() -> str:
    """initdb and start a private cluster on a free port; returns its URL."""
    bindir = _pg_binaries()
    if bindir is None:
        pytest.exit(
            "PostgreSQL ist nicht erreichbar und nicht installiert. Bitte installieren "
            "(Debian: apt-get install postgresql) oder TEST_DATABASE_URL auf einen Server setzen.",
            returncode=3,
        )
    datadir = tempfile.mkdtemp(prefix="pk-test-pg-")
    port = free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(datadir, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*as_user, f"{bindir}/initdb", "-D", datadir, "-U", "postgres", "-A", "trust"],
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        [
            *as_user,
            f"{bindir}/postgres",
            "-D",
            datadir,
            "-p",
            str(port),
            "-k",
            datadir,
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "fsync=off",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _started.append(proc)
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/test"
    _wait(lambda: _pg_reachable(url), "PostgreSQL")
    return url


def ensure_postgres() -> str:
    """The test database URL; the database is created when missing."""
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)
    if not _pg_reachable(url):
        url = _start_postgres()
    dbname = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_libpq(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{dbname}"')
    return url


def create_database(url: str, name: str) -> str:
    """A fresh, empty database beside the test database (for migration tests)."""
    with psycopg.connect(_libpq(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def _redis_reachable(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def _start_redis() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.exit(
            "Redis ist nicht erreichbar und nicht installiert. Bitte installieren "
            "(Debian: apt-get install redis-server) oder TEST_REDIS_URL setzen.",
            returncode=3,
        )
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _started.append(proc)
    url = f"redis://127.0.0.1:{port}"
    _wait(lambda: _redis_reachable(url), "Redis")
    return url


def ensure_redis() -> str:
    """Base URL (without database number) of a reachable Redis server."""
    url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS).rstrip("/")
    return url if _redis_reachable(url) else _start_redis()


def _wait(check, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.exit(f"{what} wurde gestartet, antwortet aber nicht.", returncode=3)


def chromium_path() -> str:
    """Debian's Chromium; the test command installs it, here we only stop with a clear message."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.exit(
            "Chromium fehlt für die Browsertests. Bitte installieren (Debian: apt-get install "
            "chromium) oder CHROMIUM_PATH setzen; 'make test' tut das als root selbst.",
            returncode=3,
        )
    return path


@atexit.register
def _stop_started() -> None:
    for proc in _started:
        proc.terminate()
