"""Form helpers every feature uses: the base ``Form``, selects of ids and enums, checkbox lists.

Every form derives from ``Form`` (ruff refuses a direct ``FlaskForm`` import): it applies the
input boundary's field rules (one-line text, lengths, date and number ranges) and renders the
one-time submission token next to the CSRF token, so a double click creates one object.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import g
from flask_wtf import FlaskForm  # noqa: TID251 - the one place that may
from markupsafe import Markup
from wtforms import (
    DateField,
    DateTimeField,
    DateTimeLocalField,
    DecimalField,
    Field,
    FloatField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.csrf.core import CSRFTokenField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget, TextInput

from app.core import boundary
from app.core.zahlen import ZahlFehler, parse_zahl

try:  # WTForms 3.3 declares options as SelectChoice; tuples are deprecated there
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None

INVALID_CHOICE = "Bitte wählen Sie einen Eintrag aus der Liste."
KEINE = "– keine –"


def optional_id(value: Any) -> int | None:
    """Coerce a select value to a database id; the empty option is None."""
    if value in (None, "", "None"):
        return None
    if isinstance(value, int):
        return value
    return int(value)


def option(value: Any, label: str) -> Any:
    """One option of a select, in the form the installed WTForms expects."""
    return SelectChoice(value=value, label=label) if SelectChoice else (value, label)


def options(pairs: list[tuple[Any, str]], blank: str | None = None) -> list:
    """Options from (value, label) pairs, with an empty first option labelled ``blank``."""
    first = [option("", blank)] if blank is not None else []
    return first + [option(value, label) for value, label in pairs]


def id_select(label: str, *, required_message: str | None = None, **kw: Any) -> SelectField:
    """A select of database ids; choices are set by the view (active rows only)."""
    validators = [DataRequired(required_message)] if required_message else [Optional()]
    return SelectField(
        label,
        validators=validators,
        coerce=optional_id,
        choices=[],
        invalid_choice_message=INVALID_CHOICE,
        invalid_value_message=INVALID_CHOICE,
        **kw,
    )


def enum_select(label: str, enum_cls: type[enum.Enum], **kw: Any) -> SelectField:
    """A select over an enum with German labels."""
    return SelectField(
        label,
        validators=[InputRequired("Bitte wählen Sie einen Eintrag aus.")],
        coerce=enum_cls,
        choices=options([(member.value, member.label) for member in enum_cls]),
        invalid_choice_message=INVALID_CHOICE,
        invalid_value_message=INVALID_CHOICE,
        **kw,
    )


_STEUERZEICHEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: object) -> object:
    """Stripped text without control characters (PostgreSQL refuses NUL; nobody types them)."""
    return _STEUERZEICHEN.sub("", value).strip() if isinstance(value, str) else value


# --------------------------------------------------------------------------- the base form

JAHR_MIN, JAHR_MAX = 1900, 2100
MAX_EINZEILIG = 200  # one-line text without its own Length validator
MAX_MEHRZEILIG = 20000  # text areas without their own Length validator
BETRAG_MAX = Decimal("1e12")
DB_FEHLER = "formular_db_fehler"  # g key set by app.core.errors when the database refused


def _one_line(value: object) -> object:
    return boundary.clean_text(value, multiline=False) if isinstance(value, str) else value


def _date_error(value: object) -> str | None:
    if isinstance(value, dt.date) and not JAHR_MIN <= value.year <= JAHR_MAX:
        return f"Bitte geben Sie ein Datum zwischen {JAHR_MIN} und {JAHR_MAX} an."
    return None


def _integer_error(value: object) -> str | None:
    if isinstance(value, int) and not boundary.INT_MIN <= value <= boundary.INT_MAX:
        return "Die Zahl ist zu groß."
    return None


def _number_error(value: object) -> str | None:
    try:
        number = Decimal(value) if isinstance(value, float | Decimal) else None
    except (InvalidOperation, ValueError):
        number = None
    if isinstance(value, float) and not math.isfinite(value):
        return "Bitte geben Sie eine Zahl ein."
    if number is not None and (not number.is_finite() or abs(number) >= BETRAG_MAX):
        return "Die Zahl ist zu groß."
    return None


def _text_only(field: Field) -> None:
    """A text field left out of a submission must not keep a non-text ``obj=`` value."""
    original = field.process_formdata

    def process_formdata(valuelist: list[Any]) -> None:
        original(valuelist)
        if not isinstance(field.data, str | None):
            field.data = ""

    field.process_formdata = process_formdata  # type: ignore[method-assign]


def _check_parsed(field: Field, check: Callable[[object], str | None]) -> None:
    """Refuse a parsed value out of range before any filter (e.g. time zones) sees it."""
    original = field.process_formdata

    def process_formdata(valuelist: list[Any]) -> None:
        original(valuelist)
        message = check(field.data)
        if message:
            field.data = None
            raise ValueError(message)

    field.process_formdata = process_formdata  # type: ignore[method-assign]


def _has_length(field: Field) -> bool:
    return any(isinstance(v, Length) for v in field.validators)


def harden_field(field: Field) -> Field:
    """Apply the input boundary's rules for the field's type (see module docstring)."""
    if isinstance(field, CSRFTokenField):
        field.widget = _CsrfAndSubmissionToken()
    elif isinstance(field, TextAreaField):
        _bound_length(field, MAX_MEHRZEILIG)
    elif isinstance(field, StringField) and not isinstance(field, PasswordField):
        field.filters = (_one_line, *field.filters)
        _bound_length(field, MAX_EINZEILIG)
        _text_only(field)
    elif isinstance(field, DateField | DateTimeField | DateTimeLocalField):
        _check_parsed(field, _date_error)
    elif isinstance(field, IntegerField):
        _check_parsed(field, _integer_error)
    elif isinstance(field, DecimalField | FloatField):
        _check_parsed(field, _number_error)
    return field


def _bound_length(field: Field, limit: int) -> None:
    if not _has_length(field):
        field.validators = [
            *field.validators,
            Length(max=limit, message=f"Höchstens {limit} Zeichen."),
        ]


class _CsrfAndSubmissionToken(HiddenInput):
    """The CSRF input plus a fresh one-time submission token (app.core.submissions)."""

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        from app.core.submissions import feld_platzhalter, token_input

        platzhalter = feld_platzhalter(field.name)  # while cached markup is rendered
        if platzhalter is not None:
            return platzhalter
        return super().__call__(field, **kwargs) + token_input()


class Form(FlaskForm):
    """Base of every form: boundary rules per field, submission token, database refusals."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict) -> Field:
            return harden_field(super().bind_field(form, unbound_field, options))  # type: ignore[misc]

    def validate(self, extra_validators: Any = None) -> bool:
        """Also fail when the database refused this submission (shown as a form error)."""
        valid = super().validate(extra_validators)
        refusal = g.get(DB_FEHLER)
        if refusal is None:
            return valid
        message, constraint = refusal
        target = next((f for f in self if constraint and f"_{f.name}_" in f"_{constraint}_"), None)
        if target is not None and target.name != "csrf_token":
            target.errors.append(message)
        else:
            self.form_errors.append(message)
        return False


class CheckboxListField(SelectMultipleField):
    """Several checkboxes; rendered inside a fieldset by the template."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class DatumField(DateField):
    """A date (YYYY-MM-DD from the date picker) with a German message."""

    def process_formdata(self, valuelist: list) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ).") from None


class ZahlField(Field):
    """A number in German notation (12,5; 1.000 is a thousand); empty is None."""

    widget = TextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return str(self.data).replace(".", ",").removesuffix(",0")

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        if not text:
            self.data = None
            return
        try:
            self.data = float(parse_zahl(text))
        except ZahlFehler as exc:
            self.data = None
            if not any(c.isdigit() for c in text):
                raise ValueError("Bitte geben Sie eine Zahl ein, z. B. 0 oder 12,5.") from exc
            raise ValueError(str(exc)) from exc  # names the German spelling it expected
        if not math.isfinite(self.data) or abs(self.data) >= 10**13:
            raise ValueError("Die Zahl ist zu groß.")
