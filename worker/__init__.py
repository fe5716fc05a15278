"""The Celery worker: ``celery -A worker.app worker`` runs every task in an app context."""
