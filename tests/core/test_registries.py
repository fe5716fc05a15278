"""The registries in ``app/core`` that every package relies on: permissions deny by default,
after-commit callbacks die with a rollback, beat entries, navigation, start page and tasks."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import Flask
from sqlalchemy import text

from app.core import after_commit as after_commit_module
from app.core import aufgaben, beat, navigation, permissions, startseite
from app.core.after_commit import after_commit
from app.extensions import db

AKTIV = SimpleNamespace(is_authenticated=True, aktiv=True, ist_stabsstelle=False, id=1)
STAB = SimpleNamespace(is_authenticated=True, aktiv=True, ist_stabsstelle=True, id=2)
GAST = SimpleNamespace(is_authenticated=False, aktiv=False, ist_stabsstelle=False, id=None)


# --------------------------------------------------------------------------- permissions


def test_an_action_without_a_rule_is_denied_to_everyone(app) -> None:
    for user in (AKTIV, STAB, GAST):
        assert permissions.can(user, "gibt.es.nicht") is False


def test_a_rule_decides_for_active_users_only(app, monkeypatch) -> None:
    monkeypatch.setattr(permissions, "_rules", dict(permissions._rules))
    permissions.rule("test.lesen")(lambda user, obj: True)
    assert permissions.can(AKTIV, "test.lesen") is True
    inaktiv = SimpleNamespace(is_authenticated=True, aktiv=False, id=3)
    assert permissions.can(inaktiv, "test.lesen") is False
    assert permissions.can(GAST, "test.lesen") is False


def test_visitors_pass_only_rules_marked_for_them(app, monkeypatch) -> None:
    monkeypatch.setattr(permissions, "_rules", dict(permissions._rules))
    permissions.rule("test.oeffentlich")(permissions.anonymous_allowed(lambda user, obj: True))
    assert permissions.can(GAST, "test.oeffentlich") is True


def test_an_action_has_exactly_one_rule(app, monkeypatch) -> None:
    monkeypatch.setattr(permissions, "_rules", dict(permissions._rules))
    permissions.rule("test.einmal")(lambda user, obj: True)
    with pytest.raises(RuntimeError, match="bereits registriert"):
        permissions.rule("test.einmal")(lambda user, obj: False)


def test_every_feature_registered_its_rules(app) -> None:
    actions = permissions.registered_actions()
    for prefix in ("zyklus.", "sitzung.", "impuls.", "massnahme."):
        assert any(a.startswith(prefix) for a in actions), prefix


# --------------------------------------------------------------------------- after commit


def test_callbacks_run_after_commit_and_not_after_rollback(ctx) -> None:
    ran: list[str] = []
    after_commit(lambda: ran.append("verworfen"))
    db.session.execute(text("SELECT 1"))
    db.session.rollback()
    assert ran == []
    after_commit(lambda: ran.append("bestätigt"))
    db.session.commit()
    assert ran == ["bestätigt"]
    db.session.commit()  # a second commit runs nothing again
    assert ran == ["bestätigt"]


def test_a_failing_callback_does_not_stop_the_next(ctx, caplog) -> None:
    ran: list[str] = []
    after_commit(lambda: 1 / 0)
    after_commit(lambda: ran.append("danach"))
    db.session.commit()
    assert ran == ["danach"]
    assert any(r.name == after_commit_module.__name__ for r in caplog.records)


# --------------------------------------------------------------------------- beat


def test_beat_schedule_holds_each_features_periodic_tasks(app) -> None:
    plan = beat.schedule(app.config)
    tasks = {entry["task"] for entry in plan.values()}
    assert {"mail.sweep_outbox", "workflows.check_deadlines", "core.purge_form_submissions"} <= (
        tasks
    )
    from celery.schedules import crontab

    # an interval in seconds, or a time of day (the nightly retention purge)
    assert all(
        isinstance(entry["schedule"], crontab) or float(entry["schedule"]) > 0
        for entry in plan.values()
    )
    assert isinstance(plan["datenschutz-bereinigung"]["schedule"], crontab)


# --------------------------------------------------------------------------- navigation


def test_navigation_shows_only_permitted_entries(app, monkeypatch) -> None:
    monkeypatch.setattr(navigation, "_entries", [])
    monkeypatch.setattr(permissions, "_rules", dict(permissions._rules))
    permissions.rule("test.nav")(permissions.is_stabsstelle)
    navigation.nav_entry("Für alle", "core.start", None, order=1)
    navigation.nav_entry("Nur Stabsstelle", "core.public_barrierefreiheit", "test.nav", order=2)
    navigation.nav_entry("doppelt", "core.start", None, order=3)  # same endpoint: ignored
    with app.test_request_context("/start"):
        from flask_login import login_user

        for user, expected in ((AKTIV, ["Für alle"]), (STAB, ["Für alle", "Nur Stabsstelle"])):
            login_user(_LoginUser(user))
            assert [e.titel for e in navigation.navigation()] == expected


class _LoginUser:
    """Enough of a Flask-Login user for the navigation check."""

    def __init__(self, ns: SimpleNamespace) -> None:
        self.__dict__.update(vars(ns))
        self.is_active = True
        self.is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


# --------------------------------------------------------------------------- start page


def test_start_page_context_and_tasks_come_from_registered_providers(monkeypatch) -> None:
    monkeypatch.setattr(startseite, "_providers", [])
    monkeypatch.setattr(aufgaben, "_providers", [])
    startseite.startseiten_kontext(lambda user: {"mitgliedschaften": [f"Gremium von {user.id}"]})
    startseite.startseiten_kontext(lambda user: {"extra": 1})
    aufgaben.aufgaben_provider(lambda user: [aufgaben.Aufgabe("später", "/a")])
    aufgaben.aufgaben_provider(lambda user: [aufgaben.Aufgabe("dringend", "/b", dringend=True)])
    assert startseite.kontext_fuer(AKTIV) == {"mitgliedschaften": ["Gremium von 1"], "extra": 1}
    assert [t.titel for t in aufgaben.open_tasks(AKTIV)] == ["dringend", "später"]


def test_the_real_app_registers_the_gremien_on_the_start_page(app) -> None:
    assert any(p.__module__ == "app.stammdaten.hooks" for p in startseite._providers)


def test_core_is_importable_without_a_feature_package() -> None:
    """core's modules load on a bare Flask app: nothing in them needs a feature package."""
    import importlib

    for name in ("permissions", "after_commit", "beat", "aufgaben", "startseite", "auftraege"):
        importlib.import_module(f"app.core.{name}")
    assert isinstance(Flask(__name__), Flask)
