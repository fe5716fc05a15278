"""Suche: GIN-Volltextindex (deutsch) der Rundschreiben auf PostgreSQL

Revision ID: d7e2a9c4b801
Revises: 5bce6e810285
Create Date: 2026-11-30 20:55:00
"""

from alembic import op

revision = "d7e2a9c4b801"
down_revision = "5bce6e810285"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_rundschreiben_suche ON rundschreiben USING gin "
            "(to_tsvector('german', coalesce(betreff, '') || ' ' || coalesce(text, '')))"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_rundschreiben_suche")
