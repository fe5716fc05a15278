"""The session hook: one entry per object and transaction, in the same transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, insert, select, text, update

from app.audit import context
from app.audit.hook import AppendOnlyError
from app.audit.models import Aktion, AuditEintrag
from app.audit.services import record_event
from app.extensions import db
from app.stammdaten.models import Mitgliedschaft, Organisation, OrganisationArt
from tests.audit.conftest import entries_since, last_id


def test_create_then_edit_in_one_transaction_is_one_entry(make):
    mark = last_id()
    org = Organisation(name="AWO Hilden", kurzname="AWO", art=OrganisationArt.TRAEGER)
    db.session.add(org)
    db.session.flush()  # the id, as services do
    org.email = "info@awo.example"
    db.session.commit()
    [entry] = entries_since(mark)
    assert entry.aktion == Aktion.ANGELEGT
    assert (entry.objekt_typ, entry.objekt_id, entry.objekt_label) == (
        "Organisation",
        str(org.id),
        "AWO Hilden",
    )
    assert entry.aenderungen["name"] == {"neu": "AWO Hilden"}
    assert entry.aenderungen["email"] == {"neu": "info@awo.example"}
    assert entry.akteur_name == "System"  # no request, no task


def test_update_records_old_and_new_value_only_of_changed_fields(make):
    org = make.organisation(name="Diakonie", kurzname="DW")
    mark = last_id()
    org.name = "Diakonie Hilden"
    org.kurzname = "DW"  # unchanged
    db.session.commit()
    [entry] = entries_since(mark)
    assert entry.aktion == Aktion.GEAENDERT
    assert entry.aenderungen == {"name": {"alt": "Diakonie", "neu": "Diakonie Hilden"}}


def test_two_edits_merge_and_an_edit_back_leaves_nothing(make):
    org = make.organisation(name="SKFM")
    mark = last_id()
    org.name = "SKFM e.V."
    db.session.flush()
    org.name = "SKFM Hilden"
    db.session.flush()
    org.kurzname = "X"
    db.session.commit()
    [entry] = entries_since(mark)
    assert entry.aenderungen["name"] == {"alt": "SKFM", "neu": "SKFM Hilden"}
    mark = last_id()
    org.name = "Zwischenname"
    db.session.flush()
    org.name = "SKFM Hilden"
    db.session.commit()
    assert entries_since(mark) == []


def test_rollback_leaves_no_entry(make):
    org = make.organisation(name="Caritas")
    mark = last_id()
    org.name = "Caritas Hilden"
    db.session.flush()
    record_event(Aktion.EXPORT, hinweis="verworfen")
    db.session.rollback()
    assert entries_since(mark) == []
    db.session.commit()  # the next commit does not bring the dropped entries back
    assert entries_since(mark) == []


def test_savepoint_rollback_drops_only_its_own_entries(make):
    org = make.organisation(name="Vorher")
    mark = last_id()
    org.kurzname = "V"
    with db.session.begin_nested() as nested:
        other = Organisation(name="Im Savepoint", art=OrganisationArt.TRAEGER)
        db.session.add(other)
        db.session.flush()
        nested.rollback()
    db.session.commit()
    [entry] = entries_since(mark)
    assert entry.objekt_label == "Vorher"
    assert entry.aenderungen["kurzname"]["neu"] == "V"


def test_delete_records_the_last_values(make):
    org = make.organisation(name="Weg damit", kurzname="WD")
    org_id = org.id
    mark = last_id()
    db.session.delete(org)
    db.session.commit()
    [entry] = entries_since(mark)
    assert (entry.aktion, entry.objekt_id) == (Aktion.GELOESCHT, str(org_id))
    assert entry.aenderungen["name"] == {"alt": "Weg damit"}
    assert entry.aenderungen["kurzname"] == {"alt": "WD"}


def test_created_and_deleted_in_one_transaction_leaves_nothing():
    mark = last_id()
    org = Organisation(name="Kurzlebig", art=OrganisationArt.TRAEGER)
    db.session.add(org)
    db.session.flush()
    db.session.delete(org)
    db.session.commit()
    assert entries_since(mark) == []


def test_secrets_are_never_stored_only_that_they_changed(make, ctx):
    from app.auth.services import set_password

    user = make.user(name="Geheim Test")
    mark = last_id()
    set_password(user, "Ein-neues-Passwort-99")
    db.session.commit()
    [entry] = entries_since(mark)
    assert entry.aenderungen == {"password_hash": {"geheim": True}}
    stored = db.session.scalar(
        select(func.count())
        .select_from(AuditEintrag)
        .where(AuditEintrag.aenderungen.contains("argon2"))
    )
    assert stored == 0


def test_secret_token_never_reaches_the_log(make):
    from app.sitzungen.services import renew_abo

    user = make.user()
    mark = last_id()
    abo = renew_abo(user)
    db.session.commit()
    [entry] = entries_since(mark)
    assert entry.objekt_typ == "KalenderAbo"
    assert entry.aenderungen["token"] == {"geheim": True}
    assert abo.token not in str(entry.aenderungen)


def test_opted_out_and_ignored_changes_write_nothing(make, ctx):
    from app.auth.services import start_login_session
    from app.benachrichtigungen.services import notify
    from app.mail.services import queue_mail

    user = make.user()
    mark = last_id()
    queue_mail("a@test.example", "Betreff", "mail/konto_einladung", user=user, link="x")
    notify([user.id], "Hallo")
    db.session.commit()
    assert entries_since(mark) == []  # outbox and notifications are not audited
    start_login_session(user)  # LoginSession opted out, last_login_at ignored
    db.session.commit()
    [entry] = entries_since(mark)
    assert entry.aktion == Aktion.ANMELDUNG  # only the explicit event
    assert (entry.akteur_id, entry.akteur_name) == (user.id, user.name)


def test_permission_changes_are_flagged(make):
    user = make.user()
    gremium = make.gremium()
    mark = last_id()
    make.mitgliedschaft(gremium, user)
    user.ist_stabsstelle = True
    db.session.commit()
    flags = {e.objekt_typ: e.berechtigung for e in entries_since(mark)}
    assert flags == {"Mitgliedschaft": True, "User": True}
    mark = last_id()
    user.name = "Neuer Name"
    db.session.commit()
    [entry] = entries_since(mark)
    assert entry.berechtigung is False


def test_bulk_update_records_one_entry_per_row_with_old_values(make):
    from app.stammdaten.services import deactivate_user

    user = make.user()
    first, second = make.gremium(), make.gremium()
    m1 = make.mitgliedschaft(first, user)
    m2 = make.mitgliedschaft(second, user)
    mark = last_id()
    deactivate_user(user)
    db.session.commit()
    entries = entries_since(mark, objekt_typ="Mitgliedschaft")
    assert sorted(e.objekt_id for e in entries) == sorted([str(m1.id), str(m2.id)])
    assert all(e.aenderungen == {"aktiv": {"alt": True, "neu": False}} for e in entries)
    assert all(e.berechtigung for e in entries)
    [konto] = entries_since(mark, objekt_typ="User")
    assert konto.aenderungen == {"aktiv": {"alt": True, "neu": False}}


def test_bulk_update_that_matches_nothing_records_nothing(make):
    mark = last_id()
    db.session.execute(update(Mitgliedschaft).where(Mitgliedschaft.id == -1).values(aktiv=False))
    db.session.commit()
    assert entries_since(mark) == []


def test_bulk_insert_is_one_summary_entry(make):
    from app.datenbasis.models import Indikatorwert

    indikator = make.indikator()
    raeume = [make.sozialraum() for _ in range(3)]
    mark = last_id()
    db.session.execute(
        insert(Indikatorwert),
        [
            {"indikator_id": indikator.id, "sozialraum_id": r.id, "jahr": 2025, "wert": 1.5}
            for r in raeume
        ],
    )
    db.session.commit()
    [entry] = entries_since(mark)
    assert (entry.aktion, entry.objekt_typ, entry.objekt_id) == (
        Aktion.ANGELEGT,
        "Indikatorwert",
        None,
    )
    assert entry.aenderungen == {"anzahl": {"neu": 3}}


def test_bulk_delete_records_each_row(make):
    org = make.organisation(name="Massenweise")
    mark = last_id()
    db.session.execute(delete(Organisation).where(Organisation.id == org.id))
    db.session.commit()
    [entry] = entries_since(mark)
    assert entry.aktion == Aktion.GELOESCHT
    assert entry.aenderungen["name"] == {"alt": "Massenweise"}


def test_one_insert_statement_per_transaction(make, query_counter):
    mark = last_id()
    with query_counter() as statements:
        for n in range(5):
            db.session.add(Organisation(name=f"Org {n}", art=OrganisationArt.TRAEGER))
            db.session.flush()
        db.session.commit()
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO AUDIT_EINTRAG")]
    assert len(inserts) == 1
    assert len(entries_since(mark)) == 5


def test_entries_of_one_transaction_share_a_vorgang(make):
    mark = last_id()
    db.session.add_all(
        [
            Organisation(name="A1", art=OrganisationArt.TRAEGER),
            Organisation(name="A2", art=OrganisationArt.TRAEGER),
        ]
    )
    db.session.commit()
    first, second = entries_since(mark)
    assert first.vorgang and first.vorgang == second.vorgang


def test_acting_as_and_task_names_are_recorded(make):
    org = make.organisation()
    mark = last_id()
    with context.acting_as(None, "Kommandozeile"):
        org.name = "Per CLI"
        db.session.commit()
    [entry] = entries_since(mark)
    assert entry.akteur_name == "Kommandozeile"


def test_a_task_is_recorded_as_the_actor(make, app):
    from app.beteiligung.tasks import check_deadlines
    from app.core.types import utcnow

    bogen = make.rueckmeldebogen(veroeffentlicht=True, frist=utcnow() - timedelta(minutes=1))
    mark = last_id()
    check_deadlines.apply()
    [entry] = entries_since(mark, objekt_typ="Rueckmeldebogen")
    assert entry.objekt_id == str(bogen.id)
    assert entry.akteur_name == "Aufgabe beteiligung.check_deadlines"
    assert entry.aenderungen["status"] == {"alt": "veroeffentlicht", "neu": "geschlossen"}


def test_the_log_refuses_orm_edits_and_deletes(make):
    record_event(Aktion.EXPORT, hinweis="bleibt")
    db.session.commit()
    entry = db.session.scalar(select(AuditEintrag).order_by(AuditEintrag.id.desc()).limit(1))
    entry.hinweis = "geändert"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.execute(delete(AuditEintrag).where(AuditEintrag.id == entry.id))
    db.session.rollback()
    with pytest.raises(AppendOnlyError):
        db.session.execute(update(AuditEintrag).values(hinweis="x"))
    db.session.rollback()
    assert db.session.execute(text("SELECT count(*) FROM audit_eintrag")).scalar() >= 1
