"""Forms of the impulses: record, filter, status move, answer (German messages)."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.core.forms import INVALID_CHOICE, Form, clean_text, enum_select, id_select, options
from app.impulse.models import ImpulsAdressat, ImpulsQuelle, ImpulsStatus
from app.planungsfelder.forms import planungsfelder_field

_strip = clean_text


class ImpulsForm(Form):
    titel = StringField(
        "Titel",
        filters=[_strip],
        validators=[
            DataRequired("Bitte geben Sie einen Titel ein."),
            Length(max=200, message="Höchstens 200 Zeichen."),
        ],
    )
    beschreibung = TextAreaField(
        "Beschreibung",
        filters=[_strip],
        validators=[Optional(), Length(max=10000, message="Höchstens 10000 Zeichen.")],
    )
    sozialraum_id = id_select(
        "Sozialraum", description="Leer lassen, wenn der Impuls die ganze Stadt betrifft."
    )
    adressiert_an = enum_select("Adressiert an", ImpulsAdressat)
    submit = SubmitField("Impuls anlegen")


DIREKT_QUELLEN = (ImpulsQuelle.VERWALTUNGSVORSTAND, ImpulsQuelle.POLITIK)


class DirektImpulsForm(ImpulsForm):
    """The Stabsstelle enters an impulse of the Verwaltungsvorstand or of politics."""

    quelle = SelectField(
        "Quelle",
        validators=[InputRequired("Bitte wählen Sie einen Eintrag aus.")],
        coerce=ImpulsQuelle,
        choices=options([(q.value, q.label) for q in DIREKT_QUELLEN]),
        invalid_choice_message=INVALID_CHOICE,
        invalid_value_message=INVALID_CHOICE,
    )
    quelle_gremium_id = id_select(
        "Gremium", description="z. B. der Fachausschuss, der den Impuls gegeben hat (optional)."
    )
    thema = StringField(
        "Thema",
        filters=[_strip],
        validators=[Optional(), Length(max=200, message="Höchstens 200 Zeichen.")],
    )
    zyklus_id = id_select("Planungszyklus")
    planungsfelder = planungsfelder_field()


class FilterForm(Form):
    """The register's filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    quelle = SelectField(
        "Quelle",
        validators=[Optional()],
        choices=options([(q.value, q.label) for q in ImpulsQuelle], "– alle –"),
        invalid_choice_message=INVALID_CHOICE,
    )
    gremium_id = id_select("Gremium")
    sozialraum_id = id_select("Sozialraum")
    status = SelectField(
        "Status",
        validators=[Optional()],
        choices=options([(s.value, s.label) for s in ImpulsStatus], "– alle –"),
        invalid_choice_message=INVALID_CHOICE,
    )
    zyklus_id = id_select("Planungszyklus")
    planungsfeld_id = id_select("Planungsfeld")
    submit = SubmitField("Filtern")


class StatusForm(Form):
    nach = SelectField(
        "Neuer Status",
        validators=[InputRequired("Bitte wählen Sie den neuen Status.")],
        choices=[],
        invalid_choice_message=INVALID_CHOICE,
        invalid_value_message=INVALID_CHOICE,
    )
    erwartet = HiddenField()
    begruendung = TextAreaField(
        "Begründung",
        filters=[_strip],
        validators=[Optional(), Length(max=5000, message="Höchstens 5000 Zeichen.")],
        description="Bei einer Ablehnung erforderlich.",
    )
    submit = SubmitField("Status ändern")


class AntwortForm(Form):
    antwort = TextAreaField(
        "Offizielle Antwort",
        filters=[_strip],
        validators=[
            DataRequired("Bitte schreiben Sie eine Antwort."),
            Length(max=20000, message="Höchstens 20000 Zeichen."),
        ],
        description="Wird erst mit „Antwort veröffentlichen“ für das Gremium sichtbar.",
    )
    submit = SubmitField("Antwort speichern")


class ButtonForm(Form):
    submit = SubmitField("Antwort veröffentlichen")


class PlanungsfelderForm(Form):
    planungsfelder = planungsfelder_field()
    submit = SubmitField("Planungsfelder speichern")
