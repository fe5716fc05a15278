"""Shared set-up for benchmarks: a fresh PostgreSQL database with the schema, an app bound to it."""

from __future__ import annotations

import os

from tests.support.services import create_database, ensure_postgres, ensure_redis


def bench_app(extra: dict | None = None):
    """An app on a fresh ``bench`` PostgreSQL database (schema via create_all)."""
    from app import create_app
    from app.extensions import db

    base = ensure_postgres()
    url = os.environ.get("BENCH_DATABASE_URL") or create_database(base, "bench")
    redis_base = ensure_redis()
    overrides = {
        "SQLALCHEMY_DATABASE_URI": url,
        "CELERY_BROKER_URL": f"{redis_base}/12",
        "RATELIMIT_STORAGE_URI": f"{redis_base}/13",
        "PROXY_FIX": False,
        **(extra or {}),
    }
    app = create_app("testing", overrides)
    with app.app_context():
        db.create_all()
    return app
