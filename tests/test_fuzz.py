"""Suite-wide fuzz test: every form of every page, hostile values, every demo role.

The Hilden demo data is loaded; each role walks the app through its links (``tests/support/
crawl.py``) and every form it finds is submitted with hypothesis-drawn hostile values (NUL,
control and bidi characters, huge strings, year 0001, 20-digit ids, emoji, HTML/SVG payloads,
hostile files, missing fields), once more by a role that did not see the form. Filter forms
and known query arguments get the same values as GET. Asserted: no 5xx anywhere, no payload
unescaped in any response, every POST route of the URL map was reached (or is listed below
with the reason), and the database never refused input that a form should have checked.

``FUZZ_BEISPIELE`` (default 2) sets the examples per form and role.
"""

from __future__ import annotations

import io
import logging
import os
import re
import secrets
import traceback
import zipfile
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from tests.support import fuzzwelt
from tests.support.crawl import Crawl, FormField, FoundForm, crawl
from tests.support.dateien import MINIMAL_PDF

BEISPIELE = int(os.environ.get("FUZZ_BEISPIELE", "2"))
MARKER = "4711"
PAYLOADS = [
    f"<svg onload=alert({MARKER})>",
    f'"><svg onload=alert({MARKER})>',
    f"<script>alert({MARKER})</script>",
    f"'><img src=x onerror=alert({MARKER})>",
    f"javascript:alert({MARKER})",
    f'<a href="javascript:alert({MARKER})">x</a>',
    f"[x](javascript:alert({MARKER}))",
]
UNESCAPED = re.compile(
    rf"<(svg|script|img)[^>]*{MARKER}|href=\"?javascript:alert\({MARKER}|onload=alert\({MARKER}\)[^&]"
)
HOSTILE_TEXT = [
    "\x00",
    "a\x00b",
    "\x07\x1b[31m\x7f\x9b",
    "Name\u202etxt.exe",
    "\u2066isoliert\u2069",
    "😀" * 12,
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \ufeff\u200b",
    "x" * 301,
    "y" * 5001,
    "z" * 70_000,
    "0001-01-01T00:00",
    "99999999999999999999",
    "-1",
    "NaN",
    "{{ 7*7 }}",
    "' OR 1=1 --",
    "../../etc/passwd",
    "",
    " ",
    "zeile\r\nzwei\tdrei",
    *PAYLOADS,
]
HOSTILE_NUMBERS = [
    "99999999999999999999",
    "-99999999999999999999",
    "2147483648",
    "1e400",
    "NaN",
    "-1",
    "0",
    "1,5",
    "٣",
    "",
    "\x00",
]
HOSTILE_DATES = ["0001-01-01", "9999-12-31", "1899-12-31", "2026-02-30", "31.12.2026", "", "\x00"]
HOSTILE_DATETIMES = [
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-03-29T02:30",
    "2026-13-01T10:00",
    "2026-05-01",
    "",
    "\x00",
]

PDF_OK = MINIMAL_PDF
POLYGLOT = MINIMAL_PDF + b"<html><script>alert(4711)</script></html>\n"
EXE_AS_PDF = b"%PDF-1.4\nMZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (8 * 1024 * 1024))
    return buffer.getvalue()


HOSTILE_FILES = [
    (PDF_OK, "protokoll.pdf"),
    (POLYGLOT, "polyglott.pdf"),
    (EXE_AS_PDF, "programm.pdf"),
    (b"MZ\x90\x00" + b"\x00" * 60, "setup.exe"),
    (_zip_bomb(), "bombe.docx"),
    (PDF_OK, "rechnung\u202efdp.exe"),
    (b"", "leer.pdf"),
    (b"a;b\n1;2\n", "werte.csv"),
]

# POST routes no demo page links to, and why.
UNERREICHBAR = {
    "datenbasis.import_bestaetigen": "erst nach einem Import-Upload; in tests/datenbasis geprüft",
    "stammdaten.massenimport_bestaetigen": "erst in der Vorschau nach einem Upload; "
    "tests/stammdaten/test_massenimport.py",
    "protokolle.oeffentlich": "erst bei einer öffentlichen Sitzung mit Protokoll; "
    "tests/protokolle/test_hochladen.py",
    "protokolle.einreichen": "erst nach dem Hochladen einer Protokolldatei; "
    "tests/protokolle/test_uebergabe.py",
    "benachrichtigungen.abbestellen": "nur über den signierten Link einer E-Mail; "
    "tests/benachrichtigungen/test_einstellungen.py",
}


@dataclass
class Rolle:
    name: str
    email: str | None  # None: not logged in
    seeds: list[str] = field(default_factory=list)


ROLLEN = [
    Rolle("anonym", None),
    Rolle("buergerin", "buergerin.nord@demo.hilden.example"),
    Rolle("traeger", "awo@demo.traeger.example"),
    Rolle("moderation", "moderation.nord@demo.hilden.example"),
    Rolle("planungsrunde", "sozialamt@demo.hilden.example"),
    Rolle("vorstand", "vorstand@demo.hilden.example"),
    Rolle("ausschuss", "ausschuss@demo.hilden.example"),
    Rolle("stabsstelle", "stabsstelle@demo.hilden.example"),
]
SEEDS = ["/", "/start", "/anmelden", "/passwort/vergessen", "/sozialreport/", "/impressum"]


@dataclass
class Befund:
    """What went wrong, for the failure message."""

    rolle: str
    methode: str
    url: str
    status: int
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.rolle:<13} {self.methode} {self.url} → {self.status} {self.detail}"[:400]


@dataclass
class Lauf:
    befunde: list[Befund] = field(default_factory=list)
    posts: int = 0
    gets: int = 0
    fremd: int = 0

    def check(self, rolle: str, methode: str, url: str, response) -> None:
        """No 5xx and no unescaped payload in an HTML answer."""
        if response.status_code >= 500:
            detail = response.get_data(as_text=True)[:300] if isinstance(response, _Raised) else ""
            self.befunde.append(Befund(rolle, methode, url, response.status_code, detail))
        if response.mimetype in ("text/html", "image/svg+xml"):
            match = UNESCAPED.search(response.get_data(as_text=True))
            if match:
                self.befunde.append(
                    Befund(rolle, methode, url, response.status_code, f"unmaskiert: {match[0]}")
                )
        response.close()


# --------------------------------------------------------------------------- hostile values


def _strategy(spec: FormField) -> st.SearchStrategy:
    """Hostile values for one field, by its HTML type."""
    text = st.one_of(
        st.sampled_from(HOSTILE_TEXT),
        st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    )
    kinds = {
        "number": st.sampled_from(HOSTILE_NUMBERS),
        "date": st.sampled_from(HOSTILE_DATES),
        "datetime-local": st.sampled_from(HOSTILE_DATETIMES),
        "time": st.sampled_from(["25:61", "", "\x00", "12:00"]),
        "email": st.one_of(st.sampled_from(["a\x00@b.de", "x@" + "y" * 300 + ".de"]), text),
        "file": st.sampled_from(HOSTILE_FILES),
    }
    if spec.kind in kinds:
        return kinds[spec.kind]
    if spec.kind in ("select", "select-multiple", "radio", "checkbox"):
        valid = [o for o in spec.options if o] or [spec.value]
        return st.one_of(st.sampled_from(valid), st.sampled_from(HOSTILE_NUMBERS[:3]), text)
    if spec.kind == "hidden":
        return st.one_of(st.just(spec.value), st.sampled_from(HOSTILE_NUMBERS[:3]), text)
    return text


KEEP = ("csrf_token",)


def _form_data(draw, form: FoundForm) -> tuple[dict, bool]:
    """Submitted fields: hostile values, some fields left out (like a broken client)."""
    data: dict[str, list] = {}
    has_file = False
    radios: dict[str, list[str]] = {}
    for spec in form.fields:
        if spec.kind == "radio":
            radios.setdefault(spec.name, []).append(spec.value)
    for spec in form.fields:
        if spec.kind in ("submit", "button", "image", "reset"):
            if spec.name and spec.name not in data:
                data[spec.name] = [spec.value]
            continue
        if spec.name in KEEP:
            data[spec.name] = [spec.value]
            continue
        if spec.name == "formular_token":
            data[spec.name] = [secrets.token_urlsafe(24)]
            continue
        if spec.kind == "radio":
            if spec.name in data:
                continue
            spec = FormField(spec.name, "radio", spec.value, options=radios[spec.name])
        if draw(st.integers(0, 9)) == 0:
            continue  # a field missing from the submission
        if spec.kind == "checkbox" and draw(st.booleans()):
            continue
        value = draw(_strategy(spec))
        if spec.kind == "file":
            content, name = value
            value = (io.BytesIO(content), name)
            has_file = True
        data.setdefault(spec.name, []).append(value)
    return data, has_file


def _where(exc: BaseException) -> str:
    """The innermost application frame of an exception."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/app/" in f.filename]
    place = f" in {frames[-1].filename.split('/app/')[-1]}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}: {str(exc)[:160]}{place}"


class _Raised:
    """Stands in for the response when the app raised (TESTING propagates exceptions)."""

    status_code = 500
    mimetype = "text/plain"
    headers: dict = {}

    def __init__(self, exc: BaseException) -> None:
        self.detail = _where(exc)

    def get_data(self, as_text: bool = False) -> str:
        return self.detail

    def close(self) -> None:
        """Nothing to release."""


def _submit(client, form: FoundForm, data: dict, has_file: bool):
    try:
        return _send(client, form, data, has_file)
    except Exception as exc:  # the app raised: a 500 in production
        return _Raised(exc)


def _send(client, form: FoundForm, data: dict, has_file: bool):
    if form.method == "get":
        query = urlencode([(k, v) for k, vs in data.items() for v in vs if isinstance(v, str)])
        return client.get(urlsplit(form.action).path + "?" + query)
    flat = {k: (vs if len(vs) > 1 else vs[0]) for k, vs in data.items()}
    kwargs = {"content_type": "multipart/form-data"} if has_file else {}
    return client.post(form.action, data=flat, **kwargs)


# --------------------------------------------------------------------------- the world


def _token_seeds() -> list[str]:
    """Pages reached through mailed links: invitation, password reset, meeting reply."""
    from app.auth.services import make_account_token
    from app.sitzungen.models import Einladung
    from app.sitzungen.services import reply_token

    def person(email: str) -> User:
        return db.session.scalar(select(User).where(User.email == email))

    seeds = [
        f"/einladung/{make_account_token(person('skfm@demo.traeger.example'), 'einladung')}",
        "/passwort/neu/"
        + make_account_token(person("caritas@demo.traeger.example"), "zuruecksetzen"),
    ]
    einladung = db.session.scalars(select(Einladung).order_by(Einladung.id.desc())).first()
    if einladung is not None:
        seeds.append(f"/sitzungen/antwort/{reply_token(einladung)}")
    return seeds


def _client_for(app, make, rolle: Rolle):
    client = app.test_client()
    if rolle.email is None:
        return client
    user = db.session.scalar(select(User).where(User.email == rolle.email))
    assert user is not None, rolle.email
    token = make.login_session(user)
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
    return client


QUERY_ARGS = {
    "seite": "99999999999999999999",
    "sozialraum": "99999999999999999999",
    "q": "a\x00b",
    "schlagwort": "\x00",
    "status": "\x00",
    "typ": "\x00",
    "gremium": "-99999999999999999999",
    "zyklus": "99999999999999999999",
    "jahr": "0001",
    "von": "0001-01-01",
    "bis": "9999-12-31",
    "nach": "\x00",
}


# --------------------------------------------------------------------------- the test


def test_no_hostile_input_reaches_a_server_error(app, ctx, make, caplog) -> None:
    fuzzwelt.load_demo()
    adapter = app.url_map.bind("localhost")
    seeds = SEEDS + fuzzwelt.build() + _token_seeds()
    clients = {r.name: _client_for(app, make, r) for r in ROLLEN}
    crawls: dict[str, Crawl] = {}
    lauf = Lauf()
    for rolle in ROLLEN:
        crawls[rolle.name] = found = crawl(clients[rolle.name], adapter, seeds)
        lauf.gets += len(found.statuses)
        lauf.befunde += [
            Befund(rolle.name, "GET", url, code, found.errors.get(url, ""))
            for url, code in found.statuses.items()
            if code >= 500
        ]
    _assert_every_post_route_reached(app, crawls)

    caplog.set_level(logging.WARNING, logger="app.core.errors")
    order = [r for r in ROLLEN if r.name != "stabsstelle"] + [ROLLEN[-1]]
    for rolle in order:
        client = clients[rolle.name]
        forms = _distinct(crawls[rolle.name].forms)
        for form in forms:
            _fuzz_form(lauf, rolle.name, client, form)
        _fuzz_query_args(lauf, rolle.name, client, crawls[rolle.name])
    for form, fremde in _foreign_submissions(crawls):
        _submit_as_stranger(lauf, fremde, clients[fremde], form, crawls[fremde])

    for rolle in ("stabsstelle", "traeger", "anonym"):
        again = crawl(clients[rolle], adapter, seeds)
        for url, body in again.pages.items():
            match = UNESCAPED.search(body)
            if match:
                lauf.befunde.append(Befund(rolle, "GET", url, 200, f"unmaskiert: {match[0]}"))
        lauf.gets += len(again.statuses)

    refused = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    print(
        f"\nfuzz: {len(_post_routes(app))} POST-Routen, {len(ROLLEN)} Rollen, "
        f"{lauf.posts} Formular-Absendungen (davon {lauf.fremd} durch nicht berechtigte Rollen), "
        f"{lauf.gets} Seitenabrufe"
    )
    assert not lauf.befunde, "\n".join(map(str, lauf.befunde))
    assert not refused, "Eingaben erst von der Datenbank abgewiesen:\n" + "\n".join(refused)


def _distinct(forms: list[FoundForm]) -> list[FoundForm]:
    """One form per (endpoint, action, field names): repeated list rows add nothing."""
    seen: set = set()
    result = []
    for form in forms:
        if not form.endpoint or form.endpoint == "auth.logout":
            continue
        key = (form.method, form.action, tuple(sorted(f.name for f in form.fields)))
        if key not in seen:
            seen.add(key)
            result.append(form)
    per_endpoint: dict[tuple[str, str], int] = {}
    bounded = []
    for form in result:
        key = (form.method, form.endpoint)
        per_endpoint[key] = per_endpoint.get(key, 0) + 1
        if per_endpoint[key] <= 2:
            bounded.append(form)
    return bounded


def _fuzz_form(lauf: Lauf, rolle: str, client, form: FoundForm) -> None:
    @settings(
        max_examples=BEISPIELE,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def run(data) -> None:
        values, has_file = _form_data(data.draw, form)
        response = _submit(client, form, values, has_file)
        if form.method == "get":
            lauf.gets += 1
        else:
            lauf.posts += 1
        lauf.check(rolle, form.method.upper(), form.action, response)

    run()


def _fuzz_query_args(lauf: Lauf, rolle: str, client, found: Crawl) -> None:
    """Known filter arguments with hostile values on every page the role saw."""
    for url in list(found.pages)[:60]:
        path = urlsplit(url).path
        try:
            response = client.get(path + "?" + urlencode(QUERY_ARGS))
        except Exception as exc:
            response = _Raised(exc)
        lauf.gets += 1
        lauf.check(rolle, "GET", path + "?…", response)


def _post_routes(app) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint != "static"
    }


def _assert_every_post_route_reached(app, crawls: dict[str, Crawl]) -> None:
    reached = {f.endpoint for c in crawls.values() for f in c.forms if f.method == "post"}
    missing = sorted(_post_routes(app) - reached - set(UNERREICHBAR))
    assert not missing, (
        "Kein Formular in den Demodaten führt zu diesen POST-Routen; bitte Demodaten ergänzen "
        f"oder in UNERREICHBAR begründen: {missing}"
    )


def _foreign_submissions(crawls: dict[str, Crawl]):
    """Each POST form once more, by the first role that never saw its route."""
    seen_by = {
        name: {f.endpoint for f in c.forms if f.method == "post"} for name, c in crawls.items()
    }
    done: set[str] = set(seen_by["anonym"])  # public forms have no stranger
    for name in [r.name for r in reversed(ROLLEN)]:
        for form in crawls[name].forms:
            if form.method != "post" or form.endpoint in done or form.endpoint == "auth.logout":
                continue
            done.add(form.endpoint)
            stranger = next((r.name for r in ROLLEN if form.endpoint not in seen_by[r.name]), None)
            if stranger is not None:
                yield form, stranger


def _submit_as_stranger(lauf: Lauf, rolle: str, client, form: FoundForm, found: Crawl) -> None:
    """A role that cannot see the form must get a refusal, never a success or a 5xx."""
    own_csrf = next((f.value("csrf_token") for f in found.forms if f.value("csrf_token")), "")
    data = {f.name: f.value for f in form.fields if f.kind not in ("file",)}
    data.update(csrf_token=own_csrf, formular_token=secrets.token_urlsafe(24))
    try:
        response = client.post(form.action, data=data)
    except Exception as exc:
        response = _Raised(exc)
    lauf.posts += 1
    lauf.fremd += 1
    lauf.check(rolle, "POST (fremd)", form.action, response)
    location = response.headers.get("Location", "")
    if response.status_code < 400 and "/anmelden" not in location:
        lauf.befunde.append(
            Befund(rolle, "POST (fremd)", form.action, response.status_code, f"→ {location}")
        )


@pytest.fixture(autouse=True)
def _quiet_werkzeug():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)


def test_unknown_objects_are_404_on_every_route(app, client, login, make, csrf_token) -> None:
    """Every route with an id answers an unknown id with 404 (or a refusal), GET and POST."""
    login(make.stabsstelle())
    token = csrf_token(client, "/start")
    adapter = app.url_map.bind("localhost")
    checked = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not rule.arguments:
            continue
        kinds = dict(
            (name, kind)
            for kind, name in re.findall(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", rule.rule)
        )
        values = {n: 2147483647 if kinds.get(n) == "int" else "x" * 24 for n in rule.arguments}
        if any(kinds.get(n) not in (None, "int", "string") for n in rule.arguments):
            continue  # any(...)/path converters: their values are fixed, not ids
        url = adapter.build(rule.endpoint, values)
        for method in sorted(rule.methods & {"GET", "POST"}):
            try:
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, data={"csrf_token": token})
            except Exception as exc:  # TESTING propagates: a 500 in production
                raise AssertionError(f"{method} {url}: {_where(exc)}") from exc
            response.close()
            assert response.status_code in (302, 303, 400, 403, 404), (
                method,
                url,
                response.status_code,
            )
            checked.append(url)
    assert len(checked) > 60
