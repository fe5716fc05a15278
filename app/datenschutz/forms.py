"""Forms of the data-protection pages."""

from __future__ import annotations

from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from app.core.forms import Form


class AnfordernForm(Form):
    submit = SubmitField("Meine Daten anfordern")


class LoeschenForm(Form):
    bestaetigung = StringField(
        "E-Mail-Adresse des Kontos zur Bestätigung",
        validators=[
            InputRequired("Bitte geben Sie die E-Mail-Adresse des Kontos ein."),
            Length(max=254),
        ],
    )
    submit = SubmitField("Konto endgültig löschen")
