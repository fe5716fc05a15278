"""Flask CLI commands: demo data and administration helpers."""

from __future__ import annotations

import click
from flask import Flask

from app.demo import DEMO_LOADERS, _load_optional
from app.extensions import db


@click.command("demo-daten")
@click.option(
    "--umfang",
    type=click.IntRange(1, 100),
    default=None,
    help="Zusätzlich so viele Durchläufe des Kreislaufs als Verlauf erzeugen "
    "(10: zehn Zyklen, zehnmal so viele Personen, 60 Jahre Indikatorwerte).",
)
@click.option(
    "--auch-in-produktion",
    is_flag=True,
    help="Demodaten trotz APP_ENV=production laden (nur für Test- und Schulungssysteme).",
)
def demo_data_command(umfang: int | None, auch_in_produktion: bool) -> None:
    """Load the Hilden demo data (idempotent) and print the demo logins."""
    from flask import current_app

    from app.stammdaten.demo import DEMO_PASSWORD, load_demo_data

    if current_app.config.get("PRODUKTION") and not auch_in_produktion:
        raise click.ClickException(
            "Demodaten werden in der Produktion nicht geladen: sie legen 20 Konten mit dem "
            "veröffentlichten Passwort an, eines davon mit Rechten der Stabsstelle. Für ein "
            "Test- oder Schulungssystem: flask demo-daten --auch-in-produktion"
        )
    people = load_demo_data()
    for loader in DEMO_LOADERS:
        _load_optional(loader)
    if umfang is not None:
        from app.demo_umfang import load_umfang

        counts = load_umfang(umfang)
        click.echo(f"Umfang {umfang}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    db.session.commit()
    click.echo(f"Demo-Zugänge (Passwort für alle: {DEMO_PASSWORD}):")
    for person in people:
        click.echo(f"  {person.rolle:<38} {person.email}")


# Further demo data of later features, loaded in this order when the feature exists.
@click.command("stabsstelle-anlegen")
@click.argument("email")
@click.argument("name")
def create_admin_command(email: str, name: str) -> None:
    """Create a Stabsstelle account and mail it an invitation (first production login)."""
    from app.auth.models import User
    from app.auth.services import find_user_by_email, invite_user

    user = find_user_by_email(email) or User(email=email.strip().lower(), name=name)
    user.ist_stabsstelle = True
    db.session.add(user)
    db.session.flush()
    invite_user(user)
    db.session.commit()
    click.echo(f"Einladung an {email} liegt im Postausgang.")


@click.command("oparl-abgleich")
def oparl_sync_command() -> None:
    """Fill or repair the OParl register from the data (after an upgrade or a bulk import)."""
    from app.oparl.register import reconcile_all

    result = reconcile_all(db.session())
    db.session.commit()
    for typ, (neu, zurueck) in result.items():
        click.echo(f"  {typ:<16} {neu} neu, {zurueck} zurückgezogen")


@click.command("volltext-nachtragen")
def volltext_command() -> None:
    """Read the text of documents uploaded before the search existed (in steps of 50)."""
    from app.dateien.nachtrag import nachtragen

    gesamt = 0
    while n := nachtragen():
        db.session.commit()
        gesamt += n
    click.echo(f"Text von {gesamt} Dokument(en) gelesen.")


def init_app(app: Flask) -> None:
    app.cli.add_command(volltext_command)
    app.cli.add_command(oparl_sync_command)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(create_admin_command)
