"""Sitzungsmappe: Option je Sitzung; Mailanhänge mit einmal gespeichertem Inhalt

Revision ID: 6ab409dd39d9
Revises: d7e2a9c4b801
Create Date: 2026-11-30 22:26:48.757700

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6ab409dd39d9'
down_revision = 'd7e2a9c4b801'
branch_labels = None
depends_on = None

CK = "ck_mail_attachment_data_oder_inhalt"


def upgrade():
    op.create_table('mail_inhalt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_inhalt')),
    sa.UniqueConstraint('sha256', name=op.f('uq_mail_inhalt_sha256'))
    )
    with op.batch_alter_table('mail_attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inhalt_id', sa.Integer(), nullable=True))
        batch_op.alter_column('data', existing_type=sa.LargeBinary(), nullable=True)
        batch_op.create_index(batch_op.f('ix_mail_attachment_inhalt_id'), ['inhalt_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_mail_attachment_inhalt_id_mail_inhalt'), 'mail_inhalt', ['inhalt_id'], ['id'])
        batch_op.create_check_constraint(op.f(CK), '(data IS NULL) <> (inhalt_id IS NULL)')

    with op.batch_alter_table('sitzung', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mappe_beifuegen', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('sitzung', schema=None) as batch_op:
        batch_op.drop_column('mappe_beifuegen')

    op.execute("DELETE FROM mail_attachment WHERE data IS NULL")
    with op.batch_alter_table('mail_attachment', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(CK), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_mail_attachment_inhalt_id_mail_inhalt'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_mail_attachment_inhalt_id'))
        batch_op.alter_column('data', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column('inhalt_id')

    op.drop_table('mail_inhalt')
