"""Forms of the Vorlage, its Beratungsfolge and the bodies' decisions (German messages)."""

from __future__ import annotations

from wtforms import StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from app.core.forms import DatumField, Form, clean_text, enum_select, id_select
from app.massnahmen.models import Ergebnis

_DRUCKSACHE = "Nummer im Ratsinformationssystem, z. B. WP 20-25 SV 51/123"


def _drucksache() -> StringField:
    return StringField(
        "Drucksachennummer",
        filters=[clean_text],
        validators=[Optional(), Length(max=60, message="Höchstens 60 Zeichen.")],
        description=_DRUCKSACHE,
    )


def _ris_url() -> URLField:
    return URLField(
        "Link ins Ratsinformationssystem (optional)",
        filters=[clean_text],
        validators=[
            Optional(),
            Length(max=500, message="Höchstens 500 Zeichen."),
            URL(message="Bitte geben Sie einen vollständigen Link an (https://…)."),
        ],
    )


class VorlageForm(Form):
    titel = StringField(
        "Titel der Vorlage",
        filters=[clean_text],
        validators=[
            DataRequired("Bitte geben Sie einen Titel ein."),
            Length(max=300, message="Höchstens 300 Zeichen."),
        ],
    )
    drucksache = _drucksache()
    ris_url = _ris_url()
    submit = SubmitField("Vorlage speichern")


class FassungForm(Form):
    anlass = StringField(
        "Anlass der neuen Fassung",
        filters=[clean_text],
        validators=[Optional(), Length(max=500, message="Höchstens 500 Zeichen.")],
        description="z. B. „Änderungen des Verwaltungsvorstands eingearbeitet“",
    )
    submit = SubmitField("Neue Fassung aus den aktuellen Prioritäten erstellen")


class BeratungForm(Form):
    gremium_id = id_select("Gremium", required_message="Bitte wählen Sie das Gremium.")
    submit = SubmitField("Zur Beratungsfolge hinzufügen")


class SitzungForm(Form):
    sitzung_id = id_select("Sitzung", required_message="Bitte wählen Sie die Sitzung.")
    submit = SubmitField("Auf die Tagesordnung setzen")


class RechtForm(Form):
    user_id = id_select("Mitglied", required_message="Bitte wählen Sie ein Mitglied.")
    submit = SubmitField("Recht erteilen")


class EntscheidungForm(Form):
    """The body's decision on the Vorlage; per-measure results are read by the view."""

    ergebnis = enum_select("Beschluss zur Vorlage insgesamt", Ergebnis)
    datum = DatumField(
        "Datum des Beschlusses",
        validators=[InputRequired("Bitte geben Sie das Datum ein.")],
        format="%Y-%m-%d",
    )
    top_id = id_select(
        "Sitzung und Tagesordnungspunkt",
        description="Die Sitzung, in der das Gremium die Vorlage beraten hat.",
    )
    drucksache = _drucksache()
    ris_url = _ris_url()
    bemerkung = TextAreaField(
        "Bemerkung (z. B. Wortlaut der Änderung)",
        filters=[clean_text],
        validators=[Optional(), Length(max=5000, message="Höchstens 5000 Zeichen.")],
    )
    submit = SubmitField("Beschluss speichern")


class ButtonForm(Form):
    submit = SubmitField("Ausführen")
