"""Forms of meeting series and copies; all messages German."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from app.core.forms import INVALID_CHOICE, Form, clean_text, option
from app.sitzungen.forms import DATETIME_FORMAT, INVALID_DATETIME
from app.sitzungen.serien import NUMMERN, WOCHENTAGE, Regel


def _text(label: str, maximum: int, required: str) -> StringField:
    return StringField(
        label,
        filters=[clean_text],
        validators=[
            DataRequired(required),
            Length(max=maximum, message=f"Höchstens {maximum} Zeichen."),
        ],
    )


class SerieForm(Form):
    gremium_id = SelectField(
        "Gremium",
        coerce=int,
        choices=[],
        validate_choice=True,
        invalid_choice_message="Bitte wählen Sie ein Gremium aus der Liste.",
    )
    jahr = IntegerField(
        "Jahr",
        validators=[
            InputRequired("Bitte geben Sie das Jahr an."),
            NumberRange(min=2000, max=2099, message="Bitte ein Jahr zwischen 2000 und 2099."),
        ],
    )
    regel = RadioField(
        "Regel",
        choices=[option(r.value, r.label) for r in Regel],
        default=Regel.MONATLICH.value,
        invalid_choice_message=INVALID_CHOICE,
    )
    wochentag = SelectField(
        "Wochentag",
        coerce=int,
        choices=[option(i, t) for i, t in enumerate(WOCHENTAGE)],
        default=1,
        invalid_choice_message=INVALID_CHOICE,
    )
    nummer = SelectField(
        "Welcher Wochentag im Monat",
        coerce=int,
        choices=[option(n, f"am {t}") for n, t in NUMMERN.items()],
        default=2,
        invalid_choice_message=INVALID_CHOICE,
        description="Nur für die monatliche Regel, z. B. „am zweiten“ Dienstag.",
    )
    intervall = IntegerField(
        "Abstand in Wochen",
        default=1,
        validators=[NumberRange(min=1, max=8, message="Bitte 1 bis 8 Wochen.")],
        description="Nur für die wöchentliche Regel: 1 = jede Woche, 2 = alle zwei Wochen.",
    )
    beginn = TimeField(
        "Beginn (Uhrzeit)",
        validators=[InputRequired("Bitte geben Sie die Uhrzeit des Beginns an.")],
        invalid_value_message="Bitte eine Uhrzeit wie 18:00 angeben.",
        description="Ortszeit Hilden; gilt auch nach der Zeitumstellung.",
    )
    dauer = IntegerField(
        "Dauer in Minuten",
        default=120,
        validators=[
            InputRequired("Bitte geben Sie die Dauer an."),
            NumberRange(min=15, max=720, message="Bitte 15 bis 720 Minuten."),
        ],
    )
    titel = _text("Titel der Sitzungen", 200, "Bitte geben Sie einen Titel ein.")
    ort_name = _text("Ort", 200, "Bitte geben Sie den Ort an.")
    feiertage = BooleanField("Gesetzliche Feiertage in NRW auslassen", default=True)
    vorschau = SubmitField("Vorschau")
    anlegen = SubmitField("Sitzungen anlegen")


class KopieForm(Form):
    titel = _text("Titel", 200, "Bitte geben Sie einen Titel ein.")
    beginn = DateTimeLocalField(
        "Beginn der Kopie",
        format=DATETIME_FORMAT,
        validators=[InputRequired("Bitte geben Sie Datum und Uhrzeit des Beginns an.")],
        invalid_value_message=INVALID_DATETIME,
        description="Ortszeit Hilden; Dauer, Ort und Tagesordnung werden übernommen.",
    )
    submit = SubmitField("Sitzung kopieren")
