"""Forms of the minutes: file, structured results, impulses; all messages German."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.forms import INVALID_CHOICE, Form, clean_text, id_select, options
from app.impulse.models import ImpulsAdressat
from app.protokolle.services import ADRESSATEN

MARKDOWN_HINWEIS = "Markdown ist möglich: **fett**, *kursiv*, Listen mit „- “ am Zeilenanfang."


strip = clean_text


def _text(label: str, limit: int, description: str | None = None) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[strip],
        validators=[Optional(), Length(max=limit, message=f"Höchstens {limit} Zeichen.")],
        description=description,
    )


class UploadForm(Form):
    datei = FileField(
        "Protokolldatei",
        description="PDF, Word (DOCX) oder OpenDocument-Text (ODT); höchstens 20 MB. "
        "Eine neue Datei wird als neue Fassung gespeichert, frühere bleiben erhalten.",
    )
    submit = SubmitField("Protokoll hochladen")


class ErgebnisseForm(Form):
    teilnehmende_anzahl = IntegerField(
        "Zahl der Teilnehmenden",
        validators=[
            Optional(),
            NumberRange(min=0, max=10000, message="Bitte eine Zahl zwischen 0 und 10000."),
        ],
    )
    teilnehmende_organisationen = _text(
        "Vertretene Organisationen", 5000, "Eine Organisation je Zeile."
    )
    ergebnisse = _text("Ergebnisse", 50000, MARKDOWN_HINWEIS)
    vereinbarungen = _text("Vereinbarungen", 50000, MARKDOWN_HINWEIS)
    submit = SubmitField("Ergebnisse speichern")


class ProtokollImpulsForm(Form):
    titel = StringField(
        "Titel des Impulses",
        filters=[strip],
        validators=[
            DataRequired("Bitte geben Sie einen Titel ein."),
            Length(max=200, message="Höchstens 200 Zeichen."),
        ],
    )
    beschreibung = _text("Beschreibung", 10000)
    thema = StringField(
        "Thema",
        filters=[strip],
        validators=[Optional(), Length(max=200, message="Höchstens 200 Zeichen.")],
        description="z. B. Kinderbetreuung, Wohnen, Begegnung",
    )
    sozialraum_id = id_select(
        "Sozialraum", description="Leer lassen: der Sozialraum des Arbeitskreises bzw. die Stadt."
    )
    adressiert_an = SelectField(
        "Adressiert an",
        validators=[InputRequired("Bitte wählen Sie einen Eintrag aus.")],
        coerce=ImpulsAdressat,
        choices=options([(a.value, a.label) for a in ADRESSATEN]),
        invalid_choice_message=INVALID_CHOICE,
        invalid_value_message=INVALID_CHOICE,
    )
    submit = SubmitField("Impuls erfassen")


class ButtonForm(Form):
    """A button that changes state (CSRF only)."""

    submit = SubmitField("Freigeben")


class RueckgabeForm(Form):
    """Hand the minutes back to the moderation with what to change."""

    kommentar = TextAreaField(
        "Was ist zu überarbeiten?",
        filters=[strip],
        validators=[
            DataRequired("Bitte schreiben Sie, was am Protokoll zu ändern ist."),
            Length(max=4000, message="Höchstens 4000 Zeichen."),
        ],
        description="Die Moderation sieht diesen Hinweis auf der Protokollseite und per E-Mail.",
    )
    submit = SubmitField("Zurückgeben")
