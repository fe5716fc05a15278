"""Form helpers every feature uses: selects of ids and enums, text cleaning, checkbox lists."""

from __future__ import annotations

import enum
import re
from typing import Any

from wtforms import DateField, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

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
