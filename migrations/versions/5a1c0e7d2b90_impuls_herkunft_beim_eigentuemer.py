"""Herkunft eines Impulses in Tabellen der Eigentümer (protokoll_impuls, antwort_impuls)

The impulse register no longer points at minutes or form answers; each package that owns an
origin links its impulses in its own association table. Existing links are copied over.

Revision ID: 5a1c0e7d2b90
Revises: 4dbd3ba33c2f
Create Date: 2026-11-30 19:55:00

"""

import sqlalchemy as sa
from alembic import op

revision = "5a1c0e7d2b90"
down_revision = "4dbd3ba33c2f"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "protokoll_impuls",
        sa.Column("impuls_id", sa.Integer(), nullable=False),
        sa.Column("protokoll_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["impuls_id"], ["impuls.id"], name=op.f("fk_protokoll_impuls_impuls_id_impuls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["protokoll_id"], ["protokoll.id"],
            name=op.f("fk_protokoll_impuls_protokoll_id_protokoll"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("impuls_id", name=op.f("pk_protokoll_impuls")),
    )
    op.create_index(
        op.f("ix_protokoll_impuls_protokoll_id"), "protokoll_impuls", ["protokoll_id"], unique=False
    )
    op.create_table(
        "antwort_impuls",
        sa.Column("impuls_id", sa.Integer(), nullable=False),
        sa.Column("antwort_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["antwort_id"], ["rueckmeldung_antwort.id"],
            name=op.f("fk_antwort_impuls_antwort_id_rueckmeldung_antwort"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["impuls_id"], ["impuls.id"], name=op.f("fk_antwort_impuls_impuls_id_impuls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("impuls_id", name=op.f("pk_antwort_impuls")),
    )
    op.create_index(
        op.f("ix_antwort_impuls_antwort_id"), "antwort_impuls", ["antwort_id"], unique=False
    )
    op.execute(
        "INSERT INTO protokoll_impuls (impuls_id, protokoll_id) "
        "SELECT id, quelle_protokoll_id FROM impuls WHERE quelle_protokoll_id IS NOT NULL"
    )
    op.execute(
        "INSERT INTO antwort_impuls (impuls_id, antwort_id) "
        "SELECT id, quelle_antwort_id FROM impuls WHERE quelle_antwort_id IS NOT NULL"
    )
    with op.batch_alter_table("impuls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_impuls_quelle_protokoll_id"))
        batch_op.drop_index(batch_op.f("ix_impuls_quelle_antwort_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_impuls_quelle_protokoll_id_protokoll"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_impuls_quelle_antwort_id_rueckmeldung_antwort"), type_="foreignkey"
        )
        batch_op.drop_column("quelle_protokoll_id")
        batch_op.drop_column("quelle_antwort_id")


def downgrade():
    with op.batch_alter_table("impuls", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quelle_antwort_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("quelle_protokoll_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_impuls_quelle_antwort_id_rueckmeldung_antwort"),
            "rueckmeldung_antwort", ["quelle_antwort_id"], ["id"], ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_impuls_quelle_protokoll_id_protokoll"),
            "protokoll", ["quelle_protokoll_id"], ["id"], ondelete="SET NULL",
        )
        batch_op.create_index(
            batch_op.f("ix_impuls_quelle_antwort_id"), ["quelle_antwort_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_impuls_quelle_protokoll_id"), ["quelle_protokoll_id"], unique=False
        )
    op.execute(
        "UPDATE impuls SET quelle_protokoll_id = (SELECT protokoll_id FROM protokoll_impuls "
        "WHERE protokoll_impuls.impuls_id = impuls.id)"
    )
    op.execute(
        "UPDATE impuls SET quelle_antwort_id = (SELECT antwort_id FROM antwort_impuls "
        "WHERE antwort_impuls.impuls_id = impuls.id)"
    )
    op.drop_index(op.f("ix_antwort_impuls_antwort_id"), table_name="antwort_impuls")
    op.drop_table("antwort_impuls")
    op.drop_index(op.f("ix_protokoll_impuls_protokoll_id"), table_name="protokoll_impuls")
    op.drop_table("protokoll_impuls")
