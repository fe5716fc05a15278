"""Forms of the Planungsfelder, and the checkbox list other packages put on their forms."""

from __future__ import annotations

from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.forms import CheckboxListField, Form, clean_text, id_select


def planungsfelder_field() -> CheckboxListField:
    """The tag field for indicators, Themen, measures and impulses (choices set by the view)."""
    return CheckboxListField(
        "Planungsfelder",
        coerce=int,
        choices=[],
        validators=[Optional()],
        invalid_choice_message="Bitte wählen Sie nur vorhandene Planungsfelder.",
        invalid_value_message="Bitte wählen Sie nur vorhandene Planungsfelder.",
        description="Zu welchen Planungsfeldern gehört der Eintrag? Mehrere sind möglich.",
    )


class PlanungsfeldForm(Form):
    name = StringField(
        "Name",
        filters=[clean_text],
        validators=[
            DataRequired("Bitte geben Sie einen Namen ein."),
            Length(max=120, message="Höchstens 120 Zeichen."),
        ],
    )
    beschreibung = TextAreaField(
        "Beschreibung",
        filters=[clean_text],
        validators=[Optional(), Length(max=2000, message="Höchstens 2000 Zeichen.")],
    )
    position = IntegerField(
        "Reihenfolge",
        validators=[Optional(), NumberRange(1, 999, "Bitte eine Zahl von 1 bis 999.")],
        description="Kleinere Zahlen stehen in Listen weiter vorn.",
    )
    submit = SubmitField("Speichern")


class ButtonForm(Form):
    submit = SubmitField("Ausführen")


class ZyklusWahlForm(Form):
    """The cycle of the overview (GET, no CSRF)."""

    class Meta:
        csrf = False

    zyklus = id_select("Planungszyklus")
    submit = SubmitField("Anzeigen")
