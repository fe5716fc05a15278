"""Login, password and account forms."""

from __future__ import annotations

from wtforms import EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo

from app.auth.passwords import MIN_LAENGE, PasswortRichtlinie
from app.core.forms import Form

MIN_PASSWORD = MIN_LAENGE


class LoginForm(Form):
    email = EmailField(
        "E-Mail-Adresse",
        validators=[DataRequired("Bitte geben Sie Ihre E-Mail-Adresse ein.")],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Passwort",
        validators=[DataRequired("Bitte geben Sie Ihr Passwort ein.")],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField("Anmelden")


class PasswordSetForm(Form):
    password = PasswordField(
        "Neues Passwort",
        validators=[DataRequired("Bitte geben Sie ein Passwort ein."), PasswortRichtlinie()],
        description="Mindestens 12 Zeichen, kein häufig verwendetes Passwort. Ein Satz aus "
        "mehreren Wörtern ist sicher und gut zu merken.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Passwort wiederholen",
        validators=[EqualTo("password", message="Die beiden Passwörter stimmen nicht überein.")],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Passwort speichern")


class ResetRequestForm(Form):
    email = EmailField(
        "E-Mail-Adresse",
        validators=[
            DataRequired("Bitte geben Sie Ihre E-Mail-Adresse ein."),
            Email("Bitte geben Sie eine gültige E-Mail-Adresse ein.", check_deliverability=False),
        ],
        render_kw={"autocomplete": "email"},
    )
    submit = SubmitField("Link anfordern")
