"""Kept for the data imports' imports: the table reader lives in ``app.core.tabellenlesen``."""

from __future__ import annotations

from app.core.tabellenlesen import (  # noqa: F401  re-exported: existing imports unchanged
    ALLOWED_SUFFIXES,
    CP1252,
    LATIN9,
    UTF8,
    UTF8_BOM,
    UTF16,
    XLSX,
    Cell,
    Table,
    TableSource,
    UploadError,
    as_decimal,
    cell_missing,
    cell_text,
    decode_text,
    normalise_header,
    open_table,
    parse_int,
    parse_number,
    read_table,
    sniff_upload,
)
