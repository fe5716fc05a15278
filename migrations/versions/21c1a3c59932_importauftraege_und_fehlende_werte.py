"""Importaufträge (Status, Fortschritt, Bericht) und fehlende Indikatorwerte („keine Angabe“)

Revision ID: 21c1a3c59932
Revises: 9b228dbc535e
Create Date: 2026-11-30 16:04:09.994471

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '21c1a3c59932'
down_revision = '9b228dbc535e'
branch_labels = None
depends_on = None

STATUS = sa.Enum('pruefung', 'bereit', 'fehlerhaft', 'import', 'importiert', name='importstatus', native_enum=False, create_constraint=True, length=40)
NOT_NULL_WITH_DEFAULT = (
    ('status', STATUS, 'bereit'),
    ('kodierung', sa.String(length=80), ''),
    ('zeilen_gelesen', sa.Integer(), '0'),
    ('fehler_bisher', sa.Integer(), '0'),
    ('stand_at', sa.DateTime(), sa.text('CURRENT_TIMESTAMP')),
)


def upgrade():
    # existing uploads were checked before they were stored: ready, or already imported
    with op.batch_alter_table('importdatei', schema=None) as batch_op:
        for name, type_, default in NOT_NULL_WITH_DEFAULT:
            batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=default))
        batch_op.add_column(sa.Column('zeilen_geschaetzt', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('bericht', sa.JSON(), nullable=True))
        batch_op.create_index('ix_importdatei_status_stand', ['status', 'stand_at'], unique=False)
    op.execute("UPDATE importdatei SET status = 'importiert' WHERE importiert_at IS NOT NULL")
    with op.batch_alter_table('importdatei', schema=None) as batch_op:
        for name, type_, _default in NOT_NULL_WITH_DEFAULT:
            batch_op.alter_column(name, existing_type=type_, existing_nullable=False, server_default=None)

    with op.batch_alter_table('indikatorwert', schema=None) as batch_op:
        batch_op.alter_column('wert',
               existing_type=sa.FLOAT(),
               nullable=True)


def downgrade():
    op.execute("DELETE FROM indikatorwert WHERE wert IS NULL")
    with op.batch_alter_table('indikatorwert', schema=None) as batch_op:
        batch_op.alter_column('wert',
               existing_type=sa.FLOAT(),
               nullable=False)

    with op.batch_alter_table('importdatei', schema=None) as batch_op:
        batch_op.drop_index('ix_importdatei_status_stand')
    with op.batch_alter_table('importdatei', schema=None) as batch_op:
        batch_op.drop_column('bericht')
        batch_op.drop_column('stand_at')
        batch_op.drop_column('fehler_bisher')
        batch_op.drop_column('zeilen_gelesen')
        batch_op.drop_column('zeilen_geschaetzt')
        batch_op.drop_column('kodierung')
        batch_op.drop_constraint(op.f('ck_importdatei_importstatus'), type_='check')
        batch_op.drop_column('status')
