"""The layout: imports point from the cycle's later steps to its foundations, and no module imports
one that imports it back. The layer order is written down once, in ``docs/ENTWICKLUNG.md``.

The checks are plain functions over module sources, so the tests below also show that each kind of
mistake named in issue 17 (an upward import, a circle between packages, a view module importing
``views.py`` back, the mail service/task pair) is caught.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOP = "app"  # app/__init__.py, cli.py, demo*.py, devserver.py: the top layer


def layer_order() -> dict[str, int]:
    """Package → layer number, read from the marked list in docs/ENTWICKLUNG.md."""
    text = (ROOT / "docs" / "ENTWICKLUNG.md").read_text(encoding="utf-8")
    block = text.split("<!-- schichten:anfang -->", 1)[1].split("<!-- schichten:ende -->", 1)[0]
    order: dict[str, int] = {}
    for line in block.strip().splitlines():
        number, names = line.split(".", 1)
        for name in re.sub(r"\(.*\)", "", names).split(","):
            order[name.strip()] = int(number)
    return order


def app_sources() -> dict[str, str]:
    """Module name → source of every module under app/."""
    sources = {}
    for path in (ROOT / "app").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        sources[name] = path.read_text(encoding="utf-8")
    return sources


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skip.update(id(n) for n in ast.walk(child))
    return skip


def imports_of(name: str, source: str, known: set[str]) -> set[str]:
    """The app modules ``name`` imports anywhere (also in functions), TYPE_CHECKING aside."""
    tree = ast.parse(source)
    skip = _type_checking_nodes(tree)
    is_package = name.count(".") == 0 or f"{name}.__init__" in known
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = name.split(".") if is_package else name.split(".")[:-1]
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    return found


def package_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return TOP
    if parts[1] == "extensions":
        return "extensions"
    return parts[1] if len(parts) > 2 or _is_package_dir(parts[1]) else TOP


def _is_package_dir(name: str) -> bool:
    return (ROOT / "app" / name / "__init__.py").exists()


def graph(sources: dict[str, str]) -> dict[str, set[str]]:
    known = set(sources)
    return {name: imports_of(name, src, known) for name, src in sources.items()}


def upward_imports(
    edges: dict[str, set[str]], order: dict[str, int], package=package_of
) -> list[str]:
    """Imports of a package of the same or a later layer (and packages missing from the list)."""
    problems = []
    for module, targets in sorted(edges.items()):
        own = package(module)
        if own not in order:
            problems.append(f"{module}: Paket {own!r} fehlt in der Schichtenliste")
            continue
        for target in sorted(targets):
            other = package(target)
            if other != own and order.get(other, 10**6) >= order[own]:
                problems.append(f"{module} importiert {target} ({other} liegt nicht unter {own})")
    return problems


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


# --------------------------------------------------------------------------- the real code


def test_every_package_is_in_the_layer_list() -> None:
    order = layer_order()
    packages = {package_of(m) for m in app_sources()}
    assert packages <= set(order), sorted(packages - set(order))


def test_no_import_points_up_or_sideways() -> None:
    assert upward_imports(graph(app_sources()), layer_order()) == []


def test_no_module_imports_one_that_imports_it_back() -> None:
    assert circles(graph(app_sources())) == []


def test_core_imports_no_feature_package() -> None:
    edges = graph(app_sources())
    core = {t for m, ts in edges.items() if m.startswith("app.core") for t in ts}
    assert {package_of(t) for t in core} <= {"core", "extensions"}


# --------------------------------------------------------------------------- the checks catch


ORDER = {"core": 1, "extensions": 1, "mail": 2, "stammdaten": 4, "impulse": 9, "protokolle": 11}


def _check(sources: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    edges = graph(sources)
    pkg = lambda m: m.split(".")[1]  # noqa: E731  (the synthetic modules are all in packages)
    return upward_imports(edges, ORDER, package=pkg), circles(edges)


def test_an_upward_import_inside_a_function_is_caught() -> None:
    up, _ = _check(
        {
            "app.impulse.blueprint": "def f():\n    from app.protokolle.models import Protokoll\n",
            "app.protokolle.models": "",
        }
    )
    assert up == [
        "app.impulse.blueprint importiert app.protokolle.models (protokolle liegt nicht unter impulse)"
    ]


def test_core_importing_a_feature_is_caught() -> None:
    up, _ = _check(
        {
            "app.core.views": "from app.stammdaten.models import Gremium\n",
            "app.stammdaten.models": "",
        }
    )
    assert len(up) == 1 and "stammdaten liegt nicht unter core" in up[0]


def test_type_checking_imports_are_exempt() -> None:
    up, _ = _check(
        {
            "app.core.types": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from app.stammdaten.models import Gremium\n",
            "app.stammdaten.models": "",
        }
    )
    assert up == []


def test_a_view_module_importing_views_back_is_a_circle() -> None:
    _, found = _check(
        {
            "app.impulse.views": "from app.impulse import views_aktionen  # noqa\nbp = 1\n",
            "app.impulse.views_aktionen": "from app.impulse.views import bp\n",
            "app.impulse": "",
        }
    )
    assert found == [["app.impulse.views", "app.impulse.views_aktionen"]]


def test_the_mail_service_and_task_pair_importing_each_other_is_a_circle() -> None:
    _, found = _check(
        {
            "app.mail.services": "def q():\n    from app.mail.tasks import send_mail\n",
            "app.mail.tasks": "from app.mail import services\n",
            "app.mail": "",
        }
    )
    assert found == [["app.mail.services", "app.mail.tasks"]]
