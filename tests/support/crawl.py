"""Walk the app as one person through its links and collect every form on the way.

Used by the suite-wide fuzz test: the forms found are exactly the ones a person of that role
can reach, so routes added later are covered as soon as a page links to them.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from flask.testing import FlaskClient
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import MapAdapter

SKIP_SUFFIXES = (".pdf", ".xlsx", ".csv", ".ics", ".png", ".svg", ".css", ".js")


@dataclass
class FormField:
    name: str
    kind: str  # input type, "textarea", "select", "select-multiple"
    value: str = ""
    options: list[str] = field(default_factory=list)
    checked: bool = False


@dataclass
class FoundForm:
    page: str
    action: str
    method: str
    enctype: str
    fields: list[FormField]
    endpoint: str = ""

    def value(self, name: str) -> str | None:
        return next((f.value for f in self.fields if f.name == name), None)


class _FormParser(HTMLParser):
    """Forms, their fields and the page's links, from one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[FoundForm] = []
        self.links: list[str] = []
        self._form: FoundForm | None = None
        self._textarea: FormField | None = None
        self._select: FormField | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = FoundForm(
                page="",
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                enctype=a.get("enctype", ""),
                fields=[],
            )
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        elif tag in ("input", "button"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            self._form.fields.append(
                FormField(a["name"], kind, a.get("value", ""), checked="checked" in a)
            )
        elif tag == "textarea":
            self._textarea = FormField(a["name"], "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "select":
            kind = "select-multiple" if "multiple" in a else "select"
            self._select = FormField(a["name"], kind)
            self._form.fields.append(self._select)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def parse(body: str, page: str) -> tuple[list[FoundForm], list[str]]:
    """Forms (action made absolute) and same-site link paths of one page."""
    parser = _FormParser()
    parser.feed(body)
    for form in parser.forms:
        form.page = page
        form.action = _local(urljoin(page, form.action or page)) or page
    links = [p for p in (_local(urljoin(page, href)) for href in parser.links) if p]
    return parser.forms, links


def _local(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or (parts.netloc and parts.netloc != "localhost"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def endpoint_of(adapter: MapAdapter, url: str, method: str) -> str | None:
    try:
        endpoint, _args = adapter.match(urlsplit(url).path, method=method.upper())
    except (NotFound, MethodNotAllowed):
        return None
    return endpoint


@dataclass
class Crawl:
    pages: dict[str, str] = field(default_factory=dict)  # url → HTML
    forms: list[FoundForm] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def crawl(
    client: FlaskClient,
    adapter: MapAdapter,
    seeds: list[str],
    *,
    per_endpoint: int = 2,
    limit: int = 400,
) -> Crawl:
    """Breadth-first GET walk from ``seeds``; at most ``per_endpoint`` URLs per route."""
    result = Crawl()
    queue = deque(seeds)
    seen: set[str] = set()
    per: dict[str, int] = {}
    while queue and len(seen) < limit:
        url = queue.popleft()
        endpoint = endpoint_of(adapter, url, "GET")
        if (
            url in seen
            or endpoint in (None, "static")
            or urlsplit(url).path.endswith(SKIP_SUFFIXES)
        ):
            continue
        if per.get(endpoint, 0) >= per_endpoint:
            continue
        seen.add(url)
        per[endpoint] = per.get(endpoint, 0) + 1
        try:
            response = client.get(url)
        except Exception as exc:  # TESTING propagates: a 500 in production
            result.statuses[url] = 500
            result.errors[url] = f"{type(exc).__name__}: {str(exc)[:200]}"
            continue
        result.statuses[url] = response.status_code
        if response.status_code != 200 or response.mimetype != "text/html":
            response.close()
            continue
        body = response.get_data(as_text=True)
        response.close()
        result.pages[url] = body
        forms, links = parse(body, url)
        for form in forms:
            form.endpoint = endpoint_of(adapter, form.action, form.method) or ""
        result.forms.extend(forms)
        queue.extend(link for link in links if link not in seen)
    return result
