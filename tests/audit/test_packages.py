"""A change in each package produces exactly one audit entry with the right differences."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.audit.models import Aktion
from app.extensions import db
from tests.audit.conftest import entries_since, last_id


def _datei(make):
    from app.dateien.models import Datei

    obj = Datei(
        original_name="konzept.pdf",
        stored_name="abc123",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def _einstellung(make):
    from app.benachrichtigungen.arten import Rhythmus
    from app.benachrichtigungen.models import Benachrichtigungseinstellung

    obj = Benachrichtigungseinstellung(
        user_id=make.traeger_user().id, art="zyklus", rhythmus=Rhythmus.TAEGLICH
    )
    db.session.add(obj)
    db.session.commit()
    return obj


def _auskunft(make):
    from app.datenschutz.models import Datenauskunft

    obj = Datenauskunft(user_id=make.user().id, download_token="x" * 40)
    db.session.add(obj)
    db.session.commit()
    return obj


def _planungsfeld(make):
    feld = make.planungsfelder()["sozialplanung"]
    feld.beschreibung = "Alt"
    db.session.commit()
    return feld


def _zyklus(make):
    return make.zyklus(titel="Sozialplanung 2031")


CASES: dict[str, tuple[Callable, str, object, object, str]] = {
    # package: (build object, attribute, old value, new value, stored type)
    "auth": (lambda m: m.user(name="Alte Person"), "name", "Alte Person", "Neue Person", "User"),
    "stammdaten": (
        lambda m: m.gremium(name="Trägerrunde"),
        "name",
        "Trägerrunde",
        "Trägerrunde Süd",
        "Gremium",
    ),
    "workflows": (_zyklus, "titel", "Sozialplanung 2031", "Sozialplanung 2032", "Zyklus"),
    "datenbasis": (
        lambda m: m.indikator(name="SGB-II-Quote"),
        "name",
        "SGB-II-Quote",
        "SGB II Quote",
        "Indikator",
    ),
    "impulse": (
        lambda m: m.impuls(titel="Mehr Bänke"),
        "titel",
        "Mehr Bänke",
        "Mehr Sitzbänke",
        "Impuls",
    ),
    "beteiligung": (
        lambda m: m.rueckmeldebogen(titel="Bogen A"),
        "titel",
        "Bogen A",
        "Bogen B",
        "Rueckmeldebogen",
    ),
    "benachrichtigungen": (
        _einstellung,
        "rhythmus",
        "taeglich",
        "woechentlich",
        "Benachrichtigungseinstellung",
    ),
    "datenschutz": (_auskunft, "status", "angefordert", "fertig", "Datenauskunft"),
    "planungsfelder": (_planungsfeld, "beschreibung", "Alt", "Neu", "Planungsfeld"),
    "dateien": (_datei, "original_name", "konzept.pdf", "konzept-2026.pdf", "Datei"),
    "sitzungen": (
        lambda m: m.sitzung(ort_name="Rathaus"),
        "ort_name",
        "Rathaus",
        "Bürgerhaus",
        "Sitzung",
    ),
    "protokolle": (
        lambda m: m.protokoll(m.sitzung(), ergebnisse="Alt"),
        "ergebnisse",
        "Alt",
        "Neu",
        "Protokoll",
    ),
    "massnahmen": (
        lambda m: m.massnahme(m.zyklus(), titel="Quartierstreff"),
        "titel",
        "Quartierstreff",
        "Quartierszentrum",
        "Massnahme",
    ),
}


@pytest.mark.parametrize("package", sorted(CASES))
def test_one_change_one_entry_with_the_difference(make, package):
    build, attribute, old, new, typ = CASES[package]
    obj = build(make)
    mark = last_id()
    setattr(obj, attribute, new)
    db.session.commit()
    [entry] = entries_since(mark)
    assert (entry.aktion, entry.objekt_typ, entry.objekt_id) == (
        Aktion.GEAENDERT,
        typ,
        str(obj.id),
    )
    assert entry.aenderungen == {attribute: {"alt": old, "neu": new}}


@pytest.mark.parametrize("package", sorted(CASES))
def test_a_rolled_back_change_leaves_no_entry(make, package):
    build, attribute, _old, new, _typ = CASES[package]
    obj = build(make)
    mark = last_id()
    setattr(obj, attribute, new)
    db.session.flush()
    db.session.rollback()
    assert entries_since(mark) == []


def test_every_model_is_either_audited_or_opted_out_on_purpose(app):
    """A new model is audited without doing anything; opting out is a visible declaration."""
    from app.audit import erfassung

    opted_out = sorted(
        m.class_.__name__
        for m in db.Model.registry.mappers
        if not erfassung.model_config(m.class_).audited
    )
    assert opted_out == sorted(
        [
            "AuditEintrag",
            "Benachrichtigung",
            "FormSubmission",
            "LoginSession",
            "Mail",
            "MailAttachment",
            "MailInhalt",
            "OparlObjekt",
            "Zusammenfassung",
        ]
    )


def test_service_operations_are_recorded_like_direct_edits(make, ctx):
    """Through the packages' own services: moving an impulse, cancelling a meeting."""
    from app.impulse.models import ImpulsStatus
    from app.impulse.services import change_status

    stab = make.stabsstelle()
    impuls = make.impuls(titel="Ampel an der Schule")
    mark = last_id()
    change_status(impuls, ImpulsStatus.IN_PRUEFUNG, stab, "wird geprüft")
    db.session.commit()
    mine = entries_since(mark, objekt_typ="Impuls")
    assert len(mine) == 1
    assert mine[0].aenderungen["status"] == {"alt": "eingegangen", "neu": "in_pruefung"}
    assert len(entries_since(mark, objekt_typ="ImpulsVerlauf")) == 1
