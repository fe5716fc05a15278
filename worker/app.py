"""Entry point of the worker and beat processes.

``celery -A worker.app worker`` and ``celery -A worker.app beat`` build the Flask app from
APP_ENV and use the Celery app bound to it, so every task runs in an app context.
"""

from __future__ import annotations

from app import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
