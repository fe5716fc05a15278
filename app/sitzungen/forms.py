"""Forms for meetings, agenda, invitations and replies; every message is German."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError

from app.sitzungen.models import Antwort, ErinnerungAn

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class GermanDateTimeLocalField(DateTimeLocalField):
    """A ``datetime-local`` input whose format error is German."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not any((v or "").strip() for v in valuelist):
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(
                "Bitte geben Sie Datum und Uhrzeit vollständig an (TT.MM.JJJJ, HH:MM)."
            ) from exc


def _text(label: str, maximum: int, required: str | None = None, **kw: Any) -> StringField:
    first = [DataRequired(required)] if required else [Optional()]
    return StringField(
        label,
        validators=[*first, Length(max=maximum, message=f"Höchstens {maximum} Zeichen.")],
        **kw,
    )


class SitzungForm(FlaskForm):
    gremium_id = SelectField(
        "Gremium",
        coerce=int,
        validate_choice=True,
        invalid_choice_message="Bitte wählen Sie ein Gremium aus der Liste.",
    )
    titel = _text("Titel", 200, "Bitte geben Sie einen Titel ein.")
    beginn = GermanDateTimeLocalField(
        "Beginn",
        format=DATETIME_FORMAT,
        validators=[DataRequired("Bitte geben Sie Datum und Uhrzeit des Beginns an.")],
        description="Ortszeit Hilden (Europe/Berlin)",
    )
    ende = GermanDateTimeLocalField(
        "Ende",
        format=DATETIME_FORMAT,
        validators=[DataRequired("Bitte geben Sie Datum und Uhrzeit des Endes an.")],
    )
    ort_name = _text(
        "Ort", 200, description="z. B. Rathaus Hilden; leer lassen bei reinen Online-Sitzungen"
    )
    ort_raum = _text("Raum", 120)
    ort_adresse = _text("Adresse", 300)
    online_link = URLField(
        "Link zur Online-Teilnahme",
        validators=[
            Optional(),
            Length(max=500, message="Höchstens 500 Zeichen."),
            URL(message="Bitte geben Sie einen vollständigen Link an (https://…)."),
        ],
    )
    oeffentlich = BooleanField(
        "Öffentliche Sitzung (für alle angemeldeten Personen und im öffentlichen Kalender sichtbar)"
    )
    erinnerung_tage = IntegerField(
        "Erinnerung (Tage vor der Sitzung)",
        validators=[
            Optional(),
            NumberRange(1, 60, "Bitte eine Zahl von 1 bis 60 oder leer (keine Erinnerung)."),
        ],
        description="Leer lassen, wenn keine Erinnerung verschickt werden soll.",
    )
    erinnerung_an = SelectField(
        "Erinnerung senden",
        choices=[(e.value, e.label) for e in ErinnerungAn],
        default=ErinnerungAn.OFFENE.value,
        invalid_choice_message="Bitte wählen Sie einen Eintrag aus der Liste.",
    )
    submit = SubmitField("Speichern")

    def validate_ende(self, field: Any) -> None:
        if self.beginn.data and field.data and field.data <= self.beginn.data:
            raise ValidationError("Das Ende muss nach dem Beginn liegen.")

    def validate_online_link(self, field: Any) -> None:
        if not field.data and not (self.ort_name.data or "").strip():
            raise ValidationError(
                "Bitte geben Sie einen Ort oder einen Link zur Online-Teilnahme an."
            )
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError("Der Link muss mit https:// beginnen.")

    def values(self) -> dict[str, Any]:
        """The meeting fields (times still naive Berlin wall-clock)."""
        return {
            "titel": self.titel.data.strip(),
            "beginn": self.beginn.data,
            "ende": self.ende.data,
            "ort_name": (self.ort_name.data or "").strip() or None,
            "ort_raum": (self.ort_raum.data or "").strip() or None,
            "ort_adresse": (self.ort_adresse.data or "").strip() or None,
            "online_link": (self.online_link.data or "").strip() or None,
            "oeffentlich": bool(self.oeffentlich.data),
            "erinnerung_tage": self.erinnerung_tage.data,
            "erinnerung_an": ErinnerungAn(self.erinnerung_an.data),
        }


class TopForm(FlaskForm):
    titel = _text("Titel des Tagesordnungspunkts", 300, "Bitte geben Sie einen Titel ein.")
    beschreibung = TextAreaField(
        "Beschreibung", validators=[Optional(), Length(max=5000, message="Höchstens 5000 Zeichen.")]
    )
    datei = FileField(
        "Anlage (optional)",
        description="PDF, Word, OpenDocument, Excel, PNG oder JPEG; höchstens 20 MB",
    )
    submit = SubmitField("Tagesordnungspunkt hinzufügen")


class TopEditForm(FlaskForm):
    titel = _text("Titel des Tagesordnungspunkts", 300, "Bitte geben Sie einen Titel ein.")
    beschreibung = TextAreaField(
        "Beschreibung", validators=[Optional(), Length(max=5000, message="Höchstens 5000 Zeichen.")]
    )
    submit = SubmitField("Speichern")


class DateiForm(FlaskForm):
    datei = FileField(
        "Weitere Anlage",
        description="PDF, Word, OpenDocument, Excel, PNG oder JPEG; höchstens 20 MB",
    )
    submit = SubmitField("Anlage hochladen")


class EinladenForm(FlaskForm):
    gaeste = TextAreaField(
        "Gäste (optional)",
        validators=[Optional(), Length(max=20000, message="Höchstens 20000 Zeichen.")],
        description="Eine Adresse je Zeile, z. B. „Erika Muster <erika@example.org>“ "
        "oder nur die Adresse.",
    )
    submit = SubmitField("Einladungen versenden")


class AbsageForm(FlaskForm):
    grund = TextAreaField(
        "Grund der Absage (optional, steht in der Absage-E-Mail)",
        validators=[Optional(), Length(max=2000, message="Höchstens 2000 Zeichen.")],
    )
    submit = SubmitField("Sitzung absagen")


class ButtonForm(FlaskForm):
    """Only the CSRF token: buttons that change state (move, delete, mark held, feed)."""

    submit = SubmitField("Ausführen")


ANTWORT_CHOICES = [
    (Antwort.ZUSAGE.value, "Zusage – ich nehme teil"),
    (Antwort.ABSAGE.value, "Absage – ich nehme nicht teil"),
    (Antwort.VERTRETUNG.value, "Vertretung – ich nehme nicht teil, mich vertritt:"),
]


class AntwortForm(FlaskForm):
    antwort = RadioField(
        "Ihre Rückmeldung",
        choices=ANTWORT_CHOICES,
        validate_choice=True,
        invalid_choice_message="Bitte wählen Sie Zusage, Absage oder Vertretung.",
    )
    vertretung_name = _text(
        "Name der Vertretung",
        200,
        description="Nur bei Vertretung: wer nimmt an Ihrer Stelle teil?",
    )
    kommentar = TextAreaField(
        "Kommentar (optional)",
        validators=[Optional(), Length(max=2000, message="Höchstens 2000 Zeichen.")],
    )
    submit = SubmitField("Rückmeldung senden")

    def validate_vertretung_name(self, field: Any) -> None:
        if self.antwort.data == Antwort.VERTRETUNG.value and not (field.data or "").strip():
            raise ValidationError("Bitte nennen Sie die Person, die Sie vertritt.")
