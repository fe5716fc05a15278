"""Forms of the planning cycle: create, move (with confirmation), Stränge, deadlines, next cycle."""

from __future__ import annotations

from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
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
from wtforms.widgets import HiddenInput

from app.core.forms import CheckboxListField, Form
from app.workflows.models import Phase


def _ende_nach_beginn(form: Form, field: DateField) -> None:
    if field.data and form.beginn.data and field.data < form.beginn.data:
        raise ValidationError("Das Ende darf nicht vor dem Beginn liegen.")


class _Zeitraum(Form):
    titel = StringField(
        "Titel",
        validators=[
            DataRequired("Bitte geben Sie einen Titel ein."),
            Length(max=200, message="Der Titel darf höchstens 200 Zeichen lang sein."),
        ],
        description="Zum Beispiel „Sozialplanung 2027“.",
    )
    beginn = DateField("Beginn", validators=[DataRequired("Bitte geben Sie den Beginn an.")])
    ende = DateField(
        "Ende", validators=[DataRequired("Bitte geben Sie das Ende an."), _ende_nach_beginn]
    )


class ZyklusForm(_Zeitraum):
    gremien = CheckboxListField(
        "Beteiligte Gremien",
        coerce=int,
        validators=[DataRequired("Bitte wählen Sie mindestens ein Gremium aus.")],
    )
    erinnerung_tage = IntegerField(
        "Erinnerung an Fristen (Tage vorher)",
        default=7,
        validators=[
            InputRequired("Bitte geben Sie an, wie viele Tage vorher erinnert werden soll."),
            NumberRange(0, 90, "Bitte eine Zahl zwischen 0 und 90 angeben."),
        ],
    )
    submit = SubmitField("Planungszyklus anlegen")


class FolgezyklusForm(_Zeitraum):
    submit = SubmitField("Folgezyklus anlegen")


class _Stand(Form):
    """The state the user saw: a stale one is refused with 409."""

    version = IntegerField(
        widget=HiddenInput(), validators=[InputRequired("Der Bearbeitungsstand fehlt.")]
    )


class _Uebersteuerung(_Stand):
    uebersteuern = CheckboxListField("Bedingungen übergehen", validate_choice=False)
    uebersteuerung_begruendung = TextAreaField(
        "Begründung für das Übergehen",
        validators=[Optional(), Length(max=4000, message="Höchstens 4000 Zeichen.")],
        description="Pflicht, wenn Sie eine Bedingung übergehen; sie wird im Verlauf festgehalten.",
    )


class UebergangForm(_Uebersteuerung):
    nach = HiddenField(validators=[DataRequired("Die Zielphase fehlt.")])
    begruendung = TextAreaField(
        "Anmerkung", validators=[Optional(), Length(max=4000, message="Höchstens 4000 Zeichen.")]
    )
    submit = SubmitField("Phase wechseln")

    def ziel(self) -> Phase | None:
        try:
            return Phase(self.nach.data)
        except ValueError:
            return None


class StrangAbschlussForm(_Uebersteuerung):
    notiz = TextAreaField(
        "Anmerkung (optional)",
        validators=[Optional(), Length(max=4000, message="Höchstens 4000 Zeichen.")],
    )
    submit = SubmitField("Strang abschließen")


class StraengeSchliessenForm(_Stand):
    begruendung = TextAreaField(
        "Begründung",
        validators=[
            DataRequired("Bitte begründen Sie, warum die offenen Stränge geschlossen werden."),
            Length(max=4000, message="Höchstens 4000 Zeichen."),
        ],
        description="Wird im Verlauf und bei jedem geschlossenen Strang festgehalten.",
    )
    submit = SubmitField("Offene Stränge schließen")


class FristenBaseForm(Form):
    erinnerung_tage = IntegerField(
        "Erinnerung an Fristen (Tage vorher)",
        validators=[
            InputRequired("Bitte geben Sie an, wie viele Tage vorher erinnert werden soll."),
            NumberRange(0, 90, "Bitte eine Zahl zwischen 0 und 90 angeben."),
        ],
    )
    submit = SubmitField("Fristen speichern")


def fristen_form_class(
    phasen: list[Phase], straenge: list[tuple[int, str]]
) -> type[FristenBaseForm]:
    """A deadline form with one date field per phase and per Strang of this cycle."""

    class FristenForm(FristenBaseForm):
        pass

    for phase in phasen:
        setattr(FristenForm, f"phase_{phase.value}", DateField(phase.kurz, validators=[Optional()]))
    for strang_id, name in straenge:
        setattr(FristenForm, f"strang_{strang_id}", DateField(name, validators=[Optional()]))
    return FristenForm
