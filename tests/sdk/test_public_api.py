"""The public API is curated: what plugins import is listed and importable."""

from __future__ import annotations

import leadwire

EXPECTED = {
    # connectors and hooks
    "Channel", "Clock", "ConnectorContext", "ConnectorType", "ConsentStore", "Crm",
    "Llm", "Recognizer", "SystemClock", "hookimpl", "Secret", "hmac_sha256_matches",
    # text
    "split_text",
    # errors
    "ConfigError", "ConfigProblem", "ConnectorError", "CredentialsError",
    "DetectionError", "LeadwireError", "OutsideWindowError", "PluginError",
    "RateLimitedError", "RejectedError", "TemporaryError", "UnusableAnswerError",
    # models
    "AuditEvent", "ChatMessage", "ClientId", "Completion", "CompletionRequest",
    "ConsentDecision", "ConsentPrompt", "ConsentPurpose", "ConsentRecord", "Contact",
    "CrmRef", "DataFlow", "DeliveryStatus", "Entity", "ErasureReport", "EventKind",
    "InboundEvent", "Lead", "LeadFields", "LeadResult", "Media", "OutboundMessage",
    "SendReceipt", "Sender", "Usage", "Verification", "WebhookRequest",
    "WebhookResponse",
}  # fmt: skip


def test_all_is_exactly_the_curated_list():
    """Adding or removing a public name is a deliberate change to this list."""
    assert set(leadwire.__all__) == EXPECTED


def test_every_public_name_is_importable():
    """Each name in __all__ exists on the package."""
    missing = [name for name in leadwire.__all__ if not hasattr(leadwire, name)]

    assert missing == []
