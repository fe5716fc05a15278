"""Forms of Maßnahmen, Drittmittel, Beschlüsse and Themen (German messages)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from app.core.forms import (
    INVALID_CHOICE,
    DatumField,
    Form,
    ZahlField,
    clean_text,
    enum_select,
    id_select,
    options,
)
from app.massnahmen.models import Bewertung, DrittmittelStatus, Ergebnis, MassnahmeArt
from app.planungsfelder.forms import planungsfelder_field

MAX_BETRAG = Decimal("9999999999.99")
TAUSENDER = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


_strip = clean_text


class EuroField(DecimalField):
    """An amount in euros; accepts German notation (1.500,50) and plain (1500.50)."""

    widget = TextInput()

    def _value(self) -> str:
        """German notation when the form shows a stored amount."""
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return f"{self.data:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")

    def process_formdata(self, valuelist: list) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        raw = str(valuelist[0]).strip().replace("€", "").replace(" ", "")
        if "," in raw or TAUSENDER.match(raw):  # German: 1.500,50 or 48.000
            raw = raw.replace(".", "").replace(",", ".")
        try:
            self.data = Decimal(raw).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            self.data = None
            raise ValueError("Bitte geben Sie einen Betrag in Euro ein, z. B. 12.500,00.") from None
        if not self.data.is_finite():
            self.data = None
            raise ValueError("Bitte geben Sie einen Betrag in Euro ein, z. B. 12.500,00.")


def _euro(label: str, description: str | None = None) -> EuroField:
    return EuroField(
        label,
        places=2,
        validators=[
            Optional(),
            NumberRange(min=0, max=MAX_BETRAG, message="Bitte einen Betrag ab 0 € eingeben."),
        ],
        description=description,
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )


def _text(label: str, limit: int, description: str | None = None) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[_strip],
        description=description,
        validators=[Optional(), Length(max=limit, message=f"Höchstens {limit} Zeichen.")],
    )


def _titel(label: str = "Titel") -> StringField:
    return StringField(
        label,
        filters=[_strip],
        validators=[
            DataRequired("Bitte geben Sie einen Titel ein."),
            Length(max=200, message="Höchstens 200 Zeichen."),
        ],
    )


class MassnahmeForm(Form):
    titel = _titel()
    beschreibung = _text("Beschreibung", 20000)
    art = enum_select("Art", MassnahmeArt)
    sozialraum_id = id_select("Sozialraum")
    kosten = _euro("Geschätzte Kosten (Euro)")
    haushalt = _euro("Davon aus dem Haushalt (Euro)")
    engagement = _text(
        "Bürgerschaftliches Engagement", 5000, "Wie Ehrenamtliche eingebunden werden (optional)."
    )
    bewertung = SelectField(
        "Bewertung des bestehenden Angebots",
        validators=[Optional()],
        choices=options([(b.value, b.label) for b in Bewertung], "– keine (neues Angebot) –"),
        invalid_choice_message=INVALID_CHOICE,
    )
    bewertung_begruendung = _text("Begründung der Bewertung", 5000)
    prioritaet = IntegerField(
        "Priorität (Rang)",
        validators=[
            Optional(),
            NumberRange(min=1, max=999, message="Bitte einen Rang von 1 bis 999."),
        ],
        description="1 ist die höchste Priorität; leer lassen, wenn noch nicht priorisiert. "
        "Ist der Rang schon vergeben, rücken die folgenden Maßnahmen um einen Rang nach.",
    )
    impulse = SelectMultipleField(
        "Verknüpfte Impulse",
        coerce=int,
        choices=[],
        validators=[Optional()],
        invalid_choice_message="Ungültige Auswahl: %(value)s",
        invalid_value_message="Ungültige Auswahl.",
        description="Verknüpfte Impulse werden in die Planung aufgenommen.",
    )
    planungsfelder = planungsfelder_field()
    submit = SubmitField("Maßnahme speichern")


class DrittmittelForm(Form):
    quelle = StringField(
        "Drittmittelquelle",
        filters=[_strip],
        validators=[
            DataRequired("Bitte nennen Sie die Drittmittelquelle."),
            Length(max=200, message="Höchstens 200 Zeichen."),
        ],
        description="z. B. Landesprogramm, Stiftung, Bundesförderung",
    )
    betrag = _euro("Betrag (Euro)")
    status = enum_select("Stand", DrittmittelStatus)
    submit = SubmitField("Drittmittel hinzufügen")


class BeschlussForm(Form):
    gremium_id = id_select("Gremium", required_message="Bitte wählen Sie das Gremium.")
    ergebnis = enum_select("Ergebnis", Ergebnis)
    datum = DatumField(
        "Datum", validators=[InputRequired("Bitte geben Sie das Datum ein.")], format="%Y-%m-%d"
    )
    drucksache = StringField(
        "Drucksachennummer",
        filters=[_strip],
        validators=[Optional(), Length(max=60, message="Höchstens 60 Zeichen.")],
        description="Nummer im Ratsinformationssystem, z. B. WP 20-25 SV 51/123",
    )
    bemerkung = _text("Bemerkung", 5000)
    submit = SubmitField("Beschluss erfassen")


class ThemaForm(Form):
    titel = _titel()
    beschreibung = _text("Beschreibung", 10000)
    sozialraum_id = id_select("Sozialraum")
    gremien = SelectMultipleField(
        "Stadtteilarbeitskreise",
        coerce=int,
        choices=[],
        validators=[Optional()],
        invalid_choice_message="Ungültige Auswahl: %(value)s",
        invalid_value_message="Ungültige Auswahl.",
    )
    planungsfelder = planungsfelder_field()
    submit = SubmitField("Thema speichern")


class ButtonForm(Form):
    submit = SubmitField("Als umgesetzt markieren")


class OeffentlichkeitForm(Form):
    """Whether the measure appears in the public portal, and its progress in percent."""

    oeffentlich = BooleanField(
        "Im öffentlichen Portal zeigen (mit Fortschritt, Meilensteinen und Beschlüssen)"
    )
    fortschritt = IntegerField(
        "Fortschritt in Prozent",
        validators=[
            Optional(),
            NumberRange(0, 100, "Bitte eine ganze Zahl von 0 bis 100 oder leer lassen."),
        ],
        description="Wie weit die Umsetzung ist; leer lassen, solange es nichts zu zeigen gibt.",
    )
    submit = SubmitField("Öffentlichkeit speichern")


class MeilensteinForm(Form):
    """A milestone of a measure with its target date."""

    titel = StringField(
        "Meilenstein",
        filters=[_strip],
        validators=[
            DataRequired("Bitte benennen Sie den Meilenstein."),
            Length(max=200, message="Höchstens 200 Zeichen."),
        ],
    )
    datum = DatumField("Geplant für", validators=[InputRequired("Bitte geben Sie ein Datum an.")])
    erreicht_am = DatumField("Erreicht am (optional)", validators=[Optional()])
    submit = SubmitField("Meilenstein hinzufügen")


class WirkungszielForm(Form):
    """A target tied to an indicator of the Datenbasis; the baseline value comes from there."""

    indikator_id = id_select("Indikator", required_message="Bitte wählen Sie einen Indikator.")
    sozialraum_id = id_select("Gebiet")
    basis_jahr = IntegerField(
        "Basisjahr",
        validators=[
            InputRequired("Bitte geben Sie das Basisjahr an."),
            NumberRange(1900, 2100, "Bitte ein Jahr zwischen 1900 und 2100."),
        ],
        description="Der Basiswert wird aus der Datenbasis übernommen.",
    )
    ziel_wert = ZahlField(
        "Zielwert", validators=[InputRequired("Bitte geben Sie den Zielwert an.")]
    )
    ziel_jahr = IntegerField(
        "Zieljahr",
        validators=[
            InputRequired("Bitte geben Sie das Zieljahr an."),
            NumberRange(1900, 2100, "Bitte ein Jahr zwischen 1900 und 2100."),
        ],
    )
    pruefen_am = DatumField(
        "Überprüfung am", validators=[InputRequired("Bitte geben Sie ein Prüfdatum an.")]
    )
    submit = SubmitField("Wirkungsziel hinzufügen")
