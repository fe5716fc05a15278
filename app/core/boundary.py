"""The one input boundary: every form value, query argument and URL part is cleaned here.

Text reaches views, forms and the database only after this module removed what no person
types (NUL, other control characters, bidi overrides) and what PostgreSQL refuses. Integer
query arguments read with ``request.args.get(name, type=int)`` stay within the database's
range; ``<int:…>`` URL parts beyond it and path parts with control characters are 404.
Forms add field-specific rules on top (``app.core.forms.Form``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import Flask, Request
from werkzeug.datastructures import FileStorage, ImmutableMultiDict, iter_multi_items
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # PostgreSQL INTEGER

# C0 controls except tab, newline and carriage return; DEL and the C1 block; noncharacters.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Bidi embeddings, overrides and isolates: they make names read differently than stored.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_LINEBREAKS = re.compile(r"[\t\r\n]+")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def clean_text(value: str, *, multiline: bool = True) -> str:
    """``value`` without control and bidi characters; single-line text also loses breaks."""
    value = _SURROGATES.sub("", _BIDI.sub("", _CONTROL.sub("", value)))
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value if multiline else _LINEBREAKS.sub(" ", value)


def remove_bidi(value: str) -> str:
    """``value`` without bidi embeddings, overrides and isolates."""
    return _BIDI.sub("", value)


def clean_filename(name: str | None) -> str | None:
    """A file name on one line without control or bidi characters (paths: ``check_name``)."""
    if name is None:
        return None
    return clean_text(name, multiline=False).strip() or None


def bounded_int(value: Any) -> int:
    """``int(value)`` within PostgreSQL's INTEGER; ValueError otherwise (→ the default)."""
    number = int(value)
    if not INT_MIN <= number <= INT_MAX:
        raise ValueError("Zahl außerhalb des zulässigen Bereichs")
    return number


class CleanMultiDict(ImmutableMultiDict):
    """Request parameters with every text value cleaned and integer reads bounded."""

    def __init__(self, mapping: Any = None) -> None:
        items = list(iter_multi_items(mapping)) if mapping is not None else []
        cleaned = [(_clean_key(key), _clean_value(value)) for key, value in items]
        super().__init__(cleaned)
        #: keys whose text lost characters here (a password field must refuse, not alter)
        self.changed = frozenset(
            new[0]
            for old, new in zip(items, cleaned, strict=True)
            if isinstance(old[1], str) and _CONTROL.sub("", old[1]) != old[1]
        )

    def get(self, key: str, default: Any = None, type: Callable | None = None) -> Any:
        """``type=int`` reads stay within the database's range (else ``default``)."""
        return super().get(key, default, bounded_int if type is int else type)

    def getlist(self, key: str, type: Callable | None = None) -> list:
        """``type=int`` drops values outside the database's range."""
        return super().getlist(key, bounded_int if type is int else type)


def _clean_key(key: Any) -> Any:
    return clean_text(key, multiline=False) if isinstance(key, str) else key


def _clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, FileStorage):
        value.filename = clean_filename(value.filename)
    return value


class CleanRequest(Request):
    """Flask's request with the boundary's parameter storage for args, form and files."""

    parameter_storage_class = CleanMultiDict


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` only matches ids the database can hold; anything larger is a 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


class CleanStringConverter(UnicodeConverter):
    """Path parts (tokens, names) with control or bidi characters match no route (404)."""

    def to_python(self, value: str) -> str:
        if value != clean_text(value, multiline=False):
            raise ValidationError()
        return value


def init_app(app: Flask) -> None:
    """Install the boundary before any blueprint adds its URL rules."""
    app.request_class = CleanRequest
    app.url_map.converters.update(
        int=BoundedIntConverter, default=CleanStringConverter, string=CleanStringConverter
    )
