"""The test harness: real PostgreSQL, Redis, SMTP server, Celery worker and Chromium."""
