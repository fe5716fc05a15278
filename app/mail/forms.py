"""Forms of the Postausgang (only the CSRF-protected resend button)."""

from wtforms import SubmitField

from app.core.forms import Form


class ResendForm(Form):
    submit = SubmitField("Erneut senden")
