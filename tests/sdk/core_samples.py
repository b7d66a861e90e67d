"""Sample connectors for the core's tests: the least that fits the protocols."""

from __future__ import annotations

import attrs

from leadwire import (
    ConnectorContext,
    ConnectorType,
    InboundEvent,
    OutboundMessage,
    Secret,
    SendReceipt,
    Verification,
    WebhookRequest,
)


@attrs.frozen
class EchoSettings:
    token: Secret
    greeting: str = "hi"
    retries: int = 3


class EchoChannel:
    """A channel that accepts every request and parses none."""

    def __init__(self, settings: EchoSettings, context: ConnectorContext) -> None:
        self.settings = settings
        self.context = context

    async def handshake(self, request: WebhookRequest) -> None:
        return None

    def verify(self, request: WebhookRequest) -> Verification:
        return Verification.accept()

    def parse(self, request: WebhookRequest) -> list[InboundEvent]:
        return []

    async def send(self, message: OutboundMessage) -> SendReceipt:
        return SendReceipt(("sent",))

    async def send_consent_request(self, conversation, prompt) -> SendReceipt:
        return SendReceipt(("consent",))

    def data_flows(self):
        return []

    async def aclose(self) -> None:
        pass


@attrs.frozen
class NoSettings:
    pass


ECHO = ConnectorType("echo", EchoSettings, EchoChannel, "a channel for tests")
