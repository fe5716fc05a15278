"""Downloads of full indicator series (CSV for German Excel, XLSX): what the pages cut to a period.

The Sozialreport and the indicator page show the chosen period; every year ever recorded is
here, one row per indicator, area and year, with German headers. CSV: semicolon, UTF-8 with
BOM, decimal comma (``app.core.tabellen``); "keine Angabe" where the statistics have no value.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Response, g
from flask_login import login_required
from sqlalchemy import nulls_last, select

from app.core.permissions import require
from app.core.tabellen import CSV_TYPE, XLSX_TYPE, csv_bytes, xlsx_bytes
from app.core.zahlen import KEINE_ANGABE
from app.datenbasis.blueprint import bp
from app.datenbasis.charts import GESAMTSTADT
from app.datenbasis.models import Indikator, Indikatorwert
from app.datenbasis.views_sozialreport import _load_report, report_indikatoren
from app.datenbasis.views_sozialreport_public import _published
from app.extensions import db
from app.stammdaten.models import Sozialraum

KOPF = ["Indikator", "Einheit", "Gebiet", "Jahr", "Wert"]


def reihen(indikator_ids: Iterable[int]) -> list[list[Any]]:
    """Every value of these indicators: by indicator, Sozialraum (city last) and year."""
    ids = sorted(set(indikator_ids))
    if not ids:
        return []
    query = (
        select(Indikator.name, Indikator.einheit, Sozialraum.name, Indikatorwert.jahr)
        .add_columns(Indikatorwert.wert)
        .join(Indikator, Indikator.id == Indikatorwert.indikator_id)
        .outerjoin(Sozialraum, Sozialraum.id == Indikatorwert.sozialraum_id)
        .where(Indikatorwert.indikator_id.in_(ids))
        .order_by(Indikator.name, Indikator.id, nulls_last(Sozialraum.nummer), Indikatorwert.jahr)
    )
    return [
        [name, einheit, raum or GESAMTSTADT, jahr, KEINE_ANGABE if wert is None else wert]
        for name, einheit, raum, jahr, wert in db.session.execute(query)
    ]


def datei(dateiname: str, fmt: str, titel: str, zeilen: list[list[Any]]) -> Response:
    """The rows as a CSV or XLSX attachment."""
    if fmt == "xlsx":
        body, mimetype = xlsx_bytes(titel, KOPF, zeilen), XLSX_TYPE
    else:
        body, mimetype = csv_bytes(KOPF, zeilen), CSV_TYPE
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{dateiname}.{fmt}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/datenbasis/indikatoren/<int:indikator_id>/werte.<any(csv, xlsx):fmt>")
@login_required
def indikator_werte(indikator_id: int, fmt: str) -> Response:
    """The indicator's full series, every year and area."""
    require("datenbasis.ansehen")
    indikator = db.get_or_404(Indikator, indikator_id)
    return datei(f"indikator-{indikator.id}-werte", fmt, "Werte", reihen([indikator.id]))


@bp.route("/datenbasis/sozialreports/<int:report_id>/daten.<any(csv, xlsx):fmt>")
@login_required
def bericht_daten(report_id: int, fmt: str) -> Response:
    """All values of the indicators a report draws (hidden drafts stay 404)."""
    report = _load_report(report_id)
    zeilen = reihen(report_indikatoren(report))
    return datei(f"sozialreport-{report.id}-daten", fmt, "Daten", zeilen)


@bp.route("/sozialreport/<int:report_id>/daten.<any(csv, xlsx):fmt>")
def public_daten(report_id: int, fmt: str) -> Response:
    """The data of a published report, for everybody (public data: no export entry)."""
    report = _published(report_id)
    g.audit_export = False
    zeilen = reihen(report_indikatoren(report))
    return datei(f"sozialreport-{report.id}-daten", fmt, "Daten", zeilen)
