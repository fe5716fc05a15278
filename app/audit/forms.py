"""The log's filter (a GET form: no CSRF token, bookmarkable)."""

from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from app.core.forms import INVALID_CHOICE, DatumField, Form, optional_id, options

ALLE = "– alle –"


class FilterForm(Form):
    """Who, which object, which action, which period."""

    class Meta:
        csrf = False

    person = SelectField(
        "Person",
        coerce=optional_id,
        choices=[],
        validators=[Optional()],
        validate_choice=True,
        invalid_choice_message=INVALID_CHOICE,
        invalid_value_message=INVALID_CHOICE,
    )
    objekt_typ = SelectField(
        "Objektart", choices=[], validators=[Optional()], invalid_choice_message=INVALID_CHOICE
    )
    objekt_id = StringField(
        "Objekt-Nummer",
        validators=[Optional(), Length(max=64, message="Höchstens 64 Zeichen.")],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )
    aktion = SelectField(
        "Aktion", choices=[], validators=[Optional()], invalid_choice_message=INVALID_CHOICE
    )
    von = DatumField("Von", validators=[Optional()], format="%Y-%m-%d")
    bis = DatumField("Bis", validators=[Optional()], format="%Y-%m-%d")

    def set_choices(self, actors, types, actions, type_label) -> None:
        """Fill the selects from what the log contains."""
        self.person.choices = options([(i, n) for i, n in actors], blank=ALLE)
        self.objekt_typ.choices = options([(t, type_label(t)) for t in types], blank=ALLE)
        self.aktion.choices = options(list(actions), blank=ALLE)

    def validate_bis(self, field: DatumField) -> None:
        if field.data and self.von.data and field.data < self.von.data:
            raise ValidationError("Das Ende des Zeitraums liegt vor seinem Anfang.")
