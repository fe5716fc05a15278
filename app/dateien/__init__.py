"""Uploaded files: one validation and storage for every feature (agenda documents, minutes)."""
