"""The domain model's own behaviour."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta, timezone

import pytest

from leadwire import (
    ClientId,
    DataFlow,
    DeliveryStatus,
    EventKind,
    InboundEvent,
    Sender,
    Verification,
    WebhookRequest,
    hmac_sha256_matches,
)


def test_client_id_is_stable_and_keyed():
    """The same conversation gets the same id; another key gives another id."""
    first = ClientId.derive(b"key-one", "whatsapp", "79990000001")

    assert first == ClientId.derive(b"key-one", "whatsapp", "79990000001")
    assert first != ClientId.derive(b"key-two", "whatsapp", "79990000001")
    assert first != ClientId.derive(b"key-one", "telegram", "79990000001")
    assert str(first).startswith("CLIENT_")
    assert "7999" not in str(first)


def test_client_id_refuses_other_shapes():
    """A value that is not a CLIENT_ id is refused without echoing it in full."""
    with pytest.raises(ValueError, match="CLIENT_"):
        ClientId("+79990000001-and-more")


def test_event_time_becomes_aware_utc():
    """Naive times are taken as UTC, others converted to UTC."""
    moscow = timezone(timedelta(hours=3))
    event = InboundEvent(
        channel="whatsapp",
        event_id="wamid.1",
        kind=EventKind.MESSAGE,
        conversation="c",
        occurred_at=datetime(2026, 5, 1, 15, 0, tzinfo=moscow),
    )
    naive = InboundEvent(
        "whatsapp", "wamid.2", EventKind.MESSAGE, "c", datetime(2026, 5, 1)
    )

    assert event.occurred_at == datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert naive.occurred_at.tzinfo is UTC


def test_only_client_kinds_with_a_sender_come_from_the_client():
    """Statuses, echoes and sender-less posts are never treated as client messages."""
    at = datetime(2026, 5, 1, tzinfo=UTC)
    someone = Sender("42")

    def event(kind: EventKind, sender: Sender | None) -> InboundEvent:
        return InboundEvent("telegram", "1", kind, "42", at, sender=sender)

    assert event(EventKind.MESSAGE, someone).from_client
    assert event(EventKind.EDIT, someone).from_client
    assert not event(EventKind.MESSAGE, None).from_client
    assert not event(EventKind.STATUS, someone).from_client
    assert not event(EventKind.ECHO, someone).from_client


def test_delivery_statuses_are_ordered():
    """A status can be compared so that it never moves backwards."""
    assert DeliveryStatus.SENT < DeliveryStatus.DELIVERED < DeliveryStatus.READ


def test_webhook_headers_are_case_insensitive():
    """Headers are stored in lower case and looked up in any case."""
    request = WebhookRequest("POST", headers={"X-Hub-Signature-256": "sha256=ab"})

    assert request.header("x-hub-signature-256") == "sha256=ab"
    assert request.header("X-HUB-SIGNATURE-256") == "sha256=ab"


def test_hmac_check_accepts_only_the_right_digest():
    """The HMAC helper accepts the exact digest of the raw bytes and nothing else."""
    body = b'{"text": "\\u041f\\u0440\\u0438\\u0432\\u0435\\u0442"}'
    digest = hmac.new(b"app-secret", body, hashlib.sha256).hexdigest()

    assert hmac_sha256_matches(b"app-secret", body, digest)
    assert hmac_sha256_matches(b"app-secret", body, digest.upper())
    assert not hmac_sha256_matches(b"other-secret", body, digest)
    assert not hmac_sha256_matches(b"app-secret", body + b" ", digest)


def test_verification_outcomes_map_to_statuses():
    """Missing credentials answer 401, forged ones 403."""
    assert Verification.accept().ok
    assert Verification.missing("no header").status == 401
    assert Verification.forged("mismatch").status == 403


def test_data_flow_outside_russia_is_cross_border():
    """Any location but RU counts as a cross-border flow, unknown included."""

    def flow(location: str) -> DataFlow:
        return DataFlow(("phone",), "someone", location, "booking")

    assert not flow("RU").cross_border
    assert flow("US").cross_border
    assert flow("unknown").cross_border
