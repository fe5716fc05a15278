"""Audit log: every insert, update and delete of every model, written in the same transaction.

One mechanism for all packages (``hook.py``, a SQLAlchemy session hook). Models opt out or
exclude columns by class attributes (see ``docs/ENTWICKLUNG.md``); explicit events (logins,
exports, data requests) go through ``services.record_event``.
"""
