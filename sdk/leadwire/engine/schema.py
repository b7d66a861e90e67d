"""The tables leadwire keeps, as SQLAlchemy Core metadata.

The migrations under :mod:`leadwire.migrations` create and change these tables;
this module is what the code queries. Columns named ``*_sealed`` hold Fernet
tokens: personal data is never stored in clear text outside the local CRM and
the consent ledger, which are systems of record.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from leadwire.models import utc

__all__ = [
    "audit_anchor",
    "audit_log",
    "consent_records",
    "conversations",
    "destruction_records",
    "erasures",
    "inbox",
    "local_lead_notes",
    "local_leads",
    "metadata",
    "outbox",
    "quarantine",
    "sent_messages",
    "subject_requests",
    "turns",
    "vault",
]

metadata = sa.MetaData()


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """A moment stored as UTC, read back aware (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> Any:
        return None if value is None else utc(value)

    def process_result_value(self, value: Any, dialect: Any) -> datetime | None:
        return None if value is None else utc(value)


Moment = UtcDateTime()

#: Every delivery from a provider, once: the unique key is the dedupe.
inbox = sa.Table(
    "inbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("channel", sa.String(64), nullable=False),
    sa.Column("event_id", sa.String(255), nullable=False),
    sa.Column("conversation_key", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("target_id", sa.String(255)),
    sa.Column("control", sa.Boolean, nullable=False, default=False),
    sa.Column("state", sa.String(16), nullable=False),  # pending, done, failed
    sa.Column("outcome", sa.String(32)),
    sa.Column("received_at", Moment, nullable=False),
    sa.Column("due_at", Moment, nullable=False),
    sa.Column("done_at", Moment),
    sa.Column("event_sealed", sa.LargeBinary),  # dropped once processed
    sa.Column("redacted", sa.Text),  # what is kept after processing
    sa.UniqueConstraint("channel", "event_id", name="uq_inbox_channel_event"),
    sa.Index("ix_inbox_state_conversation", "state", "conversation_key", "id"),
)

#: Every effect on the outside world and every durable step of processing.
outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(255), nullable=False, unique=True),
    sa.Column("inbox_id", sa.Integer, nullable=False, index=True),
    sa.Column("client_id", sa.String(64), index=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # pending/done/failed/...
    sa.Column("attempts", sa.Integer, nullable=False, default=0),
    sa.Column("due_at", Moment, nullable=False),
    sa.Column("error", sa.String(64)),
    sa.Column("result_sealed", sa.LargeBinary),
    sa.Column("created_at", Moment, nullable=False),
    sa.Column("updated_at", Moment, nullable=False),
)

#: One row per conversation of a channel: its client and where it stands.
conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),  # hash of channel+id
    sa.Column("channel", sa.String(64), nullable=False),
    sa.Column("address_sealed", sa.LargeBinary, nullable=False),
    sa.Column("client_id", sa.String(64), nullable=False, index=True),
    sa.Column("contact_sealed", sa.LargeBinary),
    sa.Column("prompted_at", Moment),
    sa.Column("stopped_at", Moment),
    sa.Column("needs_human", sa.Boolean, nullable=False, default=False),
    sa.Column("needs_human_reason", sa.String(64)),
    sa.Column("request_no", sa.Integer, nullable=False, default=1),
    sa.Column("lead_entity", sa.String(32)),
    sa.Column("lead_ref", sa.String(255)),
    sa.Column("lead_digest", sa.String(64)),
    sa.Column("created_at", Moment, nullable=False),
    sa.Column("updated_at", Moment, nullable=False),
    # Since 0002: HMAC of the E.164 phone, to find a client by phone.
    sa.Column("phone_hash", sa.String(64), index=True),
)

#: The pseudonymised turns of a conversation: the LLM's context.
turns = sa.Table(
    "turns",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(64), nullable=False, index=True),
    sa.Column("inbox_id", sa.Integer, nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("text_sealed", sa.LargeBinary, nullable=False),
    sa.Column("at", Moment, nullable=False),
    sa.UniqueConstraint("inbox_id", "role", name="uq_turns_inbox_role"),
)

#: Each client's placeholder map, sealed by the pseudonym vault.
vault = sa.Table(
    "vault",
    metadata,
    sa.Column("client_id", sa.String(64), primary_key=True),
    sa.Column("blob", sa.LargeBinary, nullable=False),
    sa.Column("updated_at", Moment, nullable=False),
)

#: Provider ids of the messages we sent, and their furthest delivery status.
sent_messages = sa.Table(
    "sent_messages",
    metadata,
    sa.Column("channel", sa.String(64), primary_key=True),
    sa.Column("message_id", sa.String(255), primary_key=True),
    sa.Column("client_id", sa.String(64)),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("errors", sa.String(255)),
    sa.Column("updated_at", Moment, nullable=False),
)

#: Requests that could not be parsed, kept sealed for an operator to replay.
quarantine = sa.Table(
    "quarantine",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("channel", sa.String(64), nullable=False),
    sa.Column("received_at", Moment, nullable=False),
    sa.Column("reason", sa.String(255), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("body_sealed", sa.LargeBinary, nullable=False),
)

#: Erasure owed after a withdrawal, with its legal deadline.
erasures = sa.Table(
    "erasures",
    metadata,
    sa.Column("client_id", sa.String(64), primary_key=True),
    sa.Column("conversation_key", sa.String(64), nullable=False),
    sa.Column("requested_at", Moment, nullable=False),
    sa.Column("due_at", Moment, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # scheduled, done
)

#: The tamper-evident audit log: each entry hashes the previous one's hash.
audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", Moment, nullable=False),
    sa.Column("actor", sa.String(128), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("client_id", sa.String(64), index=True),
    sa.Column("outcome", sa.String(32), nullable=False),
    sa.Column("details", sa.Text, nullable=False),
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("dedupe", sa.String(255), unique=True),
)

#: The ``local`` consent store's ledger.
consent_records = sa.Table(
    "consent_records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(64), nullable=False, index=True),
    sa.Column("purpose", sa.String(32), nullable=False),
    sa.Column("decision", sa.String(16), nullable=False),
    sa.Column("template_version", sa.String(64), nullable=False),
    sa.Column("channel", sa.String(64), nullable=False),
    sa.Column("message_id", sa.String(255), nullable=False),
    sa.Column("at", Moment, nullable=False),
    sa.UniqueConstraint(
        "client_id", "purpose", "message_id", "decision", name="uq_consent_entry"
    ),
)

#: The ``local`` CRM's leads, for setups without a CRM.
local_leads = sa.Table(
    "local_leads",
    metadata,
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
    sa.Column("created_at", Moment, nullable=False),
    sa.Column("updated_at", Moment, nullable=False),
)

#: Idempotency keys the ``local`` CRM has seen, and the notes it keeps.
local_lead_notes = sa.Table(
    "local_lead_notes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("key", sa.String(255), nullable=False, unique=True),
    sa.Column("lead_id", sa.Integer, nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),  # upsert, note
    sa.Column("created", sa.Boolean, nullable=False, default=False),
    sa.Column("text", sa.Text),
    sa.Column("at", Moment, nullable=False),
)


# -- since 0002: compliance operations --------------------------------------

#: Access and erasure requests of data subjects, with their legal deadlines.
subject_requests = sa.Table(
    "subject_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),  # access, erasure
    sa.Column("client_id", sa.String(64), nullable=False, index=True),
    sa.Column("received_at", Moment, nullable=False),
    sa.Column("due_at", Moment, nullable=False),
    sa.Column("completed_at", Moment),
    sa.Column("operator", sa.String(128), nullable=False),
)

#: Acts of destruction (erasures): what, where, when, by whom, on what ground.
destruction_records = sa.Table(
    "destruction_records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client_id", sa.String(64), nullable=False, index=True),
    sa.Column("ground", sa.Text, nullable=False),
    sa.Column("operator", sa.String(128), nullable=False),
    sa.Column("started_at", Moment, nullable=False),
    sa.Column("completed_at", Moment),
    sa.Column("state", sa.String(16), nullable=False),  # running, partial, done
    sa.Column("targets", sa.Text, nullable=False),  # JSON: per-target progress
    sa.Column("evidence", sa.Text),  # JSON: depersonalised consent evidence
    sa.Column("audit_extract", sa.Text),  # JSON lines of the client's trail
    sa.Column("contact_sealed", sa.LargeBinary),  # for retries; dropped when done
)

#: Where the audit chain starts after its oldest entries were purged.
audit_anchor = sa.Table(
    "audit_anchor",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),  # always 1
    sa.Column("seq", sa.Integer, nullable=False),  # the last purged entry
    sa.Column("hash", sa.String(64), nullable=False),  # its hash
    sa.Column("purged_at", Moment, nullable=False),
)
