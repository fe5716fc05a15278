"""Digests: one German mail per person and period, only the kinds set to that rhythm."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from app.benachrichtigungen.arten import Rhythmus
from app.benachrichtigungen.einstellungen import set_einstellungen
from app.benachrichtigungen.models import Benachrichtigung, Zusammenfassung
from app.benachrichtigungen.tasks import versende_zusammenfassungen
from app.benachrichtigungen.zusammenfassung import Periode, faellige_perioden
from app.extensions import db
from app.mail.models import Mail
from app.mail.services import build_message

BERLIN = ZoneInfo("Europe/Berlin")


def _periode(rhythmus: Rhythmus) -> Periode:
    return next(p for p in faellige_perioden() if p.rhythmus == rhythmus)


def _in(periode: Periode, user_id: int, text: str, art: str, url: str | None = "/impulse/7"):
    start, _ = periode.fenster
    row = Benachrichtigung(
        user_id=user_id, text=text, url=url, art=art, created_at=start + timedelta(hours=10)
    )
    db.session.add(row)
    db.session.commit()
    return row


def _digests(address: str, art: str = "") -> list[Mail]:
    """The digests to ``address`` (``art``: "Tägliche" or "Wöchentliche" only)."""
    query = select(Mail).where(
        Mail.recipient == address,
        Mail.kind == "benachrichtigung.zusammenfassung",
        Mail.subject.startswith(art),
    )
    return list(db.session.scalars(query))


def test_periods_are_the_last_complete_day_and_week(app) -> None:
    with app.app_context():
        now = datetime(2026, 11, 24, 8, 0, tzinfo=BERLIN)  # a Tuesday, after 7 o'clock
        daily, weekly = faellige_perioden(now)
        assert str(daily.start) == "2026-11-23" and daily.titel.endswith("23.11.2026")
        assert str(weekly.start) == "2026-11-16"
        assert weekly.titel == "Wöchentliche Zusammenfassung 16.11. – 22.11.2026"
        early, _ = faellige_perioden(datetime(2026, 11, 24, 6, 0, tzinfo=BERLIN))
        assert str(early.start) == "2026-11-22"  # Monday's digest is not due before 7


def test_daily_digest_lists_only_the_daily_kinds_once(ctx, make) -> None:
    user = make.traeger_user(email="traegerin@hilden.example", name="Tara Träger")
    address = user.email
    set_einstellungen(user, {"impulse": Rhythmus.TAEGLICH})
    periode = _periode(Rhythmus.TAEGLICH)
    _in(periode, user.id, "Impuls „Mehr Bänke“ beantwortet", "impuls.status")
    _in(periode, user.id, "Protokoll freigegeben", "protokoll.freigegeben")  # weekly
    _in(periode, user.id, "Ohne Art", None)
    assert versende_zusammenfassungen() >= 1
    assert versende_zusammenfassungen() == 0  # the second beat finds the claim
    [mail] = _digests(address, "Tägliche")
    assert mail.subject == f"{periode.titel}: 1 Neuigkeit"
    assert "Impuls „Mehr Bänke“ beantwortet" in mail.body_text
    assert "Protokoll freigegeben" not in mail.body_text
    assert "/impulse/7" in mail.body_html and "Guten Tag Tara Träger" in mail.body_text
    message = build_message(mail)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "abbestellen" in mail.body_text.lower()


def test_weekly_digest_and_nothing_for_people_with_at_once(ctx, make) -> None:
    traeger = make.traeger_user(email="woche@hilden.example")
    stab = make.stabsstelle(email="stab-sofort@hilden.example")
    set_einstellungen(traeger, {"zyklus": Rhythmus.WOECHENTLICH})
    db.session.commit()
    woche = _periode(Rhythmus.WOECHENTLICH)
    _in(woche, traeger.id, "Phase Trägerrunde begonnen", "zyklus.phasenwechsel")
    _in(woche, traeger.id, "Protokoll der Trägerrunde freigegeben", "protokoll.freigegeben")
    _in(woche, stab.id, "Phase Trägerrunde begonnen", "zyklus.phasenwechsel")
    versende_zusammenfassungen()
    [mail] = _digests("woche@hilden.example", "Wöchentliche")
    assert (
        mail.subject.startswith("Wöchentliche Zusammenfassung") and "2 Neuigkeiten" in mail.subject
    )
    assert "Planungszyklus" in mail.body_text and "Protokolle" in mail.body_text
    assert _digests("stab-sofort@hilden.example") == []  # the Stabsstelle got those at once


def test_a_run_that_died_before_its_commit_is_repeated_once(ctx, make) -> None:
    from app.benachrichtigungen import zusammenfassung

    user = make.traeger_user(email="abbruch@hilden.example")
    user_id, address = user.id, user.email
    set_einstellungen(user, {"impulse": Rhythmus.TAEGLICH})
    periode = _periode(Rhythmus.TAEGLICH)
    _in(periode, user.id, "Impuls eingegangen", "impuls.neu")
    assert zusammenfassung.versende(user_id, periode)
    db.session.rollback()  # the worker was killed before the commit: claim and mail are gone
    assert _digests(address) == []
    versende_zusammenfassungen()
    versende_zusammenfassungen()
    assert len(_digests(address, "Tägliche")) == 1
    assert (
        db.session.scalar(
            select(func.count(Zusammenfassung.id)).where(Zusammenfassung.rhythmus == "taeglich")
        )
        == 1
    )


def test_inactive_accounts_get_no_digest(ctx, make) -> None:
    user = make.traeger_user(email="inaktiv@hilden.example", aktiv=False)
    address = user.email
    set_einstellungen(user, {"impulse": Rhythmus.TAEGLICH})
    _in(_periode(Rhythmus.TAEGLICH), user.id, "Impuls eingegangen", "impuls.neu")
    versende_zusammenfassungen()
    assert _digests(address) == []


@pytest.mark.parametrize("anzahl,wort", [(1, "1 Neuigkeit"), (3, "3 Neuigkeiten")])
def test_subject_plural(ctx, make, anzahl, wort) -> None:
    user = make.traeger_user()
    address = user.email
    set_einstellungen(user, {"impulse": Rhythmus.TAEGLICH})
    periode = _periode(Rhythmus.TAEGLICH)
    for i in range(anzahl):
        _in(periode, user.id, f"Impuls {i}", "impuls.neu")
    versende_zusammenfassungen()
    [mail] = _digests(address, "Tägliche")
    assert mail.subject.endswith(wort)
