"""The form to record an impulse (German messages)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.impulse.models import ImpulsAdressat
from app.stammdaten.forms import enum_select, id_select


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class ImpulsForm(FlaskForm):
    titel = StringField(
        "Titel",
        filters=[_strip],
        validators=[
            DataRequired("Bitte geben Sie einen Titel ein."),
            Length(max=200, message="Höchstens 200 Zeichen."),
        ],
    )
    beschreibung = TextAreaField(
        "Beschreibung",
        filters=[_strip],
        validators=[Optional(), Length(max=10000, message="Höchstens 10000 Zeichen.")],
    )
    sozialraum_id = id_select(
        "Sozialraum", description="Leer lassen, wenn der Impuls die ganze Stadt betrifft."
    )
    adressiert_an = enum_select("Adressiert an", ImpulsAdressat)
    submit = SubmitField("Impuls anlegen")
