"""The mail outbox: rows first, sent by the worker after commit."""
