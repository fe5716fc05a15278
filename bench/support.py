"""Shared set-up for benchmarks: database and Redis from the environment, servers in processes.

``BENCH_DATABASE_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/bench``) is
emptied and filled anew by each benchmark; ``BENCH_REDIS_URL`` (default
``redis://127.0.0.1:6379/12``, the number is the Redis database) is flushed. When nothing is
reachable at the default addresses, private PostgreSQL/Redis servers are started from the
installed programs (as the test suite does).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"


def database_url() -> str:
    """The benchmark database (created when missing), from BENCH_DATABASE_URL."""
    from tests.support.services import _pg_reachable, _start_postgres, create_database

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    name = urlsplit(url).path.lstrip("/") or "bench"
    if not _pg_reachable(url):
        url = _start_postgres()
    return create_database(url, name)


def redis_url() -> str:
    """The benchmark Redis database (flushed), from BENCH_REDIS_URL."""
    import redis

    from tests.support.services import _redis_reachable, _start_redis

    url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    parts = urlsplit(url)
    if not _redis_reachable(url):
        base = _start_redis()
        url = f"{base}{parts.path or '/12'}"
    redis.Redis.from_url(url).flushdb()
    return urlunsplit(urlsplit(url)._replace(query="", fragment=""))


def bench_app(extra: dict | None = None, url: str | None = None):
    """An app on the (fresh) benchmark database, schema via create_all."""
    from app import create_app
    from app.extensions import db

    overrides = {
        "SQLALCHEMY_DATABASE_URI": url or database_url(),
        "CELERY_BROKER_URL": "memory://",
        "RATELIMIT_STORAGE_URI": "memory://",
        "PROXY_FIX": False,
        **(extra or {}),
    }
    app = create_app("testing", overrides)
    with app.app_context():
        db.create_all()
    return app


def production_env(database: str, redis: str, base_url: str, **extra: str) -> dict[str, str]:
    """Environment of a production server process (APP_ENV=production) on these servers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))}
    env.update(
        {
            "APP_ENV": "production",
            "DATABASE_URL": database,
            "REDIS_URL": redis,
            "SECRET_KEY": secrets.token_urlsafe(48),
            "SMTP_HOST": "127.0.0.1",
            "BASE_URL": base_url,
            **extra,
        }
    )
    return env


def start_gunicorn(
    target: str, port: int, env: dict[str, str], log: Path, workers: int = 2, ready: str = "/"
) -> subprocess.Popen:
    """gunicorn with ``workers`` sync workers on loopback; waits until ``ready`` answers."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "120",
                "--backlog",
                "2048",
                target,
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready}", timeout=5) as response:
                if response.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise RuntimeError(
        f"gunicorn ({target}) startet nicht:\n" + log.read_text(errors="replace")[-3000:]
    )


def stop(proc: subprocess.Popen | None, timeout: float = 30) -> None:
    """End a server process we started (its own process group)."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def free_port() -> int:
    from tests.support.services import free_port as _free

    return _free()


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
