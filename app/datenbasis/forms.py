"""Forms of the Datenbasis and the Sozialreport, with German messages."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.core.forms import CheckboxListField, Form
from app.datenbasis.models import DiagrammArt, EinrichtungTyp, Richtung
from app.planungsfelder.forms import planungsfelder_field

try:  # WTForms 3.3 declares options as SelectChoice; tuples are deprecated there
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None

REQUIRED = "Bitte füllen Sie dieses Feld aus."


def choice(value: object, label: str) -> object:
    """One option of a select field, in the form the installed WTForms expects."""
    return SelectChoice(value=value, label=label) if SelectChoice else (value, label)


def choices(pairs: object) -> list:
    """Options from (value, label) pairs."""
    return [choice(value, label) for value, label in pairs]  # type: ignore[attr-defined]


def _coerce_optional_int(value: object) -> int | None:
    """Select values: '' or '0' mean 'none'."""
    if value in (None, "", "0", 0):
        return None
    return int(value)  # type: ignore[arg-type]


class IndikatorForm(Form):
    name = StringField("Name", validators=[DataRequired(REQUIRED), Length(max=200)])
    einheit = StringField(
        "Einheit",
        validators=[DataRequired(REQUIRED), Length(max=40)],
        description="z. B. %, Personen, je 1.000 Einw.",
    )
    definition = TextAreaField("Definition", validators=[Optional(), Length(max=5000)])
    quelle = StringField("Quelle", validators=[Optional(), Length(max=300)])
    richtung = SelectField(
        "Bewertung",
        choices=choices((r.value, r.label) for r in Richtung),
        default=Richtung.NEUTRAL.value,
        description="Ob ein höherer Wert eine bessere oder eine schlechtere Lage anzeigt.",
    )
    planungsfelder = planungsfelder_field()
    submit = SubmitField("Speichern")


class UploadForm(Form):
    datei = FileField(
        "Datei (CSV oder Excel)",
        validators=[FileRequired("Bitte wählen Sie eine Datei aus.")],
        description="CSV (UTF-8 oder Windows-1252; Semikolon, Komma oder Tabulator) oder Excel (.xlsx), "
        "erste Zeile mit den Spaltennamen.",
    )
    submit = SubmitField("Prüfen")


class ConfirmForm(Form):
    submit = SubmitField("Jetzt importieren")


class ButtonForm(Form):
    """Only the CSRF token, for buttons that change state."""

    submit = SubmitField("Ausführen")


class KoordinatenField(FloatField):
    """Decimal degrees; a decimal comma (51,1682) is read like a point."""

    def process_formdata(self, valuelist: list) -> None:
        if valuelist and isinstance(valuelist[0], str) and valuelist[0].count(",") == 1:
            valuelist = [valuelist[0].replace(",", ".")] if "." not in valuelist[0] else valuelist
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Bitte eine Zahl in Dezimalgrad angeben, z. B. 51,1682.") from None


def _koordinate(label: str, low: float, high: float) -> KoordinatenField:
    return KoordinatenField(
        label,
        validators=[
            Optional(),
            NumberRange(low, high, f"Bitte eine Zahl zwischen {low:g} und {high:g}."),
        ],
        description="WGS 84 in Dezimalgrad mit Punkt, z. B. aus einer amtlichen Karte.",
        render_kw={"inputmode": "decimal"},
    )


class EinrichtungForm(Form):
    name = StringField("Name", validators=[DataRequired(REQUIRED), Length(max=200)])
    typ = SelectField("Typ", choices=choices((t.value, t.label) for t in EinrichtungTyp))
    strasse = StringField("Straße und Hausnummer", validators=[Optional(), Length(max=200)])
    plz = StringField("Postleitzahl", validators=[Optional(), Length(max=10)])
    ort = StringField("Ort", default="Hilden", validators=[Optional(), Length(max=100)])
    sozialraum_id = SelectField(
        "Sozialraum", coerce=int, validators=[DataRequired("Bitte wählen Sie einen Sozialraum.")]
    )
    traeger_id = SelectField("Träger", coerce=_coerce_optional_int, validators=[Optional()])
    betreiber = StringField(
        "Anderer Betreiber",
        validators=[Optional(), Length(max=200)],
        description="Nur ausfüllen, wenn der Betreiber kein eingetragener Träger ist.",
    )
    breite = _koordinate("Breitengrad (optional)", -90, 90)
    laenge = _koordinate("Längengrad (optional)", -180, 180)
    submit = SubmitField("Speichern")

    def _beide(self, field: KoordinatenField) -> None:
        """Both or none: Optional() skips an empty field, so the filled one reports it."""
        if (self.breite.data is None) != (self.laenge.data is None):
            raise ValidationError("Bitte Breiten- und Längengrad zusammen angeben (oder keinen).")

    validate_breite = validate_laenge = _beide


class InterviewForm(Form):
    titel = StringField("Titel", validators=[DataRequired(REQUIRED), Length(max=200)])
    datum = DateField("Datum des Interviews", validators=[Optional()], format="%Y-%m-%d")
    sozialraum_id = SelectField("Sozialraum", coerce=_coerce_optional_int, validators=[Optional()])
    zusammenfassung = TextAreaField(
        "Zusammenfassung",
        validators=[DataRequired(REQUIRED), Length(max=20000)],
        description="Ohne personenbezogene Daten: keine Namen, E-Mail-Adressen oder "
        "Telefonnummern.",
    )
    schlagworte = StringField(
        "Schlagworte",
        validators=[Optional(), Length(max=500)],
        description="Durch Kommas getrennt, z. B. Wohnen, Mobilität",
    )
    keine_personendaten = BooleanField(
        "Ich habe den Text geprüft: er enthält keine personenbezogenen Daten."
    )
    submit = SubmitField("Speichern")


class ReportForm(Form):
    zyklus_id = SelectField(
        "Planungszyklus",
        coerce=int,
        validators=[DataRequired("Bitte wählen Sie einen Planungszyklus.")],
    )
    titel = StringField("Titel", validators=[DataRequired(REQUIRED), Length(max=200)])
    einleitung = TextAreaField("Einleitung (Markdown)", validators=[Optional(), Length(max=20000)])
    submit = SubmitField("Speichern")


class ReportEditForm(Form):
    titel = StringField("Titel", validators=[DataRequired(REQUIRED), Length(max=200)])
    einleitung = TextAreaField("Einleitung (Markdown)", validators=[Optional(), Length(max=20000)])
    submit = SubmitField("Speichern")


class KapitelForm(Form):
    def validate_art(self, field: SelectField) -> None:
        if field.data not in {c[0] for c in field.iter_choices()}:
            raise ValidationError("Bitte wählen Sie eine Art aus der Liste.")

    titel = StringField("Kapitelüberschrift", validators=[DataRequired(REQUIRED), Length(max=200)])
    art = SelectField(
        "Art des Kapitels",
        choices=[],
        validate_choice=False,  # checked below, so a form without the field means "text"
        filters=[lambda value: value or "text"],
        description="Außer Text und Diagrammen kann ein Kapitel z. B. die Wirkung der "
        "Maßnahmen des Zyklus zeigen.",
    )
    text = TextAreaField(
        "Text (Markdown)",
        validators=[Optional(), Length(max=50000)],
        description="Absätze durch Leerzeilen, **fett**, *kursiv*, Listen mit „- “; "
        "Zwischenüberschriften mit „#“.",
    )
    submit = SubmitField("Kapitel speichern")


class DiagrammForm(Form):
    indikator_id = SelectField(
        "Indikator", coerce=int, validators=[DataRequired("Bitte wählen Sie einen Indikator.")]
    )
    art = SelectField("Art des Diagramms", choices=choices((a.value, a.label) for a in DiagrammArt))
    jahr = IntegerField(
        "Jahr (Vergleich und Karte)",
        validators=[Optional(), NumberRange(1900, 2100, "Bitte ein Jahr zwischen 1900 und 2100.")],
        description="Leer lassen für das jüngste Jahr mit Werten.",
    )
    einrichtung_typen = CheckboxListField(
        "Einrichtungen auf der Karte",
        choices=choices((t.value, t.label) for t in EinrichtungTyp),
        validators=[Optional()],
        invalid_choice_message="Bitte wählen Sie nur vorhandene Arten von Einrichtungen.",
        description="Nur bei der Karte: welche Einrichtungen als Symbole erscheinen.",
    )
    submit = SubmitField("Diagramm hinzufügen")


class KommentarForm(Form):
    text = TextAreaField(
        "Ihr Kommentar",
        validators=[DataRequired("Bitte schreiben Sie einen Kommentar."), Length(max=5000)],
    )
    submit = SubmitField("Kommentar senden")
