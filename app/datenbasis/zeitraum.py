"""The period the charts of a page show: default the last five years with data, chosen by GET.

Pages whose charts would otherwise print every year ever recorded (the Sozialreport, the
indicator page) show a period; the full series is a download (``views_downloads``). The
control is a plain GET form (two year fields and a button), so it works without JavaScript.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask import request
from sqlalchemy import func, select
from wtforms import IntegerField
from wtforms.validators import NumberRange, Optional

from app.core.datenstand import zwischengespeichert
from app.core.forms import Form
from app.datenbasis.models import Indikatorwert
from app.extensions import db

STANDARD_JAHRE = 5
MIN_JAHR, MAX_JAHR = 1900, 2100


class ZeitraumForm(Form):
    """Von/bis years of the shown period (GET, no CSRF)."""

    class Meta:
        csrf = False

    von = IntegerField(
        "von (Jahr)",
        validators=[
            Optional(),
            NumberRange(MIN_JAHR, MAX_JAHR, "Bitte ein Jahr zwischen 1900 und 2100 angeben."),
        ],
    )
    bis = IntegerField(
        "bis (Jahr)",
        validators=[
            Optional(),
            NumberRange(MIN_JAHR, MAX_JAHR, "Bitte ein Jahr zwischen 1900 und 2100 angeben."),
        ],
    )

    def validate(self, extra_validators=None) -> bool:
        """Both fields valid and the period not reversed."""
        if not super().validate(extra_validators):
            return False
        if self.von.data and self.bis.data and self.von.data > self.bis.data:
            self.bis.errors = [
                *self.bis.errors,
                "Das Endjahr darf nicht vor dem Anfangsjahr liegen.",
            ]
            return False
        return True


@dataclass
class Zeitraum:
    """The shown years and the years the data cover (for the page's wording)."""

    von: int | None
    bis: int | None
    erstes: int | None  # first year with data
    letztes: int | None  # last year with data
    form: ZeitraumForm
    gewaehlt: bool = False  # the person chose it (else the default)

    @property
    def jahre(self) -> range:
        """The years to load (empty when there are no data)."""
        if self.von is None or self.bis is None:
            return range(0)
        return range(self.von, self.bis + 1)

    @property
    def gekuerzt(self) -> bool:
        """The data reach beyond the shown period."""
        return self.erstes is not None and (
            (self.von or 0) > self.erstes or (self.bis or 0) < (self.letztes or 0)
        )

    @property
    def ungueltig(self) -> bool:
        """The submitted period was refused (the page answers 400 with the message)."""
        return bool(self.form.errors)


def datenjahre(indikator_ids: Iterable[int]) -> tuple[int | None, int | None]:
    """First and last year with values of these indicators (one query)."""
    ids = tuple(sorted(set(indikator_ids)))
    if not ids:
        return None, None
    return zwischengespeichert(("datenjahre", ids), lambda: _datenjahre(ids))


def _datenjahre(ids: tuple[int, ...]) -> tuple[int | None, int | None]:
    """First and last year with values (the query behind ``datenjahre``)."""
    row = db.session.execute(
        select(func.min(Indikatorwert.jahr), func.max(Indikatorwert.jahr)).where(
            Indikatorwert.indikator_id.in_(ids)
        )
    ).one()
    return row[0], row[1]


def zeitraum(indikator_ids: Iterable[int]) -> Zeitraum:
    """The period of this request: the submitted one if valid, else the last five data years."""
    erstes, letztes = datenjahre(indikator_ids)
    form = ZeitraumForm(request.args)
    submitted = "von" in request.args or "bis" in request.args
    standard_bis = letztes
    standard_von = None if letztes is None else max(letztes - STANDARD_JAHRE + 1, erstes)
    if submitted and form.validate():
        von = form.von.data or erstes
        bis = form.bis.data or letztes
        if von is not None and bis is not None and von <= bis:
            return Zeitraum(von, bis, erstes, letztes, form, gewaehlt=True)
    if not form.errors:  # show the default period in the fields
        form.von.data, form.bis.data = standard_von, standard_bis
    return Zeitraum(standard_von, standard_bis, erstes, letztes, form)
