"""Blueprint ``oparl``: the OParl 1.1 read API, entry point ``/oparl/v1.1/system``.

JSON (``application/json``, UTF-8), CORS open for GET, no login. External object lists are
paged (``page``, ``elementsPerPage``/``limit``) and filtered (``created_since``,
``created_until``, ``modified_since``, ``modified_until``). Withdrawn objects answer with
``deleted: true`` and stay in the lists, so harvesters learn about them.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for
from sqlalchemy import String, cast, select

from app.extensions import db
from app.oeffentlich import sichtbarkeit as sicht
from app.oparl import objekte, register, services  # noqa: F401  (register: session hooks)
from app.oparl.objekte import absolute, body_id, web
from app.oparl.services import Filter
from app.sitzungen.models import Sitzung
from app.stammdaten.models import Gremium

bp = Blueprint("oparl", __name__, url_prefix="/oparl/v1.1")

LISTEN = {
    "organizations": "organization",
    "people": "person",
    "memberships": "membership",
    "meetings": "meeting",
    "agenda-items": "agendaitem",
    "papers": "paper",
    "consultations": "consultation",
    "files": "file",
    "locations": "location",
    "legislative-terms": "legislativeterm",
}
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")


class OparlError(Exception):
    """A refused request, answered as JSON with a German message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _json(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    response = Response(body, status=status, content_type="application/json; charset=utf-8")
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@bp.after_request
def _cors(response: Response) -> Response:
    """Any web page may read the API (OParl 1.1, chapter CORS)."""
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
    return response


@bp.errorhandler(OparlError)
def _error(exc: OparlError) -> Response:
    return _json({"error": exc.message}, exc.status)


@bp.errorhandler(404)
def _not_found(exc: Exception) -> Response:
    return _json({"error": "Dieses Objekt gibt es nicht."}, 404)


@bp.errorhandler(405)
def _not_allowed(exc: Exception) -> Response:
    return _json({"error": "Die OParl-Schnittstelle kann nur gelesen werden (GET)."}, 405)


def _parse_time(name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        # a "+" of the offset that was not URL-encoded arrives as a space
        value = datetime.fromisoformat(raw.strip().replace(" ", "+").replace("Z", "+00:00"))
    except ValueError:
        raise OparlError(400, f"{name}: bitte Datum und Uhrzeit nach ISO 8601 angeben.") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=objekte.BERLIN)
    return value


def _filter() -> Filter:
    return Filter(**{name: _parse_time(name) for name in FILTERS})


def _int_param(names: tuple[str, ...], default: int, low: int, high: int) -> int:
    for name in names:
        raw = request.args.get(name)
        if raw is None:
            continue
        try:
            value = int(raw)
        except ValueError:
            raise OparlError(400, f"{name}: bitte eine ganze Zahl angeben.") from None
        return max(low, min(high, value))
    return default


def _list(endpoint: str, typ: str, extra: Any = None, **values: Any) -> Response:
    """One page of an external object list with pagination and links."""
    f = _filter()
    per_page = _int_param(
        ("elementsPerPage", "limit"), current_app.config["OPARL_SEITENGROESSE"], 1, 500
    )
    total = services.count(typ, f, extra)
    pages = max(1, -(-total // per_page))
    current = _int_param(("page",), 1, 1, 10**9)
    rows = services.page(typ, f, (current - 1) * per_page, per_page, extra)
    params = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    if "elementsPerPage" in request.args or "limit" in request.args:
        params["elementsPerPage"] = per_page

    def link(number: int) -> str:
        return absolute(url_for(endpoint, **values, **params, page=number))

    links = {"first": link(1), "self": link(current), "last": link(pages)}
    if current > 1:
        links["prev"] = link(min(current - 1, pages))
    if current < pages:
        links["next"] = link(current + 1)
    return _json(
        {
            "data": services.serialize_rows(typ, rows),
            "pagination": {
                "totalElements": total,
                "elementsPerPage": per_page,
                "currentPage": current,
                "totalPages": pages,
            },
            "links": links,
        }
    )


@bp.route("/system")
def system() -> Response:
    """The entry point: which OParl version, which bodies."""
    cfg = current_app.config
    return _json(
        {
            "id": absolute(url_for("oparl.system")),
            "type": objekte.SCHEMA + "System",
            "oparlVersion": objekte.SCHEMA,
            "name": f"Sozialplanung {cfg['ORGANISATION_NAME']}",
            "body": absolute(url_for("oparl.bodies")),
            "contactEmail": cfg["BARRIEREFREIHEIT_KONTAKT"],
            "website": web("oeffentlich.start"),
            "web": web("oeffentlich.start"),
            "license": objekte.lizenz(),
        }
    )


def _body() -> dict[str, Any]:
    cfg = current_app.config
    liste = {
        key: absolute(url_for("oparl.liste", liste=name))
        for name, key in (
            ("organizations", "organization"),
            ("people", "person"),
            ("meetings", "meeting"),
            ("papers", "paper"),
            ("agenda-items", "agendaItem"),
            ("consultations", "consultation"),
            ("files", "file"),
            ("locations", "locationList"),
            ("legislative-terms", "legislativeTermList"),
            ("memberships", "membership"),
        )
    }
    data = {
        "id": body_id(),
        "type": objekte.SCHEMA + "Body",
        "system": absolute(url_for("oparl.system")),
        "name": cfg["ORGANISATION_NAME"],
        "shortName": cfg["ORGANISATION_NAME"],
        "website": web("oeffentlich.start"),
        "classification": "Kommune",
        "contactEmail": cfg["BARRIEREFREIHEIT_KONTAKT"],
        "contactName": "Stabsstelle Sozialplanung",
        "legislativeTerm": services.legislative_terms(),
        "web": web("oeffentlich.start"),
        **liste,
    }
    if cfg.get("OPARL_AGS"):
        data["ags"] = cfg["OPARL_AGS"]
    if objekte.lizenz():
        data["license"] = objekte.lizenz()
    return data


@bp.route("/bodies")
def bodies() -> Response:
    """The list of bodies: this installation serves one (the city)."""
    return _json(
        {
            "data": [_body()],
            "pagination": {
                "totalElements": 1,
                "elementsPerPage": 1,
                "currentPage": 1,
                "totalPages": 1,
            },
            "links": {"first": absolute(url_for("oparl.bodies"))},
        }
    )


@bp.route("/body")
def body() -> Response:
    """The city as OParl Body."""
    return _json(_body())


@bp.route("/body/<liste>")
def liste(liste: str) -> Response:
    """An external object list of the body (meetings, papers, files, …)."""
    typ = LISTEN.get(liste)
    if typ is None:
        raise OparlError(404, "Diese Liste gibt es nicht.")
    return _list("oparl.liste", typ, liste=liste)


@bp.route("/organization/<int:gremium_id>/meetings")
def organisation_sitzungen(gremium_id: int) -> Response:
    """The public meetings of one Gremium (an unknown Gremium is a 404, not an empty list)."""
    if db.session.get(Gremium, gremium_id) is None:
        raise OparlError(404, "Diese Organisation gibt es nicht.")
    ids = select(cast(Sitzung.id, String)).where(
        Sitzung.gremium_id == gremium_id, sicht.sitzung_oeffentlich()
    )
    from app.oparl.models import OparlObjekt

    return _list(
        "oparl.organisation_sitzungen",
        "meeting",
        OparlObjekt.schluessel.in_(ids),
        gremium_id=gremium_id,
    )


@bp.route("/<typ>/<schluessel>")
def objekt(typ: str, schluessel: str) -> Response:
    """One object by its stable id; withdrawn ones answer with ``deleted: true``."""
    if typ not in objekte.TYPNAMEN:
        raise OparlError(404, "Diesen Objekttyp gibt es nicht.")
    row = services.register_row(typ, schluessel)
    if row is None:
        raise OparlError(404, "Dieses Objekt gibt es nicht.")
    return _json(services.serialize_rows(typ, [row])[0])
