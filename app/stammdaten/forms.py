"""Forms of the master-data administration; every message is German."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.core.forms import INVALID_CHOICE, KEINE, Form, enum_select, id_select, optional_id, options
from app.stammdaten.models import Funktion, GremiumTyp, OrganisationArt

__all__ = ["INVALID_CHOICE", "KEINE", "enum_select", "id_select", "optional_id", "options"]


def _email(optional: bool = True) -> list:
    first = [Optional()] if optional else [DataRequired("Bitte geben Sie eine E-Mail-Adresse ein.")]
    return [
        *first,
        Length(max=254, message="Die E-Mail-Adresse darf höchstens 254 Zeichen lang sein."),
        Email("Bitte geben Sie eine gültige E-Mail-Adresse ein.", check_deliverability=False),
    ]


def _name(label: str, max_length: int, message: str) -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired(message),
            Length(max=max_length, message=f"Höchstens {max_length} Zeichen."),
        ],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
    )


class OrganisationContactForm(Form):
    """What staff may change on their own organisation."""

    kurzname = StringField(
        "Kurzname",
        validators=[Optional(), Length(max=40, message="Höchstens 40 Zeichen.")],
        description="Wird in Listen und neben Personennamen angezeigt, z. B. „AWO“.",
    )
    email = EmailField(
        "E-Mail-Adresse der Organisation",
        validators=_email(),
        description="Allgemeine Kontaktadresse, z. B. für Rückmeldungen.",
        render_kw={"autocomplete": "email"},
    )
    submit = SubmitField("Speichern")


class OrganisationForm(OrganisationContactForm):
    """All fields (Stabsstelle)."""

    name = _name("Name", 200, "Bitte geben Sie den Namen der Organisation ein.")
    art = enum_select("Art", OrganisationArt)


class SozialraumForm(Form):
    nummer = IntegerField(
        "Nummer",
        validators=[
            InputRequired("Bitte geben Sie eine Nummer ein."),
            NumberRange(min=1, max=9999, message="Bitte eine Zahl zwischen 1 und 9999 eingeben."),
        ],
        description="Die Nummer des Stadtbereichs, bestimmt die Reihenfolge in Listen.",
    )
    name = _name("Name", 120, "Bitte geben Sie den Namen des Sozialraums ein.")
    beschreibung = TextAreaField(
        "Beschreibung",
        validators=[Optional(), Length(max=5000, message="Höchstens 5000 Zeichen.")],
    )
    submit = SubmitField("Speichern")


class GremiumForm(Form):
    name = _name("Name", 200, "Bitte geben Sie den Namen des Gremiums ein.")
    typ = enum_select("Art des Gremiums", GremiumTyp)
    sozialraum_id = id_select(
        "Sozialraum",
        description="Nur für Stadtteilarbeitskreise: der Stadtbereich, für den der Arbeitskreis "
        "zuständig ist. Für alle anderen Arten bitte leer lassen.",
    )
    beschreibung = TextAreaField(
        "Beschreibung",
        validators=[Optional(), Length(max=5000, message="Höchstens 5000 Zeichen.")],
    )
    email = EmailField(
        "E-Mail-Adresse des Gremiums",
        validators=_email(),
        description="Optional, z. B. ein Funktionspostfach der Geschäftsführung.",
    )
    submit = SubmitField("Speichern")

    def validate_sozialraum_id(self, field: SelectField) -> None:
        if self.typ.data == GremiumTyp.STADTTEILARBEITSKREIS and field.data is None:
            raise ValidationError(
                "Ein Stadtteilarbeitskreis gehört zu einem Sozialraum. Bitte wählen Sie ihn aus."
            )
        if self.typ.data != GremiumTyp.STADTTEILARBEITSKREIS and field.data is not None:
            raise ValidationError(
                "Nur ein Stadtteilarbeitskreis gehört zu einem Sozialraum. Bitte lassen Sie das "
                "Feld für diese Art leer."
            )


class MitgliedschaftForm(Form):
    """Change function, organisation and Stellvertretung of a membership."""

    funktion = enum_select("Funktion", Funktion)
    organisation_id = id_select(
        "Für Organisation",
        description="Leer lassen, wenn die Person nicht für eine Organisation teilnimmt.",
    )
    stellvertretung_id = id_select(
        "Stellvertretung (optional)",
        description="Wird zu einer Sitzung eingeladen, wenn das Mitglied absagt, und sieht, "
        "was Mitglieder dieses Gremiums sehen – ohne die Rechte von Vorsitz oder Moderation.",
    )
    submit = SubmitField("Speichern")


class MitgliedHinzufuegenForm(MitgliedschaftForm):
    """Add a person to a Gremium (the Stellvertretung is set afterwards, under "Ändern")."""

    stellvertretung_id = None
    user_id = id_select("Person", required_message="Bitte wählen Sie eine Person aus.")
    submit = SubmitField("Mitglied hinzufügen")


class BenutzerForm(Form):
    """Name, organisation and role of an account."""

    name = _name("Name", 200, "Bitte geben Sie den Namen der Person ein.")
    organisation_id = id_select(
        "Organisation",
        description="Die Organisation, für die die Person auf der Plattform handelt.",
    )
    ist_stabsstelle = BooleanField("Stabsstelle Sozialplanung (verwaltet die Plattform)")
    submit = SubmitField("Speichern")


class BenutzerBearbeitenForm(BenutzerForm):
    """Editing an account: also whether the person's name may appear publicly."""

    name_oeffentlich = BooleanField(
        "Name im öffentlichen Portal und in OParl nennen",
        description="Nur für Amtsträgerinnen und Amtsträger, die schriftlich zugestimmt haben "
        "(z. B. Ausschussvorsitz). Private Personen werden nie öffentlich genannt.",
    )


class BenutzerAnlegenForm(BenutzerForm):
    """A new account; the person receives an invitation mail."""

    email = EmailField(
        "E-Mail-Adresse", validators=_email(optional=False), render_kw={"autocomplete": "off"}
    )
    submit = SubmitField("Anlegen und einladen")


class BenutzerFilterForm(Form):
    """The filter above the account list (GET, no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField("Name oder E-Mail enthält", validators=[Optional(), Length(max=100)])
    organisation_id = id_select("Organisation")
    status = SelectField(
        "Status",
        choices=options(
            [
                ("aktiv", "aktiv"),
                ("eingeladen", "Einladung offen"),
                ("deaktiviert", "deaktiviert"),
                ("stabsstelle", "Stabsstelle"),
            ],
            blank="alle",
        ),
        validators=[Optional()],
        invalid_choice_message=INVALID_CHOICE,
    )
    submit = SubmitField("Filtern")


class ConfirmForm(Form):
    """A CSRF-protected confirmation button (deactivate, reactivate, end, resend)."""

    submit = SubmitField("Bestätigen")


class MassenimportForm(Form):
    """Upload of the table with organisations, people and memberships."""

    datei = FileField(
        "Datei (CSV oder Excel)",
        validators=[FileRequired("Bitte wählen Sie eine Datei aus.")],
        description="Excel (.xlsx) oder CSV (Semikolon, Windows-1252 oder UTF-8), erste Zeile mit "
        "den Spaltennamen.",
    )
    submit = SubmitField("Datei prüfen")


class MassenimportBestaetigenForm(Form):
    """Confirmation of a checked file; the file itself stays on the server."""

    referenz = HiddenField()
    einladen = BooleanField("Neue Personen per E-Mail zur Plattform einladen")
    submit = SubmitField("Jetzt importieren")
