"""OParl tests use the portal's small city and a crawler that validates what it reads."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft7Validator

from tests.oeffentlich.conftest import stadt, upload_dir  # noqa: F401  (shared fixtures)

SCHEMA_DIR = Path(__file__).parent / "schema"
TYPE_PREFIX = "https://schema.oparl.org/1.1/"


def load_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


SCHEMAS = {
    name: load_schema(name)
    for name in (
        "System",
        "Body",
        "Organization",
        "Person",
        "Membership",
        "Meeting",
        "AgendaItem",
        "Paper",
        "Consultation",
        "File",
        "Location",
        "LegislativeTerm",
    )
}


def type_name(obj: dict) -> str:
    assert obj["type"].startswith(TYPE_PREFIX), obj["type"]
    return obj["type"][len(TYPE_PREFIX) :]


def validate(obj: dict, expected: str | None = None) -> str:
    """Validate one object (and, recursively, its embedded objects) against its schema.

    A withdrawn object keeps only id, type, created, modified and ``deleted: true`` (OParl
    1.1, chapter "Gelöschte Objekte"), so it is checked against the schema without the
    other required properties.
    """
    name = type_name(obj)
    if expected is not None:
        assert name == expected, (obj["id"], name, expected)
    schema = SCHEMAS[name]
    if obj.get("deleted"):
        assert set(obj) <= {"id", "type", "created", "modified", "deleted"}, obj
        schema = {**schema, "required": ["id", "type"]}
    errors = sorted(Draft7Validator(schema).iter_errors(obj), key=str)
    assert not errors, f"{obj['id']}: " + "; ".join(e.message for e in errors)
    for prop, spec in SCHEMAS[name]["properties"].items():
        value = obj.get(prop)
        if value is None:
            continue
        embedded = spec.get("schema") if spec.get("type") == "object" else None
        items = spec.get("items", {})
        if embedded:
            validate(value, embedded.removesuffix(".json"))
        elif spec.get("type") == "array" and items.get("type") == "object" and "schema" in items:
            for item in value:
                validate(item, items["schema"].removesuffix(".json"))
    return name


def references(obj: dict) -> list[tuple[str, str]]:
    """(url, referenced type) of every URL reference in ``obj`` and its embedded objects."""
    found: list[tuple[str, str]] = []
    schema = SCHEMAS[type_name(obj)]
    for prop, spec in schema["properties"].items():
        value = obj.get(prop)
        if value is None or prop == "id":
            continue
        ref = spec.get("references") or spec.get("items", {}).get("references")
        items = spec.get("items", {})
        if ref == "externalList":
            found.append((value, "externalList:" + items["schema"].removesuffix(".json")))
        elif ref:
            for url in value if isinstance(value, list) else [value]:
                found.append((url, ref))
        elif spec.get("type") == "object" and "schema" in spec:
            found += references(value)
        elif spec.get("type") == "array" and "schema" in items:
            for item in value:
                found += references(item)
    return found


def path_of(url: str, base: str) -> str:
    assert url.startswith(base), (url, base)
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def get_json(client, app):
    base = app.config["BASE_URL"].rstrip("/")

    def get(url: str, status: int = 200) -> dict:
        response = client.get(path_of(url, base) if url.startswith("http") else url)
        assert response.status_code == status, (url, response.status_code, response.data[:300])
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        return response.get_json()

    return get
