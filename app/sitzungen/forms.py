"""Forms for meetings, agenda, invitations and replies; every message is German."""

from __future__ import annotations

from typing import Any

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
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.core.forms import Form, option, optional_id
from app.sitzungen.models import Antwort, ErinnerungAn
from app.workflows.models import Phase

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
INVALID_DATETIME = "Bitte geben Sie Datum und Uhrzeit vollständig an (TT.MM.JJJJ, HH:MM)."


def _text(label: str, maximum: int, required: str | None = None, **kw: Any) -> StringField:
    first = [DataRequired(required)] if required else [Optional()]
    return StringField(
        label,
        validators=[*first, Length(max=maximum, message=f"Höchstens {maximum} Zeichen.")],
        **kw,
    )


class SitzungForm(Form):
    gremium_id = SelectField(
        "Gremium",
        coerce=int,
        validate_choice=True,
        invalid_choice_message="Bitte wählen Sie ein Gremium aus der Liste.",
    )
    titel = _text("Titel", 200, "Bitte geben Sie einen Titel ein.")
    beginn = DateTimeLocalField(
        "Beginn",
        format=DATETIME_FORMAT,
        validators=[InputRequired("Bitte geben Sie Datum und Uhrzeit des Beginns an.")],
        invalid_value_message=INVALID_DATETIME,
        description="Ortszeit Hilden (Europe/Berlin)",
    )
    ende = DateTimeLocalField(
        "Ende",
        format=DATETIME_FORMAT,
        validators=[InputRequired("Bitte geben Sie Datum und Uhrzeit des Endes an.")],
        invalid_value_message=INVALID_DATETIME,
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
        "Öffentliche Sitzung (mit Tagesordnung und Unterlagen im öffentlichen Portal, im "
        "öffentlichen Kalender und in OParl sichtbar)"
    )
    mappe_beifuegen = BooleanField(
        "Sitzungsmappe der Einladung als PDF beifügen",
        description="Einladung, Tagesordnung und alle PDF-Anlagen in einer Datei mit "
        "Seitenzahlen, auch bei Änderungen von Termin oder Ort. Ist sie größer als erlaubt, "
        "enthält die E-Mail stattdessen einen Link zum Herunterladen.",
    )
    erinnerung_tage = IntegerField(
        "Erinnerung (Tage vor der Sitzung)",
        default=3,
        validators=[
            Optional(),
            NumberRange(1, 60, "Bitte eine Zahl von 1 bis 60 oder leer (keine Erinnerung)."),
        ],
        description="Leer lassen, wenn keine Erinnerung verschickt werden soll.",
    )
    erinnerung_an = SelectField(
        "Erinnerung senden",
        choices=[option(e.value, e.label) for e in ErinnerungAn],
        default=ErinnerungAn.OFFENE.value,
        invalid_choice_message="Bitte wählen Sie einen Eintrag aus der Liste.",
    )
    zyklus_id = SelectField(
        "Planungszyklus (optional)",
        coerce=optional_id,
        choices=[],
        invalid_choice_message="Bitte wählen Sie einen Planungszyklus aus der Liste.",
    )
    phase = SelectField(
        "Phase",
        choices=[
            option("", "passend zu Gremium und Stand des Zyklus"),
            *[option(p.value, p.label) for p in Phase],
        ],
        invalid_choice_message="Bitte wählen Sie eine Phase aus der Liste.",
        description="Nur mit Planungszyklus; ohne Auswahl die Phase, in der das Gremium "
        "arbeitet – ist sie schon vorbei, die Phase, in der der Zyklus jetzt steht.",
    )
    submit = SubmitField("Speichern")

    def validate_ende(self, field: Any) -> None:
        if self.beginn.data and field.data and field.data <= self.beginn.data:
            raise ValidationError("Das Ende muss nach dem Beginn liegen.")

    def validate_online_link(self, field: Any) -> None:
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError("Der Link muss mit https:// beginnen.")

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks plus: a place or an online link (either may be empty, not both)."""
        valid = super().validate(extra_validators)
        if not (self.ort_name.data or "").strip() and not (self.online_link.data or "").strip():
            self.online_link.errors = [
                *self.online_link.errors,
                "Bitte geben Sie einen Ort oder einen Link zur Online-Teilnahme an.",
            ]
            return False
        return valid

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
            "mappe_beifuegen": bool(self.mappe_beifuegen.data),
            "erinnerung_tage": self.erinnerung_tage.data,
            "erinnerung_an": ErinnerungAn(self.erinnerung_an.data),
        }


class TopForm(Form):
    titel = _text("Titel des Tagesordnungspunkts", 300, "Bitte geben Sie einen Titel ein.")
    beschreibung = TextAreaField(
        "Beschreibung", validators=[Optional(), Length(max=5000, message="Höchstens 5000 Zeichen.")]
    )
    datei = FileField(
        "Anlage (optional)",
        description="PDF, Word, OpenDocument, Excel, PNG oder JPEG; höchstens 20 MB",
    )
    submit = SubmitField("Tagesordnungspunkt hinzufügen")


class TopEditForm(Form):
    titel = _text("Titel des Tagesordnungspunkts", 300, "Bitte geben Sie einen Titel ein.")
    beschreibung = TextAreaField(
        "Beschreibung", validators=[Optional(), Length(max=5000, message="Höchstens 5000 Zeichen.")]
    )
    submit = SubmitField("Speichern")


class DateiForm(Form):
    datei = FileField(
        "Weitere Anlage",
        description="PDF, Word, OpenDocument, Excel, PNG oder JPEG; höchstens 20 MB",
    )
    submit = SubmitField("Anlage hochladen")


class EinladenForm(Form):
    gaeste = TextAreaField(
        "Gäste (optional)",
        validators=[Optional(), Length(max=20000, message="Höchstens 20000 Zeichen.")],
        description="Eine Adresse je Zeile, z. B. „Erika Muster <erika@example.org>“ "
        "oder nur die Adresse.",
    )
    submit = SubmitField("Einladungen versenden")


class AbsageForm(Form):
    grund = TextAreaField(
        "Grund der Absage (optional, steht in der Absage-E-Mail)",
        validators=[Optional(), Length(max=2000, message="Höchstens 2000 Zeichen.")],
    )
    submit = SubmitField("Sitzung absagen")


class ButtonForm(Form):
    """Only the CSRF token: buttons that change state (move, delete, mark held, feed)."""

    submit = SubmitField("Ausführen")


ANTWORT_CHOICES = [
    option(Antwort.ZUSAGE.value, "Zusage – ich nehme teil"),
    option(Antwort.ABSAGE.value, "Absage – ich nehme nicht teil"),
    option(Antwort.VERTRETUNG.value, "Vertretung – ich nehme nicht teil, mich vertritt:"),
]


class AntwortForm(Form):
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
