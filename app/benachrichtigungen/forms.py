"""Forms of the notification list (CSRF-protected buttons only)."""

from flask_wtf import FlaskForm
from wtforms import SubmitField


class OpenForm(FlaskForm):
    submit = SubmitField("Öffnen")


class AllReadForm(FlaskForm):
    submit = SubmitField("Alle als gelesen markieren")
