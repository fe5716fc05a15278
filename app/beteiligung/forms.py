"""Forms of the form builder, the Stabsstelle's actions and the impulse; all messages German.

The fill-in form itself is built from the questions (see ``antworten.py``); only its CSRF
token goes through ``AntwortForm``.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from wtforms import (
    BooleanField,
    DateTimeLocalField,
    Field,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.beteiligung.models import FrageTyp
from app.core.forms import (
    INVALID_CHOICE,
    CheckboxListField,
    Form,
    ZahlField,
    enum_select,
    id_select,
)

BERLIN = ZoneInfo("Europe/Berlin")
MAX_OPTIONEN = 30


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def keine_steuerzeichen(form: Form, field: Field) -> None:
    """Refuse control characters (they break mails, exports and the database)."""
    text = field.data if isinstance(field.data, str) else ""
    if any(unicodedata.category(c) == "Cc" and c not in "\r\n\t" for c in text):
        raise ValidationError("Der Text enthält unzulässige Steuerzeichen.")


def _text(label: str, max_length: int, required: str | None = None, **kw: Any) -> StringField:
    first = [DataRequired(required)] if required else [Optional()]
    return StringField(
        label,
        validators=[
            *first,
            Length(max=max_length, message=f"Höchstens {max_length} Zeichen."),
            keine_steuerzeichen,
        ],
        filters=[_strip],
        **kw,
    )


def _area(label: str, max_length: int, **kw: Any) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            Optional(),
            Length(max=max_length, message=f"Höchstens {max_length} Zeichen."),
            keine_steuerzeichen,
        ],
        filters=[_strip],
        **kw,
    )


def to_utc(value: datetime | None) -> datetime | None:
    """A date-time entered in Berlin local time, as aware UTC."""
    return None if value is None else value.replace(tzinfo=BERLIN).astimezone(UTC)


def to_local(value: datetime | None) -> datetime | None:
    """A stored UTC time as naive Berlin time for a datetime-local input."""
    return None if value is None else value.astimezone(BERLIN).replace(tzinfo=None)


def _zeitpunkt(label: str, message: str, **kw: Any) -> DateTimeLocalField:
    return DateTimeLocalField(
        label,
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[InputRequired(message)],
        **kw,
    )


class IdCheckboxListField(CheckboxListField):
    """Multiple choice of database ids as a list of checkboxes."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            self.data = [int(v) for v in valuelist]
        except ValueError as exc:
            self.data = []
            raise ValueError(INVALID_CHOICE) from exc

    def pre_validate(self, form: Form) -> None:
        allowed = {choice[0] for choice in self.choices}
        if any(v not in allowed for v in self.data or []):
            raise ValidationError(INVALID_CHOICE)


class BogenForm(Form):
    titel = _text("Titel", 200, "Bitte geben Sie einen Titel ein.")
    einleitung = _area("Einleitung", 10000, description="Wird über dem Bogen angezeigt.")
    gremium_id = id_select(
        "Gremium als Adressat",
        description="Alle Organisationen, die in diesem Gremium vertreten sind (z. B. alle Träger "
        "der Trägerrunde), erhalten den Bogen.",
    )
    organisation_ids = IdCheckboxListField("Weitere Organisationen", coerce=int, choices=[])
    zuordnung = SelectField(
        "Planungszyklus",
        choices=[],
        validators=[Optional()],
        invalid_choice_message=INVALID_CHOICE,
        invalid_value_message=INVALID_CHOICE,
        description="Phase oder Strang des Zyklus, zu dem der Bogen gehört. Seine Frist wird zur "
        "Bedingung „Rückmeldefrist abgelaufen“ beim Abschluss des Strangs.",
    )
    oeffnet_am = _zeitpunkt(
        "Öffnet am", "Bitte geben Sie an, ab wann der Bogen ausgefüllt werden kann."
    )
    frist = _zeitpunkt("Frist (schließt am)", "Bitte geben Sie die Frist an.")
    erinnerung_tage = IntegerField(
        "Erinnerung (Tage vor der Frist)",
        default=3,
        validators=[
            InputRequired("Bitte geben Sie eine Zahl an (0 = keine Erinnerung)."),
            NumberRange(min=0, max=30, message="Bitte eine Zahl von 0 bis 30 eingeben."),
        ],
        description="Organisationen ohne Einreichung werden so viele Tage vor der Frist "
        "einmal erinnert.",
    )
    submit = SubmitField("Speichern")


class AbschnittForm(Form):
    titel = _text("Überschrift des Abschnitts", 200, "Bitte geben Sie eine Überschrift ein.")
    beschreibung = _area("Erläuterung", 5000)
    submit = SubmitField("Abschnitt speichern")


def _optionen(value: Any) -> list[str]:
    if isinstance(value, list):
        return value
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


class OptionenField(TextAreaField):
    """Answer options, one per line."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "\n".join(self.data or [])

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = _optionen(valuelist[0] if valuelist else "")


class FrageForm(Form):
    typ = enum_select("Art der Frage", FrageTyp)
    text = _text("Fragetext", 500, "Bitte geben Sie den Fragetext ein.")
    hilfetext = _area("Hilfetext", 2000, description="Erläuterung, die unter der Frage steht.")
    pflicht = BooleanField("Pflichtfrage (muss vor dem Einreichen beantwortet werden)")
    optionen = OptionenField(
        "Antwortmöglichkeiten",
        description="Eine pro Zeile. Nötig für Einfach- und Mehrfachauswahl; bei der Matrix "
        "optional (ohne Angabe wird je Stadtbereich ein Text erfragt).",
    )
    skala_min_label = _text(
        "Bezeichnung für 1", 80, description="Nur bei Skala, z. B. „trifft nicht zu“."
    )
    skala_max_label = _text(
        "Bezeichnung für 5", 80, description="Nur bei Skala, z. B. „trifft voll zu“."
    )
    zahl_min = ZahlField(
        "Kleinster erlaubter Wert", description="Nur bei Zahl; leer = keine Grenze."
    )
    zahl_max = ZahlField("Größter erlaubter Wert", description="Nur bei Zahl; leer = keine Grenze.")
    submit = SubmitField("Frage speichern")

    def validate_optionen(self, field: OptionenField) -> None:
        if len(field.data) > MAX_OPTIONEN:
            raise ValidationError(f"Höchstens {MAX_OPTIONEN} Antwortmöglichkeiten.")
        if any(len(o) > 200 for o in field.data):
            raise ValidationError("Jede Antwortmöglichkeit darf höchstens 200 Zeichen lang sein.")
        keine_steuerzeichen(self, field)


class AntwortForm(Form):
    """Only the CSRF token; the answers are read and checked by ``antworten.py``."""


class AktionForm(Form):
    """A button that changes state (publish, copy, release, delete, move)."""


class WiedereroeffnenForm(Form):
    grund = TextAreaField(
        "Grund für die Wiedereröffnung",
        validators=[
            DataRequired("Bitte geben Sie einen Grund an."),
            Length(max=2000, message="Höchstens 2000 Zeichen."),
            keine_steuerzeichen,
        ],
        filters=[_strip],
        description="Die Organisation erhält den Grund per E-Mail; er bleibt im Verlauf sichtbar.",
    )
    submit = SubmitField("Rückmeldung wieder öffnen")


def _grund(label: str, message: str, description: str) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            DataRequired(message),
            Length(max=2000, message="Höchstens 2000 Zeichen."),
            keine_steuerzeichen,
        ],
        filters=[_strip],
        description=description,
    )


def _optionaler_zeitpunkt(label: str, **kw: Any) -> DateTimeLocalField:
    return DateTimeLocalField(
        label, format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"], validators=[Optional()], **kw
    )


class KorrekturAnfrageForm(Form):
    grund = _grund(
        "Was möchten Sie korrigieren?",
        "Bitte beschreiben Sie, was Sie korrigieren möchten.",
        "Die Stabsstelle Sozialplanung entscheidet über Ihre Anfrage. Wird sie gewährt, "
        "können Sie die Rückmeldung erneut bearbeiten und einreichen.",
    )
    submit = SubmitField("Korrektur anfragen")


class FristAnfrageForm(Form):
    grund = _grund(
        "Warum benötigen Sie mehr Zeit?",
        "Bitte geben Sie an, warum Sie mehr Zeit benötigen.",
        "Die Stabsstelle Sozialplanung entscheidet über Ihre Anfrage; Ihre Eingaben bleiben "
        "als Entwurf gespeichert.",
    )
    gewuenschte_frist = _optionaler_zeitpunkt(
        "Gewünschte neue Frist", description="Optional. Datum und Uhrzeit."
    )
    submit = SubmitField("Fristverlängerung anfragen")


class EntscheidungForm(Form):
    """The Stabsstelle's decision on one request (the prefix keeps field ids unique)."""

    kommentar = _area(
        "Kommentar an die Organisation",
        2000,
        description="Bei einer Ablehnung erforderlich; die Organisation sieht ihn.",
    )
    neue_frist = _optionaler_zeitpunkt(
        "Neue Frist für diese Organisation", description="Nur bei Fristverlängerung."
    )
    gewaehren = SubmitField("Gewähren")
    ablehnen = SubmitField("Ablehnen")


class FristForm(Form):
    """The Stabsstelle sets a later deadline for one organisation without a request."""

    neue_frist = _zeitpunkt("Neue Frist für diese Organisation", "Bitte geben Sie die Frist an.")
    hinweis = _area("Hinweis an die Organisation", 2000, description="Optional.")
    submit = SubmitField("Frist verlängern")
