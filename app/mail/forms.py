"""Forms of the Postausgang (only the CSRF-protected resend button)."""

from flask_wtf import FlaskForm
from wtforms import SubmitField


class ResendForm(FlaskForm):
    submit = SubmitField("Erneut senden")
