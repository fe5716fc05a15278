"""The refusal of an upload, shared by the storage and the content checks."""

from __future__ import annotations


class UploadError(ValueError):
    """An upload was refused; the message is German and shown next to the field."""

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.status_code = status_code
