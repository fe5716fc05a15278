"""Suche: Text hochgeladener Dokumente, GIN-Volltextindizes (deutsch) auf PostgreSQL

Revision ID: c3a1f0e5d915
Revises: 7b275933c159
Create Date: 2026-11-30 20:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c3a1f0e5d915"
down_revision = "7b275933c159"
branch_labels = None
depends_on = None

#: index name → (table, columns); the expression equals ``app.suche.volltext.dokument``
INDIZES = {
    "ix_datei_volltext_suche": ("datei", ["volltext"]),
    "ix_sitzung_suche": ("sitzung", ["titel", "ort_name"]),
    "ix_tagesordnungspunkt_suche": ("tagesordnungspunkt", ["titel", "beschreibung"]),
    "ix_protokoll_suche": (
        "protokoll",
        ["ergebnisse", "vereinbarungen", "teilnehmende_organisationen"],
    ),
    "ix_impuls_suche": ("impuls", ["titel", "beschreibung", "thema", "antwort_veroeffentlicht"]),
    "ix_massnahme_suche": ("massnahme", ["titel", "beschreibung"]),
    "ix_vorlage_suche": ("vorlage", ["titel", "drucksache"]),
    "ix_kapitel_suche": ("kapitel", ["titel", "text"]),
    "ix_einrichtung_suche": ("einrichtung", ["name", "strasse", "betreiber"]),
    "ix_user_suche": ("user", ["name", "email"]),
}


def _ausdruck(spalten: list[str]) -> str:
    teile = [f"coalesce({s}, '')" for s in spalten]
    return "to_tsvector('german', " + " || ' ' || ".join(teile) + ")"


def upgrade():
    with op.batch_alter_table("datei", schema=None) as batch_op:
        batch_op.add_column(sa.Column("volltext", sa.Text(), nullable=True))
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, (tabelle, spalten) in INDIZES.items():
        op.execute(f'CREATE INDEX {name} ON "{tabelle}" USING gin ({_ausdruck(spalten)})')


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in INDIZES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table("datei", schema=None) as batch_op:
        batch_op.drop_column("volltext")
