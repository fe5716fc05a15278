"""The form of a Rundschreiben; all messages German."""

from __future__ import annotations

from flask_wtf.file import MultipleFileField
from wtforms import RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.core.forms import INVALID_CHOICE, Form, clean_text, id_select, options
from app.rundschreiben.models import EmpfaengerArt


class RundschreibenForm(Form):
    betreff = StringField(
        "Betreff",
        filters=[clean_text],
        validators=[
            DataRequired("Bitte geben Sie einen Betreff ein."),
            Length(max=200, message="Höchstens 200 Zeichen."),
        ],
    )
    text = TextAreaField(
        "Text",
        filters=[clean_text],
        validators=[
            DataRequired("Bitte geben Sie den Text ein."),
            Length(max=20000, message="Höchstens 20000 Zeichen."),
        ],
        description="Markdown ist möglich: **fett**, *kursiv*, Listen mit „- “ am Zeilenanfang.",
    )
    empfaenger = RadioField(
        "Empfängerkreis",
        choices=options([(a.value, a.label) for a in EmpfaengerArt]),
        default=EmpfaengerArt.TRAEGER.value,
        validators=[DataRequired("Bitte wählen Sie den Empfängerkreis.")],
        invalid_choice_message=INVALID_CHOICE,
    )
    gremium = id_select("Gremium", description="Nur für „an ein Gremium“: alle aktiven Mitglieder.")
    personen = SelectMultipleField(
        "Personen",
        coerce=int,
        choices=[],
        validators=[Optional()],
        invalid_choice_message=INVALID_CHOICE,
        invalid_value_message=INVALID_CHOICE,
        description="Nur für „an ausgewählte Personen“; mehrere mit Strg oder Umschalt wählen.",
    )
    anhaenge = MultipleFileField(
        "Anlagen",
        description="Bis zu fünf Dateien (PDF, Word, Excel, OpenDocument, Bilder), je höchstens "
        "20 MB.",
    )
    submit = SubmitField("Rundschreiben senden")
