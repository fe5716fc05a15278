"""The audit log's session listeners, registered when create_app imports this module."""

from app.audit import bulk, hook  # noqa: F401  (importing registers the listeners)
