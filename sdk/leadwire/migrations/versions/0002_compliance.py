"""Compliance operations: subject requests, destruction records, audit anchor.

Adds ``conversations.phone_hash`` (a keyed hash of the client's E.164 phone,
for finding a client by phone). Rows written before this revision have none:
the key is derived from the vault key, which a migration does not see, so
they are found by unsealing their contacts instead (see
:func:`leadwire.compliance.lookup.find_client`).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("phone_hash", sa.String(64)))
        batch.create_index("ix_conversations_phone_hash", ["phone_hash"])

    op.create_table(
        "subject_requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False, index=True),
        sa.Column("received_at", MOMENT, nullable=False),
        sa.Column("due_at", MOMENT, nullable=False),
        sa.Column("completed_at", MOMENT),
        sa.Column("operator", sa.String(128), nullable=False),
    )
    op.create_table(
        "destruction_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(64), nullable=False, index=True),
        sa.Column("ground", sa.Text, nullable=False),
        sa.Column("operator", sa.String(128), nullable=False),
        sa.Column("started_at", MOMENT, nullable=False),
        sa.Column("completed_at", MOMENT),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("targets", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text),
        sa.Column("audit_extract", sa.Text),
        sa.Column("contact_sealed", sa.LargeBinary),
    )
    op.create_table(
        "audit_anchor",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("purged_at", MOMENT, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("audit_anchor")
    op.drop_table("destruction_records")
    op.drop_table("subject_requests")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_index("ix_conversations_phone_hash")
        batch.drop_column("phone_hash")
