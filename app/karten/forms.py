"""Uploading the Sozialraum boundaries."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SubmitField

from app.core.forms import Form


class GrenzenForm(Form):
    datei = FileField(
        "GeoJSON-Datei der Sozialraumgrenzen",
        validators=[FileRequired("Bitte wählen Sie eine GeoJSON-Datei aus.")],
        description="Eine Fläche je Sozialraum in WGS 84 (Längen- und Breitengrad); Name oder "
        'Nummer des Sozialraums in den Eigenschaften, z. B. "name": "Stadtbereich Nord".',
    )
    schematisch = BooleanField(
        "Die Grenzen sind schematisch (keine amtliche Abgrenzung) – so auf jeder Karte vermerken"
    )
    submit = SubmitField("Grenzen importieren")
