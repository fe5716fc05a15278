"""Forms of the notification list (CSRF-protected buttons only)."""

from wtforms import SubmitField

from app.core.forms import Form


class OpenForm(Form):
    submit = SubmitField("Öffnen")


class AllReadForm(Form):
    submit = SubmitField("Alle als gelesen markieren")
