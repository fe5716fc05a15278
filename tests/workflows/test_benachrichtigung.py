"""Who is told about a phase change, in the app and through the outbox."""

from __future__ import annotations

from sqlalchemy import select

from app.benachrichtigungen.models import Benachrichtigung
from app.extensions import db
from app.mail.models import Mail
from app.stammdaten.models import Funktion, Mitgliedschaft
from app.workflows import services
from app.workflows.models import Phase, StrangStatus


def _recipients() -> set[str]:
    return set(
        db.session.scalars(select(Mail.recipient).where(Mail.kind == "zyklus.phasenwechsel"))
    )


def _noted() -> set[int]:
    return set(db.session.scalars(select(Benachrichtigung.user_id)))


def test_members_of_the_new_phase_are_notified_once(app, ctx, welt, make) -> None:
    make.mitgliedschaft(welt.sak2, welt.traeger)  # in two Gremien of the phase: one mail
    former = make.user(name="Ehemals")
    make.mitgliedschaft(welt.sak2, former, aktiv=False)
    welt.zyklus.phase = Phase.PLANUNGSRUNDE
    db.session.commit()
    services.change_phase(welt.zyklus.id, Phase.BETEILIGUNG, user=welt.stab, expected_version=1)
    db.session.commit()
    assert _recipients() == {welt.traeger.email, welt.moderation.email, welt.sak_mitglied.email}
    assert _noted() == {welt.traeger.id, welt.moderation.id, welt.sak_mitglied.id}
    mail = db.session.scalar(select(Mail).where(Mail.recipient == welt.traeger.email))
    assert mail.subject == "Sozialplanung 2027: Die Phase „Beteiligung“ hat begonnen."
    assert "Mitglied von: Stadtteilarbeitskreis Süd, Trägerrunde Test." in mail.body_text
    assert f"{app.config['BASE_URL']}/zyklen/{welt.zyklus.id}\n" in mail.body_text
    note = db.session.scalar(
        select(Benachrichtigung).where(Benachrichtigung.user_id == welt.moderation.id)
    )
    assert note.url == f"/zyklen/{welt.zyklus.id}" and note.gelesen_at is None


def test_the_acting_person_is_not_notified(ctx, welt, make) -> None:
    make.mitgliedschaft(welt.pr, welt.stab, Funktion.MODERATION)
    services.change_phase(welt.zyklus.id, Phase.PLANUNGSRUNDE, user=welt.stab, expected_version=1)
    assert _recipients() == {welt.pr_mitglied.email} and _noted() == {welt.pr_mitglied.id}


def test_referral_mail_carries_the_reason(ctx, welt) -> None:
    welt.zyklus.phase = Phase.POLITIK
    db.session.commit()
    services.change_phase(
        welt.zyklus.id,
        Phase.VERWALTUNGSVORSTAND,
        user=welt.stab,
        expected_version=1,
        begruendung="Finanzierung ungeklärt",
    )
    mail = db.session.scalar(select(Mail))
    assert mail.recipient == welt.vorstand.email
    assert (
        "zurückverwiesen" in mail.subject and "Begründung: Finanzierung ungeklärt" in mail.body_text
    )


def test_finishing_tells_every_participant(ctx, welt) -> None:
    welt.zyklus.phase = Phase.POLITIK
    db.session.commit()
    services.change_phase(welt.zyklus.id, Phase.ABGESCHLOSSEN, user=welt.stab, expected_version=1)
    assert _recipients() == {
        welt.pr_mitglied.email,
        welt.traeger.email,
        welt.moderation.email,
        welt.sak_mitglied.email,
        welt.vorstand.email,
        welt.ausschuss.email,
    }


def test_nothing_is_written_when_the_move_is_refused(ctx, welt) -> None:
    welt.zyklus.phase = Phase.BETEILIGUNG
    db.session.commit()
    try:
        services.change_phase(
            welt.zyklus.id, Phase.VERWALTUNGSVORSTAND, user=welt.stab, expected_version=1
        )
    except services.GuardsFailed:
        db.session.rollback()
    assert _recipients() == set() and _noted() == set()


def test_stabsstelle_hears_when_a_moderation_concludes_its_strang(ctx, welt) -> None:
    welt.zyklus.phase = Phase.BETEILIGUNG
    db.session.commit()
    services.close_strang(welt.strang_sak1.id, user=welt.moderation, expected_version=1)
    note = db.session.scalar(select(Benachrichtigung))
    assert note.user_id == welt.stab.id
    assert (
        note.text
        == "Sozialplanung 2027: Mona Moderation hat den Strang „Stadtteilarbeitskreis Nord“ "
        "abgeschlossen."
    )
    assert welt.strang_sak1.status == StrangStatus.ABGESCHLOSSEN
    assert db.session.scalar(
        select(Mitgliedschaft.aktiv).where(Mitgliedschaft.user_id == welt.moderation.id)
    )
