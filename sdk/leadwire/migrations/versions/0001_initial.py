"""The first schema: inbox, outbox, conversations, vault, audit, local stores.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

MOMENT = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("conversation_key", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("target_id", sa.String(255)),
        sa.Column("control", sa.Boolean, nullable=False, default=False),
        sa.Column("state", sa.String(16), nullable=False),  # pending, done, failed
        sa.Column("outcome", sa.String(32)),
        sa.Column("received_at", MOMENT, nullable=False),
        sa.Column("due_at", MOMENT, nullable=False),
        sa.Column("done_at", MOMENT),
        sa.Column("event_sealed", sa.LargeBinary),  # dropped once processed
        sa.Column("redacted", sa.Text),  # what is kept after processing
        sa.UniqueConstraint("channel", "event_id", name="uq_inbox_channel_event"),
        sa.Index("ix_inbox_state_conversation", "state", "conversation_key", "id"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(255), nullable=False, unique=True),
        sa.Column("inbox_id", sa.Integer, nullable=False, index=True),
        sa.Column("client_id", sa.String(64), index=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),  # pending/done/failed/...
        sa.Column("attempts", sa.Integer, nullable=False, default=0),
        sa.Column("due_at", MOMENT, nullable=False),
        sa.Column("error", sa.String(64)),
        sa.Column("result_sealed", sa.LargeBinary),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
    )
    op.create_table(
        "conversations",
        sa.Column("key", sa.String(64), primary_key=True),  # hash of channel+id
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("address_sealed", sa.LargeBinary, nullable=False),
        sa.Column("client_id", sa.String(64), nullable=False, index=True),
        sa.Column("contact_sealed", sa.LargeBinary),
        sa.Column("prompted_at", MOMENT),
        sa.Column("stopped_at", MOMENT),
        sa.Column("needs_human", sa.Boolean, nullable=False, default=False),
        sa.Column("needs_human_reason", sa.String(64)),
        sa.Column("request_no", sa.Integer, nullable=False, default=1),
        sa.Column("lead_entity", sa.String(32)),
        sa.Column("lead_ref", sa.String(255)),
        sa.Column("lead_digest", sa.String(64)),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
    )
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(64), nullable=False, index=True),
        sa.Column("inbox_id", sa.Integer, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("text_sealed", sa.LargeBinary, nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.UniqueConstraint("inbox_id", "role", name="uq_turns_inbox_role"),
    )
    op.create_table(
        "vault",
        sa.Column("client_id", sa.String(64), primary_key=True),
        sa.Column("blob", sa.LargeBinary, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
    )
    op.create_table(
        "sent_messages",
        sa.Column("channel", sa.String(64), primary_key=True),
        sa.Column("message_id", sa.String(255), primary_key=True),
        sa.Column("client_id", sa.String(64)),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("errors", sa.String(255)),
        sa.Column("updated_at", MOMENT, nullable=False),
    )
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("received_at", MOMENT, nullable=False),
        sa.Column("reason", sa.String(255), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("body_sealed", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "erasures",
        sa.Column("client_id", sa.String(64), primary_key=True),
        sa.Column("conversation_key", sa.String(64), nullable=False),
        sa.Column("requested_at", MOMENT, nullable=False),
        sa.Column("due_at", MOMENT, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),  # scheduled, done
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("client_id", sa.String(64), index=True),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("details", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("dedupe", sa.String(255), unique=True),
    )
    op.create_table(
        "consent_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(64), nullable=False, index=True),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("template_version", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("at", MOMENT, nullable=False),
        sa.UniqueConstraint(
            "client_id", "purpose", "message_id", "decision", name="uq_consent_entry"
        ),
    )
    op.create_table(
        "local_leads",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(64), nullable=False, index=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("open", sa.Boolean, nullable=False, default=True),
        sa.Column("title", sa.Text, nullable=False, default=""),
        sa.Column("name", sa.Text),
        sa.Column("phone", sa.String(32), index=True),
        sa.Column("email", sa.String(255), index=True),
        sa.Column("service", sa.Text),
        sa.Column("desired_time", sa.Text),
        sa.Column("comment", sa.Text),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("updated_at", MOMENT, nullable=False),
    )
    op.create_table(
        "local_lead_notes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(255), nullable=False, unique=True),
        sa.Column("lead_id", sa.Integer, nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),  # upsert, note
        sa.Column("created", sa.Boolean, nullable=False, default=False),
        sa.Column("text", sa.Text),
        sa.Column("at", MOMENT, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("local_lead_notes")
    op.drop_table("local_leads")
    op.drop_table("consent_records")
    op.drop_table("audit_log")
    op.drop_table("erasures")
    op.drop_table("quarantine")
    op.drop_table("sent_messages")
    op.drop_table("vault")
    op.drop_table("turns")
    op.drop_table("conversations")
    op.drop_table("outbox")
    op.drop_table("inbox")
