"""Forms of the notification list (CSRF-protected buttons only)."""

from wtforms import SubmitField

from app.core.forms import Form, option


class OpenForm(Form):
    submit = SubmitField("Öffnen")


class AllReadForm(Form):
    submit = SubmitField("Alle als gelesen markieren")


def einstellungen_form(werte: dict) -> Form:
    """One radio group per settable kind, preset with the person's current rhythm."""
    from wtforms import RadioField
    from wtforms.validators import InputRequired

    from app.benachrichtigungen.arten import ARTEN, erlaubt

    class EinstellungenForm(Form):
        submit = SubmitField("Einstellungen speichern")

    for art in ARTEN:
        setattr(
            EinstellungenForm,
            f"art_{art.schluessel}",
            RadioField(
                art.titel,
                choices=[option(r.value, r.label) for r in erlaubt(art)],
                validators=[InputRequired("Bitte wählen Sie eine Zustellung.")],
                description=art.beschreibung,
                default=werte[art.schluessel].value,
            ),
        )
    return EinstellungenForm()


class AbbestellenForm(Form):
    submit = SubmitField("Abbestellen")
